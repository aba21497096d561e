//! `parse-error`: a file harden should read but cannot read or parse.

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::project::ReadError;

pub const BUILTIN: Builtin = Builtin {
    name: "parse-error",
    vars: &["error"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (path, message) in &ctx.project.walk_errors {
        let location = Location::file(if path.is_empty() {
            ".".to_string()
        } else {
            path.clone()
        });
        hits.push(Hit::at(location).var("error", message.as_str()));
    }
    let settings: std::collections::BTreeSet<&str> = ctx
        .project
        .model()
        .settings
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    // A Python module dropped after its first read cannot be settings-like (see
    // `project::TextInterest`): it was read, so it has no read error either.
    for file in ctx
        .project
        .files
        .iter()
        .filter(|f| !f.kind.is_generic() && !ctx.project.text_dropped(f))
    {
        match file.text() {
            // Key material is read only to look for key blocks: binary DER keys are normal.
            Err(ReadError::NotUtf8 { .. })
                if file.kind == crate::project::FileKind::KeyMaterial => {}
            Err(error) => {
                hits.push(Hit::at(Location::file(&file.path)).var("error", error.to_string()))
            }
            // Syntax errors are reported for settings-like Python modules only: a byte test
            // rules the others out without parsing them, and a module of hundreds of KB
            // (a data table, a test suite) is parsed only when named or placed as settings or
            // the model takes it for a settings module.
            Ok(text)
                if file.kind == crate::project::FileKind::Python
                    && (!crate::formats::python::may_be_settings_like(&text.content)
                        || file.too_large_unless_named(text, &settings)) => {}
            // A file of a project template with template tags (arches'
            // `arches-templates/.pre-commit-config.yaml` holds `files: {{ project_name }}/src`)
            // is the template's source: what it renders to is parsed where it is generated.
            Ok(text)
                if crate::project::scope::in_template_dir(&file.path)
                    && (text.content.contains("{{") || text.content.contains("{%")) => {}
            Ok(_) => {
                for error in file.parsed().errors() {
                    let location = match error.span {
                        Some(span) => Location::span(&file.path, span),
                        None => Location::file(&file.path),
                    };
                    hits.push(
                        Hit::at(location)
                            .var("error", error.message)
                            .fingerprint(String::new()),
                    );
                }
            }
        }
    }
    hits
}
