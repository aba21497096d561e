//! `compose-privileged`: a service of a production compose file runs with `privileged: true`.

use crate::checks::builtins::compose::production_compose;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "compose-privileged",
    vars: &["service"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, yaml, services) in production_compose(ctx.project) {
        for service in services.iter().filter(|s| s.privileged) {
            let Some(span) = yaml.value_span(&service.key_steps("privileged")) else {
                continue;
            };
            hits.push(
                Hit::at(Location::span(&file.path, span))
                    .var("service", service.name.as_str())
                    .fingerprint(service.name.clone()),
            );
        }
    }
    hits
}
