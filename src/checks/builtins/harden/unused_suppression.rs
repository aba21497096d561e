//! `harden-unused-suppression`: the engine judges suppressions after every other check has
//! run (whether one is used depends on their findings), in `suppress::audit`; this builtin only
//! declares the check's variables and parameters, and finds nothing on its own.

use crate::checks::builtins::{Builtin, Ctx, Hit};

pub const BUILTIN: Builtin = Builtin {
    name: "unused-suppression",
    vars: &["problem", "fix_title"],
    params: &["require-reason"],
    run,
};

fn run(_: &Ctx<'_>) -> Vec<Hit> {
    Vec::new()
}
