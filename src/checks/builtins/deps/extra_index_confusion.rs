//! `deps-extra-index-confusion`: `--extra-index-url` in a requirements file. pip merges every
//! index and takes the best version from any of them, so a public package named like a
//! private one wins.

use crate::checks::builtins::deps::DepsIndex;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "deps-extra-index-confusion",
    vars: &["url"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let index = DepsIndex::new(ctx.project);
    let mut hits = Vec::new();
    for (file, parsed) in &index.requirements {
        for option in parsed
            .options
            .iter()
            .filter(|o| o.name == "--extra-index-url")
        {
            hits.push(
                Hit::at(Location::span(&file.path, option.span.clone()))
                    .var("url", option.value.as_deref().unwrap_or_default()),
            );
        }
    }
    hits
}
