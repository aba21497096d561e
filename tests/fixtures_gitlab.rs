//! The GitLab sample projects. The insecure one has a `.gitlab-ci.yml` with a local include,
//! `extends:` of a template in the included file, YAML anchors and a `!reference`, and one
//! of each problem the gitlab-* checks find; its strict report is a snapshot, and its GitLab
//! Code Quality report (`--format gitlab`) validates against the vendored schema of that
//! format. The hardened one (pinned images, bandit, pip-audit, GitLab secret detection, merge
//! request pipelines, Renovate) passes the strict profile.

mod common;

use common::{copy_to_temp, repo_root, snapshot};
use serde_json::Value;

fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    common::run_on(dir, args)
}

fn validator() -> jsonschema::Validator {
    let path = repo_root().join("tests/schemas/gitlab-codequality.schema.json");
    let text = std::fs::read_to_string(&path).expect("the vendored schema is in the repository");
    let schema: Value = serde_json::from_str(&text).expect("the schema is JSON");
    jsonschema::validator_for(&schema).expect("the schema compiles")
}

fn assert_valid(validator: &jsonschema::Validator, report: &Value) {
    let errors: Vec<String> = validator
        .iter_errors(report)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{}\n{report:#}", errors.join("\n"));
}

#[test]
fn fixtures_have_the_features_they_claim() {
    let dir = repo_root().join("fixtures/insecure-gitlab");
    let main = std::fs::read_to_string(dir.join(".gitlab-ci.yml")).unwrap();
    for feature in [
        "local: ci/templates.yml",
        "extends: .docker-build",
        "<<: *install",
        "!reference [.audit, script]",
    ] {
        assert!(main.contains(feature), "insecure-gitlab lacks `{feature}`");
    }
}

#[test]
fn hardened_gitlab_fixture_passes_strict() {
    let dir = repo_root().join("fixtures/hardened-gitlab");
    let (code, stdout, _) = run(&dir, &["check", "--profile", "strict"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.starts_with("No findings"), "{stdout}");
    let (_, report, _) = run(
        &dir,
        &["check", "--profile", "strict", "--format", "gitlab"],
    );
    assert_eq!(report.trim(), "[]");
}

#[test]
fn insecure_gitlab_fixture_report() {
    let dir = repo_root().join("fixtures/insecure-gitlab");
    let (code, stdout, _) = run(&dir, &["check", "--profile", "strict"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("insecure_gitlab_text_report", stdout);
}

#[test]
fn gitlab_code_quality_report_matches_the_schema() {
    let dir = repo_root().join("fixtures/insecure-gitlab");
    let (code, stdout, _) = run(
        &dir,
        &["check", "--profile", "strict", "--format", "gitlab"],
    );
    assert_eq!(code, Some(1));
    let report: Value = serde_json::from_str(&stdout).expect("the report is JSON");
    let validator = validator();
    assert_valid(&validator, &report);
    let issues = report.as_array().unwrap();
    assert!(issues.len() > 10, "{report:#}");
    // Fingerprints are unique: GitLab keys issues by them.
    let mut fingerprints: Vec<&str> = issues
        .iter()
        .map(|i| i["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), issues.len());
    // An issue in an included file points at that file and line.
    let dind = issues
        .iter()
        .find(|i| i["check_name"] == "gitlab-dind-without-tls")
        .unwrap();
    assert_eq!(dind["location"]["path"], "ci/templates.yml");
    assert_eq!(dind["location"]["lines"]["begin"], 6);
    assert_eq!(dind["severity"], "major");
}

#[test]
fn schema_rejects_what_gitlab_would_not_read() {
    let validator = validator();
    let good: Value = serde_json::json!([{
        "description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor",
        "location": {"path": "a.yml", "lines": {"begin": 1}}
    }]);
    assert_valid(&validator, &good);
    for broken in [
        serde_json::json!({"not": "an array"}),
        serde_json::json!([{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "high", "location": {"path": "a", "lines": {"begin": 1}}}]),
        serde_json::json!([{"description": "d", "check_name": "c", "severity": "minor", "location": {"path": "a", "lines": {"begin": 1}}}]),
        serde_json::json!([{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor", "location": {"path": "a"}}]),
        serde_json::json!([{"description": "d", "check_name": "c", "fingerprint": "f", "severity": "minor", "location": {"path": "a", "lines": {"begin": 0}}}]),
    ] {
        assert!(!validator.is_valid(&broken), "{broken}");
    }
}

#[test]
fn insecure_gitlab_fixture_fix_keeps_the_invariants() {
    let temp = copy_to_temp(&repo_root().join("fixtures/insecure-gitlab"));
    let (_, _, stderr) = run(temp.path(), &["fix", "--yes", "--profile", "strict"]);
    assert!(stderr.contains("fixed"), "{stderr}");
    let after = std::fs::read_to_string(temp.path().join(".gitlab-ci.yml")).unwrap();
    assert!(after.contains("CI_DEBUG_TRACE: \"false\""), "{after}");
    // Comments and the rest of the file are kept: the value changed, and the security jobs
    // the project lacked (bandit, detect-secrets) were added at the end, pinned.
    let before =
        std::fs::read_to_string(repo_root().join("fixtures/insecure-gitlab/.gitlab-ci.yml"))
            .unwrap();
    let kept = before.replace("CI_DEBUG_TRACE: \"true\"", "CI_DEBUG_TRACE: \"false\"");
    assert!(after.starts_with(&kept), "{after}");
    for job in ["\nbandit:\n", "\ndetect-secrets:\n"] {
        assert!(after[kept.len()..].contains(job), "{after}");
    }
    assert!(temp.path().join("renovate.json").is_file());
    assert!(!temp.path().join(".github").exists());
    let first = snapshot(temp.path());
    run(temp.path(), &["fix", "--yes", "--profile", "strict"]);
    assert_eq!(
        first,
        snapshot(temp.path()),
        "a second fix changed something"
    );
    let (_, stdout, _) = run(temp.path(), &["check", "--profile", "strict"]);
    assert!(!stdout.contains("gitlab-debug-trace"), "{stdout}");
}
