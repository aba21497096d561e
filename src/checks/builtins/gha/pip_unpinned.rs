//! `gha-pip-unpinned`: a `run:` step installing a package by name without an exact `==` pin
//! (`pip install`, `python -m pip install`, `uv pip install`, `pipx install`). Requirement
//! files (`-r`), paths (`.`, `-e .`), URLs and variables are not judged, as in
//! `docker-pip-unpinned`, whose command understanding this shares.

use crate::checks::builtins::docker::unpinned_install_hits;
use crate::checks::builtins::gha::{files, scripts, shell_script_commands};
use crate::checks::builtins::{Builtin, CappedHits, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "gha-pip-unpinned",
    vars: &["package", "requirement", "installer"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = CappedHits::default();
    for gha in files(ctx.project, true) {
        for script in scripts(&gha) {
            for command in shell_script_commands(&script) {
                unpinned_install_hits(gha.path(), &command, &mut hits);
            }
        }
    }
    hits.into_hits()
}
