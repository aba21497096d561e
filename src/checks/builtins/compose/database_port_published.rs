//! `compose-database-port-published`: a database or cache service of a production compose
//! file publishes its port on every interface of the host (`"5432:5432"`).

use crate::checks::builtins::compose::{image_name, is_data_store, production_compose};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "compose-database-port-published",
    vars: &["service", "image", "port", "bound"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, yaml, services) in production_compose(ctx.project) {
        for service in services.iter().filter(|s| is_data_store(s)) {
            for port in service.ports.iter().filter(|p| p.on_all_interfaces()) {
                let Some(span) = yaml.value_span(&port.steps) else {
                    continue;
                };
                let written = &file.text().map_or("", |t| &t.content)[span.clone()];
                let shown = if port.long {
                    format!(
                        "{}:{}",
                        port.published.as_deref().unwrap_or(""),
                        port.target
                    )
                } else {
                    port.text.clone()
                };
                // The short syntax gets the loopback address in front: `127.0.0.1:5432:5432`,
                // or `127.0.0.1::5432` when Compose picks the host port. The long syntax is
                // left to the user (a new key in a flow or block map).
                let bound = match (&port.long, &port.host_ip, &port.published) {
                    (false, None, Some(published)) => {
                        Some(format!("127.0.0.1:{published}:{}", port.target))
                    }
                    (false, None, None) => Some(format!("127.0.0.1::{}", port.target)),
                    _ => None,
                };
                let mut hit = Hit::at(Location::span(&file.path, span.clone()))
                    .var("service", service.name.as_str())
                    .var("image", image_name(service.image.as_deref().unwrap_or("")))
                    .var("port", shown)
                    .var("bound", bound.clone().unwrap_or_default())
                    .fingerprint(format!("{} {}", service.name, port.target));
                if let Some(bound) = bound {
                    // Keep the user's single quotes; anything else gets double quotes.
                    let quote = if written.starts_with('\'') { '\'' } else { '"' };
                    hit = hit.edits(vec![Edit::replace(
                        &file.path,
                        span,
                        format!("{quote}{bound}{quote}"),
                    )]);
                }
                hits.push(hit);
            }
        }
    }
    hits
}
