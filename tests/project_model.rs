//! The project model: the corpus of project shapes under tests/projects/ (each a `quiet`
//! variant a check must not fire on with the baseline profile, and a `fires` variant it must
//! still fire on), git state read from real temporary repositories, `harden project`, and the
//! finding's scope in the JSON report.

mod common;

use std::path::Path;
use std::process::Command;

use common::{check, repo_root};

/// (shape directory, the check the shape is about).
const CORPUS: &[(&str, &str)] = &[
    ("compose-ci-test-stack", "compose-database-port-published"),
    ("deps-build-reads-requirements", "deps-unpinned-requirement"),
    (
        "deps-package-data-requirements",
        "deps-unpinned-requirement",
    ),
    ("deps-published-app", "deps-no-lock"),
    ("django-bare-settings-name", "django-debug-enabled"),
    ("django-build-step-settings", "django-secret-key-hardcoded"),
    ("django-commented-entry", "django-secret-key-hardcoded"),
    ("django-entry-imported-by-tests", "django-debug-enabled"),
    ("django-example-project", "django-debug-enabled"),
    ("django-framework-base-settings", "django-debug-enabled"),
    ("django-imports-development", "django-debug-enabled"),
    ("django-missing-entry-module", "django-secret-key-hardcoded"),
    ("django-project-template", "deps-unpinned-requirement"),
    ("django-pytest-settings", "django-debug-enabled"),
    ("django-sys-path-star-import", "django-debug-enabled"),
    ("django-unreached-settings", "django-secret-key-hardcoded"),
    ("docker-dev-compose", "docker-debug-server"),
    ("docker-devcontainer", "docker-runs-as-root"),
    ("docker-development-base-image", "docker-runs-as-root"),
    ("dockerignore-development-image", "dockerignore-missing"),
    ("example-flask-app", "flask-debug-enabled"),
    (
        "gitignore-produced-files",
        "gitignore-missing-secret-patterns",
    ),
    ("library-ci-matrix", "python-eol-version"),
];

fn corpus_dir() -> std::path::PathBuf {
    repo_root().join("tests/projects")
}

fn fired(root: &Path, check_id: &str) -> Vec<String> {
    check(root, None)
        .into_iter()
        .filter(|f| f.check == check_id)
        .map(|f| format!("{}: {}", f.primary.path, f.message))
        .collect()
}

