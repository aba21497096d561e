//! Differential test against Django's own deploy checks: for every Django case under
//! tests/cases/django-*/, each production settings entry module harden finds is loaded by
//! Django (`run_checks(include_deployment_checks=True)`, environment unset but for the
//! required DJANGO_SECRET_KEY), and the `security.*` ids Django reports must map one to one
//! onto harden's findings through the Django ids each check names in its references.
//!
//! A django-configurations module is loaded with the class harden judges (its
//! `DJANGO_CONFIGURATION`) through django-configurations' importer.
//!
//! Needs `HARDEN_DJANGO_PYTHON`: a python with Django (and django-environ, python-decouple,
//! django-configurations) installed. Without it the test is skipped with a note, unless `CI` is set.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use harden::checks::matchers::django_setting::django_ids;
use harden::project::django;

/// Known, intentional differences, either way: (case path under tests/cases, Django id, why).
const ALLOWED: &[(&str, &str, &str)] = &[
    (
        "django-debug-enabled/env-file-ignored-not-loaded",
        "security.W018",
        "read_env() loads the case's proj/.env on this disk, but git ignores it: a developer's \
         local file that a deployment does not have, so harden judges the default",
    ),
    (
        "django-security-middleware-missing/own-subclass",
        "security.W001",
        "Django compares dotted paths; the project's own class of the same name (pretix's \
         SecurityMiddleware subclass) does the same work, and harden counts it",
    ),
    (
        "django-clickjacking-middleware-missing/own-subclass",
        "security.W002",
        "Django compares dotted paths; the project's own class of the same name does the same \
         work, and harden counts it",
    ),
    (
        "django-csrf-middleware-missing/own-subclass",
        "security.W003",
        "Django compares dotted paths; the project's own CsrfViewMiddleware (pretix's and \
         pretalx's subclasses) does the same work, and harden counts it",
    ),
    (
        "django-security-middleware-missing/ok-maybe-added",
        "security.W001",
        "a middleware added inside `if` is \"maybe\": harden never reports it confidently",
    ),
    (
        "django-security-middleware-missing/ok-conditional-part-may-hold-it",
        "security.W001",
        "a list part assigned inside `if` on a file's existence is \"maybe\": harden never \
         reports it confidently",
    ),
    (
        "django-clickjacking-middleware-missing/ok-maybe-added",
        "security.W002",
        "a middleware added inside `if` is \"maybe\": harden never reports it confidently",
    ),
    (
        "django-csrf-middleware-missing/ok-maybe-added",
        "security.W003",
        "a middleware added inside `if` is \"maybe\": harden never reports it confidently",
    ),
    (
        "django-allowed-hosts-empty/decouple-empty-default",
        "security.W020",
        "ALLOWED_HOSTS read from a variable the deployment must set, with an empty default, fails \
         closed (Django refuses every request): not a gap, so harden's baseline does not report it",
    ),
    (
        "django-allowed-hosts-empty/env-django-environ-empty-default",
        "security.W020",
        "ALLOWED_HOSTS read from a variable the deployment must set, with an empty default, fails \
         closed (Django refuses every request): not a gap, so harden's baseline does not report it",
    ),
    (
        "django-session-cookie-insecure/ok-set-at-run-time",
        "security.W012",
        "the settings leave SESSION_COOKIE_SECURE to Django's default and the application sets it \
         when it loads (Review Board's siteconfig): Django's check reads the settings before that \
         code runs, harden judges the value the site runs with as unknown",
    ),
    (
        "django-x-frame-options-not-deny/ok-sameorigin",
        "security.W019",
        "SAMEORIGIN still stops framing by other sites; harden asks for DENY only in strict",
    ),
];

/// Django ids that only exist from a Django major version on: with an older Django installed
/// (CI's Python 3.11 cannot run Django 6), the checks naming them are not compared on them.
const INTRODUCED_IN: &[(&str, u32)] = &[("security.E026", 6)];

/// A SECRET_KEY Django's W009 accepts, for settings that require DJANGO_SECRET_KEY.
const STRONG_KEY: &str = "differential-test-key-0123456789-abcdefghijklmnopqrstuvwxyz";

const SCRIPT: &str = r#"
import json, os, sys
sys.path.insert(0, os.getcwd())
if os.environ.get("DJANGO_CONFIGURATION"):
    # django-configurations: the class DJANGO_CONFIGURATION names is the settings.
    from configurations import importer
    importer.install()
