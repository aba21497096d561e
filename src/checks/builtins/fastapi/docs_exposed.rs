//! `fastapi-docs-exposed`: a production `FastAPI(...)` that leaves the interactive docs and
//! the OpenAPI schema at their defaults (`/docs`, `/redoc`, `/openapi.json`) in a project that
//! chose to hide them elsewhere: another production application passes `docs_url=None` /
//! `openapi_url=None` (or a value that depends on configuration), or the project has a
//! switch for them (`SHOW_DOCS`, `enable_docs`, `openapi_url` in its settings) that this
//! application ignores.
//!
//! A public API that documents itself on purpose is no finding: without one of these signs
//! the call is not judged. No fix: whether the application should use the project's switch
//! or hide its docs outright is the project's decision.

use std::sync::LazyLock;

use regex::Regex;

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::project::Scope;
use crate::project::flask::{self, AppModule, Call};
use crate::project::pydantic_settings;

pub const BUILTIN: Builtin = Builtin {
    name: "fastapi-docs-exposed",
    vars: &["app", "evidence"],
    params: &[],
    run,
};

/// The keyword arguments that move or turn off the docs (`openapi_url=None` turns off all).
const DOCS_KWARGS: &[&str] = &["openapi_url", "docs_url", "redoc_url"];

/// Names of a project's switch for its API docs (matched case-insensitively):
/// `SHOW_DOCS`, `enable_swagger`, `DOCS_ENABLED`, `openapi_url`, `API_DOCS_PUBLIC`.
static SWITCH: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:(?:show|enable|expose|disable|hide|include)_?(?:api_?)?(?:docs|openapi|swagger|redoc)(?:_?(?:ui|url|schema))?|(?:api_?)?(?:docs|openapi|swagger|redoc)_?(?:enabled|disabled|visible|public|url|on))$",
    )
    .ok()
});

fn is_switch(name: &str) -> bool {
    SWITCH.as_ref().is_some_and(|re| re.is_match(name))
}

fn is_fastapi(call: &Call) -> bool {
    matches!(call.callee.as_str(), "FastAPI" | "fastapi.FastAPI")
}

/// Whether the call passes none of the docs arguments: every docs page is at its default.
fn defaults_docs(call: &Call) -> bool {
    DOCS_KWARGS.iter().all(|k| call.kwarg(k).is_none())
}

/// Whether the call hides (or may hide, depending on configuration) its docs: a docs argument
/// that is `None` or not a known string.
fn hides_docs(call: &Call) -> bool {
    DOCS_KWARGS.iter().any(|k| {
        call.kwarg(k).is_some_and(|kwarg| {
            kwarg.value.env_var().is_some()
                || kwarg
                    .value
                    .when_unset()
                    .is_none_or(|v| v.as_str().is_none())
        })
    })
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let modules = ctx.flask_modules();
    if !modules.iter().any(AppModule::is_fastapi) {
        return Vec::new();
    }
    let production = |module: &AppModule| {
        let stem = module
            .path
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".py");
        !flask::name_is_development(stem) && ctx.project.scope(&module.path) == Scope::Production
    };
    let apps: Vec<(&AppModule, &Call)> = modules
        .iter()
        .filter(|m| production(m))
        .flat_map(|m| {
            m.calls
                .iter()
                .filter(|c| is_fastapi(c))
                .map(move |c| (m, c))
        })
        .filter(|(m, c)| flask::development_runner(ctx.project, m, c).is_none())
        .collect();
    // The first sign that the project hides its docs: another application that does, or a
    // switch in its settings (a pydantic field, a module-level name, a variable read).
    let mut evidence: Option<(Location, String, &str)> =
        apps.iter().find(|(_, c)| hides_docs(c)).map(|(m, c)| {
            (
                Location::span(&m.path, c.span.clone()),
                format!(
                    "`{}` hides its docs",
                    c.target.as_deref().unwrap_or(&c.callee)
                ),
                "the project hides its docs here",
            )
        });
    if evidence.is_none() {
        let model = pydantic_settings::read(ctx.project);
        evidence = model
            .judged_fields()
            .into_iter()
            .find(|(_, field, _)| is_switch(&field.name))
            .map(|(class, field, _)| {
                (
                    Location::span(&class.path, field.span.clone()),
                    format!(
                        "the settings field `{}.{}` is a switch for them",
                        class.name, field.name
                    ),
                    "the project's switch for its docs",
                )
            });
    }
    if evidence.is_none() {
        evidence = modules.iter().filter(|m| production(m)).find_map(|m| {
            m.top_level
                .iter()
                .find(|w| {
                    !w.maybe && (is_switch(&w.name) || w.value.env_var().is_some_and(is_switch))
                })
                .map(|w| {
                    (
                        Location::span(&m.path, w.stmt.clone()),
                        format!("the setting `{}` is a switch for them", w.name),
                        "the project's switch for its docs",
                    )
                })
        });
    }
    let Some((related, evidence, label)) = evidence else {
        return Vec::new();
    };
    apps.iter()
        .filter(|(_, c)| defaults_docs(c))
        .map(|(m, c)| {
            let app = c.target.as_deref().unwrap_or("FastAPI(...)");
            Hit::at(Location::span(&m.path, c.span.clone()))
                .var("app", app)
                .var("evidence", evidence.as_str())
                .related(related.clone(), label)
                .fingerprint(format!("{app} docs"))
        })
        .collect()
}
