//! `fastapi-settings-secret-hardcoded`: a field of a production pydantic settings class whose
//! default is a literal secret (a field named for a secret or typed `SecretStr`) or a URL with
//! an inline password. With the variable unset, pydantic-settings uses the default, so every
//! deployment that forgets the variable runs with the key everyone can read.
//!
//! Not reported: empty defaults, required fields, defaults a validator of the class rejects
//! (`if self.SECRET_KEY == "changethis": raise ...`), development/test classes. The fix makes
//! the field required by removing the default (a pydantic field without a default must be
//! set, so the application fails closed at start-up); only for `BaseSettings` classes, whose
//! fields the environment can then set.

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::python::ValueKind;
use crate::project::flask::AppModule;
use crate::project::pydantic_settings::{self, DefaultEdit};

pub const BUILTIN: Builtin = Builtin {
    name: "fastapi-settings-secret-hardcoded",
    vars: &["field", "class", "env", "what"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    if !ctx.flask_modules().iter().any(AppModule::is_fastapi) {
        return Vec::new();
    }
    let model = pydantic_settings::read(ctx.project);
    let mut hits = Vec::new();
    for (class, field, settings) in model.judged_fields() {
        {
            let (Some(default), Some(span)) = (&field.default, &field.default_span) else {
                continue;
            };
            let Some(ValueKind::Str(literal)) = default.when_unset().map(|v| &v.kind) else {
                continue;
            };
            if literal.is_empty() || default.is_required_env() {
                continue;
            }
            let secret = pydantic_settings::secret_name(&field.name)
                || pydantic_settings::secret_annotation(&field.annotation);
            let what = if secret {
                "a literal secret"
            } else if pydantic_settings::url_password(literal).is_some() {
                "a URL with an inline password"
            } else {
                continue;
            };
            if model.rejects_default(settings, &field.name, literal) {
                continue;
            }
            let env = model.env_name(settings, field);
            let mut hit = Hit::at(Location::span(&class.path, span.clone()))
                .var("field", field.name.as_str())
                .var("class", class.name.as_str())
                .var("env", env.clone().unwrap_or_default())
                .var("what", what)
                .fingerprint(format!("{}.{}", class.name, field.name));
            // Removing the default keeps reading the same variable only when pydantic reads
            // it: a BaseSettings class, and a default that is a literal or reads that very
            // variable (`os.getenv("SECRET_KEY", "dev")` on field `secret_key`).
            let same_variable = match default.env_var() {
                None => true,
                Some(var) => env.as_deref().is_some_and(|e| e.eq_ignore_ascii_case(var)),
            };
            if let (Some(edit), Some(_), true) = (&field.edit, &env, same_variable) {
                let edit = match edit {
                    DefaultEdit::Delete(range) => Edit::replace(&class.path, range.clone(), ""),
                    DefaultEdit::Ellipsis(range) => {
                        Edit::replace(&class.path, range.clone(), "...")
                    }
                };
                hit = hit.edits(vec![edit]);
            }
            hits.push(hit);
        }
    }
    hits
}
