//! `gitlab-curl-pipe-shell`: a `script:`, `before_script:` or `after_script:` line of a GitLab
//! CI job that downloads a script and runs it in one go (`curl ... | sh`, `sh -c "$(curl ...)"`),
//! found by the same command understanding as `docker-curl-pipe-shell` and
//! `gha-curl-pipe-shell`. A line many jobs share (through `default:`, `extends:`, an anchor or
//! `!reference`) is reported once, where it is written.

use crate::checks::builtins::docker::piped_downloads;
use crate::checks::builtins::gitlab::{pipelines, unique};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-curl-pipe-shell",
    vars: &["downloader", "shell", "job"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for (job, line) in unique(&pipeline, |job| job.script_lines()) {
            for found in piped_downloads(&pipeline.commands(line)) {
                hits.push(
                    Hit::at(Location::span(pipeline.path(line.at()), found.span))
                        .var("downloader", found.downloader)
                        .var("shell", found.shell)
                        .var("job", job.name.as_str()),
                );
            }
        }
    }
    hits
}
