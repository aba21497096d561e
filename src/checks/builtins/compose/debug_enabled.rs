//! `compose-debug-enabled`: a service of a production compose file turns a framework's debug
//! mode on in its `environment:` (`DEBUG=1`, `DJANGO_DEBUG=True`, `FLASK_DEBUG=1`).

use crate::checks::builtins::compose::{is_on, production_compose};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "compose-debug-enabled",
    vars: &["service", "name", "value"],
    params: &["debug-variables"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let names = ctx.param_strings("debug-variables");
    let mut hits = Vec::new();
    for (file, yaml, services) in production_compose(ctx.project) {
        for service in &services {
            for var in service
                .environment
                .iter()
                .filter(|v| names.iter().any(|n| n.eq_ignore_ascii_case(&v.name)))
            {
                let Some(value) = var.value.as_deref().filter(|v| is_on(v)) else {
                    continue;
                };
                let Some(span) = yaml.value_span(&var.steps) else {
                    continue;
                };
                hits.push(
                    Hit::at(Location::span(&file.path, span))
                        .var("service", service.name.as_str())
                        .var("name", var.name.as_str())
                        .var("value", value)
                        .fingerprint(format!("{} {}", service.name, var.name)),
                );
            }
        }
    }
    hits
}
