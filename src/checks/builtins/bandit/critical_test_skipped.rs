//! `bandit-critical-test-skipped`: a bandit configuration turns off one of the `critical`
//! tests (by id or by name) in `skips`, or limits bandit to a `tests` list that leaves one
//! out; or a Django / Flask settings line carries `# nosec`. Display-only: whether the skip
//! hides a real problem needs a person.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::checks::builtins::bandit::configs;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::project::flask;

pub const BUILTIN: Builtin = Builtin {
    name: "bandit-critical-test-skipped",
    vars: &["test", "how"],
    params: &["critical"],
    run,
};

/// bandit's names for the ids the check knows, since `skips` accepts either.
const NAMES: &[(&str, &str)] = &[
    ("B105", "hardcoded_password_string"),
    ("B106", "hardcoded_password_funcarg"),
    ("B107", "hardcoded_password_default"),
    ("B201", "flask_debug_true"),
    ("B301", "pickle"),
    ("B307", "eval"),
    ("B501", "request_with_no_cert_validation"),
    ("B506", "yaml_load"),
    ("B602", "subprocess_popen_with_shell_equals_true"),
    ("B608", "hardcoded_sql_expressions"),
    ("B610", "django_extra_used"),
    ("B611", "django_rawsql_used"),
    ("B703", "django_mark_safe"),
];

static NOSEC: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"#[^\n]*?\bnosec\b([^\n]*)").ok());

/// A line that assigns an UPPERCASE setting (module level or a config class attribute).
static SETTING_LINE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[A-Z][A-Z0-9_]*\s*(:[^=]*)?=[^=]").expect("static regex"));

/// A bandit test id.
static TEST_ID: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bB\d{3}\b").expect("static regex"));

/// The id a `skips` / `tests` item names (`B602`, `b602`, or the test's name).
fn test_id(item: &str) -> String {
    let item = item.trim();
    NAMES
        .iter()
        .find(|(_, name)| *name == item)
        .map_or_else(|| item.to_ascii_uppercase(), |(id, _)| id.to_string())
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let critical: Vec<String> = ctx
        .param_strings("critical")
        .iter()
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let mut hits = Vec::new();
    for config in configs(ctx.project) {
        for item in &config.settings.skips {
            let id = test_id(&item.value);
            if critical.contains(&id) {
                hits.push(
                    Hit::at(Location::span(&config.path, item.span.clone()))
                        .var("test", id)
                        .var("how", "skipped"),
                );
            }
        }
        if !config.settings.tests.is_empty() {
            let listed: Vec<String> = config
                .settings
                .tests
                .iter()
                .map(|t| test_id(&t.value))
                .collect();
            let left_out: Vec<&str> = critical
                .iter()
                .filter(|c| !listed.contains(c))
                .map(String::as_str)
                .collect();
            if !left_out.is_empty() {
                let location = match &config.settings.tests_span {
                    Some(span) => Location::span(&config.path, span.clone()),
                    None => Location::file(&config.path),
                };
                hits.push(
                    Hit::at(location)
                        .var("test", left_out.join(", "))
                        .var("how", "left out of the `tests` list bandit is limited to"),
                );
            }
        }
    }
    let Some(nosec) = NOSEC.as_ref() else {
        return hits;
    };
    // Where a setting can be written: a Django settings entry module or a module that creates
    // the Flask application, as a whole (`app.config.from_object(__name__)` loads its
    // upper-case names); elsewhere only the production config classes' settings. NOTE: not
    // every module that imports Flask: a constant like privacyIDEA's
    // `CENSORED = "__CENSORED__"  # nosec B105` in its crypto module silences a bandit false
    // positive, not a setting.
    let modules = ctx.flask_modules();
    let mut flask_writes: Vec<(&str, Range<usize>)> = Vec::new();
    for resolved in flask::production_classes(modules) {
        for (write, module, _) in resolved.settings.values() {
            flask_writes.push((module.path.as_str(), write.stmt.clone()));
        }
    }
    let whole_modules: Vec<&str> = ctx
        .django_entries()
        .iter()
        .map(|e| e.file.path.as_str())
        .chain(
            modules
                .iter()
                .filter(|m| m.is_flask())
                .map(|m| m.path.as_str()),
        )
        .collect();
    let mut settings_files: Vec<&str> = whole_modules
        .iter()
        .copied()
        .chain(flask_writes.iter().map(|(path, _)| *path))
        .collect();
    settings_files.sort();
    settings_files.dedup();
    for path in settings_files {
        let Some(text) = ctx.project.file(path).and_then(|f| f.text().ok()) else {
            continue;
        };
        for found in nosec.captures_iter(&text.content) {
            let (Some(whole), Some(rest)) = (found.get(0), found.get(1)) else {
                continue;
            };
            // Only a setting's own line: `SECRET_KEY = "..."  # nosec` hides the literal from
            // B105. A `# nosec` on code of the module (lemur's app factory `exec`s its config
            // file on purpose, with a reason) is a code review decision, not a setting.
            let line_start = text.content[..whole.start()]
                .rfind('\n')
                .map_or(0, |at| at + 1);
            if !SETTING_LINE.is_match(&text.content[line_start..whole.start()]) {
                continue;
            }
            // Elsewhere a `# nosec` counts on a production config class setting's own line.
            let on_write = |stmt: &Range<usize>| {
                let line_end = text.content[stmt.end.min(text.content.len())..]
                    .find('\n')
                    .map_or(text.content.len(), |at| stmt.end + at);
                stmt.start <= whole.start() && whole.start() <= line_end
            };
            if !whole_modules.contains(&path)
                && !flask_writes
                    .iter()
                    .any(|(p, stmt)| *p == path && on_write(stmt))
            {
                continue;
            }
            // Bandit reads test ids (`B105`) after `nosec`; anything else is a reason, and a
            // `# nosec` without ids silences every test on the line.
            let mut ids: Vec<&str> = TEST_ID
                .find_iter(rest.as_str())
                .map(|m| m.as_str())
                .collect();
            ids.extend(
                NAMES
                    .iter()
                    .filter(|(_, name)| rest.as_str().contains(name))
                    .map(|(id, _)| *id),
            );
            let test = if ids.is_empty() {
                "every test".to_string()
            } else {
                ids.join(", ")
            };
            hits.push(
                Hit::at(Location::span(path, whole.range()))
                    .var("test", test)
                    .var("how", "silenced with `# nosec` on a settings line"),
            );
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_names() {
        assert_eq!(test_id("b602"), "B602");
        assert_eq!(test_id("hardcoded_sql_expressions"), "B608");
        assert_eq!(test_id("B101"), "B101");
    }
}
