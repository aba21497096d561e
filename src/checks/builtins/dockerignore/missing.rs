//! `dockerignore-missing`: a Dockerfile is built from a context with no `.dockerignore` at its
//! root (nor the Dockerfile a `<name>.dockerignore` of its own), so `COPY . .` sends `.git`,
//! `.env` and keys into the build. The context is the one the project's builds use (compose
//! `build: context:`, docker/build-push-action `context:`, `docker build -f x/Dockerfile ctx`);
//! when no build names one, the Dockerfile's directory or a parent with a `.dockerignore`. The fix creates one from `templates/fix/dockerignore.j2`, leaving out any pattern
//! that would exclude a file a Dockerfile there copies by name.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};

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

/// Whether a file exists: in the walk, or on disk (an ignored `.dockerignore` still applies to
/// a build from this clone). Each path is asked once: 2,000 Dockerfiles of a monorepo asked for
/// the same parent directories' files, each a `stat` on disk.
struct Exists<'p> {
    project: &'p Project,
    known: RefCell<HashMap<String, bool>>,
}

impl<'p> Exists<'p> {
    fn new(project: &'p Project) -> Self {
        Self {
            project,
            known: RefCell::new(HashMap::new()),
        }
    }

    fn at(&self, path: &str) -> bool {
        if self.project.file(path).is_some() {
            return true;
        }
        if let Some(&known) = self.known.borrow().get(path) {
            return known;
        }
        let on_disk = self.project.root.join(path).is_file();
        self.known.borrow_mut().insert(path.to_string(), on_disk);
        on_disk
    }
}

/// A `.dockerignore` in `dir` or one of its parents.
fn covered(exists: &Exists<'_>, dir: &str) -> bool {
    let mut current = dir.to_string();
    loop {
        if exists.at(&join(&current, ".dockerignore")) {
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
    let contexts = ctx.project.model().build_contexts(ctx.project);
    let exists = Exists::new(ctx.project);
    for (file, parsed) in dockerfiles(ctx.project) {
        let own = format!("{}.dockerignore", file.path);
        if exists.at(&own) {
            continue;
        }
        // Docker reads `.dockerignore` at the root of the build context only: where the
        // project's builds (compose, workflows) build this Dockerfile from, when they say;
        // otherwise the Dockerfile's directory or a parent, the usual layouts.
        let uncovered: Vec<String> = match contexts.get(&file.path) {
            Some(known) => known
                .iter()
                .filter(|c| !exists.at(&join(&c.dir, ".dockerignore")))
                .map(|c| c.dir.clone())
                .collect(),
            None if covered(&exists, file.dir()) => Vec::new(),
            None => vec![file.dir().to_string()],
        };
        for dir in uncovered {
            let entry = dirs
                .entry(dir)
                .or_insert_with(|| (file.path.clone(), Vec::new()));
            entry.1.extend(copied_sources(parsed));
        }
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
