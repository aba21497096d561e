//! `docker-add-instead-of-copy`: `ADD` of local files only, where `COPY` does the same without
//! ADD's implicit URL fetching and archive extraction. Local archives (`.tar*`, `.tgz`, ...) are
//! left alone: extracting them is what ADD is for. The fix renames the keyword; it is offered
//! only when no ADD-only flag (`--checksum`, `--keep-git-dir`, `--unpack`) is used.

use crate::checks::builtins::docker::add_remote_url::is_remote;
use crate::checks::builtins::docker::{dockerfiles, staged};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-add-instead-of-copy",
    vars: &[],
    params: &[],
    run,
};

const ARCHIVES: &[&str] = &[
    ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst", ".gz", ".bz2",
    ".xz",
];

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for instruction in staged(parsed).filter(|i| i.is("ADD")) {
            let words = instruction.words();
            let sources = words.get(..words.len().saturating_sub(1)).unwrap_or(&[]);
            if sources.is_empty() && instruction.heredocs.is_empty() {
                continue;
            }
            let local = sources.iter().all(|w| {
                let lower = w.value.to_ascii_lowercase();
                !is_remote(&w.value)
                    && !w.value.contains('$')
                    && !ARCHIVES.iter().any(|ext| lower.ends_with(ext))
            });
            if !local {
                continue;
            }
            let hit = Hit::at(Location::span(&file.path, instruction.keyword_span.clone()));
            let add_only = ["checksum", "keep-git-dir", "unpack"]
                .iter()
                .any(|f| instruction.flags.iter().any(|flag| flag.name == *f));
            if add_only {
                hits.push(hit);
            } else {
                let written = file
                    .text()
                    .ok()
                    .and_then(|t| t.content.get(instruction.keyword_span.clone()))
                    .unwrap_or("ADD");
                let copy = if written == "ADD" {
                    "COPY"
                } else if written.chars().all(|c| c.is_ascii_lowercase()) {
                    "copy"
                } else {
                    "COPY"
                };
                hits.push(hit.edits(vec![Edit::replace(
                    &file.path,
                    instruction.keyword_span.clone(),
                    copy,
                )]));
            }
        }
    }
    hits
}
