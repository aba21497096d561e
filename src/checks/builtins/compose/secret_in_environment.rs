//! `compose-secret-in-environment`: a production compose file writes a secret in a service's
//! `environment:` (a name that says secret with a real value, or a credential value).

use crate::checks::builtins::compose::production_compose;
use crate::checks::builtins::secret::holds_secret;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "compose-secret-in-environment",
    vars: &["service", "name"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, yaml, services) in production_compose(ctx.project) {
        for service in &services {
            for var in &service.environment {
                let Some(value) = var.value.as_deref() else {
                    continue;
                };
                if !holds_secret(&var.name, value) {
                    continue;
                }
                let Some(span) = yaml.value_span(&var.steps) else {
                    continue;
                };
                // The value is read from the deployment's environment instead, and Compose
                // refuses to start when it is unset (`:?`), so no empty secret slips through.
                let reference = format!("${{{}:?}}", var.name);
                let replacement = if var.list_form {
                    format!("\"{}={reference}\"", var.name)
                } else {
                    format!("\"{reference}\"")
                };
                // NOTE: located on the value, but the message names the variable only: the
                // value is the secret.
                hits.push(
                    Hit::at(Location::span(&file.path, span.clone()))
                        .var("service", service.name.as_str())
                        .var("name", var.name.as_str())
                        .fingerprint(format!("{} {}", service.name, var.name))
                        .edits(vec![Edit::replace(&file.path, span, replacement)]),
                );
            }
        }
    }
    hits
}
