//! `gha-pip-unpinned`: a `run:` step installing a package by name without an exact `==` pin
//! (`pip install`, `python -m pip install`, `uv pip install`, `pipx install`). Requirement
//! files (`-r`), paths (`.`, `-e .`), URLs and variables are not judged, as in
//! `docker-pip-unpinned`, whose command understanding this shares.

use super::docker_commands::{
    install_targets, is_named_requirement, is_pinned, pip_install, requirement_name,
};
use super::gha::{files, scripts, shell_script_commands};
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-pip-unpinned",
    vars: &["package", "requirement", "installer"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for gha in files(ctx.project, true) {
        for script in scripts(&gha) {
            for command in shell_script_commands(&script) {
                let Some(install) = pip_install(&command) else {
                    continue;
                };
                for target in install_targets(install.args) {
                    if !is_named_requirement(&target.value) || is_pinned(&target.value) {
                        continue;
                    }
                    hits.push(
                        Hit::at(Location::span(gha.path(), target.span.clone()))
                            .var("package", requirement_name(&target.value))
                            .var("requirement", target.value.as_str())
                            .var("installer", install.installer.as_str()),
                    );
                }
            }
        }
    }
    hits
}