from django.conf import settings
# The deploy checks read settings only: SQLite spares installing database drivers.
for database in settings.DATABASES.values():
    database["ENGINE"] = "django.db.backends.sqlite3"
import django
django.setup()
from django.core.checks import run_checks
messages = run_checks(include_deployment_checks=True, tags=["security"])
print(json.dumps(sorted({m.id for m in messages if m.id and m.id.startswith("security.") and not m.is_silenced()})))
"#;

/// The installed Django's major version.
fn django_major(python: &Path) -> u32 {
    let out = Command::new(python)
        .args(["-c", "import django; print(django.VERSION[0])"])
        .output()
        .expect("run the Django python");
    String::from_utf8_lossy(&out.stdout)
        .trim()
        .parse()
        .expect("Django's major version")
}

fn django_python() -> Option<PathBuf> {
    Some(common::required_tool(
        "HARDEN_DJANGO_PYTHON",
        "the Django differential test",
    ))
}

fn django_cases() -> Vec<(String, PathBuf)> {
    let root = common::repo_root().join("tests/cases");
    let mut out = Vec::new();
    for check_dir in std::fs::read_dir(&root).unwrap().flatten() {
        let id = check_dir.file_name().to_string_lossy().into_owned();
        if !id.starts_with("django-") {
            continue;
        }
        for case in std::fs::read_dir(check_dir.path()).unwrap().flatten() {
            if case.path().is_dir() {
                let name = case.file_name().to_string_lossy().into_owned();
                out.push((format!("{id}/{name}"), case.path()));
            }
        }
    }
    out.sort();
    out
}

/// Django's security ids for settings module `module` in `dir`, with the environment unset, or
/// why it could not load. A module that requires DJANGO_SECRET_KEY (a KeyError) is loaded
/// again with it set to a strong key: harden does not judge required variables.
fn django_ids_for(
    python: &Path,
    dir: &Path,
    module: &str,
    env: &[(&str, &str)],
) -> Result<BTreeSet<String>, String> {
    match run_django(python, dir, module, env) {
        // `KeyError: 'DJANGO_SECRET_KEY'` (os.environ), or django-configurations' SecretValue
        // ("... required to be set as the environment variable 'DJANGO_SECRET_KEY'").
        Err(why) if why.contains("'DJANGO_SECRET_KEY'") => {
            let mut env = env.to_vec();
            env.push(("DJANGO_SECRET_KEY", STRONG_KEY));
            run_django(python, dir, module, &env)
        }
        other => other,
    }
}

fn run_django(
    python: &Path,
    dir: &Path,
    module: &str,
    env: &[(&str, &str)],
) -> Result<BTreeSet<String>, String> {
    let mut command = Command::new(python);
    command
        .arg("-c")
        .arg(SCRIPT)
        .current_dir(dir)
        .env_clear()
        .env("DJANGO_SETTINGS_MODULE", module)
        .env("PYTHONDONTWRITEBYTECODE", "1");
    command.envs(env.iter().copied());
    if let Some(path) = std::env::var_os("PATH") {
        command.env("PATH", path);
    }
    let output = command.output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(stderr.lines().last().unwrap_or("").to_string());
    }
    let ids: Vec<String> =
        serde_json::from_slice(&output.stdout).map_err(|e| format!("bad output: {e}"))?;
    Ok(ids.into_iter().collect())
}

