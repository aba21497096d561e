//! `env-file-committed`: a `.env`-style file that sets values and that git would not ignore.
//!
//! In a git work tree a tracked file is committed even when `.gitignore` matches it: it is
//! reported, and no `.gitignore` edit is offered (it would hide the finding, not fix it).
//! Otherwise the verdict is taken with the project's `.gitignore` files as they are now, so
//! that a fix appending to `.gitignore` (in memory, during `harden fix`) makes the finding go
//! away.
//!
//! Parameters:
//! - `template-markers`: a file whose name has one of these as a dot-separated part
//!   (`.env.example`, `example.env`, `.env.prod.sample`) is a template meant to be committed.
//! - `committed-by-design`: file names meant to be committed (`.flaskenv`), flagged only when
//!   they set a variable whose name contains one of `secret-names`.
//! - `secret-names`: substrings of variable names that hold secrets (for `committed-by-design`).
//! - `test-files`: whether files under test and fixture directories are judged (strict: yes,
//!   as test material; baseline: no).
//!
//! Any other file is reported only when a variable holds a secret, by its name with a value
//! that is not a placeholder, or by its value (a token, a URL with a password): see
//! `secret_values`.

use crate::checks::builtins::secret::{holds_secret, is_placeholder, is_token_value};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::checks::path_rules::is_test_material;
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::gitignore::{GitignoreFile, IgnoreTree};
use crate::project::Scope;
use crate::project::{FileKind, SourceFile};

pub const BUILTIN: Builtin = Builtin {
    name: "env-file-committed",
    vars: &["count", "keys", "pattern", "gitignore"],
    params: &[
        "template-markers",
        "committed-by-design",
        "secret-names",
        "test-files",
    ],
    run,
};

/// How many variable names the message lists.
const MAX_KEYS_SHOWN: usize = 5;

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let markers: Vec<String> = ctx
        .param_strings("template-markers")
        .iter()
        .map(|m| m.to_lowercase())
        .collect();
    let by_design = ctx.param_strings("committed-by-design");
    let secret_names: Vec<String> = ctx
        .param_strings("secret-names")
        .iter()
        .map(|n| n.to_uppercase())
        .collect();
    let test_files = ctx
        .params
        .get("test-files")
        .and_then(serde_json::Value::as_bool)
        .unwrap_or(true);
    let tree = ctx.project.ignore_tree();

    let mut hits = Vec::new();
    for file in ctx.project.files_of(FileKind::EnvFile) {
        let name = file.name();
        // NOTE: a file git tracks is committed whatever .gitignore says (git ignores only
        // untracked files), so an ignore rule does not settle it, and no .gitignore edit fixes it.
        let tracked = ctx.project.is_tracked(&file.path) == Some(true);
        if is_template(name, &markers)
            || (!test_files && is_test_material(&file.path))
            || (!tracked && tree.verdict(&file.path, false).is_ignored())
        {
            continue;
        }
        let Parsed::Dotenv(env) = file.parsed() else {
            continue;
        };
        let only_named = by_design.iter().any(|n| n == name);
        // NOTE: a development, test or example env file (`.devcontainer/backend.env`,
        // nautobot's `development/dev.env`) holds the local stack's throwaway values; only a
        // value that is a credential by its issuer's format counts there.
        let local_only = !matches!(
            ctx.project.scope(&file.path),
            Scope::Production | Scope::Repository
        );
        let mut keys: Vec<&str> = Vec::new();
        for entry in &env.entries {
            // A committed-by-design file (`.flaskenv`) counts only variables named as secrets
            // (the params' list); any other file counts every variable that holds a secret by
            // its name or its value, so that `COMPOSE_PROJECT_NAME=app` or
            // `SITE_URL=http://localhost` alone is no finding.
            let secret = if only_named {
                let upper = entry.key.to_uppercase();
                !is_placeholder(&entry.value)
                    && secret_names.iter().any(|s| upper.contains(s.as_str()))
            } else if local_only {
                !is_placeholder(&entry.value) && is_token_value(&entry.value)
            } else {
                holds_secret(&entry.key, &entry.value)
            };
            if !secret {
                continue;
            }
            if !keys.contains(&entry.key.as_str()) {
                keys.push(&entry.key);
            }
        }
        if keys.is_empty() {
            continue;
        }
        let mut shown: Vec<String> = keys
            .iter()
            .take(MAX_KEYS_SHOWN)
            .map(|k| format!("`{k}`"))
            .collect();
        if keys.len() > MAX_KEYS_SHOWN {
            shown.push(format!("and {} more", keys.len() - MAX_KEYS_SHOWN));
        }
        // NOTE: a whole-file location, so that no output ever quotes a line of the file: the
        // lines hold the secrets.
        let mut hit = Hit::at(Location::file(&file.path))
            .var("count", keys.len())
            .var("keys", shown.join(", "))
            .fingerprint("committed env file");
        let edit = if tracked {
            None
        } else {
            ignore_edit(ctx, tree, file)
        };
        match edit {
            Some((gitignore, pattern, edit)) => {
                hit = hit
                    .var("gitignore", gitignore)
                    .var("pattern", pattern)
                    .edits(vec![edit]);
            }
            None => {
                hit = hit
                    .var("gitignore", ".gitignore")
                    .var("pattern", format!("/{}", escape(&file.path)));
            }
        }
        hits.push(hit);
    }
    hits
}

