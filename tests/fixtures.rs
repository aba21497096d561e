//! The bundled sample projects: the insecure one shows what harden finds and fixes (snapshots
//! of the text report and of the fix patch), the hardened one passes the strict profile.

mod common;

use std::process::Command;

use common::{copy_to_temp, repo_root};

fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    common::run_on(dir, args)
}

#[test]
fn hardened_fixture_passes_strict() {
    let dir = repo_root().join("fixtures/hardened-django");
    let (code, stdout, _) = run(&dir, &["check", "--profile", "strict"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.starts_with("No findings"), "{stdout}");
}

#[test]
fn insecure_fixture_report() {
    let dir = repo_root().join("fixtures/insecure-django");
    let (code, stdout, _) = run(&dir, &["check", "--profile", "strict"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("insecure_fixture_text_report", stdout);
}

#[test]
fn insecure_fixture_fix_patch_and_fixed_state() {
    let temp = copy_to_temp(&repo_root().join("fixtures/insecure-django"));
    let (_, patch, _) = run(
        temp.path(),
        &["fix", "--diff", "--unsafe-fixes", "--profile", "strict"],
    );
    insta::assert_snapshot!("insecure_fixture_fix_patch", patch);

    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .current_dir(temp.path())
            .output()
            .unwrap()
    };
    assert!(git(&["init", "-q"]).status.success());
    std::fs::write(temp.path().join("../harden-fix.patch"), &patch).unwrap();
    let check = git(&["apply", "--check", "../harden-fix.patch"]);
    assert!(
        check.status.success(),
        "git apply: {}",
        String::from_utf8_lossy(&check.stderr)
    );

    let (_, _, stderr) = run(
        temp.path(),
        &["fix", "--yes", "--unsafe-fixes", "--profile", "strict"],
    );
    assert!(stderr.contains("harden: fixed"), "{stderr}");
    let (_, after, _) = run(
        temp.path(),
        &["check", "--profile", "strict", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_str(&after).expect("check --format json");
    let findings = report["findings"].as_array().expect("a findings array");
    let still_fixable: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .filter(|f| {
            f["fix"]["applicability"]
                .as_str()
                .is_some_and(|a| a != "display-only")
        })
        .collect();
    assert!(
        still_fixable.is_empty(),
        "fixable findings remain after fix: {still_fixable:#?}"
    );
    let (_, patch_again, _) = run(
        temp.path(),
        &["fix", "--diff", "--unsafe-fixes", "--profile", "strict"],
    );
    assert!(
        patch_again.is_empty(),
        "second fix run would change files:\n{patch_again}"
    );
}
