//! `docker-add-remote-url`: `ADD https://...` (or a git URL) without `--checksum`: the build
//! fetches whatever the server returns, unverified.

use crate::checks::builtins::docker::{dockerfiles, staged};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-add-remote-url",
    vars: &["url"],
    params: &[],
    run,
};

pub fn is_remote(source: &str) -> bool {
    let lower = source.to_ascii_lowercase();
    lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("git@")
        || lower.starts_with("git://")
        || lower.starts_with("ssh://")
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for instruction in staged(parsed).filter(|i| i.is("ADD")) {
            if instruction.flag("checksum").is_some() {
                continue;
            }
            let words = instruction.words();
            let sources = words.get(..words.len().saturating_sub(1)).unwrap_or(&[]);
            for source in sources.iter().filter(|w| is_remote(&w.value)) {
                hits.push(
                    Hit::at(Location::span(&file.path, source.span.clone()))
                        .var("url", source.value.as_str()),
                );
            }
        }
    }
    hits
}