#[test]
fn corpus_quiet_variants_raise_nothing_and_fires_variants_still_fire() {
    let mut failures = Vec::new();
    for (shape, check_id) in CORPUS {
        let dir = corpus_dir().join(shape);
        let quiet = fired(&dir.join("quiet"), check_id);
        if !quiet.is_empty() {
            failures.push(format!("{shape}/quiet: {check_id} fired: {quiet:?}"));
        }
        if fired(&dir.join("fires"), check_id).is_empty() {
            failures.push(format!("{shape}/fires: {check_id} did not fire"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_corpus_directory_has_a_row() {
    let mut dirs: Vec<String> = std::fs::read_dir(corpus_dir())
        .expect("tests/projects exists")
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    let rows: Vec<&str> = CORPUS.iter().map(|(shape, _)| *shape).collect();
    assert_eq!(dirs, rows);
}

fn harden(args: &[&str]) -> (String, i32) {
    let output = Command::new(env!("CARGO_BIN_EXE_harden"))
        .args(args)
        .output()
        .expect("harden runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        output.status.code().unwrap_or(-1),
    )
}

#[test]
fn project_command_prints_the_evidence() {
    let root = corpus_dir().join("docker-dev-compose/quiet");
    let (text, code) = harden(&["project", root.to_str().unwrap()]);
    assert_eq!(code, 0, "{text}");
    for expected in [
        "production   Dockerfile: built or pushed by the release workflow `.github/workflows/release.yml`",
        "development  docker/web.Dockerfile: built only by `docker-compose.yml`, a development compose file (service `web` runs `runserver`, a development server)",
        "development  docker/dev/Dockerfile: under `dev/`: development material",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }

    let root = corpus_dir().join("django-build-step-settings/quiet");
    let (json, code) = harden(&["project", root.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(value["version"], 1);
    let settings = value["settings"].as_array().expect("settings");
    let scope_of = |path: &str| {
        settings
            .iter()
            .find(|s| s["path"] == path)
            .map(|s| s["scope"].as_str().unwrap_or_default().to_string())
    };
    assert_eq!(
        scope_of("proj/settings/production.py").as_deref(),
        Some("production")
    );
    assert_eq!(
        scope_of("proj/settings/assets.py").as_deref(),
        Some("tooling")
    );
}

#[test]
fn json_findings_carry_their_scope() {
    let root = corpus_dir().join("docker-devcontainer/fires");
    let (json, _) = harden(&[
        "check",
        root.to_str().unwrap(),
        "--profile",
        "strict",
        "--format",
        "json",
    ]);
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let findings = value["findings"].as_array().expect("findings");
    let root_user = findings
        .iter()
        .find(|f| f["check"] == "docker-runs-as-root")
        .expect("the shipped image runs as root");
    assert_eq!(root_user["scope"], "production");
    // Strict judges development images for supply-chain checks, and says so in the message.
    let dev: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["path"] == ".devcontainer/Dockerfile")
        .collect();
    assert!(!dev.is_empty(), "strict judges the dev container's pins");
    for finding in dev {
        assert_eq!(finding["scope"], "development");
        let message = finding["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("[development scope: under `.devcontainer/`"),
            "{message}"
        );
        assert!(!message.contains("production"), "{message}");
        assert_ne!(finding["check"], "docker-runs-as-root");
    }
}

// ---------------------------------------------------------------------------------------
// Git state, on real repositories in temporary directories.

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .expect("git is installed (the project model reads git's index)");
    assert!(status.success(), "git {args:?} failed");
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const KEY: &str = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA1t5YFVh2xbLq0p8WmXQ3VHs9Kq8CVr1fz4x1aQ1JkqQ8Y0ZcXn\n-----END RSA PRIVATE KEY-----\n";

#[test]
fn tracked_files_that_gitignore_matches_are_still_committed() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, ".env", "DATABASE_PASSWORD=hunter2-real-password\n");
    write(root, "deploy/server.key", KEY);
    write(root, "app.py", "print('hi')\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    // Ignoring them afterwards does not remove them from the repository.
    write(root, ".gitignore", ".env\n*.key\n");

    let findings = check(root, None);
    let ids: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.check.as_str(), f.primary.path.as_str()))
        .collect();
    assert!(
        ids.contains(&("secret-env-file-committed", ".env")),
        "{ids:?}"
    );
    assert!(
        ids.contains(&("secret-private-key-committed", "deploy/server.key")),
        "{ids:?}"
    );
    // No .gitignore edit is offered for a tracked file: it would hide the finding, not fix it.
    let env = findings
        .iter()
        .find(|f| f.check == "secret-env-file-committed")
        .unwrap();
    assert!(!env.is_fixable(), "{:?}", env.fix);
}

#[test]
fn untracked_ignored_files_are_local_and_not_reported() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, ".gitignore", ".env\n*.key\n");
    write(root, "app.py", "print('hi')\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    write(root, ".env", "DATABASE_PASSWORD=hunter2-real-password\n");
    write(root, "deploy/server.key", KEY);

    let findings = check(root, None);
    assert!(
        findings.iter().all(|f| !f.check.starts_with("secret-")),
        "{:?}",
        findings.iter().map(|f| &f.check).collect::<Vec<_>>()
    );
    // The same untracked key, not ignored, is what `git add .` would commit: reported.
    write(root, ".gitignore", ".env\n");
    let findings = check(root, None);
    assert!(
        findings
            .iter()
            .any(|f| f.check == "secret-private-key-committed"),
    );
}

#[test]
fn configured_overrides_decide_the_scope() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let settings = std::fs::read_to_string(
        corpus_dir().join("django-entry-imported-by-tests/fires/proj/settings.py"),
    )
    .unwrap();
    write(root, "proj/settings_dev.py", &settings);
    write(
        root,
        "proj/settings_live.py",
        &settings.replace("DEBUG = True", "DEBUG = False"),
    );
    // Named for development: not judged...
    assert!(
        check(root, None)
            .iter()
            .all(|f| f.check != "django-debug-enabled")
    );
    // ...until the configuration says it is production (the older key still works).
    for key in ["production", "production-settings"] {
        write(
            root,
            "harden.toml",
            &format!("{key} = [\"proj/settings_dev.py\"]\n"),
        );
        assert!(
            check(root, None)
                .iter()
                .any(|f| f.check == "django-debug-enabled"
                    && f.primary.path == "proj/settings_dev.py"),
            "{key}"
        );
    }
}

/// The `.env`-related lines gitignore-missing-secret-patterns reports for `root`.
fn missing_secret_patterns(root: &Path) -> Vec<String> {
    check(root, Some(&["gitignore-missing-secret-patterns"]))
        .into_iter()
        .map(|f| f.message)
        .collect()
}

#[test]
fn a_tracked_env_of_placeholders_is_a_documented_template() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    // A compose project that commits its `.env` on purpose, with the values to replace
    // (the shape of full-stack-fastapi-template).
    write(
        root,
        ".env",
        "# Replace these before deploying\nDOMAIN=localhost\nPROJECT_NAME=app\nSECRET_KEY=changethis\nPOSTGRES_PASSWORD=changethis\nFIRST_SUPERUSER_PASSWORD=\n",
    );
    write(
        root,
        "docker-compose.yml",
        "services:\n  db:\n    image: postgres:16\n    env_file: .env\n",
    );
    write(root, ".gitignore", ".env.*\n*.pem\n*.key\n");
    git(root, &["add", "."]);
    git(root, &["commit", "-q", "-m", "init"]);
    let messages = missing_secret_patterns(root);
    assert!(messages.is_empty(), "{messages:?}");

    // The same file holding a real secret is no template: `.env` is asked for, with the reason.
    write(
        root,
        ".env",
        "DOMAIN=localhost\nSECRET_KEY=9f8e7d6c5b4a39281706f5e4d3c2b1a0\n",
    );
    git(root, &["commit", "-q", "-am", "real secret"]);
    let messages = missing_secret_patterns(root);
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("does not ignore `.env` in every directory")
            && messages[0].contains("read by compose `env_file:` at docker-compose.yml:4"),
        "{}",
        messages[0]
    );

    // Untracked, a `.env` of placeholders says nothing about what is committed on purpose.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    git(root, &["init", "-q"]);
    write(root, ".gitignore", ".env.*\n*.pem\n*.key\n");
    write(root, ".env", "SECRET_KEY=changethis\n");
    let messages = missing_secret_patterns(root);
    assert_eq!(messages.len(), 1, "{messages:?}");
}

