//! The binary as a user runs it: exit codes, configuration errors, baselines, suppressions,
//! user checks, `fix --diff` through `git apply`, `fix --yes`.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use common::{demo_project, harden_bin, project};

fn harden(dir: &Path, args: &[&str]) -> Output {
    Command::new(harden_bin())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run harden")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

const TWO_SERVICES: &str =
    "# services\nsettings:\n  web:\n    debug: off  # fine\n  worker:\n    debug: on\n";

#[test]
fn exit_codes_follow_findings_and_fail_on() {
    let clean = demo_project("settings:\n  web:\n    debug: off\n");
    assert_eq!(harden(clean.path(), &["check"]).status.code(), Some(0));

    let dirty = demo_project(TWO_SERVICES);
    let output = harden(dirty.path(), &["check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("high[demo-debug-on]: `debug` is `on`"),
        "{text}"
    );
    assert!(text.contains("app.yml:6:12"), "{text}");
    assert!(
        text.contains("Found 1 finding (1 high); 1 fixable"),
        "{text}"
    );

    assert_eq!(
        harden(dirty.path(), &["check", "--fail-on", "critical"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn usage_and_configuration_errors_exit_2() {
    let dir = demo_project(TWO_SERVICES);
    let output = harden(dir.path(), &["check", "--select", "no-such-check"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("unknown check or domain `no-such-check`"));

    let output = harden(dir.path(), &["check", "/definitely/not/here"]);
    assert_eq!(output.status.code(), Some(2));

    let bad = project(&[(
        "harden.toml",
        "profil = \"strict\"\nfail-on = \"sometimes\"\nignore = [\"nope\"]\n",
    )]);
    let output = harden(bad.path(), &["check"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("harden.toml:1:1: unknown key `profil`"),
        "{err}"
    );
    assert!(
        err.contains("harden.toml:2:12: unknown severity `sometimes`"),
        "{err}"
    );

    let unknown_id = project(&[(
        "harden.toml",
        "ignore = [\"nope\"]\n[severity]\nalso-nope = \"low\"\n",
    )]);
    let err = stderr(&harden(unknown_id.path(), &["check"]));
    assert!(
        err.contains("harden.toml:1:12: unknown check or domain `nope`"),
        "{err}"
    );
    assert!(
        err.contains("harden.toml:3:1: unknown check `also-nope`"),
        "{err}"
    );

    let bad_check = project(&[
        ("harden.toml", "checks = [\"c\"]\n"),
        ("c/demo/x.toml", "id = \"demo-y\"\n"),
    ]);
    let err = stderr(&harden(bad_check.path(), &["check"]));
    assert!(
        err.contains("c/demo/x.toml:1:7: check id `demo-y` does not match its file"),
        "{err}"
    );
    assert!(err.contains("missing required key `title`"), "{err}");
}

#[test]
fn inline_suppression_and_baseline() {
    let suppressed = demo_project(
        "settings:\n  worker:\n    debug: on  # harden: ignore[demo-debug-on] local only\n",
    );
    let output = harden(suppressed.path(), &["check"]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert!(stdout(&output).contains("1 suppressed"));

    let legacy = demo_project(TWO_SERVICES);
    let output = harden(
        legacy.path(),
        &["check", "--write-baseline", "harden-baseline.json"],
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        harden(
            legacy.path(),
            &["check", "--baseline", "harden-baseline.json"]
        )
        .status
        .code(),
        Some(0)
    );

    // Lines move: still matched. A new finding: reported.
    std::fs::write(
        legacy.path().join("app.yml"),
        format!("# moved\n\n{TWO_SERVICES}  cron:\n    debug: on\n"),
    )
    .unwrap();
    let output = harden(
        legacy.path(),
        &["check", "--baseline", "harden-baseline.json"],
    );
    assert_eq!(output.status.code(), Some(1));
    let text = stdout(&output);
    assert!(
        text.contains("app.yml:10:12") && text.contains("1 suppressed"),
        "{text}"
    );
}

#[test]
fn fix_diff_is_a_patch_git_applies_and_writes_nothing() {
    let dir = demo_project(TWO_SERVICES);
    let output = harden(dir.path(), &["fix", "--diff"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let patch = stdout(&output);
    assert!(
        patch.starts_with("diff --git a/app.yml b/app.yml\n--- a/app.yml\n+++ b/app.yml\n"),
        "{patch}"
    );
    assert!(
        patch.contains("-    debug: on\n+    debug: off\n"),
        "{patch}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("app.yml")).unwrap(),
        TWO_SERVICES
    );

    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("git")
    };
    assert!(git(&["init", "-q"]).status.success());
    std::fs::write(dir.path().join("fix.patch"), &patch).unwrap();
    let applied = git(&["apply", "--check", "fix.patch"]);
    assert!(
        applied.status.success(),
        "git apply refused the patch: {}",
        String::from_utf8_lossy(&applied.stderr)
    );
}

#[test]
fn fix_yes_applies_and_keeps_comments() {
    let dir = demo_project(TWO_SERVICES);
    let output = harden(dir.path(), &["fix", "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("fixed 1 finding(s) in 1 file(s); 0 finding(s) remain"),
        "{}",
        stderr(&output)
    );
    let fixed = std::fs::read_to_string(dir.path().join("app.yml")).unwrap();
    assert_eq!(fixed, TWO_SERVICES.replace("debug: on\n", "debug: off\n"));
    assert_eq!(harden(dir.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn fix_without_a_terminal_asks_for_yes_or_diff() {
    let dir = demo_project(TWO_SERVICES);
    let output = harden(dir.path(), &["fix"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("pass --yes"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn output_file_and_checks_and_explain() {
    let dir = demo_project(TWO_SERVICES);
    let output = harden(dir.path(), &["check", "--output", "report.txt"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stdout(&output).is_empty());
    assert!(
        std::fs::read_to_string(dir.path().join("report.txt"))
            .unwrap()
            .contains("demo-debug-on")
    );

    let listing = stdout(&harden(dir.path(), &["checks"]));
    assert!(listing.starts_with("ID "), "{listing}");
    assert!(listing.contains("parse-error"), "{listing}");

    let explained = harden(dir.path(), &["explain", "parse-error"]);
    assert_eq!(explained.status.code(), Some(0));
    assert!(stdout(&explained).contains("## Why"));
    assert_eq!(
        harden(dir.path(), &["explain", "nope"]).status.code(),
        Some(2)
    );
}

#[test]
fn secrets_are_located_but_never_printed() {
    let token = "AKIAHARDENTESTKEY777";
    let dir = project(&[(
        "config/storage.yml",
        &format!("bucket: b\naccess_key_id: {token}\n"),
    )]);
    for format in ["text", "json", "sarif", "github", "markdown"] {
        let output = harden(
            dir.path(),
            &[
                "check",
                "--select",
                "secret-token-in-config",
                "--format",
                format,
            ],
        );
        assert_eq!(output.status.code(), Some(1), "{format}");
        let shown = stdout(&output);
        assert!(
            !shown.contains(token),
            "{format} output prints the secret:\n{shown}"
        );
        assert!(shown.contains("config/storage.yml"), "{format}:\n{shown}");
    }
}

/// The README's worked example of a check of your own, with a fix: the file in
/// docs/examples/custom-checks is the one the README shows, and it works as the README says.
#[test]
fn readme_custom_check_example() {
    let root = common::repo_root();
    let check = std::fs::read_to_string(
        root.join("docs/examples/custom-checks/org/base-image-mirror.toml"),
    )
    .unwrap();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(
        readme.contains(&check),
        "README.md must show docs/examples/custom-checks/org/base-image-mirror.toml verbatim"
    );
    let dir = project(&[
        ("harden.toml", "checks = [\"harden-checks\"]\n"),
        ("harden-checks/org/base-image-mirror.toml", &check),
        (
            "Dockerfile",
            "FROM registry.example.com/library/python:3.12-slim AS build\nFROM python:3.12-slim\n",
        ),
    ]);
    let select = ["--select", "org-base-image-mirror"];
    let output = harden(dir.path(), &["check", select[0], select[1]]);
    assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
    let report = stdout(&output);
    assert!(report.contains("Dockerfile:2:6"), "{report}");
    assert!(report.contains("1 fixable"), "{report}");
    let output = harden(dir.path(), &["fix", "--yes", select[0], select[1]]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
    assert_eq!(
        std::fs::read_to_string(dir.path().join("Dockerfile")).unwrap(),
        "FROM registry.example.com/library/python:3.12-slim AS build\n\
         FROM registry.example.com/library/python:3.12-slim\n"
    );
    let output = harden(dir.path(), &["check", select[0], select[1]]);
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}
