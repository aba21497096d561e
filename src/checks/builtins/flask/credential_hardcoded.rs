//! `flask-credential-hardcoded`: a credential other than SECRET_KEY written in a Flask
//! production configuration (an application module's `app.config` writes, or a production
//! config class with what it inherits). `credential` says which:
//! - `url-password`: a `*_URI` / `*_URL` / `*_DSN` setting (`SQLALCHEMY_DATABASE_URI`,
//!   `CELERY_BROKER_URL`) whose value is a URL with an inline password;
//! - `jwt-secret`: a JWT signing key — `JWT_SECRET_KEY` (Flask-JWT-Extended), `JWT_SECRET`,
//!   `SECRET_KEY_HMAC`, `JWT_PRIVATE_KEY`, or any setting the application hands to a JWT
//!   library (`jwt.encode(payload, app.config["TOKEN_KEY"])`) — that is a literal; a literal
//!   passed to `jwt.encode`/`jwt.decode` directly, or through a module-level constant, too.
//!
//! A value read from the environment is judged by its fallback when the variable is unset;
//! a required variable is fine. The fix reads the value from the environment: the variable
//! the code already reads when there is one, else one named after the setting.

use crate::checks::builtins::flask::setting::import_os;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::python::{Value, ValueKind};
use crate::project::flask::{self, AppModule, SettingWrite};
use crate::project::pydantic_settings::url_password;

pub const BUILTIN: Builtin = Builtin {
    name: "flask-credential-hardcoded",
    vars: &["setting", "env", "place"],
    params: &["credential"],
    run,
};

/// Settings Flask's JWT extensions sign tokens with.
const JWT_SETTINGS: &[&str] = &[
    "JWT_SECRET_KEY",
    "JWT_SECRET",
    "SECRET_KEY_HMAC",
    "JWT_PRIVATE_KEY",
];

/// Calls whose second positional argument (or `key=`) is a signing key.
const JWT_CALLS: &[&str] = &["jwt.encode", "jwt.decode", "jws.sign", "jws.verify"];

/// The literal string a value has when its variable is unset, unless the variable is required.
fn literal(value: &Value) -> Option<&str> {
    if value.is_required_env() {
        return None;
    }
    match &value.when_unset()?.kind {
        ValueKind::Str(s) if !s.is_empty() => Some(s),
        _ => None,
    }
}

/// `app.config["NAME"]`, `current_app.config.get("NAME")`, `config['NAME']`: the setting name.
fn config_key(text: &str) -> Option<String> {
    let at = text.find("config")?;
    let rest = text[at + "config".len()..].trim_start();
    let rest = rest
        .strip_prefix('[')
        .or_else(|| rest.strip_prefix(".get("))?
        .trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let name: String = rest[1..].chars().take_while(|c| *c != quote).collect();
    (!name.is_empty()).then_some(name)
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let jwt = ctx.param_str("credential") == Some("jwt-secret");
    let modules = ctx.flask_modules();
    if !modules.iter().any(AppModule::is_flask) {
        return Vec::new();
    }
    // The JWT key settings: the well-known names and those handed to a JWT library.
    let mut jwt_names: Vec<String> = JWT_SETTINGS.iter().map(|s| s.to_string()).collect();
    let mut hits = Vec::new();
    let mut seen: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let hit = |module: &AppModule,
               setting: &str,
               value: &Value,
               span: &std::ops::Range<usize>,
               place: &str| {
        let var = value.env_var().unwrap_or(setting).to_string();
        let source = format!("os.environ[\"{var}\"]");
        let mut edits = vec![Edit::replace(&module.path, span.clone(), source.as_str())];
        edits.extend(import_os(module, &source));
        Hit::at(Location::span(&module.path, span.clone()))
            .var("setting", setting)
            .var("env", value.env_var().unwrap_or(""))
            .var("place", place)
            .fingerprint(setting.to_string())
            .edits(edits)
    };
    if jwt {
        for module in modules {
            for call in module
                .calls
                .iter()
                .filter(|c| JWT_CALLS.iter().any(|j| c.callee.ends_with(j)))
            {
                let key = call
                    .kwarg("key")
                    .map(|k| (&k.value, k.span.clone(), String::new()))
                    .or_else(|| {
                        let value = call.args.get(1)?;
                        Some((
                            value,
                            value.span.clone(),
                            call.arg_texts.get(1).cloned().unwrap_or_default(),
                        ))
                    });
                let Some((value, span, text)) = key else {
                    continue;
                };
                if let Some(name) = config_key(&text) {
                    if name != "SECRET_KEY" && !jwt_names.contains(&name) {
                        jwt_names.push(name);
                    }
                    continue;
                }
                // A literal key, or a module-level constant holding one.
                let constant = match &value.kind {
                    ValueKind::Name(name) => module
                        .top_level
                        .iter()
                        .rev()
                        .find(|w| &w.name == name && !w.maybe),
                    _ => None,
                };
                let (setting, value, span) = match constant {
                    Some(write) => (write.name.as_str(), &write.value, write.span.clone()),
                    None => ("JWT_SECRET_KEY", value, span),
                };
                if literal(value).is_none() {
                    continue;
                }
                let key = (module.path.clone(), span.clone());
                if !seen.contains(&key) {
                    seen.push(key);
                    hits.push(hit(module, setting, value, &span, &call.callee));
                }
            }
        }
    }
    let wanted = |name: &str| {
        if jwt {
            jwt_names.iter().any(|n| n == name)
        } else {
            ["_URI", "_URL", "_DSN"].iter().any(|s| name.ends_with(s))
        }
    };
    let bad = |write: &SettingWrite| {
        !write.maybe
            && wanted(&write.name)
            && literal(&write.value).is_some_and(|s| jwt || url_password(s).is_some())
    };
    let mut judge = |module: &AppModule, write: &SettingWrite, place: &str| {
        let key = (module.path.clone(), write.span.clone());
        if bad(write) && !seen.contains(&key) {
            seen.push(key);
            hits.push(hit(module, &write.name, &write.value, &write.span, place));
        }
    };
    for module in modules.iter().filter(|m| m.is_flask()) {
        for write in &module.writes {
            judge(module, write, "app.config");
        }
    }
    for resolved in flask::production_classes(modules) {
        for (write, module, class) in resolved.settings.values() {
            judge(module, write, &class.name);
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    #[test]
    fn config_keys() {
        assert_eq!(
            super::config_key("app.config[\"TOKEN_KEY\"]").as_deref(),
            Some("TOKEN_KEY")
        );
        assert_eq!(
            super::config_key("current_app.config.get('K')").as_deref(),
            Some("K")
        );
        assert_eq!(super::config_key("settings.KEY"), None);
    }
}
