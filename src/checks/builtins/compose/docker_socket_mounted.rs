//! `compose-docker-socket-mounted`: an application service of a production compose file
//! mounts the Docker socket, which gives it root on the host.

use crate::checks::builtins::compose::{image_name, production_compose};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::compose::Service;

pub const BUILTIN: Builtin = Builtin {
    name: "compose-docker-socket-mounted",
    vars: &["service", "source"],
    params: &["socket-tools"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let tools = ctx.param_strings("socket-tools");
    let mut hits = Vec::new();
    for (file, yaml, services) in production_compose(ctx.project) {
        for service in services.iter().filter(|s| !is_socket_tool(s, &tools)) {
            for mount in service
                .volumes
                .iter()
                .filter(|m| is_docker_socket(&m.source))
            {
                let Some(span) = yaml.value_span(&mount.steps) else {
                    continue;
                };
                hits.push(
                    Hit::at(Location::span(&file.path, span))
                        .var("service", service.name.as_str())
                        .var("source", mount.source.as_str())
                        .fingerprint(service.name.clone()),
                );
            }
        }
    }
    hits
}

fn is_docker_socket(source: &str) -> bool {
    let source = source.trim_end_matches('/');
    source.ends_with("/docker.sock") || source.ends_with("/podman.sock")
}

/// Infrastructure images whose job needs the socket (reverse proxies that discover
/// containers, update and monitoring agents): they are not the application. A service built
/// from the project (`build:`) always is.
fn is_socket_tool(service: &Service, tools: &[String]) -> bool {
    if service.build_context.is_some() {
        return false;
    }
    let Some(image) = service.image.as_deref() else {
        return false;
    };
    let name = image_name(image).to_lowercase();
    tools
        .iter()
        .any(|t| name == *t || name.starts_with(&format!("{t}-")))
}
