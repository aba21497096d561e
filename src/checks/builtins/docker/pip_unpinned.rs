//! `docker-pip-unpinned`: `pip install` / `python -m pip install` / `uv pip install` /
//! `pipx install` / `uv tool install` (with `--from` and `--with`) / `uv add` of a package by name without an exact `==` pin, in any stage. `>=`, `~=` and
//! wildcards are not pins. Requirement files (`-r`), paths, URLs, archives and shell variables
//! are not judged here: the requirements checks judge the files.

use crate::checks::builtins::docker::{dockerfiles, run_commands, unpinned_install_hits};
use crate::checks::builtins::{Builtin, CappedHits, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-pip-unpinned",
    vars: &["package", "requirement", "installer"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = CappedHits::default();
    for (file, parsed) in dockerfiles(ctx.project) {
        for (_, command) in run_commands(parsed) {
            unpinned_install_hits(&file.path, &command, &mut hits);
        }
    }
    hits.into_hits()
}
