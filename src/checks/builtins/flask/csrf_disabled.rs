//! `flask-csrf-disabled`: WTF_CSRF_ENABLED turned off in the production configuration (see
//! `flask-setting`), or a Flask view reading posted form data (`request.form`) in a project
//! with no CSRF protection at all: no `CSRFProtect` (Flask-WTF), no `SeaSurf`, and no
//! Flask-WTF form class in that module (whose `validate_on_submit` checks the token).
//!
//! HTML templates are not read: a `<form method="post">` is only dangerous when a view
//! accepts it, and that view reads `request.form`.
//!
//! CSRF needs ambient credentials to ride on: the check fires only on projects with sessions
//! or logins (Flask's `session`, Flask-Login, Flask-Security, Flask-Session), and an
//! application's own defence — a `before_request` hook comparing a session nonce with a form
//! field or header — counts as protection (issue 9).

use crate::checks::builtins::flask::setting::Rule;
use crate::checks::builtins::{Builtin, Ctx, Hit};
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

/// Text that shows the project logs users in or keeps server-side sessions. NOTE: not
/// Flask-Login's `login_user` by itself: it is imported from `flask_login` (matched), and as a
/// bare word it is a common variable name (privacyIDEA's token API, which keeps no session).
const LOGIN_MARKERS: &[&str] = &[
    "flask_login",
    "LoginManager",
    "flask_security",
    "flask_session",
    "flask_praetorian",
    "flask.session",
];

/// Whether a module defends itself: a `before_request` hook that compares a CSRF nonce kept
/// in the session with a form field or a header.
fn own_csrf_check(content: &str) -> bool {
    content.contains("before_request")
        && content.contains("session")
        && content.to_ascii_lowercase().contains("csrf")
        && ["request.form", "request.headers", "request.values"]
            .iter()
            .any(|r| content.contains(r))
}

/// Whether the `request.form` at `at` reads what a SAML identity provider posts (zou's
/// `request.form["SAMLResponse"]`, python3-saml's `"post_data": request.form.copy()`): the
/// IdP's own site posts it by design, and the assertion's signature protects it, not a token.
fn reads_saml_post(content: &str, at: usize) -> bool {
    let start = content[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = content[at..].find('\n').map_or(content.len(), |i| at + i);
    let line = &content[start..end];
    [
        "SAMLResponse",
        "SAMLRequest",
        "RelayState",
        "\"post_data\"",
        "'post_data'",
    ]
    .iter()
    .any(|marker| line.contains(marker))
}

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
        return Vec::new();
    }
    let python: Vec<_> = ctx
        .project
        .files_of(FileKind::Python)
        .filter_map(|f| Some((f, f.text().ok()?)))
        .collect();
    let stateful = python.iter().any(|(_, text)| {
        LOGIN_MARKERS.iter().any(|m| text.content.contains(m))
            || flask::imports_flask_session(&text.content)
    });
    if !stateful {
        return Vec::new();
    }
    let protected = python.iter().any(|(_, text)| {
        PROJECT_PROTECTION.iter().any(|p| text.content.contains(p)) || own_csrf_check(&text.content)
    });
    if protected {
        return hits;
    }
    for (file, text) in &python {
        let content: &str = &text.content;
        let Some(at) = content
            .match_indices("request.form")
            .map(|(at, _)| at)
            .find(|at| !reads_saml_post(content, *at))
        else {
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

#[cfg(test)]
mod tests {
    #[test]
    fn flask_session_imports() {
        assert!(crate::project::flask::imports_flask_session(
            "from flask import Flask, session\n"
        ));
        assert!(crate::project::flask::imports_flask_session(
            "from flask import (\n    Flask,\n    session,\n)\n"
        ));
        assert!(!crate::project::flask::imports_flask_session(
            "from flask import Flask\nfrom x import session\n"
        ));
        assert!(!crate::project::flask::imports_flask_session(
            "from flask import sessions_helper\n"
        ));
    }
}
