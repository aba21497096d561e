//! `docker-curl-pipe-shell`: a script downloaded and run in one go: `curl ... | sh`,
//! `wget -O- ... | bash`, or `sh -c "$(curl ...)"`. Every stage.

use crate::checks::builtins::docker::{dockerfiles, piped_downloads, staged};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-curl-pipe-shell",
    vars: &["downloader", "shell"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for instruction in staged(parsed).filter(|i| i.is("RUN")) {
            for found in piped_downloads(&instruction.commands()) {
                hits.push(
                    Hit::at(Location::span(&file.path, found.span))
                        .var("downloader", found.downloader)
                        .var("shell", found.shell),
                );
            }
        }
    }
    hits
}
