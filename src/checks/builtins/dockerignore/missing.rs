//! `dockerignore-missing`: a directory holds a Dockerfile, but neither it nor a parent
//! directory in the project has a `.dockerignore` (nor the Dockerfile a
//! `<name>.dockerignore` of its own), so `COPY . .` sends `.git`, `.env` and keys into the
//! build. The fix creates one from `templates/fix/dockerignore.j2`, leaving out any pattern
//! that would exclude a file a Dockerfile there copies by name.

use std::collections::BTreeMap;

use crate::checks::builtins::docker::dockerfiles;
use crate::checks::builtins::dockerignore::{copied_sources, hits_source};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::project::Project;

pub const BUILTIN: Builtin = Builtin {
    name: "dockerignore-missing",
    vars: &["dockerfile"],
    params: &[],
    run,
};

const TEMPLATE: &str = "fix/dockerignore.j2";

fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() {
        name.to_string()
    } else {
        format!("{dir}/{name}")
    }
}

fn exists(project: &Project, path: &str) -> bool {
    project.file(path).is_some() || project.root.join(path).is_file()
}

/// A `.dockerignore` in `dir` or one of its parents.
fn covered(project: &Project, dir: &str) -> bool {
    let mut current = dir.to_string();
    loop {
        if exists(project, &join(&current, ".dockerignore")) {
            return true;
        }
        match current.rfind('/') {
            Some(at) => current.truncate(at),
            None if !current.is_empty() => current.clear(),
            None => return false,
        }
    }
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    // Directory -> (first Dockerfile, sources copied by the Dockerfiles there).
    let mut dirs: BTreeMap<String, (String, Vec<String>)> = BTreeMap::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let own = format!("{}.dockerignore", file.path);
        if exists(ctx.project, &own) || covered(ctx.project, file.dir()) {
            continue;
        }
        let entry = dirs
            .entry(file.dir().to_string())
            .or_insert_with(|| (file.path.clone(), Vec::new()));
        entry.1.extend(copied_sources(parsed));
    }
    let Ok(template) = ctx.templates.render(TEMPLATE, minijinja::context! {}) else {
        return Vec::new();
    };
    dirs.into_iter()
        .map(|(dir, (dockerfile, sources))| {
            let path = join(&dir, ".dockerignore");
            let content: String = template
                .lines()
                .filter(|line| {
                    let pattern = line.trim();
                    pattern.is_empty()
                        || pattern.starts_with('#')
                        || pattern.starts_with('!')
                        || !hits_source(pattern, &sources)
                })
                .map(|line| format!("{line}\n"))
                .collect();
            Hit::at(Location::file(&path))
                .var("dockerfile", dockerfile)
                .edits(vec![Edit::create(&path, content)])
        })
        .collect()
}
