//! `django-database-password-hardcoded`: a DATABASES entry whose PASSWORD is a non-empty
//! literal (or falls back to one when its environment variable is unset).

use super::{Builtin, Ctx, Hit};
use crate::checks::matchers::django_setting::primary;
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
            let var = if alias == "default" {
                "DJANGO_DATABASE_PASSWORD".to_string()
            } else {
                format!(
                    "DJANGO_{}_DATABASE_PASSWORD",
                    alias.to_ascii_uppercase().replace(['-', '.'], "_")
                )
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
            let module_has_os = match ctx.project.file(origin.map_or(entry_path, |o| &o.path)) {
                Some(file) => match file.parsed() {
                    crate::formats::Parsed::Python(m) => Some((file, m.imports_os, m.imports_end)),
                    _ => None,
                },
                None => None,
            };
            if let (Some(o), Some((file, imports_os, imports_end)), false) =
                (origin, module_has_os, setting.in_steps)
                && o.value.is_some()
                && let Ok(text) = file.text()
            {
                let mut edits = vec![Edit::replace(
                    &o.path,
                    password.span.clone(),
                    format!("os.environ.get(\"{var}\", \"\")"),
                )];
                if !imports_os {
                    let at = match imports_end {
                        Some(end) => text
                            .content
                            .get(end..)
                            .and_then(|rest| rest.find('\n'))
                            .map_or(text.content.len(), |i| end + i + 1),
                        None => 0,
                    };
                    let content = if at == text.content.len() && !text.content.ends_with('\n') {
                        "\nimport os\n"
                    } else {
                        "import os\n"
                    };
                    edits.push(Edit::insert(&o.path, at, content));
                }
                hit = hit.edits(edits);
            }
            hits.push(hit);
        }
    }
    hits
}
