//! `gitlab-include-unpinned`: an `include:` of configuration from outside the repository that
//! can change under the pipeline: another project's file at a branch or tag (or its default
//! branch), a remote URL without an `integrity:` hash, or a CI/CD component at a version
//! rather than a commit SHA. The included jobs run with the project's variables and tokens.
//! GitLab's own `template:`s ship with the GitLab instance and are not judged, nor are local
//! files.

use crate::checks::builtins::gitlab::pipelines;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::formats::gitlab_ci::{At, IncludeKind, is_commit_sha};

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-include-unpinned",
    vars: &["include", "reason"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for include in &pipeline.includes {
            let (name, reason) = match &include.kind {
                IncludeKind::Project {
                    project, git_ref, ..
                } => match git_ref {
                    Some(r) if is_commit_sha(r) => continue,
                    Some(r) => (project.clone(), format!("`ref: {r}` can be moved")),
                    None => (
                        project.clone(),
                        "no `ref:`: it follows the project's default branch".to_string(),
                    ),
                },
                IncludeKind::Remote {
                    url,
                    integrity: false,
                } => (
                    url.clone(),
                    "a remote URL without an `integrity:` hash".to_string(),
                ),
                IncludeKind::Component(component) => {
                    let version = component.rsplit_once('@').map(|(_, v)| v);
                    match version {
                        Some(v) if is_commit_sha(v) => continue,
                        Some(v) => (component.clone(), format!("version `{v}` can be moved")),
                        None => (component.clone(), "no version".to_string()),
                    }
                }
                _ => continue,
            };
            let at = match &include.pin_route {
                Some(route) => At {
                    source: include.at.source,
                    route: route.clone(),
                },
                None => include.at.clone(),
            };
            hits.push(
                Hit::at(pipeline.location(&at))
                    .var("include", name)
                    .var("reason", reason),
            );
        }
    }
    hits
}
