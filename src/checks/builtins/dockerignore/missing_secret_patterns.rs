//! `dockerignore-missing-secret-patterns`: a `.dockerignore` that lets secrets into the build
//! context: one of the `patterns` parameter's entries (`.env`, `.git`, `*.pem`, ...) is not
//! excluded. Each pattern is probed with a sample path (`*` read as `x`) under Docker's
//! matching rules, so `*` or `**/*.pem` count as covering. Patterns naming a file a
//! Dockerfile in the same directory copies by name are not asked for. The fix appends the
//! missing patterns.

use crate::checks::builtins::docker::dockerfiles;
use crate::checks::builtins::dockerignore::{copied_sources, excluded, hits_source};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::project::FileKind;

pub const BUILTIN: Builtin = Builtin {
    name: "dockerignore-missing-secret-patterns",
    vars: &["missing"],
    params: &["patterns"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let required = ctx.param_strings("patterns");
    let mut hits = Vec::new();
    for file in ctx.project.files_of(FileKind::Dockerignore) {
        let Parsed::Gitignore(ignore) = file.parsed() else {
            continue;
        };
        let Ok(text) = file.text() else { continue };
        // The Dockerfiles built from this directory: by the project's builds, or, when no
        // build names a context for one, the Dockerfiles beside it.
        let contexts = ctx.project.model().build_contexts(ctx.project);
        let sources: Vec<String> = dockerfiles(ctx.project)
            .filter(|(f, _)| match contexts.get(&f.path) {
                Some(known) => known.iter().any(|c| c.dir == file.dir()),
                None => f.dir() == file.dir(),
            })
            .flat_map(|(_, parsed)| copied_sources(parsed))
            .collect();
        let lines: Vec<&str> = ignore.patterns.iter().map(|p| p.pattern.as_str()).collect();
        let missing: Vec<&String> = required
            .iter()
            .filter(|pattern| {
                let probe = pattern.trim_start_matches("**/").replace('*', "x");
                !excluded(&lines, &probe) && !hits_source(pattern, &sources)
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        let content = &text.content;
        let mut append = String::new();
        if !content.is_empty() && !content.ends_with('\n') {
            append.push('\n');
        }
        if !content.is_empty() {
            append.push('\n');
        }
        append.push_str("# Secrets kept out of the build context (added by harden)\n");
        for pattern in &list {
            append.push_str(pattern);
            append.push('\n');
        }
        hits.push(
            Hit::at(Location::file(&file.path))
                .var("missing", list.join(", "))
                .edits(vec![Edit::insert(&file.path, content.len(), append)]),
        );
    }
    hits
}
