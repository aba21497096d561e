//! `deps-requirements-without-hashes`: a deployment requirements file with no `--hash`, so pip
//! installs whatever file the index serves for each pinned version.

use crate::checks::builtins::deps::{DepsIndex, globs};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::requirements::Source;

pub const BUILTIN: Builtin = Builtin {
    name: "deps-requirements-without-hashes",
    vars: &["count"],
    params: &["ignore-files"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let ignored = globs(&ctx.param_strings("ignore-files"));
    let index = DepsIndex::new(ctx.project);
    let mut hits = Vec::new();
    for (file, parsed) in &index.requirements {
        if ignored.is_match(&file.path) || index.is_constraints(file) || parsed.has_hashes() {
            continue;
        }
        // What pip downloads can carry a hash; editables, local paths and VCS checkouts cannot.
        let hashable: Vec<_> = parsed
            .requirements
            .iter()
            .filter(|r| !r.editable)
            .filter(|r| match &r.source {
                Source::Index => true,
                Source::Url(url) => url.vcs.is_none(),
                Source::Path(_) => false,
            })
            .collect();
        let Some(first) = hashable.first() else {
            continue;
        };
        hits.push(
            Hit::at(Location::span(&file.path, first.name_and_version_span()))
                .var("count", hashable.len())
                .fingerprint(file.path.clone()),
        );
    }
    hits
}
