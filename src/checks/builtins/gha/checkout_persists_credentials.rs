//! `gha-checkout-persists-credentials`: an `actions/checkout` step without
//! `persist-credentials: false`, which leaves the job's token in `.git/config` for every later
//! step (and for any artifact that uploads the checkout). The fix adds the input.

use crate::checks::builtins::gha::{files, uses_action};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::yaml::{self, Value};

pub const BUILTIN: Builtin = Builtin {
    name: "gha-checkout-persists-credentials",
    vars: &["value"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for gha in files(ctx.project, true) {
        for at in gha.model.steps() {
            if !uses_action(&at, "actions/checkout") {
                continue;
            }
            let value = at.step.input("persist-credentials");
            // NOTE: an expression (`${{ inputs.persist }}`) is decided when the job runs: not
            // judged.
            if value
                .as_deref()
                .is_some_and(|v| v.trim().eq_ignore_ascii_case("false") || v.contains("${{"))
            {
                continue;
            }
            let span = gha.yaml.value_span(&at.key("uses")).unwrap_or(0..0);
            let mut hit = Hit::at(Location::span(gha.path(), span))
                .var("value", value.as_deref().unwrap_or(""));
            // NOTE: an explicit `persist-credentials: true` (or an expression) is a choice the
            // author made: reported, but not overwritten.
            if value.is_none() {
                let mut expected = gha.yaml.value.clone();
                let with = at.key("with");
                let op = match yaml::value_at(&gha.yaml.value, &with) {
                    Some(Value::Mapping(_)) => {
                        if let Some(Value::Mapping(m)) = yaml::value_at_mut(&mut expected, &with) {
                            m.insert("persist-credentials".into(), Value::Bool(false));
                        }
                        Some((
                            with,
                            yamlpatch::Op::Add {
                                key: "persist-credentials".into(),
                                value: Value::Bool(false),
                            },
                        ))
                    }
                    None => {
                        let mut inputs = yaml_serde::Mapping::new();
                        inputs.insert("persist-credentials".into(), Value::Bool(false));
                        if let Some(Value::Mapping(m)) =
                            yaml::value_at_mut(&mut expected, &at.route())
                        {
                            m.insert("with".into(), Value::Mapping(inputs.clone()));
                        }
                        Some((
                            at.route(),
                            yamlpatch::Op::Add {
                                key: "with".into(),
                                value: Value::Mapping(inputs),
                            },
                        ))
                    }
                    _ => None,
                };
                if let Some(new) = op.and_then(|op| gha.yaml.patch_expecting(vec![op], &expected)) {
                    hit = hit.edits(gha.rewrite(&new));
                }
            }
            hits.push(hit);
        }
    }
    hits
}
