//! `harden init`: for every framework and option combination the generated project passes
//! `harden check --profile strict` (once its requirements are compiled), its Python compiles,
//! its YAML and TOML parse, and, when the tools are installed, Django's deploy checks, hadolint
//! and zizmor have nothing to say. In an existing project init adds only what is missing.
//!
//! External tools come from `HARDEN_DJANGO_PYTHON` (a python with Django, django-axes,
//! django-csp and psycopg), `HARDEN_HADOLINT` and `HARDEN_ZIZMOR`; each test that needs one is
//! skipped with a message when it is unset, except in CI (`CI` set), where it fails.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use harden::cli::SelectionArgs;
use harden::session::Session;

const FRAMEWORKS: &[&str] = &["django", "flask", "fastapi"];

/// (--docker, --ci github)
const OPTIONS: &[(bool, bool)] = &[(false, false), (true, false), (false, true), (true, true)];

fn init(dir: &Path, framework: &str, docker: bool, ci: bool, extra: &[&str]) -> Output {
    let mut command = Command::new(common::harden_bin());
    command
        .arg("init")
        .arg(dir)
        .args(["--framework", framework, "--color", "never"])
        .args(extra)
        .stdin(Stdio::null());
    if docker {
        command.arg("--docker");
    }
    if ci {
        command.args(["--ci", "github"]);
    }
    command.output().unwrap()
}

