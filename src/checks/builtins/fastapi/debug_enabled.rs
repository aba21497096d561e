//! `fastapi-debug-enabled`: `FastAPI(debug=True)` (or a debug argument that is true when its
//! variable is unset), and a production pydantic settings class whose `debug` field defaults
//! to true: FastAPI projects keep the flag in their settings and pass it on
//! (`FastAPI(debug=settings.DEBUG)`), so the settings default is what a deployment gets.

use crate::checks::builtins::python::call_kwarg::Spec;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::checks::matchers::django_setting::python_repr;
use crate::finding::Location;
use crate::fix::Edit;
use crate::project::flask::AppModule;
use crate::project::pydantic_settings;

pub const BUILTIN: Builtin = Builtin {
    name: "fastapi-debug-enabled",
    vars: &["callee", "kwarg", "value", "env", "field", "place"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let modules = ctx.flask_modules();
    if !modules.iter().any(AppModule::is_fastapi) {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = Spec {
        callees: vec!["FastAPI".to_string(), "fastapi.FastAPI".to_string()],
        framework: "fastapi".to_string(),
        kwarg: "debug".to_string(),
        bad_values: Vec::new(),
        fix_value: "False".to_string(),
    }
    .hits(ctx.project, modules)
    .into_iter()
    .map(|h| h.var("field", "").var("place", ""))
    .collect();
    let model = pydantic_settings::read(ctx.project);
    for (class, field, settings) in model.judged_fields() {
        {
            if !field.name.eq_ignore_ascii_case("debug") {
                continue;
            }
            let (Some(default), Some(span)) = (&field.default, &field.default_span) else {
                continue;
            };
            let Some(unset) = default.when_unset() else {
                continue;
            };
            if default.is_required_env() || unset.truthy() != Some(true) {
                continue;
            }
            let env = model
                .env_name(settings, field)
                .or_else(|| default.env_var().map(str::to_string))
                .unwrap_or_default();
            let mut hit = Hit::at(Location::span(&class.path, span.clone()))
                .var("callee", "")
                .var("kwarg", "")
                .var("value", python_repr(unset))
                .var("env", env)
                .var("field", field.name.as_str())
                .var("place", class.name.as_str())
                .fingerprint(format!("{}.{}", class.name, field.name));
            // A literal default becomes False; a default that reads another variable
            // (`os.getenv("APP_DEBUG", "1") == "1"`) is left to the project.
            if default.env_var().is_none() {
                hit = hit.edits(vec![Edit::replace(&class.path, span.clone(), "False")]);
            }
            hits.push(hit);
        }
    }
    hits
}
