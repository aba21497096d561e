//! The command line as ruff users expect it: the project root found upward, paths that land
//! where they are read (terminal, GitHub, `git apply`), several paths and single files, and the
//! flags people type (`--output-format`, `--exit-zero`, `--quiet`, `--statistics`, `--config`,
//! `--show-settings`, `--color always` through a pipe, did-you-mean).

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{DEMO_CHECK, harden_bin, project};

fn harden(dir: &Path, args: &[&str]) -> Output {
    Command::new(harden_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_WORKSPACE")
        .output()
        .expect("run harden")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// A monorepo: a git work tree whose service `svc/` is a project of its own (it has a
/// harden.toml), with a package `svc/config/` below it.
fn monorepo() -> tempfile::TempDir {
    let dir = project(&[
        (
            "svc/harden.toml",
            "checks = [\"checks\"]\nselect = [\"demo\"]\n",
        ),
        ("svc/checks/demo/debug-on.toml", DEMO_CHECK),
        ("svc/app.yml", "settings:\n  web:\n    debug: on\n"),
        (
            "svc/config/app.yml",
            "settings:\n  worker:\n    debug: on\n",
        ),
        ("README.md", "monorepo\n"),
    ]);
    let git = |args: &[&str]| {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .expect("git");
        assert!(status.status.success(), "git {args:?}: {status:?}");
    };
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&[
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "commit",
        "-qm",
        "init",
    ]);
    dir
}

#[test]
fn the_project_root_is_found_upward_and_the_asked_part_reported() {
    let repo = monorepo();
    // From a package inside the project: the project is svc/, the report is config/.
    let output = harden(&repo.path().join("svc/config"), &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(text.contains("--> app.yml:3:12"), "{text}");
    assert!(!text.contains("svc/app.yml"), "{text}");
    assert!(text.contains("Found 1 finding"), "{text}");

    // From the repository root, naming the service: paths the terminal can open from here.
    let text = stdout(&harden(repo.path(), &["check", "svc"]));
    assert!(text.contains("--> svc/app.yml:3:12"), "{text}");
    assert!(text.contains("--> svc/config/app.yml:3:12"), "{text}");

    // Single files, several at once.
    let output = harden(repo.path(), &["check", "svc/app.yml", "svc/config/app.yml"]);
    assert!(
        stdout(&output).contains("Found 2 findings"),
        "{}",
        stdout(&output)
    );
    let output = harden(repo.path(), &["check", "svc/config/app.yml"]);
    assert!(
        stdout(&output).contains("Found 1 finding"),
        "{}",
        stdout(&output)
    );

    // Paths in different projects cannot be one run.
    let other = project(&[("requirements.txt", "")]);
    let output = harden(
        repo.path(),
        &["check", "svc", other.path().to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("belong to different projects"));

    let output = harden(repo.path(), &["check", "svc/nope"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("svc/nope does not exist"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn github_annotations_and_sarif_are_relative_to_the_repository() {
    let repo = monorepo();
    for cwd in [repo.path().to_path_buf(), repo.path().join("svc/config")] {
        let target = if cwd == repo.path() { "svc" } else { ".." };
        let text = stdout(&harden(&cwd, &["check", target, "--format", "github"]));
        assert!(text.contains("file=svc/app.yml,line=3"), "{text}");
        let sarif = stdout(&harden(
            &cwd,
            &["check", target, "--output-format", "sarif"],
        ));
        let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
        let uris: Vec<&str> = sarif["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
            })
            .collect();
        assert_eq!(uris, ["svc/app.yml", "svc/config/app.yml"]);
        let base = sarif["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]["uri"]
            .as_str()
            .unwrap();
        let expected = format!("file://{}/", repo.path().canonicalize().unwrap().display());
        assert!(
            base == expected || base.ends_with(&format!("{}/", repo.path().display())),
            "{base} vs {expected}"
        );
    }
    // GITHUB_WORKSPACE names the repository root when it holds the project.
    let output = Command::new(harden_bin())
        .args(["check", "svc/config", "--format", "github"])
        .current_dir(repo.path())
        .env("GITHUB_WORKSPACE", repo.path())
        .output()
        .unwrap();
    assert!(stdout(&output).contains("file=svc/config/app.yml"));
}

#[test]
fn fix_diff_of_a_subproject_applies_from_the_repository_root() {
    let repo = monorepo();
    let output = harden(&repo.path().join("svc/config"), &["fix", "--diff"]);
    let patch = stdout(&output);
    assert!(
        patch.contains("diff --git a/svc/config/app.yml b/svc/config/app.yml"),
        "{patch}"
    );
    assert!(
        !patch.contains("a/svc/app.yml"),
        "only the asked part: {patch}"
    );
    let patch_file = repo.path().join("fix.patch");
    std::fs::write(&patch_file, &patch).unwrap();
    let applied = Command::new("git")
        .args(["apply", "--check", "fix.patch"])
        .current_dir(repo.path())
        .output()
        .unwrap();
    assert!(applied.status.success(), "{applied:?}\n{patch}");
}

#[test]
fn flags_people_type() {
    let repo = monorepo();
    let svc = repo.path().join("svc");

    let output = harden(&svc, &["check", "--exit-zero"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("Found 2 findings"));

    let quiet = stdout(&harden(&svc, &["check", "--quiet"]));
    assert!(quiet.contains("demo-debug-on"), "{quiet}");
    assert!(!quiet.contains("Found"), "{quiet}");

    let statistics = stdout(&harden(&svc, &["check", "--statistics"]));
    assert!(
        statistics.starts_with("    2  demo-debug-on  [*] high"),
        "{statistics}"
    );
    let json = stdout(&harden(
        &svc,
        &["check", "--statistics", "--output-format", "json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json[0]["check"], "demo-debug-on");
    assert_eq!(json[0]["count"], 2);

    // `--output json` writes a file named json: say so.
    let output = harden(&svc, &["check", "--output", "json"]);
    assert!(
        stderr(&output).contains("use `--format json`"),
        "{}",
        stderr(&output)
    );
    assert!(svc.join("json").is_file());

    let output = harden(&svc, &["check", "--select", "demo-debug-of"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("did you mean `demo-debug-on`?"),
        "{}",
        stderr(&output)
    );

    let settings = stdout(&harden(&svc, &["check", "--show-settings"]));
    assert!(
        settings.contains("configuration: harden.toml"),
        "{settings}"
    );
    assert!(settings.contains("checks enabled (1):"), "{settings}");
    assert!(settings.contains("  demo-debug-on [high]"), "{settings}");

    // `--config FILE` replaces the project's configuration.
    std::fs::write(
        repo.path().join("other.toml"),
        "checks = [\"svc/checks\"]\nselect = [\"demo\"]\nseverity = { demo-debug-on = \"low\" }\n",
    )
    .unwrap();
    let settings = stdout(&harden(
        &svc,
        &["check", "--config", "../other.toml", "--show-settings"],
    ));
    assert!(settings.contains("other.toml"), "{settings}");

    // `--color always` survives a pipe.
    let output = Command::new(harden_bin())
        .args(["--color", "always", "check"])
        .current_dir(&svc)
        .output()
        .unwrap();
    assert!(stdout(&output).contains('\u{1b}'), "{}", stdout(&output));
    let output = Command::new(harden_bin())
        .args(["check"])
        .current_dir(&svc)
        .output()
        .unwrap();
    assert!(!stdout(&output).contains('\u{1b}'));
}

#[test]
fn init_prints_the_next_steps() {
    let dir = tempfile::tempdir().unwrap();
    let output = harden(
        dir.path(),
        &["init", "shop", "--framework", "django", "--yes"],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let err = stderr(&output);
    for step in [
        "Next steps:",
        "  cd shop",
        "  cp .env.example .env",
        "  uv pip compile --generate-hashes requirements.in -o requirements.txt",
        "  DJANGO_SETTINGS_MODULE=shop.settings.development python manage.py runserver",
        "  harden check --profile strict",
    ] {
        assert!(err.contains(step), "{step}\n{err}");
    }
}
