//! `flask-csrf-disabled`: WTF_CSRF_ENABLED turned off in the production configuration (see
//! `flask-setting`), or a Flask view reading posted form data (`request.form`) in a project
//! with no CSRF protection at all: no `CSRFProtect` (Flask-WTF), no `SeaSurf`, and no
//! Flask-WTF form class in that module (whose `validate_on_submit` checks the token).
//!
//! HTML templates are not read: a `<form method="post">` is only dangerous when a view
//! accepts it, and that view reads `request.form`.

use super::flask_setting::Rule;
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::project::FileKind;
use crate::project::flask::{self, AppModule};

pub const BUILTIN: Builtin = Builtin {
    name: "flask-csrf-disabled",
    vars: &["setting", "value", "env", "place"],
    params: &[],
    run,
};

/// Text that shows a project protects its forms project-wide.
const PROJECT_PROTECTION: &[&str] = &["CSRFProtect", "SeaSurf", "csrf.init_app"];

/// Text that shows a module validates its forms with Flask-WTF.
const MODULE_PROTECTION: &[&str] = &["FlaskForm", "flask_wtf"];

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let modules = ctx.flask_modules();
    let mut hits = Rule {
        setting: "WTF_CSRF_ENABLED",
        require: "not-false",
        fix_value: "True",
    }
    .hits(modules);
    if !modules.iter().any(AppModule::is_flask) {
        return hits;
    }
    let python: Vec<_> = ctx
        .project
        .files_of(FileKind::Python)
        .filter_map(|f| Some((f, f.text().ok()?)))
        .collect();
    let protected = python
        .iter()
        .any(|(_, text)| PROJECT_PROTECTION.iter().any(|p| text.content.contains(p)));
    if protected {
        return hits;
    }
    for (file, text) in &python {
        let content: &str = &text.content;
        let Some(at) = content.find("request.form") else {
            continue;
        };
        let stem = file.name().trim_end_matches(".py");
        if MODULE_PROTECTION.iter().any(|p| content.contains(p))
            || flask::name_is_development(stem)
            || file.path.split('/').any(|part| part == "tests")
        {
            continue;
        }
        hits.push(
            Hit::at(Location::span(&file.path, at..at + "request.form".len()))
                .var("setting", "")
                .var("value", "")
                .var("env", "")
                .var("place", "")
                .fingerprint("request.form".to_string()),
        );
    }
    hits
}
