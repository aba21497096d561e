//! `gha-curl-pipe-shell`: a `run:` step that downloads a script and runs it in one go
//! (`curl ... | sh`, `wget -O- ... | bash`, `curl ... | python`, `sh -c "$(curl ...)"`), as
//! `docker-curl-pipe-shell` finds them in Dockerfiles.

use crate::checks::builtins::docker::piped_downloads;
use crate::checks::builtins::gha::{files, scripts, shell_script_commands};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-curl-pipe-shell",
    vars: &["downloader", "shell"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for gha in files(ctx.project, true) {
        for script in scripts(&gha) {
            for found in piped_downloads(&shell_script_commands(&script)) {
                hits.push(
                    Hit::at(Location::span(gha.path(), found.span))
                        .var("downloader", found.downloader)
                        .var("shell", found.shell),
                );
            }
        }
    }
    hits
}