#[test]
#[ignore = "needs Django (HARDEN_DJANGO_PYTHON): .ci/run installs it and runs ignored tests"]
fn harden_agrees_with_django_deploy_checks() {
    let Some(python) = django_python() else {
        return;
    };
    let session = common::session(&common::repo_root(), None);
    let major = django_major(&python);
    let too_new = |id: &String| {
        INTRODUCED_IN
            .iter()
            .any(|(new, since)| new == id && major < *since)
    };
    // Each django check's Django ids (those the installed Django knows).
    let check_ids: BTreeMap<String, Vec<String>> = session
        .registry
        .checks
        .iter()
        .filter(|c| c.id.starts_with("django-"))
        .map(|c| {
            let mut ids = django_ids(&c.docs.references);
            ids.retain(|id| !too_new(id));
            (c.id.clone(), ids)
        })
        .collect();
    let known: BTreeSet<String> = check_ids.values().flatten().cloned().collect();
    let select: Vec<&str> = check_ids.keys().map(String::as_str).collect();

    // One Django process per settings module, a few at a time.
    let cases = django_cases();
    let threads = std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .clamp(2, 4);
    let chunks: Vec<&[(String, PathBuf)]> = cases.chunks(cases.len().div_ceil(threads)).collect();
    let results: Vec<(usize, Vec<String>, Vec<String>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .iter()
            .map(|chunk| {
                let (python, check_ids, known, select) = (&python, &check_ids, &known, &select);
                scope.spawn(move || compare(python, chunk, check_ids, known, select))
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut compared = 0;
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for (n, s, f) in results {
        compared += n;
        skipped.extend(s);
        failures.extend(f);
    }
    eprintln!(
        "compared {compared} settings modules with Django; skipped {}:\n  {}",
        skipped.len(),
        skipped.join("\n  ")
    );
    assert!(
        compared >= 50,
        "too few settings modules compared: {compared}"
    );
    assert!(
        failures.is_empty(),
        "{} difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Compare harden with Django on `cases`: (modules compared, skipped, failures).
fn compare(
    python: &Path,
    cases: &[(String, PathBuf)],
    check_ids: &BTreeMap<String, Vec<String>>,
    known: &BTreeSet<String>,
    select: &[&str],
) -> (usize, Vec<String>, Vec<String>) {
    let mut compared = 0;
    let mut skipped = Vec::new();
    let mut failures = Vec::new();
    for (name, case) in cases {
        let name = name.clone();
        let temp = common::copy_to_temp(case);
        let session = common::session(temp.path(), Some(select));
        let project = session.walk();
        let findings = common::check(temp.path(), Some(select));
        for entry in django::entries(&project) {
            if !entry.production {
                continue;
            }
            let module = entry
                .file
                .path
                .trim_end_matches(".py")
                .trim_end_matches("/__init__")
                .replace('/', ".");
            let configuration: Vec<(&str, &str)> = entry
                .configuration
                .iter()
                .map(|class| ("DJANGO_CONFIGURATION", class.as_str()))
                .collect();
            let theirs = match django_ids_for(python, temp.path(), &module, &configuration) {
                Ok(ids) => ids,
                Err(why) => {
                    skipped.push(format!("{name} ({module}): {why}"));
                    continue;
                }
            };
            compared += 1;
            let ours: Vec<(&str, &Vec<String>)> = findings
                .iter()
                .filter(|f| f.primary.path == entry.file.path)
                .filter_map(|f| {
                    check_ids
                        .get(&f.check)
                        .filter(|ids| !ids.is_empty())
                        .map(|ids| (f.check.as_str(), ids))
                })
                .collect();
            let allowed = |id: &str| {
                ALLOWED
                    .iter()
                    .any(|(case, allowed, _)| *case == name && *allowed == id)
            };
            for (check, ids) in &ours {
                if !ids.iter().any(|id| theirs.contains(id) || allowed(id)) {
                    failures.push(format!(
                        "{name}: harden reports {check} ({}) but Django does not",
                        ids.join("/")
                    ));
                }
            }
            for id in theirs.iter().filter(|id| known.contains(*id)) {
                if !ours.iter().any(|(_, ids)| ids.contains(id)) && !allowed(id) {
                    failures.push(format!("{name}: Django reports {id} but harden does not"));
                }
            }
        }
    }
    (compared, skipped, failures)
}

/// The insecure sample project, after `harden fix --yes --unsafe-fixes`: its Python still
/// compiles, and Django's deploy check (with the variables the fixes read set) reports nothing.
#[test]
#[ignore = "needs Django (HARDEN_DJANGO_PYTHON): .ci/run installs it and runs ignored tests"]
fn fixed_insecure_fixture_passes_django_deploy_check() {
    let Some(python) = django_python() else {
        return;
    };
    let temp = common::copy_to_temp(&common::repo_root().join("fixtures/insecure-django"));
    common::fix_all(temp.path(), Some(&["all"]), true);
    let settings = temp.path().join("mysite/settings.py");
    let compiled = Command::new(&python)
        .args(["-m", "py_compile"])
        .arg(&settings)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .status()
        .unwrap();
    assert!(compiled.success(), "fixed settings do not compile");
    let ids = run_django(
        &python,
        temp.path(),
        "mysite.settings",
        &[
            ("DJANGO_SECRET_KEY", STRONG_KEY),
            ("DJANGO_ALLOWED_HOSTS", "example.com"),
        ],
    )
    .unwrap();
    assert!(ids.is_empty(), "Django still reports {ids:?}");
}
