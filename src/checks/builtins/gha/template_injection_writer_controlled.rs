//! `gha-template-injection-writer-controlled`: a `${{ }}` expanded into a `run:` script (or
//! github-script's `script:`) whose value is a branch or tag name that whoever pushes it
//! chooses (`github.ref_name` in a push or release workflow). Writing a ref takes write
//! access, so this is not an outsider's code as `gha-template-injection` reports; strict asks
//! for the same `env:` indirection, since a tag or branch called `$(...)` is valid git. The
//! detection and the fix are `gha-template-injection`'s (see that module).

use crate::checks::builtins::gha::template_injection::hits;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::formats::workflow::taint::Taint;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-template-injection-writer-controlled",
    vars: &["expression", "context", "field", "name"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    hits(ctx, Taint::Writer)
}
