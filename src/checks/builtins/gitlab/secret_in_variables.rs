//! `gitlab-secret-in-variables`: a `variables:` entry of a GitLab CI file whose name says it
//! holds a secret (`*_TOKEN`, `*_PASSWORD`, `*_KEY`, ...; parameter `name-pattern`) and whose
//! value is a literal: the secret is in the repository, readable by everyone who can read it,
//! and in every fork. Placeholders, references to other variables (`$X`), paths, and names of
//! files or non-secret keys (`*_FILE`, `*_PATH`, `*_PUBLIC_KEY`, `*_KEY_ID`) are fine. The
//! finding points at the name, so no output quotes the value.

use std::cell::LazyCell;

use crate::checks::builtins::gitlab::{pipelines, variables};
use crate::checks::builtins::secret::is_placeholder;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-secret-in-variables",
    vars: &["name"],
    params: &["name-pattern", "not-secret-pattern"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    // Compiled on the first variable, not on every run.
    let patterns = LazyCell::new(|| {
        Some((
            ctx.param_regex("name-pattern")?,
            ctx.param_regex("not-secret-pattern")?,
        ))
    });
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        let service_images = service_images(&pipeline);
        for variable in variables(&pipeline) {
            // `POSTGRES_PASSWORD` for a `services: [postgres]` database: the throwaway test
            // database the job starts, reachable only from the job.
            if let Some(image) = DATABASE_SERVICES
                .iter()
                .find(|(prefix, _)| variable.name.starts_with(prefix))
                .map(|(_, image)| *image)
                && service_images.iter().any(|s| s == image)
            {
                continue;
            }
            let value = variable.value.trim();
            let literal = !is_placeholder(value)
                && !value.contains('$')
                && !value.starts_with('/')
                && !matches!(value.to_ascii_lowercase().as_str(), "true" | "false");
            let Some((secret, not_secret)) = patterns.as_ref() else {
                return Vec::new();
            };
            if !literal || !secret.is_match(variable.name) || not_secret.is_match(variable.name) {
                continue;
            }
            let at = variable.node.at();
            // The key of the entry: `NAME:` (or, for `NAME: {value: ...}`, still `NAME:`).
            let mut route = at.route.clone();
            if route.last() == Some(&crate::formats::yaml::Step::Key("value".into())) {
                route.pop();
            }
            let path = pipeline.path(at);
            let location = pipeline
                .yamls
                .get(at.source)
                .and_then(|y| y.key_span(&route))
                .map_or_else(|| Location::file(path), |span| Location::span(path, span));
            hits.push(
                Hit::at(location)
                    .var("name", variable.name)
                    .fingerprint(variable.name.to_string()),
            );
        }
    }
    hits
}

/// Variable prefixes a database image reads at start-up, with the image.
const DATABASE_SERVICES: &[(&str, &str)] = &[
    ("POSTGRES_", "postgres"),
    ("PGPASSWORD", "postgres"),
    ("MYSQL_", "mysql"),
    ("MARIADB_", "mariadb"),
    ("MONGO_INITDB_", "mongo"),
    ("REDIS_", "redis"),
];

/// The images (repository name without registry, namespace or tag: `postgres`) that the
/// pipeline's jobs start as `services:`.
fn service_images(pipeline: &crate::checks::builtins::gitlab::GitlabPipeline<'_>) -> Vec<String> {
    let mut out = Vec::new();
    for job in &pipeline.pipeline.jobs {
        for service in job.get("services").map(|s| s.items()).unwrap_or_default() {
            let reference = service
                .as_str()
                .or_else(|| service.get("name").and_then(|n| n.as_str()));
            if let Some(reference) = reference {
                let name = reference.rsplit('/').next().unwrap_or(reference);
                let name = name.split([':', '@']).next().unwrap_or(name);
                out.push(name.to_ascii_lowercase());
            }
        }
    }
    out
}