/// Template files are committed on purpose: `.env.example`, `example.env`, `.env.dist`.
fn is_template(name: &str, markers: &[String]) -> bool {
    name.split('.')
        .any(|part| markers.iter().any(|m| *m == part.to_lowercase()))
}

/// Escape gitignore's special characters so that a path matches only itself.
fn escape(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if matches!(c, '*' | '?' | '[' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Append the file's pattern to the root `.gitignore` (created when missing): its bare name
/// when it sits beside that `.gitignore` (`.env` ignores every `.env`, which is what
/// gitignore-missing-secret-patterns asks for too, so the two fixes write one line), else its
/// anchored path (`/config/.env.prod`); when a nested
/// `.gitignore` re-includes the file, to the deepest one above it instead, since that one has
/// the last word. Only an edit that really makes git ignore the file is offered.
fn ignore_edit(
    ctx: &Ctx<'_>,
    tree: &IgnoreTree,
    file: &SourceFile,
) -> Option<(String, String, Edit)> {
    let deepest = tree
        .dirs()
        .filter(|dir| dir.is_empty() || file.path.starts_with(&format!("{dir}/")))
        .max_by_key(|dir| dir.len())
        .map(|dir| {
            if dir.is_empty() {
                ".gitignore".to_string()
            } else {
                format!("{dir}/.gitignore")
            }
        });
    let mut candidates = vec![".gitignore".to_string()];
    candidates.extend(deepest.filter(|d| d != ".gitignore"));
    for gitignore in candidates {
        let dir = gitignore.strip_suffix(".gitignore").unwrap_or("");
        let Some(rel) = file.path.strip_prefix(dir) else {
            continue;
        };
        let existing = ctx.project.file(&gitignore);
        if existing.is_none() && ctx.project.root.join(&gitignore).exists() {
            continue;
        }
        let old = existing
            .and_then(|f| f.text().ok())
            .map_or("", |t| &*t.content);
        let pattern = if rel.contains('/') || rel.starts_with(['#', '!']) {
            format!("/{}", escape(rel))
        } else {
            escape(rel)
        };
        // The tree has the file parsed already (a generated one can be megabytes).
        let parsed = match tree.file(&gitignore) {
            Some(parsed) => parsed,
            None => &GitignoreFile::parse(old),
        };
        let block = parsed.append_block(None, std::slice::from_ref(&pattern));
        if !tree
            .with_appended(&gitignore, &block)
            .verdict(&file.path, false)
            .is_ignored()
        {
            continue;
        }
        let edit = match existing {
            Some(_) => Edit::insert(gitignore.clone(), old.len(), block),
            None => Edit::create(gitignore.clone(), block),
        };
        return Some((gitignore, pattern, edit));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_by_name() {
        let markers: Vec<String> = ["example", "sample", "template", "dist"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for name in [
            ".env.example",
            ".env.sample",
            ".env.template",
            ".env.dist",
            "example.env",
            ".env.prod.Example",
        ] {
            assert!(is_template(name, &markers), "{name}");
        }
        for name in [
            ".env",
            ".env.production",
            "prod.env",
            ".flaskenv",
            ".env.examples",
        ] {
            assert!(!is_template(name, &markers), "{name}");
        }
    }

    #[test]
    fn escapes_glob_characters() {
        assert_eq!(escape("conf/[prod].env"), "conf/\\[prod].env");
        assert_eq!(escape(".env"), ".env");
    }
}
