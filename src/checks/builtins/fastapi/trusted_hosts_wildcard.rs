//! `fastapi-trusted-hosts-wildcard`: `add_middleware(TrustedHostMiddleware,
//! allowed_hosts=[..., "*", ...])`, or a value that is such a list when its variable is unset.
//! Starlette accepts every Host header as soon as `"*"` is one of the allowed hosts, so the
//! middleware is there but does nothing. No fix: the host names are the project's to choose.

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::checks::matchers::django_setting::python_repr;
use crate::finding::Location;
use crate::formats::python::Value;

pub const BUILTIN: Builtin = Builtin {
    name: "fastapi-trusted-hosts-wildcard",
    vars: &["value", "env"],
    params: &[],
    run,
};

/// Whether a list of hosts (or a comma-separated string of them) holds `*`.
fn allows_any(value: &Value) -> bool {
    match value.as_str() {
        Some(text) => text.split(',').any(|h| h.trim() == "*"),
        None => value
            .items()
            .is_some_and(|items| items.iter().any(|i| i.as_str() == Some("*"))),
    }
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for module in ctx.flask_modules() {
        for call in &module.calls {
            if call.method() != "add_middleware"
                || !call
                    .arg_texts
                    .first()
                    .is_some_and(|a| a.ends_with("TrustedHostMiddleware"))
            {
                continue;
            }
            let Some(hosts) = call.kwarg("allowed_hosts") else {
                continue;
            };
            let Some(unset) = hosts.value.when_unset().filter(|v| allows_any(v)) else {
                continue;
            };
            hits.push(
                Hit::at(Location::span(&module.path, hosts.span.clone()))
                    .var("value", python_repr(unset))
                    .var("env", hosts.value.env_var().unwrap_or("").to_string()),
            );
        }
    }
    hits
}
