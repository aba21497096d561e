//! `flask-debug-enabled`: `app.run(debug=True)` outside development modules, DEBUG truthy in
//! the production configuration (see `flask-setting`), or FLASK_DEBUG truthy in `.flaskenv`
//! or `.env` (both are loaded by the `flask` command).

use crate::checks::builtins::flask::setting::Rule;
use crate::checks::builtins::python::call_kwarg::Spec;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::project::flask;

pub const BUILTIN: Builtin = Builtin {
    name: "flask-debug-enabled",
    vars: &["setting", "value", "env", "place"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let modules = ctx.flask_modules();
    let mut hits = Rule {
        setting: "DEBUG",
        require: "falsy",
        fix_value: "False",
    }
    .hits(modules);
    let run_calls = Spec {
        callees: vec![".run".to_string()],
        framework: "flask".to_string(),
        kwarg: "debug".to_string(),
        bad_values: Vec::new(),
        fix_value: "False".to_string(),
    }
    .hits(ctx.project, modules);
    hits.extend(run_calls.into_iter().map(|h| {
        let value = h
            .vars
            .get("value")
            .map(|v| v.to_string())
            .unwrap_or_default();
        let env = h.vars.get("env").map(|v| v.to_string()).unwrap_or_default();
        h.var("setting", "debug")
            .var("value", value)
            .var("env", env)
            .var("place", "app.run")
    }));
    if !modules.iter().any(flask::AppModule::is_flask) {
        return hits;
    }
    // `flask run` loads `.flaskenv` and `.env` (python-dotenv); FLASK_DEBUG=1 there turns
    // the debugger on.
    for file in &ctx.project.files {
        if !matches!(file.name(), ".flaskenv" | ".env") {
            continue;
        }
        let Ok(text) = file.text() else {
            continue;
        };
        let mut offset = 0;
        for line in text.content.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim();
            let Some((key, value)) = trimmed.split_once('=') else {
                continue;
            };
            if key.trim().trim_start_matches("export ").trim() != "FLASK_DEBUG" {
                continue;
            }
            let value = value.trim().trim_matches(['"', '\'']);
            if !matches!(
                value.to_ascii_lowercase().as_str(),
                "1" | "true" | "yes" | "on"
            ) {
                continue;
            }
            let Some(at) = line.find('=') else {
                continue;
            };
            let value_start = start + at + 1;
            let value_end = start + line.trim_end().len();
            hits.push(
                Hit::at(Location::span(&file.path, start..value_end))
                    .var("setting", "FLASK_DEBUG")
                    .var("value", value.to_string())
                    .var("env", "")
                    .var("place", file.name())
                    .fingerprint(format!("FLASK_DEBUG {value}"))
                    .edits(vec![Edit::replace(&file.path, value_start..value_end, "0")]),
            );
        }
    }
    hits
}
