//! `python-app-without`: a Flask or FastAPI application in a project where no Python file
//! mentions any of `markers` (an extension, a middleware, a header name): `app = Flask(...)`
//! with no Flask-Talisman, `app = FastAPI()` with no TrustedHostMiddleware.

use crate::checks::builtins::flask::setting::mentions_any;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "python-app-without",
    vars: &["app"],
    params: &["app", "markers"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let app = ctx.param_str("app").unwrap_or("Flask");
    let markers = ctx.param_strings("markers");
    // NOTE: no application call, no hit: asked first, so a project without one is not read
    // whole for the markers.
    let calls_app = ctx
        .flask_modules()
        .iter()
        .any(|m| m.calls.iter().any(|c| c.callee == app));
    if !calls_app || mentions_any(ctx.project, &markers) {
        return Vec::new();
    }
    let mut hits = Vec::new();
    for module in ctx.flask_modules() {
        for call in module.calls.iter().filter(|c| c.callee == app) {
            hits.push(
                Hit::at(Location::span(&module.path, call.span.clone())).var(
                    "app",
                    call.target.clone().unwrap_or_else(|| app.to_string()),
                ),
            );
        }
    }
    hits
}
