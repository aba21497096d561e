//! `gitlab-pip-unpinned`: a GitLab CI script line installing a package by name without an
//! exact `==` pin (`pip install`, `python -m pip install`, `uv pip install`, `uv tool install`,
//! `pipx install`). Requirement files, paths, URLs and variables are not judged, as in
//! `docker-pip-unpinned` and `gha-pip-unpinned`, whose command understanding this shares.

use super::docker_commands::unpinned_install_hits;
use super::gitlab::{pipelines, unique};
use super::{Builtin, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-pip-unpinned",
    vars: &["package", "requirement", "installer"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for (_, line) in unique(&pipeline, |job| job.script_lines()) {
            let path = pipeline.path(line.at());
            for command in pipeline.commands(line) {
                hits.extend(unpinned_install_hits(path, &command));
            }
        }
    }
    hits
}
