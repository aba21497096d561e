//! `gha-insecure-commands`: `ACTIONS_ALLOW_UNSECURE_COMMANDS` set in a workflow's, a job's or
//! a step's `env:` (any value but `false`), which turns the removed `::set-env` and
//! `::add-path` workflow commands back on. The fix removes the variable (or the whole `env:`
//! when it was the only entry).

use crate::checks::builtins::gha::files;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::yaml::{self, Step, Value, YamlFile};

pub const BUILTIN: Builtin = Builtin {
    name: "gha-insecure-commands",
    vars: &["scope"],
    params: &[],
    run,
};

const NAME: &str = "ACTIONS_ALLOW_UNSECURE_COMMANDS";

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for gha in files(ctx.project, true) {
        let mut envs: Vec<(Vec<Step>, String)> = Vec::new();
        if let Some(workflow) = gha.model.workflow() {
            envs.push((vec![Step::Key("env".into())], "the workflow".into()));
            for job in &workflow.jobs {
                envs.push((
                    vec![
                        Step::Key("jobs".into()),
                        Step::Key(job.id.clone()),
                        Step::Key("env".into()),
                    ],
                    format!("job `{}`", job.id),
                ));
            }
        }
        for at in gha.model.steps() {
            let label = match (at.job, &at.step.name) {
                (_, Some(name)) => format!("step `{name}`"),
                (Some(job), None) => format!("step {} of job `{}`", at.index + 1, job.id),
                (None, None) => format!("step {}", at.index + 1),
            };
            envs.push((at.key("env"), label));
        }
        envs.sort_by_key(|(route, _)| gha.yaml.value_span(route).map_or(0, |s| s.start));
        for (env, scope) in envs {
            let Some(Value::Mapping(map)) = yaml::value_at(&gha.yaml.value, &env) else {
                continue;
            };
            let Some(value) = map.get(NAME) else {
                continue;
            };
            let off = match value {
                Value::Bool(b) => !b,
                Value::String(s) => s.trim().eq_ignore_ascii_case("false"),
                _ => false,
            };
            if off {
                continue;
            }
            let mut key = env.clone();
            key.push(Step::Key(NAME.into()));
            let span = gha.yaml.key_span(&key).unwrap_or(0..0);
            let mut hit = Hit::at(Location::span(gha.path(), span)).var("scope", scope);
            if let Some(new) = remove(gha.yaml, &env, map.len() == 1) {
                hit = hit.edits(gha.rewrite(&new));
            }
            hits.push(hit);
        }
    }
    hits
}

fn remove(yaml: &YamlFile, env: &[Step], only: bool) -> Option<String> {
    let mut expected = yaml.value.clone();
    let route = if only {
        let (_, parent) = env.split_last()?;
        yaml::value_at_mut(&mut expected, parent)?
            .as_mapping_mut()?
            .shift_remove("env")?;
        env.to_vec()
    } else {
        yaml::value_at_mut(&mut expected, env)?
            .as_mapping_mut()?
            .shift_remove(NAME)?;
        let mut route = env.to_vec();
        route.push(Step::Key(NAME.into()));
        route
    };
    yaml.patch_expecting(vec![(route, yamlpatch::Op::Remove)], &expected)
}
