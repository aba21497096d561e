//! `flask-secret-key-hardcoded`: SECRET_KEY (or `app.secret_key`) is a string literal, or
//! read from the environment with a literal fallback, in an application module or a
//! production config class (inherited settings count, reported where they are written).

use crate::checks::builtins::flask::setting::import_os;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::python::ValueKind;
use crate::project::flask::{self, AppModule, SettingWrite};

pub const BUILTIN: Builtin = Builtin {
    name: "flask-secret-key-hardcoded",
    vars: &["env", "place"],
    params: &["env-var"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let var = ctx.param_str("env-var").unwrap_or("FLASK_SECRET_KEY");
    let source = format!("os.environ[\"{var}\"]");
    let modules = ctx.flask_modules();
    if !modules.iter().any(AppModule::is_flask) {
        return Vec::new();
    }
    let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut hits = Vec::new();
    let mut judge = |module: &AppModule, write: &SettingWrite, place: &str| {
        if write.name != "SECRET_KEY" || write.value.is_required_env() {
            return;
        }
        let hardcoded = matches!(
            write.value.when_unset().map(|v| &v.kind),
            Some(ValueKind::Str(s)) if !s.is_empty()
        );
        let key = (module.path.clone(), write.span.clone());
        if !hardcoded || seen.contains(&key) {
            return;
        }
        seen.push(key);
        // The variable the code already reads keeps its name (a deployment that sets
        // SECRET_KEY must keep working); a literal gets the `env-var` parameter's name.
        let source = match write.value.env_var() {
            Some(existing) => format!("os.environ[\"{existing}\"]"),
            None => source.clone(),
        };
        let mut edits = vec![Edit::replace(
            &module.path,
            write.span.clone(),
            source.as_str(),
        )];
        edits.extend(import_os(module, &source));
        hits.push(
            Hit::at(Location::span(&module.path, write.span.clone()))
                .var("env", write.value.env_var().unwrap_or(""))
                .var("place", place)
                .fingerprint(String::from("SECRET_KEY"))
                .edits(edits),
        );
    };
    for module in modules.iter().filter(|m| m.is_flask()) {
        for write in &module.writes {
            judge(module, write, "app.config");
        }
    }
    for resolved in flask::production_classes(modules) {
        if let Some((write, module, class)) = resolved.settings.get("SECRET_KEY") {
            judge(module, write, &class.name);
        }
    }
    hits
}
