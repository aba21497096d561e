//! The files that put harden where Python developers already are — the GitHub Action
//! (action.yml), the pre-commit hooks (.pre-commit-hooks.yaml) and the Python packaging
//! (pyproject.toml) — stay valid: every command line they run parses with harden's own CLI,
//! every action they use is pinned to the SHA the pins table gives, and zizmor finds nothing in
//! the action (`HARDEN_ZIZMOR`, required when `CI` is set).

mod common;

use std::process::Command;

use clap::Parser;
use harden::cli::Cli;

fn read(path: &str) -> String {
    std::fs::read_to_string(common::repo_root().join(path)).unwrap()
}

fn parses(args: &[&str]) {
    if let Err(e) = Cli::try_parse_from(args) {
        panic!("`{}` does not parse: {e}", args.join(" "));
    }
}

#[test]
fn pre_commit_hooks_run_real_commands_on_the_whole_project() {
    let hooks: yaml_serde::Value = yaml_serde::from_str(&read(".pre-commit-hooks.yaml")).unwrap();
    let hooks = hooks.as_sequence().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["harden", "harden-fix"]);
    for hook in hooks {
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
        assert_eq!(entry[0], "harden");
        parses(&entry);
        // harden judges the project as a whole: file names would be taken as the root.
        assert_eq!(hook["pass_filenames"].as_bool(), Some(false));
        assert!(hook["language"].as_str().is_some());
    }
}

#[test]
fn action_runs_real_commands_with_pinned_actions() {
    let text = read("action.yml");
    let action: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for flags in [
        ["--format", "sarif", "--output", "out.sarif"],
        ["--format", "markdown", "--fail-on", "low"],
    ] {
        let mut args = vec!["harden", "check", ".", "--profile", "baseline"];
        args.extend(flags);
        parses(&args);
    }
    assert!(text.contains("check \"$HARDEN_PATH\" --profile \"$HARDEN_PROFILE\""));

    let pins: toml::Table = toml::from_str(&read("templates/fix/actions.toml")).unwrap();
    let steps = action["runs"]["steps"].as_sequence().unwrap();
    let mut pinned = 0;
    for step in steps {
        let Some(uses) = step["uses"].as_str() else {
            continue;
        };
        let (name, sha) = uses.split_once('@').unwrap();
        let repo: String = name.split('/').take(2).collect::<Vec<_>>().join("/");
        let line = text.lines().find(|l| l.contains(uses)).unwrap();
        let version = line.rsplit("# ").next().unwrap().trim();
        let known = pins["actions"][repo.as_str()]["versions"][version].as_str();
        assert_eq!(
            known,
            Some(sha),
            "{uses}: not the SHA the pins table gives {version}"
        );
        pinned += 1;
    }
    assert!(pinned > 0);
}

#[test]
#[ignore = "needs zizmor (HARDEN_ZIZMOR): .ci/run installs it and runs ignored tests"]
fn zizmor_finds_nothing_in_the_action() {
    let zizmor = common::required_tool("HARDEN_ZIZMOR", "this zizmor test");
    for persona in ["regular", "pedantic"] {
        let out = Command::new(&zizmor)
            .args([
                "--offline",
                "--no-progress",
                "--persona",
                persona,
                "action.yml",
            ])
            .current_dir(common::repo_root())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("No findings"),
            "zizmor ({persona}) on action.yml:\n{stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn wheel_metadata_matches_the_crate() {
    let pyproject: toml::Table = toml::from_str(&read("pyproject.toml")).unwrap();
    let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    assert_eq!(
        pyproject["tool"]["maturin"]["bindings"].as_str(),
        Some("bin")
    );
    assert_eq!(
        pyproject["project"]["name"].as_str(),
        cargo["package"]["name"].as_str()
    );
    // The wheel's version is the crate's: maturin reads it from Cargo.toml.
    let dynamic = pyproject["project"]["dynamic"].as_array().unwrap();
    assert!(dynamic.iter().any(|d| d.as_str() == Some("version")));
    assert!(pyproject["project"].get("version").is_none());
    let backend = pyproject["build-system"]["build-backend"].as_str();
    assert_eq!(backend, Some("maturin"));
}
