//! The Docker sample projects: Dockerfiles that are multi-stage (`FROM ... AS build`,
//! `COPY --from`), with heredocs (`RUN <<EOF`; each followed by a blank line, which hadolint's
//! parser needs), ARG-based `FROM`s
//! (`${X:+y}`, `${X:-y}`, `$X`), `--platform`, a `# escape=` directive and Windows line endings.
//! The hardened one passes the strict profile; the insecure one's report is a snapshot, and
//! `fix --yes --unsafe-fixes` on it keeps the invariants: every changed Dockerfile re-parses,
//! no fixable finding remains, the CRLF file stays CRLF, and a second run changes nothing.
//! Both are also inputs of the hadolint and checkov differential tests.

mod common;

use common::{copy_to_temp, repo_root};
use harden::formats::dockerfile::Dockerfile;

fn run(dir: &std::path::Path, args: &[&str]) -> (Option<i32>, String, String) {
    common::run_on(dir, args)
}

const DOCKERFILES: &[&str] = &["Dockerfile", "windows/Dockerfile"];

#[test]
fn fixtures_have_the_features_they_claim() {
    for name in ["hardened-docker", "insecure-docker"] {
        let dir = repo_root().join("fixtures").join(name);
        let main = std::fs::read_to_string(dir.join("Dockerfile")).unwrap();
        for feature in [
            "AS build",
            "COPY --from=build",
            "<<EOF",
            "--platform=",
            ":-",
            ":+",
        ] {
            assert!(
                main.contains(feature),
                "{name}/Dockerfile lacks `{feature}`"
            );
        }
        let parsed = Dockerfile::parse(&main);
        assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
        assert_eq!(parsed.stages.len(), 2, "{name}");
        assert!(parsed.stages.iter().any(|s| s.platform.is_some()));
        let windows = std::fs::read_to_string(dir.join("windows/Dockerfile")).unwrap();
        assert!(windows.starts_with("# escape=`\r\n"), "{name}");
        assert_eq!(
            windows.matches('\n').count(),
            windows.matches("\r\n").count()
        );
        let parsed = Dockerfile::parse(&windows);
        assert!(parsed.errors.is_empty(), "{name}: {:?}", parsed.errors);
        assert_eq!(parsed.escape, '`');
    }
}

#[test]
fn hardened_docker_fixture_passes_strict() {
    let dir = repo_root().join("fixtures/hardened-docker");
    let (code, stdout, _) = run(&dir, &["check", "--profile", "strict"]);
    assert_eq!(code, Some(0), "{stdout}");
    assert!(stdout.starts_with("No findings"), "{stdout}");
}

#[test]
fn insecure_docker_fixture_report() {
    let dir = repo_root().join("fixtures/insecure-docker");
    let (code, stdout, _) = run(&dir, &["check", "--profile", "strict"]);
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("insecure_docker_text_report", stdout);
}

#[test]
fn insecure_docker_fixture_fix_keeps_the_invariants() {
    let temp = copy_to_temp(&repo_root().join("fixtures/insecure-docker"));
    let before: Vec<String> = DOCKERFILES
        .iter()
        .map(|f| std::fs::read_to_string(temp.path().join(f)).unwrap())
        .collect();
    let (_, _, stderr) = run(
        temp.path(),
        &["fix", "--yes", "--unsafe-fixes", "--profile", "strict"],
    );
    assert!(stderr.contains("harden: fixed"), "{stderr}");

    for (name, before) in DOCKERFILES.iter().zip(&before) {
        let after = std::fs::read_to_string(temp.path().join(name)).unwrap();
        assert_ne!(&after, before, "{name} was not fixed at all");
        let parsed = Dockerfile::parse(&after);
        assert!(
            parsed.errors.is_empty(),
            "{name} no longer parses: {:?}\n{after}",
            parsed.errors
        );
        assert_eq!(parsed.stages.len(), Dockerfile::parse(before).stages.len());
        if before.contains("\r\n") {
            assert_eq!(
                after.matches('\n').count(),
                after.matches("\r\n").count(),
                "{name} lost its CRLF line endings:\n{after}"
            );
        }
    }
    // docker-image-latest's fix took the version .python-version declares.
    let main = std::fs::read_to_string(temp.path().join("Dockerfile")).unwrap();
    assert!(
        main.contains("FROM --platform=linux/amd64 python:3.12-slim AS build"),
        "{main}"
    );

    let (_, after, _) = run(
        temp.path(),
        &["check", "--profile", "strict", "--format", "json"],
    );
    let report: serde_json::Value = serde_json::from_str(&after).expect("check --format json");
    let still_fixable: Vec<&serde_json::Value> = report["findings"]
        .as_array()
        .expect("a findings array")
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