#[test]
fn own_host_middleware_sets_the_wildcard_aside_in_baseline_only() {
    let temp = common::copy_to_temp(
        &repo_root().join("tests/cases/django-allowed-hosts-wildcard/own-host-middleware"),
    );
    let root = temp.path();
    let ids = |profile: &str| {
        let (json, _) = harden(&[
            "check",
            root.to_str().unwrap(),
            "--profile",
            profile,
            "--select",
            "django-allowed-hosts-wildcard",
            "--format",
            "json",
        ]);
        let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
        value["findings"].as_array().map_or(0, Vec::len)
    };
    assert_eq!(ids("baseline"), 0);
    assert_eq!(ids("strict"), 1);
}

// ---------------------------------------------------------------------------------------
// Cost (issue 13).

/// A test suite or data table of hundreds of KB whose bytes assign `SECRET_KEY` is not parsed
/// to find out whether it is a settings module; named as settings (or small) it still is one.
#[test]
fn large_modules_not_named_as_settings_are_not_taken_for_settings() {
    let dir = tempfile::tempdir().unwrap();
    let big = "SECRET_KEY = 'x'\nINSTALLED_APPS = []\n".to_string()
        + &"def test_case():\n    assert True\n".repeat(8_000);
    assert!(big.len() > harden::project::MAX_UNNAMED_SETTINGS_BYTES);
    write(dir.path(), "app/tests/test_big.py", &big);
    write(dir.path(), "app/big_settings.py", &big);
    write(
        dir.path(),
        "app/conf.py",
        "SECRET_KEY = 'x'\nINSTALLED_APPS = []\n",
    );
    let project = harden::project::walk::walk(dir.path(), &globset::GlobSet::empty());
    let settings: Vec<&str> = project
        .model()
        .settings
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(settings, ["app/big_settings.py", "app/conf.py"]);
}
