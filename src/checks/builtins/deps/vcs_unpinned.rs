//! `deps-vcs-unpinned`: a `git+`/`hg+`/`svn+`/`bzr+` requirement whose reference is a branch, a
//! tag or nothing, rather than a full commit hash.

use crate::checks::builtins::deps::DepsIndex;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::requirements::Source;

pub const BUILTIN: Builtin = Builtin {
    name: "deps-vcs-unpinned",
    vars: &["name", "url", "reference"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let index = DepsIndex::new(ctx.project);
    let mut hits = Vec::new();
    for (file, parsed) in &index.requirements {
        for requirement in &parsed.requirements {
            let Source::Url(url) = &requirement.source else {
                continue;
            };
            let Some(vcs) = &url.vcs else { continue };
            if vcs.pinned_to_commit() {
                continue;
            }
            hits.push(
                Hit::at(Location::span(&file.path, url.span.clone()))
                    .var(
                        "name",
                        requirement.name.as_deref().unwrap_or(url.url.as_str()),
                    )
                    .var("url", url.url.as_str())
                    .var("reference", vcs.reference.as_deref().unwrap_or_default()),
            );
        }
    }
    hits
}