fn init_ok(dir: &Path, framework: &str, docker: bool, ci: bool, extra: &[&str]) {
    let output = init(dir, framework, docker, ci, extra);
    assert!(
        output.status.success(),
        "harden init {framework} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Active findings of the strict profile, as `check path`.
fn strict_findings(root: &Path) -> Vec<String> {
    let args = SelectionArgs {
        path: root.to_path_buf(),
        profile: Some("strict".into()),
        ..SelectionArgs::default()
    };
    let session = Session::new(&args).unwrap();
    let project = session.walk();
    let mut out: Vec<String> = session
        .check(&project)
        .into_iter()
        .filter(|f| f.suppressed.is_none())
        .map(|f| format!("{} {}", f.check, f.primary.path))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// What `uv pip compile --generate-hashes requirements.in` writes, in shape: every requirement
/// pinned, with hashes (placeholders: the project is never installed here).
fn compile_requirements(root: &Path) {
    let input = std::fs::read_to_string(root.join("requirements.in")).unwrap();
    let mut out =
        String::from("# Compiled with `uv pip compile --generate-hashes requirements.in`.\n");
    for (index, line) in input
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .enumerate()
    {
        // Django gets a release of a supported series (django-eol-version judges it); the rest
        // a made-up version.
        let version = if line.eq_ignore_ascii_case("django") {
            "5.2.8".to_string()
        } else {
            format!("1.0.{index}")
        };
        out.push_str(&format!(
            "{line}=={version} \\\n    --hash=sha256:{}\n",
            format!("{index:x}").repeat(64).get(..64).unwrap()
        ));
    }
    std::fs::write(root.join("requirements.txt"), out).unwrap();
}

fn python3() -> Option<PathBuf> {
    let found = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "python3 is needed to compile the generated code"
        );
        eprintln!("skipping py_compile: no python3");
    }
    found.then(|| PathBuf::from("python3"))
}

/// A tool from an environment variable (see `common::required_tool`).
fn tool(variable: &str) -> Option<PathBuf> {
    Some(common::required_tool(variable, "this init test"))
}

/// `--ci gitlab`: a hardened `.gitlab-ci.yml` (tests, bandit, pip-audit, GitLab's secret
/// detection, digest-pinned images, merge request pipelines) and Renovate instead of
/// Dependabot; strict is clean once requirements.txt is compiled.
#[test]
fn gitlab_ci_passes_strict() {
    for framework in FRAMEWORKS {
        for docker in [false, true] {
            let temp = tempfile::tempdir().unwrap();
            let root = temp.path().join("shop");
            init_ok(
                &root,
                framework,
                docker,
                false,
                &["--yes", "--ci", "gitlab"],
            );
            let what = format!("{framework} docker={docker} --ci gitlab");
            let files = common::snapshot(&root);
            assert!(files.contains_key(".gitlab-ci.yml"), "{what}");
            assert!(files.contains_key("renovate.json"), "{what}");
            assert!(!files.keys().any(|p| p.starts_with(".github/")), "{what}");
            let ci = std::str::from_utf8(&files[".gitlab-ci.yml"]).unwrap();
            for needed in [
                "\ntest:\n",
                "\nbandit:\n",
                "\npip-audit:\n",
                "Jobs/Secret-Detection.gitlab-ci.yml",
                "merge_request_event",
                "@sha256:",
            ] {
                assert!(
                    ci.contains(needed),
                    "{what}: .gitlab-ci.yml lacks {needed:?}\n{ci}"
                );
            }
            assert!(!ci.contains("{{") && !ci.contains("{%"), "{what}");
            yaml_serde::from_str::<yaml_serde::Value>(ci)
                .unwrap_or_else(|e| panic!("{what}: .gitlab-ci.yml is not YAML: {e}"));
            serde_json::from_slice::<serde_json::Value>(&files["renovate.json"])
                .unwrap_or_else(|e| panic!("{what}: renovate.json is not JSON: {e}"));
            compile_requirements(&root);
            assert_eq!(strict_findings(&root), Vec::<String>::new(), "{what}");
        }
    }
}

#[test]
fn every_combination_passes_strict_and_parses() {
    let python = python3();
    for framework in FRAMEWORKS {
        for &(docker, ci) in OPTIONS {
            let temp = tempfile::tempdir().unwrap();
            let root = temp.path().join("shop");
            init_ok(&root, framework, docker, ci, &["--yes"]);
            let what = format!("{framework} docker={docker} ci={ci}");
            let files = common::snapshot(&root);
            assert_eq!(files.contains_key("Dockerfile"), docker, "{what}");
            assert_eq!(files.contains_key(".dockerignore"), docker, "{what}");
            assert_eq!(files.contains_key(".github/workflows/ci.yml"), ci, "{what}");

            // Before requirements.txt is compiled, only the lock is missing (and CI, below).
            for finding in strict_findings(&root) {
                assert!(
                    finding == "deps-no-lock requirements.in"
                        || finding == "deps-unpinned-requirement requirements.in"
                        || (!ci && finding.starts_with("ci-")),
                    "{what}: unexpected finding before compiling: {finding}"
                );
            }
            compile_requirements(&root);
            // Without --ci github no workflow is written, and strict asks for the security
            // jobs (`harden fix` adds them); with it, nothing is left.
            let expected: Vec<String> = if ci {
                Vec::new()
            } else {
                vec![
                    "ci-dependency-audit-missing .github/workflows/security.yml".into(),
                    "ci-sast-missing .github/workflows/security.yml".into(),
                ]
            };
            assert_eq!(strict_findings(&root), expected, "{what}");

            for (path, bytes) in &files {
                let text = std::str::from_utf8(bytes).unwrap();
                if path.ends_with(".yml") || path.ends_with(".yaml") {
                    yaml_serde::from_str::<yaml_serde::Value>(text)
                        .unwrap_or_else(|e| panic!("{what}: {path} is not YAML: {e}"));
                }
                if path.ends_with(".toml") {
                    text.parse::<toml::Table>()
                        .unwrap_or_else(|e| panic!("{what}: {path} is not TOML: {e}"));
                }
                assert!(
                    !text.replace("${{", "").contains("{{") && !text.contains("{%"),
                    "{what}: {path} has template syntax"
                );
                if let Some(python) = &python
                    && path.ends_with(".py")
                {
                    let status = Command::new(python)
                        .args(["-m", "py_compile"])
                        .arg(root.join(path))
                        .env("PYTHONPYCACHEPREFIX", temp.path().join("pycache"))
                        .status()
                        .unwrap();
                    assert!(status.success(), "{what}: {path} does not compile");
                }
            }

            // A second run writes nothing, and says so.
            let again = init(&root, framework, docker, ci, &["--diff"]);
            assert!(again.status.success(), "{what}: second run has a diff");
            assert!(again.stdout.is_empty(), "{what}");
            init_ok(&root, framework, docker, ci, &["--yes"]);
            let mut after = common::snapshot(&root);
            after.remove("requirements.txt");
            assert_eq!(after, files, "{what}: the second run changed files");
        }
    }
}

#[test]
#[ignore = "needs Django (HARDEN_DJANGO_PYTHON): .ci/run installs it and runs ignored tests"]
fn django_deploy_checks_pass_on_the_production_settings() {
    let Some(python) = tool("HARDEN_DJANGO_PYTHON") else {
        return;
    };
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("shop");
    init_ok(&root, "django", true, true, &["--yes"]);
    // The variables .env.example documents, with production values.
    let output = Command::new(&python)
        .args(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"])
        .current_dir(&root)
        .env("DJANGO_SETTINGS_MODULE", "shop.settings.production")
        .env(
            "DJANGO_SECRET_KEY",
            "init-test-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        )
        .env("DJANGO_ALLOWED_HOSTS", "example.com,www.example.com")
        .env("DJANGO_CSRF_TRUSTED_ORIGINS", "https://example.com")
        .env("POSTGRES_PASSWORD", "unused")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && stdout.contains("no issues"),
        "manage.py check --deploy:\n{stdout}\n{stderr}"
    );
    // The development settings load too (without any variable).
    let output = Command::new(&python)
        .args(["manage.py", "check"])
        .current_dir(&root)
        .env("DJANGO_SETTINGS_MODULE", "shop.settings.development")
        .env_remove("DJANGO_SECRET_KEY")
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "development settings: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "needs hadolint (HARDEN_HADOLINT): .ci/run installs it and runs ignored tests"]
fn hadolint_has_nothing_to_say_on_the_dockerfile() {
    let Some(hadolint) = tool("HARDEN_HADOLINT") else {
        return;
    };
    for framework in FRAMEWORKS {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("shop");
        init_ok(&root, framework, true, false, &["--yes"]);
        // Every severity, info and style included.
        let output = Command::new(&hadolint)
            .args(["--no-color", "--failure-threshold", "style"])
            .arg(root.join("Dockerfile"))
            .output()
            .unwrap();
        assert!(
            output.status.success() && output.stdout.is_empty(),
            "hadolint on the {framework} Dockerfile:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
    }
}

#[test]
#[ignore = "needs zizmor (HARDEN_ZIZMOR): .ci/run installs it and runs ignored tests"]
fn zizmor_has_nothing_to_say_on_the_workflows() {
    let Some(zizmor) = tool("HARDEN_ZIZMOR") else {
        return;
    };
    for framework in FRAMEWORKS {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().join("shop");
        init_ok(&root, framework, true, true, &["--yes"]);
        let output = Command::new(&zizmor)
            .args(["--offline", "--no-progress", "--persona", "pedantic"])
            .arg(root.join(".github"))
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("No findings"),
            "zizmor on the {framework} workflows:\n{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

/// What differs between two snapshots: created, changed and removed paths.
fn changes(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let created = after
        .keys()
        .filter(|p| !before.contains_key(*p))
        .cloned()
        .collect();
    let changed = after
        .iter()
        .filter(|(p, c)| before.get(*p).is_some_and(|old| old != *c))
        .map(|(p, _)| p.clone())
        .collect();
    let removed = before
        .keys()
        .filter(|p| !after.contains_key(*p))
        .cloned()
        .collect();
    (created, changed, removed)
}

#[test]
fn existing_project_gets_only_what_it_is_missing() {
    let temp = common::copy_to_temp(&common::repo_root().join("fixtures/hardened-flask"));
    let root = temp.path();
    let before = common::snapshot(root);

    // The list and the patch first.
    let preview = init(root, "flask", true, true, &["--diff"]);
    assert_eq!(
        preview.status.code(),
        Some(1),
        "a patch exits 1 like fix --diff"
    );
    let listing =
        String::from_utf8_lossy(&preview.stderr).replace(&root.display().to_string(), "[ROOT]");
    let patch = String::from_utf8_lossy(&preview.stdout).into_owned();
    insta::assert_snapshot!("existing_project_listing", listing);
    insta::assert_snapshot!("existing_project_patch", patch);
    assert_eq!(common::snapshot(root), before, "--diff writes nothing");

    init_ok(root, "flask", true, true, &["--yes"]);
    let after = common::snapshot(root);
    let (created, changed, removed) = changes(&before, &after);
    assert_eq!(created, vec![".pre-commit-config.yaml".to_string()]);
    // What init adds does not bring new findings.
    assert_eq!(strict_findings(root), Vec::<String>::new());
    assert!(changed.is_empty(), "init overwrote {changed:?}");
    assert!(removed.is_empty());

    // A second run changes nothing.
    init_ok(root, "flask", true, true, &["--yes"]);
    assert_eq!(common::snapshot(root), after);

    // --force overwrites the repository files, never the application's code.
    init_ok(root, "flask", true, true, &["--yes", "--force"]);
    let forced = common::snapshot(root);
    let (created, changed, _) = changes(&after, &forced);
    assert!(created.is_empty(), "{created:?}");
    assert!(changed.contains(&".gitignore".to_string()), "{changed:?}");
    assert!(changed.iter().all(|p| !p.ends_with(".py")), "{changed:?}");
    assert!(String::from_utf8_lossy(&forced[".gitignore"]).contains("Written by `harden init`"));
}

#[test]
fn without_a_terminal_it_asks_for_yes_or_diff() {
    let temp = tempfile::tempdir().unwrap();
    let output = init(temp.path(), "flask", false, false, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--yes"));
    assert!(common::snapshot(temp.path()).is_empty());
}

#[test]
fn answers_are_asked_per_file() {
    use harden::commands::Mode;
    use harden::commands::init::init_project;
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path().join("shop");
    let args = harden::cli::InitArgs {
        path: root.clone(),
        framework: harden::cli::Framework::Fastapi,
        docker: false,
        ci: None,
        name: None,
        force: false,
        yes: false,
        diff: false,
    };
    // Yes to the first file, no to the second, then quit.
    let mut input = std::io::Cursor::new("y\nn\nq\n");
    let mut output = Vec::new();
    init_project(
        &args,
        Mode::Interactive {
            input: &mut input,
            output: &mut output,
        },
        false,
    )
    .unwrap();
    let shown = String::from_utf8(output).unwrap();
    assert_eq!(shown.matches("Write this file [y,n,a,q,?]? ").count(), 3);
    assert!(shown.contains("+++ b/shop/__init__.py"));
    let written: Vec<String> = common::snapshot(&root).into_keys().collect();
    assert_eq!(written, vec!["shop/__init__.py".to_string()]);
}

#[test]
fn names_are_checked_and_writes_stay_inside_the_project() {
    let temp = tempfile::tempdir().unwrap();
    let output = init(
        temp.path(),
        "django",
        false,
        false,
        &["--yes", "--name", "django"],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(common::snapshot(temp.path()).is_empty());

    #[cfg(unix)]
    {
        let outside = tempfile::tempdir().unwrap();
        let root = temp.path().join("shop");
        std::fs::create_dir_all(&root).unwrap();
        std::os::unix::fs::symlink(outside.path(), root.join(".github")).unwrap();
        init_ok(&root, "flask", false, true, &["--yes"]);
        assert!(common::snapshot(outside.path()).is_empty());
        assert!(root.join("shop/__init__.py").is_file());

        // A file where a directory should be: the files under it are left out, and the run
        // writes everything else instead of stopping half-way.
        let other = temp.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        std::fs::write(other.join(".github"), "not a directory\n").unwrap();
        let output = init(&other, "flask", false, true, &["--yes"]);
        assert!(output.status.success());
        assert!(String::from_utf8_lossy(&output.stderr).contains(".github is not a directory"));
        assert!(other.join("other/__init__.py").is_file());
        assert!(other.join(".gitignore").is_file());
    }
}

#[test]
fn files_under_another_name_count_as_present() {
    let temp = common::project(&[
        (".github/dependabot.yaml", "version: 2\nupdates: []\n"),
        (".github/SECURITY.md", "# Security\n"),
        ("app.py", "print('hello')\n"),
    ]);
    init_ok(temp.path(), "flask", false, false, &["--yes", "--force"]);
    let files = common::snapshot(temp.path());
    assert!(!files.contains_key(".github/dependabot.yml"));
    assert!(!files.contains_key("SECURITY.md"));
    assert!(files.contains_key(".pre-commit-config.yaml"));
    assert!(files.contains_key(".gitignore"));
    // The project has code: no second application next to it.
    assert!(!files.keys().any(|p| p.ends_with("config.py")));
}
