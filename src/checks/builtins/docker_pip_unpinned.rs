//! `docker-pip-unpinned`: `pip install` / `python -m pip install` / `uv pip install` /
//! `pipx install` / `uv tool install` (with `--from` and `--with`) / `uv add` of a package by name without an exact `==` pin, in any stage. `>=`, `~=` and
//! wildcards are not pins. Requirement files (`-r`), paths, URLs, archives and shell variables
//! are not judged here: the requirements checks judge the files.

use super::docker_commands::{
    dockerfiles, is_named_requirement, is_pinned, pip_install, requirement_name, requirement_text,
    run_commands,
};
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-pip-unpinned",
    vars: &["package", "requirement", "installer"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for (_, command) in run_commands(parsed) {
            let Some(install) = pip_install(&command) else {
                continue;
            };
            for target in install.requirements() {
                let requirement = requirement_text(target);
                if !is_named_requirement(requirement) || is_pinned(requirement) {
                    continue;
                }
                hits.push(
                    Hit::at(Location::span(&file.path, target.span.clone()))
                        .var("package", requirement_name(requirement))
                        .var("requirement", requirement)
                        .var("installer", install.installer.as_str()),
                );
            }
        }
    }
    hits
}
