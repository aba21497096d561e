//! `gitlab-debug-trace`: `CI_DEBUG_TRACE` or `CI_DEBUG_SERVICES` set to `true` in the pipeline
//! file. GitLab then prints every command with its expanded variables, masked ones included,
//! into the job log. The fix sets the value to `"false"` where it is written (safe: debug
//! logging is all it turns off).

use crate::checks::builtins::gitlab::{pipelines, variables};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "gitlab-debug-trace",
    vars: &["name"],
    params: &[],
    run,
};

const DEBUG_VARIABLES: &[&str] = &["CI_DEBUG_TRACE", "CI_DEBUG_SERVICES"];

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for pipeline in pipelines(ctx.project) {
        for variable in variables(&pipeline) {
            if !DEBUG_VARIABLES.contains(&variable.name)
                || !variable.value.trim().eq_ignore_ascii_case("true")
            {
                continue;
            }
            let at = variable.node.at();
            let location = pipeline.location(at);
            let mut hit = Hit::at(location.clone()).var("name", variable.name);
            if let Some(span) = location.span {
                hit = hit.edits(vec![Edit::replace(&location.path, span, "\"false\"")]);
            }
            hits.push(hit);
        }
    }
    hits
}
