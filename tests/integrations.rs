//! The files that put harden where Python developers already are — the GitHub Action
//! (action.yml), the pre-commit hooks (.pre-commit-hooks.yaml) and the Python packaging
//! (pyproject.toml) — stay valid: every command line they run parses with harden's own CLI,
//! every action they use is pinned to the SHA the pins table gives, and zizmor finds nothing in
//! the action or in harden's own workflows (`HARDEN_ZIZMOR`; those tests are ignored without
//! it). harden's strict profile is clean on its own repository.

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
    zizmor_finds_nothing_in("action.yml");
}

/// zizmor (regular and pedantic personas, offline) has nothing to say about `target`.
fn zizmor_finds_nothing_in(target: &str) {
    let zizmor = common::required_tool("HARDEN_ZIZMOR", "this zizmor test");
    for persona in ["regular", "pedantic"] {
        let out = Command::new(&zizmor)
            .args(["--offline", "--no-progress", "--persona", persona, target])
            .current_dir(common::repo_root())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("No findings"),
            "zizmor ({persona}) on {target}:\n{stdout}{}",
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
    // `harden` on PyPI belongs to an unrelated project: installing it by that name would run
    // someone else's code. The distribution is harden-cli; the command is still `harden`.
    assert_eq!(pyproject["project"]["name"].as_str(), Some("harden-cli"));
    assert_eq!(cargo["package"]["name"].as_str(), Some("harden"));
    // The wheel's version is the crate's: maturin reads it from Cargo.toml.
    let dynamic = pyproject["project"]["dynamic"].as_array().unwrap();
    assert!(dynamic.iter().any(|d| d.as_str() == Some("version")));
    assert!(pyproject["project"].get("version").is_none());
    let backend = pyproject["build-system"]["build-backend"].as_str();
    assert_eq!(backend, Some("maturin"));
}

/// Every `uses:` of a workflow or action file pinned to the SHA the pins table gives for the
/// version its comment names.
fn assert_pinned_by_the_table(path: &str) -> usize {
    let text = read(path);
    let pins: toml::Table = toml::from_str(&read("templates/fix/actions.toml")).unwrap();
    let mut pinned = 0;
    for line in text.lines() {
        let Some(uses) = line.trim().trim_start_matches("- ").strip_prefix("uses: ") else {
            continue;
        };
        let (reference, comment) = uses.split_once(" # ").unwrap_or((uses, ""));
        let (name, sha) = reference
            .trim()
            .split_once('@')
            .unwrap_or_else(|| panic!("{path}: `{uses}` has no ref"));
        let repo: String = name.split('/').take(2).collect::<Vec<_>>().join("/");
        let version = comment.trim();
        let known = pins["actions"]
            .get(repo.as_str())
            .and_then(|a| a["versions"].get(version))
            .and_then(|v| v.as_str());
        assert_eq!(
            known,
            Some(sha),
            "{path}: `{uses}` is not the SHA the pins table gives for {repo} {version}"
        );
        pinned += 1;
    }
    pinned
}

#[test]
fn own_workflows_pin_every_action_by_the_table() {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(common::repo_root().join(".github/workflows")).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        files.push(format!(".github/workflows/{name}"));
    }
    files.sort();
    assert!(files.contains(&".github/workflows/release.yml".to_string()));
    let pinned: usize = files.iter().map(|f| assert_pinned_by_the_table(f)).sum();
    assert!(pinned >= 10, "{pinned}");
    // The release publishes what the action installs: the musl archives and their sums.
    let release = read(".github/workflows/release.yml");
    let action = read("action.yml");
    for target in [
        "x86_64-unknown-linux-musl",
        "aarch64-unknown-linux-musl",
        "aarch64-apple-darwin",
    ] {
        assert!(
            release.contains(target) && action.contains(target),
            "{target}"
        );
    }
    assert!(action.contains("harden-cli==$version"));
}

#[test]
#[ignore = "needs zizmor (HARDEN_ZIZMOR): .ci/run installs it and runs ignored tests"]
fn zizmor_finds_nothing_in_the_own_workflows() {
    zizmor_finds_nothing_in(".github/");
}

#[test]
fn strict_is_clean_on_harden_itself() {
    let out = Command::new(common::harden_bin())
        .args(["check", "--profile", "strict", "."])
        .current_dir(common::repo_root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "harden check --profile strict on its own repository:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn pre_commit_mirror_installs_this_version_of_the_wheel() {
    let cargo: toml::Table = toml::from_str(&read("Cargo.toml")).unwrap();
    let version = cargo["package"]["version"].as_str().unwrap();
    let mirror: toml::Table =
        toml::from_str(&read("docs/pre-commit-mirror/pyproject.toml")).unwrap();
    assert_eq!(mirror["project"]["version"].as_str(), Some(version));
    let dependencies = mirror["project"]["dependencies"].as_array().unwrap();
    assert_eq!(
        dependencies[0].as_str(),
        Some(format!("harden-cli=={version}").as_str())
    );
    let readme = read("docs/pre-commit-mirror/README.md");
    assert!(readme.contains(&format!("harden-cli=={version}")));

    let hooks: yaml_serde::Value =
        yaml_serde::from_str(&read("docs/pre-commit-mirror/.pre-commit-hooks.yaml")).unwrap();
    let own: yaml_serde::Value = yaml_serde::from_str(&read(".pre-commit-hooks.yaml")).unwrap();
    let hooks = hooks.as_sequence().unwrap();
    assert_eq!(hooks.len(), own.as_sequence().unwrap().len());
    for (hook, own) in hooks.iter().zip(own.as_sequence().unwrap()) {
        assert_eq!(hook["language"].as_str(), Some("python"));
        assert_eq!(hook["id"], own["id"]);
        assert_eq!(hook["entry"], own["entry"]);
        let entry: Vec<&str> = hook["entry"].as_str().unwrap().split_whitespace().collect();
        parses(&entry);
    }
}
