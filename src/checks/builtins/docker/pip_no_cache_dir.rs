//! `docker-pip-no-cache-dir`: `pip install` (or `python -m pip install`) without
//! `--no-cache-dir`, in any stage, unless `PIP_NO_CACHE_DIR` is set in the stage (or a stage it
//! builds on) or the `RUN` mounts a cache over `/root/.cache`. The fix adds the flag right
//! after `install`.

use crate::checks::builtins::docker::{
    Installer, chain, dockerfiles, has_cache_mount, has_option, is_truthy, pip_install,
    run_commands, variables,
};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-pip-no-cache-dir",
    vars: &[],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for (instruction, command) in run_commands(parsed) {
            let Some(install) = pip_install(&command) else {
                continue;
            };
            if install.installer != Installer::Pip
                || has_option(install.args, "--no-cache-dir", None)
                || has_cache_mount(instruction, "/root/.cache/pip")
            {
                continue;
            }
            let stage = instruction.stage.unwrap_or(0);
            let disabled_by_env = chain(parsed, stage).into_iter().any(|s| {
                variables(
                    parsed
                        .stage_instructions(s)
                        .filter(|i| i.span.start < instruction.span.start),
                )
                .iter()
                .any(|(name, value)| {
                    name.value == "PIP_NO_CACHE_DIR"
                        && value
                            .as_ref()
                            .is_some_and(|v| is_truthy(&v.value) || v.value == "off")
                })
            });
            if disabled_by_env {
                continue;
            }
            let at = install.install.span.end;
            hits.push(
                Hit::at(Location::span(&file.path, install.install.span.clone()))
                    .edits(vec![Edit::insert(&file.path, at, " --no-cache-dir")]),
            );
        }
    }
    hits
}
