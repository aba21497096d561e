//! `django-database-password-hardcoded`: a DATABASES entry whose PASSWORD is a non-empty
//! literal (or falls back to one when its environment variable is unset).

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::checks::matchers::django_setting::{env_style, import_position, primary};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::python::ValueKind;

pub const BUILTIN: Builtin = Builtin {
    name: "django-database-password-hardcoded",
    vars: &["alias", "env", "var"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for entry in ctx.django_entries() {
        if !entry.production {
            continue;
        }
        let Some(setting) = entry.get("DATABASES") else {
            continue;
        };
        if setting.maybe {
            continue;
        }
        let Some(databases) = setting.value.when_unset() else {
            continue;
        };
        let ValueKind::Dict(aliases) = &databases.kind else {
            continue;
        };
        let entry_path = entry.file.path.as_str();
        for (alias, config) in aliases {
            let Some(alias) = alias.as_str() else {
                continue;
            };
            let Some(password) = config.when_unset().and_then(|c| c.get("PASSWORD")) else {
                continue;
            };
            let literal = password
                .when_unset()
                .and_then(|v| v.as_str())
                .is_some_and(|s| !s.is_empty());
            if !literal {
                continue;
            }
            // The project's own variable and library when the password is read from the
            // environment with a literal default; a new name with the project's prefix when it
            // is a literal.
            let style = env_style(ctx.project, entry, "DATABASE_PASSWORD", &setting);
            let var = match password.env_var() {
                Some(var) => var.to_string(),
                None if alias == "default" => style.var.clone(),
                None => style.var.replacen(
                    "DATABASE_PASSWORD",
                    &format!(
                        "{}_DATABASE_PASSWORD",
                        alias.to_ascii_uppercase().replace(['-', '.'], "_")
                    ),
                    1,
                ),
            };
            let password_reader = setting
                .origin
                .as_ref()
                .and_then(|o| ctx.project.file(&o.path))
                .and_then(|f| f.text().ok())
                .and_then(|t| {
                    t.content
                        .get(password.span.clone())
                        .map(|s| s.trim_start().to_string())
                });
            let replacement = match (password.env_var(), password_reader.as_deref()) {
                (Some(_), Some(src)) if src.starts_with("config(") => format!("config(\"{var}\")"),
                (Some(_), Some(src)) if src.starts_with("env(") || src.starts_with("env.") => {
                    format!("env(\"{var}\")")
                }
                (Some(_), _) => format!("os.environ[\"{var}\"]"),
                (None, _) => format!("os.environ.get(\"{var}\", \"\")"),
            };
            let origin = setting.origin.as_ref();
            // The PASSWORD value sits in the file that assigned DATABASES.
            let location = match origin {
                Some(o) if o.path == entry_path && !setting.in_steps => {
                    Location::span(entry_path, password.span.clone())
                }
                _ => primary(entry_path, &setting),
            };
            let mut hit = Hit::at(location)
                .var("alias", alias)
                .var("env", password.env_var().unwrap_or(""))
                .var("var", var.clone())
                .fingerprint(format!("DATABASES {alias} PASSWORD"));
            if let Some(o) = origin.filter(|o| o.path != entry_path) {
                hit = hit.related(
                    Location::span(&o.path, password.span.clone()),
                    "PASSWORD set here",
                );
            }
            let origin_module = ctx.project.file(origin.map_or(entry_path, |o| &o.path));
            let origin_module = origin_module.and_then(|file| match file.parsed() {
                crate::formats::Parsed::Python(m) => Some((file, m)),
                _ => None,
            });
            if let (Some(o), Some((file, module)), false) =
                (origin, origin_module, setting.in_steps)
                && o.value.is_some()
                && let Ok(text) = file.text()
            {
                let mut edits = Vec::new();
                // NOTE: `import os` further down would not help a use above it (NameError).
                if replacement.starts_with("os.") && !module.os_imported_before(password.span.start)
                {
                    let at = import_position(&text.content, module);
                    let content = if at == text.content.len() && !text.content.ends_with('\n') {
                        "\nimport os\n"
                    } else {
                        "import os\n"
                    };
                    edits.push(Edit::insert(&o.path, at, content));
                }
                edits.push(Edit::replace(&o.path, password.span.clone(), replacement));
                hit = hit.edits(edits);
            }
            hits.push(hit);
        }
    }
    hits
}
