//! `python-call-kwarg`: a keyword argument of an application call that must not be truthy
//! (or must not be one of `bad-values`): `app.run(debug=True)`, `FastAPI(debug=True)`,
//! `uvicorn.run(..., reload=True)`, `app.run(host="0.0.0.0")`.
//!
//! `callee`: the callee texts to match; an entry starting with `.` matches by method name
//! (`.run` matches `app.run`, not `subprocess.run`). `framework`: `flask` or `fastapi` (the
//! project must create such an application), or empty. Calls in modules whose file name says
//! development, testing or local are not judged, nor calls under `if __name__ == "__main__":`
//! when a deploy file serves the application with gunicorn/uvicorn (and none runs the module
//! as a script). `fix-value` replaces the argument's value.

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::project::Project;
use crate::project::flask::{self, AppModule, Call, Kwarg};

pub const BUILTIN: Builtin = Builtin {
    name: "python-call-kwarg",
    vars: &["callee", "kwarg", "value", "env"],
    params: &["callee", "framework", "kwarg", "bad-values", "fix-value"],
    run,
};

/// Receivers whose `.run` is not an application server.
const NOT_APPS: &[&str] = &["subprocess", "asyncio", "trio", "anyio", "uvicorn"];

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let modules = ctx.flask_modules();
    let spec = Spec {
        callees: ctx.param_strings("callee"),
        framework: ctx.param_str("framework").unwrap_or("").to_string(),
        kwarg: ctx.param_str("kwarg").unwrap_or("").to_string(),
        bad_values: ctx.param_strings("bad-values"),
        fix_value: ctx.param_str("fix-value").unwrap_or("").to_string(),
    };
    spec.hits(ctx.project, modules)
}

pub struct Spec {
    pub callees: Vec<String>,
    pub framework: String,
    pub kwarg: String,
    pub bad_values: Vec<String>,
    pub fix_value: String,
}

impl Spec {
    fn matches(&self, call: &Call) -> bool {
        self.callees.iter().any(|c| match c.strip_prefix('.') {
            Some(method) => {
                call.method() == method
                    && call.callee.contains('.')
                    && !NOT_APPS
                        .iter()
                        .any(|r| call.callee.split('.').next() == Some(*r))
            }
            None => &call.callee == c,
        })
    }

    fn bad(&self, kwarg: &Kwarg) -> bool {
        let Some(value) = kwarg.value.when_unset() else {
            return false;
        };
        if kwarg.value.is_required_env() {
            return false;
        }
        if self.bad_values.is_empty() {
            value.truthy() == Some(true)
        } else {
            value
                .as_str()
                .is_some_and(|s| self.bad_values.iter().any(|b| b == s))
        }
    }

    pub fn hits(&self, project: &Project, modules: &[AppModule]) -> Vec<Hit> {
        let used = match self.framework.as_str() {
            "flask" => modules.iter().any(AppModule::is_flask),
            "fastapi" => modules.iter().any(AppModule::is_fastapi),
            _ => true,
        };
        if !used {
            return Vec::new();
        }
        let mut hits = Vec::new();
        for module in modules {
            let stem = module
                .path
                .rsplit('/')
                .next()
                .unwrap_or("")
                .trim_end_matches(".py");
            if flask::name_is_development(stem) {
                continue;
            }
            for call in module.calls.iter().filter(|c| self.matches(c)) {
                // `app.run(debug=True)` in a runner script's `__main__` block, when the
                // image or Procfile serves the app with gunicorn/uvicorn, is a development
                // path (issue 9).
                if flask::development_runner(project, module, call).is_some() {
                    continue;
                }
                let Some(kwarg) = call.kwarg(&self.kwarg) else {
                    continue;
                };
                if !self.bad(kwarg) {
                    continue;
                }
                // NOTE: `if in_debug_mode(): app = FastAPI(debug=True) else: app =
                // FastAPI(docs_url=None)` (khoj): another branch of the same `if` makes the
                // same call without the bad value. The project chose by environment, on a
                // condition harden cannot know: the debug branch is the development one.
                let alternative = call.if_stmt.is_some()
                    && module.calls.iter().any(|other| {
                        other.span != call.span
                            && other.if_stmt == call.if_stmt
                            && other.callee == call.callee
                            && other.target == call.target
                            && other.kwarg(&self.kwarg).is_none_or(|k| !self.bad(k))
                    });
                if alternative {
                    continue;
                }
                let shown = kwarg
                    .value
                    .when_unset()
                    .map(crate::checks::matchers::django_setting::python_repr)
                    .unwrap_or_default();
                let mut hit = Hit::at(Location::span(&module.path, kwarg.span.clone()))
                    .var("callee", call.callee.as_str())
                    .var("kwarg", self.kwarg.as_str())
                    .var("value", shown.clone())
                    .var("env", kwarg.value.env_var().unwrap_or(""))
                    .fingerprint(format!("{} {}={shown}", call.callee, self.kwarg));
                if !self.fix_value.is_empty() {
                    hit = hit.edits(vec![Edit::replace(
                        &module.path,
                        kwarg.span.clone(),
                        self.fix_value.as_str(),
                    )]);
                }
                hits.push(hit);
            }
        }
        hits
    }
}
