//! `gha-template-injection-unknown-origin`: a `${{ }}` expanded into a `run:` script (or
//! github-script's `script:`) that relays a value whose source harden cannot read: an
//! action's output, a matrix computed by an expression, an `env` variable nothing in the
//! workflow sets, an input no trigger declares. Low confidence, strict only: the detection and
//! the fix are `gha-template-injection`'s (see that module).

use crate::checks::builtins::gha::template_injection::hits;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::formats::workflow::taint::Taint;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-template-injection-unknown-origin",
    vars: &["expression", "context", "field", "name"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    hits(ctx, Taint::Unknown)
}
