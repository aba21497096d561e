//! `bandit-excludes-app-code`: an `exclude_dirs` (or `.bandit` `exclude`) item that makes
//! bandit skip the application's own code. bandit drops a file when an item is a substring of
//! its path or matches it as a glob, so `app` also drops `webapp/`; both rules are applied here
//! to the paths bandit sees (`./pkg/views.py` for `bandit -r .`, `pkg/views.py` otherwise).
//!
//! Application code: the Django settings packages and Flask/FastAPI modules harden found, and
//! every top-level Python package (a directory with `__init__.py` whose parent has none),
//! except tests, docs, migrations and virtualenvs (by the `not-app` names, and what the project
//! model does not judge as shipped code), which are fine to exclude.

use globset::{GlobBuilder, GlobMatcher};

use crate::checks::builtins::bandit::configs;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::project::{FileKind, Scope};

pub const BUILTIN: Builtin = Builtin {
    name: "bandit-excludes-app-code",
    vars: &["item", "app"],
    params: &["not-app"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let configs = configs(ctx.project);
    if configs.iter().all(|c| c.settings.exclude_dirs.is_empty()) {
        return Vec::new();
    }
    let not_app = ctx.param_strings("not-app");
    let is_app_file = |path: &str| {
        !path
            .split('/')
            .any(|segment| not_app.iter().any(|n| n == segment))
    };
    // Application directories, each with its Python files.
    let mut app_dirs: Vec<String> = ctx
        .django_entries()
        .iter()
        .map(|e| e.file.dir().to_string())
        .chain(
            ctx.flask_modules()
                .iter()
                .map(|m| match m.path.rsplit_once('/') {
                    Some((dir, _)) => dir.to_string(),
                    None => String::new(),
                }),
        )
        .collect();
    for file in ctx.project.files_of(FileKind::Python) {
        if file.name() == "__init__.py" {
            let dir = file.dir();
            let parent_init = match dir.rsplit_once('/') {
                Some((parent, _)) => format!("{parent}/__init__.py"),
                None => "__init__.py".to_string(),
            };
            if ctx.project.file(&parent_init).is_none() {
                app_dirs.push(dir.to_string());
            }
        }
    }
    app_dirs.retain(|d| is_app_file(d));
    app_dirs.sort();
    app_dirs.dedup();

    let mut hits = Vec::new();
    for config in &configs {
        for item in &config.settings.exclude_dirs {
            let matcher = Excluder::new(&item.value);
            let covered = app_dirs.iter().find(|dir| {
                ctx.project.files_of(FileKind::Python).any(|f| {
                    let inside = if dir.is_empty() {
                        !f.path.contains('/')
                    } else {
                        f.path.starts_with(&format!("{dir}/"))
                    };
                    inside
                        && is_app_file(&f.path)
                        // What ships, by the project model: not test code wherever it sits
                        // (moin's `_tests/` packages beside the code they test), nor
                        // development tooling (Keystone's `devstack/tools/`), examples or
                        // docs, whatever their directories are called.
                        && matches!(
                            ctx.project.scope(&f.path),
                            Scope::Production | Scope::Library
                        )
                        && matcher.excludes(&f.path)
                })
            });
            if let Some(dir) = covered {
                let app = if dir.is_empty() {
                    "the project root".to_string()
                } else {
                    format!("{dir}/")
                };
                hits.push(
                    Hit::at(Location::span(&config.path, item.span.clone()))
                        .var("item", item.value.as_str())
                        .var("app", app),
                );
            }
        }
    }
    hits
}

/// bandit's rule for one excluded-path string.
struct Excluder {
    text: String,
    glob: Option<GlobMatcher>,
}

impl Excluder {
    fn new(item: &str) -> Self {
        let text = item.trim().to_string();
        let glob = GlobBuilder::new(&text)
            .literal_separator(false)
            .build()
            .ok()
            .map(|g| g.compile_matcher());
        Self { text, glob }
    }

    fn excludes(&self, path: &str) -> bool {
        if self.text.is_empty() {
            return false;
        }
        let dotted = format!("./{path}");
        [path, dotted.as_str()]
            .iter()
            .any(|p| p.contains(&self.text) || self.glob.as_ref().is_some_and(|g| g.is_match(p)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bandit_matching() {
        assert!(Excluder::new("app").excludes("webapp/views.py"));
        assert!(Excluder::new("./src").excludes("src/pkg/a.py"));
        assert!(Excluder::new("*/views.py").excludes("pkg/views.py"));
        assert!(!Excluder::new("tests").excludes("pkg/views.py"));
        assert!(!Excluder::new("").excludes("pkg/views.py"));
    }
}
