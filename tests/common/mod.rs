//! Shared test helpers: scratch projects, running checks and fixes through the library.

#![allow(dead_code)]

pub mod differential;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use harden::cli::SelectionArgs;
use harden::commands::Mode;
use harden::commands::fix::fix_project;
use harden::finding::Finding;
use harden::session::Session;

/// The external tool (hadolint, zizmor, checkov, a python with Django) that the environment
/// variable `var` names. Tests that need one carry `#[ignore = "needs ..."]`, which cargo's
/// summary shows; `.ci/run` installs every tool and runs them with `--include-ignored`. A test
/// that runs without its tool was asked for, so it fails and says what to set.
pub fn required_tool(var: &str, test: &str) -> PathBuf {
    match std::env::var_os(var) {
        Some(path) if !path.is_empty() && Path::new(&path).exists() => PathBuf::from(path),
        Some(path) if !path.is_empty() => panic!(
            "{test} needs {var}, which names {} (not found); .ci/run installs it",
            path.to_string_lossy()
        ),
        _ => panic!("{test} needs {var} to name the tool; .ci/run installs it and sets it"),
    }
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn selection(root: &Path, select: Option<&[&str]>) -> SelectionArgs {
    SelectionArgs {
        path: root.to_path_buf(),
        select: select.map(|ids| ids.iter().map(|s| s.to_string()).collect()),
        ..SelectionArgs::default()
    }
}

pub fn session(root: &Path, select: Option<&[&str]>) -> Session {
    match Session::new(&selection(root, select)) {
        Ok(session) => session,
        Err(e) => panic!("cannot start a session on {}: {e}", root.display()),
    }
}

/// Active (unsuppressed) findings of the selected checks.
pub fn check(root: &Path, select: Option<&[&str]>) -> Vec<Finding> {
    let session = session(root, select);
    let project = session.walk();
    session
        .check(&project)
        .into_iter()
        .filter(|f| f.suppressed.is_none())
        .collect()
}

/// `harden fix --yes [--unsafe-fixes]` through the library.
pub fn fix_all(root: &Path, select: Option<&[&str]>, unsafe_fixes: bool) {
    let session = session(root, select);
    if let Err(e) = fix_project(&session, Mode::Yes, unsafe_fixes, false) {
        panic!("fix failed on {}: {e}", root.display());
    }
}

/// Every file under `dir` (relative path → bytes), to compare before and after.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&path) else {
            continue;
        };
        for entry in entries.flatten() {
            let Ok(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                stack.push(entry.path());
            } else if file_type.is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(entry.path()).unwrap());
            }
        }
    }
    out
}

/// Copy a directory tree (files only; symlinks skipped) into a fresh temp dir.
pub fn copy_to_temp(dir: &Path) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (rel, bytes) in snapshot(dir) {
        let target = temp.path().join(&rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, bytes).unwrap();
    }
    temp
}

/// Write `files` (path → content) into a fresh temp dir.
pub fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        let target = temp.path().join(rel);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(target, content).unwrap();
    }
    temp
}

/// `path:line` of a finding's primary location (`path` alone for whole-file findings).
pub fn position(root: &Path, finding: &Finding) -> String {
    match &finding.primary.span {
        Some(span) => {
            let text =
                std::fs::read_to_string(root.join(&finding.primary.path)).unwrap_or_default();
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!("{}:{line}", finding.primary.path)
        }
        None => finding.primary.path.clone(),
    }
}

/// Path to the built binary, for CLI tests.
pub fn harden_bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_harden"))
}

/// A user check directory with one fixable yaml-value check, so these tests exercise the whole
/// path (user checks, fixes, diffs) independently of the built-in check set.
pub const DEMO_CHECK: &str = r#"id = "demo-debug-on"
title = "Debug is on"
severity = "high"
kinds = ["yaml-config"]
message = "`{{ key }}` is `{{ value }}`"
[docs]
why = "Debug mode leaks internals to anyone who can trigger an error page, which is why it is off."
fix = "Sets it to off."
[example.bad]
"app.yml" = "debug: on\n"
[example.good]
"app.yml" = "debug: off\n"
[match]
type = "yaml-value"
path = ["settings", "*", "debug"]
equals = ["on"]
replace-with = "off"
[fix]
applicability = "safe"
title = "Turn `{{ key }}` off"
"#;

pub fn demo_project(config_yml: &str) -> tempfile::TempDir {
    project(&[
        (
            "harden.toml",
            "checks = [\"my-checks\"]\nselect = [\"demo\"]\n",
        ),
        ("my-checks/demo/debug-on.toml", DEMO_CHECK),
        ("app.yml", config_yml),
    ])
}

/// Run the harden binary in `dir` with `args` and then `.` (no colour): exit code, stdout,
/// stderr. Paths in the output are the project's own (the current directory is its root).
#[allow(dead_code)]
pub fn run_on(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let output = std::process::Command::new(harden_bin())
        .args(args)
        .arg(".")
        .current_dir(dir)
        // The report says whether an advisory database was found: never the user's own cache.
        .env("HARDEN_CACHE_DIR", "/nonexistent/harden-test-cache")
        .env_remove("HARDEN_ADVISORIES")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The import invariant for fixed Python modules: each of `modules` (paths relative to
/// `root`) is imported by `python3` with stub third-party modules and no environment (see
/// `tests/common/stub_import.py`); the failures it reports (SyntaxError, NameError, a missing
/// module of the project), one per line. `None` when `python3` is not installed.
pub fn python_import_failures(root: &Path, modules: &[String]) -> Option<Vec<String>> {
    if modules.is_empty() {
        return Some(Vec::new());
    }
    let script = repo_root().join("tests/common/stub_import.py");
    let output = std::process::Command::new("python3")
        .arg("-I")
        .arg(&script)
        .arg(root)
        .args(modules)
        .output()
        .ok()?;
    assert!(
        output.status.success(),
        "the stub importer failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Some(
        String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(str::to_string)
            .collect(),
    )
}
