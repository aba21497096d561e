//! `gitlab-pip-unpinned`: a GitLab CI script line installing a package by name without an
//! exact `==` pin (`pip install`, `python -m pip install`, `uv pip install`, `uv tool install`,
//! `pipx install`). Requirement files, paths, URLs and variables are not judged, as in
//! `docker-pip-unpinned` and `gha-pip-unpinned`, whose command understanding this shares.

use crate::checks::builtins::docker::unpinned_install_hits;
use crate::checks::builtins::gitlab::{pipelines, unique};
use crate::checks::builtins::{Builtin, CappedHits, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-pip-unpinned",
    vars: &["package", "requirement", "installer"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = CappedHits::default();
    for pipeline in pipelines(ctx.project) {
        for (_, line) in unique(&pipeline, |job| job.script_lines()) {
            let path = pipeline.path(line.at());
            for command in pipeline.commands(line) {
                unpinned_install_hits(path, &command, &mut hits);
            }
        }
    }
    hits.into_hits()
}
