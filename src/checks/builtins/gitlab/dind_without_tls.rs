//! `gitlab-dind-without-tls`: a job with a Docker-in-Docker service (`docker:dind`,
//! `docker:27-dind`) and `DOCKER_TLS_CERTDIR: ""`, which turns TLS off: the Docker daemon,
//! which runs privileged, then listens unauthenticated on plain TCP (port 2375) to anything on
//! the runner's network. Reported at the empty `DOCKER_TLS_CERTDIR`.

use crate::checks::builtins::gitlab::{pipelines, unique};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::formats::dockerfile::split_reference;
use crate::formats::gitlab_ci::{Job, Node, variables_of};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-dind-without-tls",
    vars: &["job", "service"],
    params: &[],
    run,
};

fn is_dind(image: &str) -> bool {
    let (name, tag, _) = split_reference(image);
    let name = name.rsplit('/').next().unwrap_or(name);
    name == "docker" && tag.is_some_and(|t| t.contains("dind"))
}

fn empty_tls_certdir(job: &Job) -> Vec<&Node> {
    let services = job.get("services").map(Node::items).unwrap_or_default();
    let Some(dind) = services.iter().find(|s| {
        let name = match s {
            Node::Map(..) => s.get("name").and_then(Node::as_str),
            other => other.as_str(),
        };
        name.is_some_and(is_dind)
    }) else {
        return Vec::new();
    };
    // The service's own variables win over the job's.
    let setting = variables_of(dind.get("variables"))
        .into_iter()
        .chain(job.variables())
        .find(|(name, _, _)| *name == "DOCKER_TLS_CERTDIR");
    match setting {
        Some((_, value, node)) if value.trim().is_empty() => vec![node],
        _ => Vec::new(),
    }
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for (job, node) in unique(&pipeline, empty_tls_certdir) {
            hits.push(
                Hit::at(pipeline.location(node.at()))
                    .var("job", job.name.as_str())
                    .var("service", "docker:dind"),
            );
        }
    }
    hits
}
