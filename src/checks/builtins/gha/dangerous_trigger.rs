//! `gha-dangerous-trigger`: a workflow run by `pull_request_target` or `workflow_run` (which
//! run with the base repository's secrets and a write token) that checks out the pull
//! request's code: `actions/checkout` with a `ref:` naming the PR head or a `refs/pull/` ref,
//! or a `run:` doing `gh pr checkout` / fetching `pull/N/head`. Such a workflow runs code from
//! any fork with those privileges. Without such a checkout the trigger alone does not fire.

use crate::checks::builtins::gha::{files, scripts, uses_action};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::workflow::expr;
use crate::formats::yaml::Step;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-dangerous-trigger",
    vars: &["trigger", "what"],
    params: &[],
    run,
};

const TRIGGERS: &[&str] = &["pull_request_target", "workflow_run"];

/// Contexts that name the pull request's (or the triggering run's) head.
fn names_pr_head(text: &str) -> bool {
    if text.contains("refs/pull/") {
        return true;
    }
    expr::find(text).iter().any(|e| {
        expr::contexts(e.body).iter().any(|c| {
            matches!(
                c.as_str(),
                "github.head_ref"
                    | "github.event.pull_request.head.sha"
                    | "github.event.pull_request.head.ref"
                    | "github.event.pull_request.merge_commit_sha"
                    | "github.event.pull_request.number"
                    | "github.event.number"
                    | "github.event.workflow_run.head_sha"
                    | "github.event.workflow_run.head_branch"
                    | "github.event.pull_request.head.repo.full_name"
                    | "github.event.workflow_run.head_repository.full_name"
            )
        })
    })
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for gha in files(ctx.project, false) {
        let Some(workflow) = gha.model.workflow() else {
            continue;
        };
        let Some(trigger) = TRIGGERS.iter().find(|t| workflow.triggered_by(t)) else {
            continue;
        };
        let trigger_span = on_trigger_span(&gha, trigger);
        let mut found: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for at in gha.model.steps() {
            if !uses_action(&at, "actions/checkout") {
                continue;
            }
            for input in ["ref", "repository"] {
                if let Some(value) = at.step.input(input)
                    && names_pr_head(&value)
                {
                    let mut route = at.key("with");
                    route.push(Step::Key(input.into()));
                    if let Some(span) = gha.yaml.value_span(&route) {
                        found.push((span, format!("`actions/checkout` with `{input}: {value}`")));
                        break;
                    }
                }
            }
        }
        for script in scripts(&gha) {
            let text = &script.map.text;
            for needle in ["gh pr checkout", "pull/${{", "refs/pull/"] {
                if let Some(i) = text.find(needle) {
                    let line_end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                    found.push((
                        script.map.span_of(i..line_end),
                        format!("`{}`", text[i..line_end].trim()),
                    ));
                    break;
                }
            }
        }
        for (span, what) in found {
            let mut hit = Hit::at(Location::span(gha.path(), span))
                .var("trigger", *trigger)
                .var("what", what);
            if let Some(at) = &trigger_span {
                hit = hit.related(
                    Location::span(gha.path(), at.clone()),
                    format!("triggered by `{trigger}`"),
                );
            }
            hits.push(hit);
        }
    }
    hits
}

fn on_trigger_span(
    gha: &crate::checks::builtins::gha::GhaFile<'_>,
    trigger: &str,
) -> Option<std::ops::Range<usize>> {
    gha.yaml
        .key_span(&[Step::Key("on".into()), Step::Key(trigger.into())])
        .or_else(|| gha.yaml.value_span(&[Step::Key("on".into())]))
}
