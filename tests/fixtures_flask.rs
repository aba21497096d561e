//! The Flask and FastAPI sample projects: the hardened ones pass the strict profile, the
//! insecure ones have findings of every flask-* / fastapi-* kind they were written to show,
//! and after `fix --yes --unsafe-fixes` every Python file still compiles and a second run
//! changes nothing.

mod common;

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use common::{copy_to_temp, repo_root};

fn run(dir: &Path, args: &[&str]) -> (Option<i32>, String) {
    let (code, stdout, _) = common::run_on(dir, args);
    (code, stdout)
}

fn check_ids(dir: &Path) -> BTreeSet<String> {
    let (_, stdout) = run(dir, &["check", "--profile", "strict", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["check"].as_str().unwrap().to_string())
        .collect()
}

fn python_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            python_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

#[test]
fn hardened_flask_and_fastapi_pass_strict() {
    for name in ["hardened-flask", "hardened-fastapi"] {
        let (code, stdout) = run(
            &repo_root().join("fixtures").join(name),
            &["check", "--profile", "strict"],
        );
        assert_eq!(code, Some(0), "{name}: {stdout}");
        assert!(stdout.starts_with("No findings"), "{name}: {stdout}");
    }
}

#[test]
fn insecure_fixtures_have_the_framework_findings() {
    let flask = check_ids(&repo_root().join("fixtures/insecure-flask"));
    for id in [
        "flask-debug-enabled",
        "flask-secret-key-hardcoded",
        "flask-session-cookie-insecure",
        "flask-session-cookie-httponly-disabled",
        "flask-session-cookie-samesite-missing",
        "flask-remember-cookie-insecure",
        "flask-csrf-disabled",
        "flask-bind-all-interfaces",
        "flask-security-headers-missing",
        "flask-max-content-length-missing",
        "flask-rate-limit-missing",
        "flask-url-credentials-hardcoded",
        "flask-jwt-secret-hardcoded",
    ] {
        assert!(flask.contains(id), "insecure-flask lacks {id}: {flask:?}");
    }
    let fastapi = check_ids(&repo_root().join("fixtures/insecure-fastapi"));
    for id in [
        "fastapi-debug-enabled",
        "fastapi-cors-wildcard-credentials",
        "fastapi-trusted-hosts-missing",
        "fastapi-reload-in-production",
        "fastapi-settings-secret-hardcoded",
    ] {
        assert!(
            fastapi.contains(id),
            "insecure-fastapi lacks {id}: {fastapi:?}"
        );
    }
}

#[test]
fn fixed_insecure_fixtures_compile_and_stay_fixed() {
    let python = Command::new("python3").arg("--version").output();
    for name in ["insecure-flask", "insecure-fastapi"] {
        let temp = copy_to_temp(&repo_root().join("fixtures").join(name));
        let fix = ["fix", "--yes", "--unsafe-fixes", "--profile", "strict"];
        run(temp.path(), &fix);
        let after = check_ids(temp.path());
        for id in [
            "flask-debug-enabled",
            "flask-secret-key-hardcoded",
            "flask-session-cookie-insecure",
            "flask-session-cookie-samesite-missing",
            "fastapi-debug-enabled",
            "fastapi-reload-in-production",
            "fastapi-settings-secret-hardcoded",
            "flask-url-credentials-hardcoded",
            "flask-jwt-secret-hardcoded",
        ] {
            assert!(!after.contains(id), "{name}: {id} survives the fix");
        }
        let snapshot = |dir: &Path| {
            let mut files = Vec::new();
            python_files(dir, &mut files);
            files.sort();
            files
                .iter()
                .map(|f| std::fs::read_to_string(f).unwrap())
                .collect::<Vec<_>>()
        };
        let before_second = snapshot(temp.path());
        run(temp.path(), &fix);
        assert_eq!(
            before_second,
            snapshot(temp.path()),
            "{name}: second fix changed files"
        );
        if python.is_err() {
            continue;
        }
        let mut files = Vec::new();
        python_files(temp.path(), &mut files);
        for file in files {
            let status = Command::new("python3")
                .args(["-m", "py_compile"])
                .arg(&file)
                .status()
                .unwrap();
            assert!(status.success(), "{} does not compile", file.display());
        }
    }
}
