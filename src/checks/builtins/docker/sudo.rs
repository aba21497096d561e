//! `docker-sudo`: `sudo` in a `RUN`. Builds already run as root until a `USER` says otherwise;
//! `sudo` there only hides which user a step needs.

use crate::checks::builtins::docker::{basename, dockerfiles, run_commands};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-sudo",
    vars: &[],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for (_, command) in run_commands(parsed) {
            for word in &command.words {
                if basename(&word.value) == "sudo" {
                    hits.push(Hit::at(Location::span(&file.path, word.span.clone())));
                    break;
                }
                if !word.value.contains('=') {
                    // Only the command word position (after assignments) counts.
                    break;
                }
            }
        }
    }
    hits
}
