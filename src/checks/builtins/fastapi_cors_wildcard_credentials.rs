//! `fastapi-cors-wildcard-credentials`: `add_middleware(CORSMiddleware, ...)` allowing any
//! origin (`allow_origins=["*"]`, or an `allow_origin_regex` matching everything) together with
//! `allow_credentials=True`. The fix reads the origins from a comma-separated environment
//! variable instead of `["*"]` (a match-everything regex has no such obvious replacement).

use super::flask_setting::import_os;
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "fastapi-cors-wildcard-credentials",
    vars: &["origins", "env"],
    params: &["env-var"],
    run,
};

const MATCH_ALL: &[&str] = &[".*", "^.*$", ".+", "^.+$", "^.*", ".*$"];

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let var = ctx.param_str("env-var").unwrap_or("CORS_ALLOWED_ORIGINS");
    let source = format!("os.environ[\"{var}\"].split(\",\")");
    let mut hits = Vec::new();
    for module in ctx.flask_modules() {
        for call in &module.calls {
            if call.method() != "add_middleware"
                || !call
                    .arg_texts
                    .first()
                    .is_some_and(|a| a.ends_with("CORSMiddleware"))
            {
                continue;
            }
            let credentials = call
                .kwarg("allow_credentials")
                .is_some_and(|k| k.value.when_unset().and_then(|v| v.truthy()) == Some(true));
            if !credentials {
                continue;
            }
            let origins = call.kwarg("allow_origins").filter(|k| {
                k.value
                    .when_unset()
                    .and_then(|v| v.items())
                    .is_some_and(|items| items.iter().any(|i| i.as_str() == Some("*")))
            });
            let regex = call.kwarg("allow_origin_regex").filter(|k| {
                k.value
                    .when_unset()
                    .and_then(|v| v.as_str())
                    .is_some_and(|s| MATCH_ALL.contains(&s))
            });
            let Some(kwarg) = origins.or(regex) else {
                continue;
            };
            let shown = kwarg
                .value
                .when_unset()
                .map(crate::checks::matchers::django_setting::python_repr)
                .unwrap_or_default();
            let mut hit = Hit::at(Location::span(&module.path, kwarg.span.clone()))
                .var("origins", shown)
                .var("env", var);
            if origins.is_some() {
                let mut edits = vec![Edit::replace(
                    &module.path,
                    kwarg.span.clone(),
                    source.as_str(),
                )];
                edits.extend(import_os(module, &source));
                hit = hit.edits(edits);
            }
            hits.push(hit);
        }
    }
    hits
}
