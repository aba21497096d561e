//! `fastapi-cors-wildcard-credentials`: `add_middleware(CORSMiddleware, ...)` allowing any
//! origin (`allow_origins=["*"]`, or an `allow_origin_regex` matching everything) together with
//! `allow_credentials=True`. The fix reads the origins from a comma-separated environment
//! variable instead of `["*"]` (a match-everything regex has no such obvious replacement).
//!
//! Origins and credentials passed from a pydantic settings object
//! (`allow_origins=settings.BACKEND_CORS_ORIGINS`, a comprehension over it, or a computed
//! field combining such fields) are judged by the fields' defaults: `["*"]` (or `"*"`) there
//! is what a deployment that does not set the variable gets. Those are reported without a fix
//! (the default belongs to the settings class, the choice of origins to the project).

use crate::checks::builtins::flask::setting::import_os;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::python::{Value, ValueKind};
use crate::project::pydantic_settings::{SettingsClass, SettingsField, SettingsModel};

pub const BUILTIN: Builtin = Builtin {
    name: "fastapi-cors-wildcard-credentials",
    vars: &["origins", "env"],
    params: &["env-var"],
    run,
};

const MATCH_ALL: &[&str] = &[".*", "^.*$", ".+", "^.+$", "^.*", ".*$"];

/// A settings field a keyword argument reads (`settings.X`, `get_settings().X`), found by
/// the attribute names in the argument's source.
fn settings_fields<'m>(
    model: &'m SettingsModel,
    source: &str,
) -> Vec<(&'m SettingsClass, &'m SettingsField)> {
    let mut out = Vec::new();
    for (at, _) in source.match_indices('.') {
        let name: String = source[at + 1..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if name.is_empty() {
            continue;
        }
        for class in model.classes.iter().filter(|c| model.is_production(c)) {
            out.extend(model.fields_behind(class, &name));
        }
    }
    out
}

/// Whether a default allows every origin: `["*"]`, `"*"`, or a comma list holding `*`.
fn allows_any(value: &Value) -> bool {
    match &value.kind {
        ValueKind::Str(s) => s.split(',').any(|p| p.trim() == "*"),
        _ => value
            .items()
            .is_some_and(|items| items.iter().any(|i| i.as_str() == Some("*"))),
    }
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let var = ctx.param_str("env-var").unwrap_or("CORS_ALLOWED_ORIGINS");
    let source = format!("os.environ[\"{var}\"].split(\",\")");
    let mut hits = Vec::new();
    let mut model: Option<SettingsModel> = None;
    for module in ctx.flask_modules() {
        let text = ctx
            .project
            .file(&module.path)
            .and_then(|f| f.text().ok())
            .map(|t| t.content.clone());
        let source_of = |span: &std::ops::Range<usize>| -> String {
            text.as_deref()
                .and_then(|s| s.get(span.clone()))
                .unwrap_or("")
                .to_string()
        };
        for call in &module.calls {
            if call.method() != "add_middleware"
                || !call
                    .arg_texts
                    .first()
                    .is_some_and(|a| a.ends_with("CORSMiddleware"))
            {
                continue;
            }
            let Some(credentials) = call.kwarg("allow_credentials") else {
                continue;
            };
            let credentials = match credentials.value.when_unset() {
                Some(v) => v.truthy() == Some(true),
                None => {
                    let model = model.get_or_insert_with(|| {
                        crate::project::pydantic_settings::read(ctx.project)
                    });
                    settings_fields(model, &source_of(&credentials.span))
                        .iter()
                        .any(|(_, f)| {
                            f.default
                                .as_ref()
                                .and_then(Value::when_unset)
                                .and_then(Value::truthy)
                                == Some(true)
                        })
                }
            };
            if !credentials {
                continue;
            }
            if let Some(origins) = call
                .kwarg("allow_origins")
                .filter(|k| k.value.when_unset().is_none())
            {
                let model = model
                    .get_or_insert_with(|| crate::project::pydantic_settings::read(ctx.project));
                let wildcard = settings_fields(model, &source_of(&origins.span))
                    .into_iter()
                    .find(|(_, f)| {
                        f.default
                            .as_ref()
                            .and_then(Value::when_unset)
                            .is_some_and(allows_any)
                    });
                if let Some((class, field)) = wildcard {
                    let shown = field
                        .default
                        .as_ref()
                        .and_then(Value::when_unset)
                        .map(crate::checks::matchers::django_setting::python_repr)
                        .unwrap_or_default();
                    let mut hit = Hit::at(Location::span(&module.path, origins.span.clone()))
                        .var("origins", shown)
                        .var("env", model.env_name(class, field).unwrap_or_default());
                    if let Some(span) = &field.default_span {
                        hit = hit.related(
                            Location::span(&class.path, span.clone()),
                            format!("{}.{} defaults to this", class.name, field.name),
                        );
                    }
                    hits.push(hit);
                    continue;
                }
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
