//! `gitlab-artifacts-secrets`: a job's `artifacts: paths:` that uploads secret material: an
//! `.env` file, a private key or certificate bundle (`*.pem`, `*.key`, `*.p12`, `id_rsa`...).
//! Artifacts are downloadable by everyone who can see the pipeline (everyone, on a public
//! project, unless `artifacts: access:` narrows it) and are passed to later jobs. Globs that
//! can only match such files are judged by their last path segment.

use crate::checks::builtins::gitlab::{pipelines, unique};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::formats::gitlab_ci::{Job, Node};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-artifacts-secrets",
    vars: &["path", "job"],
    params: &[],
    run,
};

/// Whether an artifact path names secret material.
fn is_secret_path(path: &str) -> bool {
    let name = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or(path);
    let name = name.to_ascii_lowercase();
    let env = name == ".env" || (name.starts_with(".env.") && !is_env_template(&name));
    let keys = [".pem", ".key", ".p12", ".pfx", ".jks", ".keystore"]
        .iter()
        .any(|ext| name.ends_with(ext));
    let ssh = ["id_rsa", "id_dsa", "id_ecdsa", "id_ed25519"].contains(&name.as_str());
    env || keys || ssh
}

/// `.env.example` and friends are committed on purpose and hold no secret.
fn is_env_template(name: &str) -> bool {
    ["example", "sample", "template", "dist", "defaults"]
        .iter()
        .any(|m| name.split('.').any(|part| part == *m))
}

fn secret_artifacts(job: &Job) -> Vec<&Node> {
    job.get("artifacts")
        .and_then(|a| a.get("paths"))
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|p| p.as_str().is_some_and(is_secret_path))
        .collect()
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for (job, node) in unique(&pipeline, secret_artifacts) {
            hits.push(
                Hit::at(pipeline.location(node.at()))
                    .var("path", node.as_str().unwrap_or_default())
                    .var("job", job.name.as_str()),
            );
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    #[test]
    fn secret_paths() {
        for path in [
            ".env",
            "deploy/.env.production",
            "certs/*.pem",
            "tls.key",
            "id_rsa",
        ] {
            assert!(super::is_secret_path(path), "{path}");
        }
        for path in [
            "dist/",
            "coverage.xml",
            ".env.example",
            "keys/",
            "public/keys.json",
        ] {
            assert!(!super::is_secret_path(path), "{path}");
        }
    }
}
