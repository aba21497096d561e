//! Every case under tests/cases/<check-id>/<case>/: the check, run alone, must report exactly
//! the findings listed in the case's expect.txt, with messages that leave no value empty; and
//! wherever it offers fixes, the fix invariants must hold — on the case as written, with CRLF
//! line endings, and without final newlines:
//! - every changed file re-parses in its format;
//! - no finding with an applicable fix remains, and fixing creates no new finding;
//! - a second `harden fix` changes nothing.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{check, copy_to_temp, fix_all, position, python_import_failures, snapshot};
use harden::formats;
use harden::project::kind::classify;

/// Every case, or with `HARDEN_CASES=prefix[,prefix]` only the cases of checks whose id starts
/// with one of the prefixes (a quick loop while writing one check; CI runs them all).
fn cases() -> Vec<(String, PathBuf)> {
    let root = common::repo_root().join("tests/cases");
    let filter = std::env::var("HARDEN_CASES").unwrap_or_default();
    let prefixes: Vec<&str> = filter.split(',').filter(|p| !p.is_empty()).collect();
    let mut out = Vec::new();
    for check_dir in std::fs::read_dir(&root).unwrap().flatten() {
        let id = check_dir.file_name().to_string_lossy().into_owned();
        if !prefixes.is_empty() && !prefixes.iter().any(|p| id.starts_with(p)) {
            continue;
        }
        for case in std::fs::read_dir(check_dir.path()).unwrap().flatten() {
            if case.path().is_dir() {
                out.push((id.clone(), case.path()));
            }
        }
    }
    out.sort();
    out
}

fn expected(case: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(case.join("expect.txt"))
        .unwrap_or_else(|_| panic!("{} has no expect.txt", case.display()));
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

/// The shapes a message template leaves when a value it interpolates is empty (`in : forms`,
/// `` `` ``): a branch of the template that renders a variable the finding does not carry.
fn empty_interpolation(message: &str) -> Option<&'static str> {
    [" in :", "``", " :", "  ", "( )", "` `"]
        .into_iter()
        .find(|shape| message.contains(shape))
        .or_else(|| message.trim().is_empty().then_some("empty"))
}

#[test]
fn every_case_reports_exactly_its_expectations() {
    let mut failures = Vec::new();
    let cases = cases();
    assert!(!cases.is_empty(), "no cases found under tests/cases");
    for (id, case) in &cases {
        let temp = copy_to_temp(case);
        let _ = std::fs::remove_file(temp.path().join("expect.txt"));
        let findings = check(temp.path(), Some(&[id.as_str()]));
        let actual: BTreeSet<String> = findings
            .iter()
            .map(|f| format!("{} {}", f.check, position(temp.path(), f)))
            .collect();
        for f in &findings {
            if let Some(flaw) = empty_interpolation(&f.message) {
                failures.push(format!(
                    "{}: {} message has an empty value ({flaw:?}): {}",
                    case.display(),
                    f.check,
                    f.message
                ));
            }
        }
        let expected = expected(case);
        if actual != expected {
            let messages: Vec<String> = findings
                .iter()
                .map(|f| format!("  {}: {}", position(temp.path(), f), f.message))
                .collect();
            failures.push(format!(
                "{}:\n  expected: {expected:?}\n  actual:   {actual:?}\n{}",
                case.display(),
                messages.join("\n")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[derive(Clone, Copy, Debug)]
enum Variant {
    AsWritten,
    Crlf,
    NoFinalNewline,
}

fn transform(dir: &Path, variant: Variant) {
    for (rel, bytes) in snapshot(dir) {
        let Ok(text) = String::from_utf8(bytes) else {
            continue;
        };
        let new = match variant {
            Variant::AsWritten => continue,
            Variant::Crlf => text.replace("\r\n", "\n").replace('\n', "\r\n"),
            Variant::NoFinalNewline => text.trim_end_matches(['\n', '\r']).to_string(),
        };
        std::fs::write(dir.join(rel), new).unwrap();
    }
}

#[test]
fn fixes_keep_their_invariants() {
    let mut failures = Vec::new();
    let mut fixed_cases = 0;
    let mut python_missing = false;
    for (id, case) in cases() {
        for variant in [Variant::AsWritten, Variant::Crlf, Variant::NoFinalNewline] {
            let temp = copy_to_temp(&case);
            let _ = std::fs::remove_file(temp.path().join("expect.txt"));
            transform(temp.path(), variant);
            let root = temp.path();
            let select = [id.as_str()];
            let before = check(root, Some(&select));
            if !before.iter().any(|f| f.is_fixable()) {
                continue;
            }
            fixed_cases += 1;
            let files_before = snapshot(root);
            let python_files: Vec<String> = files_before
                .keys()
                .filter(|p| p.ends_with(".py"))
                .cloned()
                .collect();
            // What already failed to import before the fix (a case about a broken file) is
            // not the fix's doing.
            let import_errors_before =
                python_import_failures(root, &python_files).unwrap_or_default();
            fix_all(root, Some(&select), true);
            let files_after = snapshot(root);
            let label = format!("{} ({variant:?})", case.display());

            for (path, bytes) in &files_after {
                if files_before.get(path) == Some(bytes) {
                    continue;
                }
                let Ok(text) = std::str::from_utf8(bytes) else {
                    failures.push(format!("{label}: {path} is not UTF-8 after the fix"));
                    continue;
                };
                let text = text.strip_prefix('\u{feff}').unwrap_or(text);
                if let Some(kind) = classify(path)
                    && let Err(e) = formats::verify(kind, text)
                {
                    failures.push(format!("{label}: {path} no longer parses: {}", e.message));
                }
                if matches!(variant, Variant::Crlf) && files_before.contains_key(path) {
                    let lone_lf = text
                        .match_indices('\n')
                        .any(|(i, _)| i == 0 || text.as_bytes()[i - 1] != b'\r');
                    if lone_lf {
                        failures.push(format!("{label}: {path} lost its CRLF line endings"));
                    }
                }
            }

            // The import invariant: every fixed Python module still imports (tree-sitter
            // cannot see a NameError; a sandboxed `python3` with stub dependencies can).
            let fixed_python: Vec<String> = files_after
                .iter()
                .filter(|(path, bytes)| {
                    path.ends_with(".py") && files_before.get(*path) != Some(bytes)
                })
                .map(|(path, _)| path.clone())
                .collect();
            match python_import_failures(root, &fixed_python) {
                Some(errors) => failures.extend(
                    errors
                        .into_iter()
                        .filter(|e| !import_errors_before.contains(e))
                        .map(|e| format!("{label}: no longer imports: {e}")),
                ),
                None => python_missing = true,
            }

            let after = check(root, Some(&select));
            for finding in &after {
                if finding.is_fixable() {
                    failures.push(format!(
                        "{label}: still fixable after fixing: {} {}",
                        finding.check, finding.message
                    ));
                }
                let existed = before.iter().any(|b| {
                    b.check == finding.check
                        && b.primary.path == finding.primary.path
                        && !b.is_fixable()
                });
                if !existed {
                    failures.push(format!(
                        "{label}: the fix created a new finding: {} {}: {}",
                        finding.check, finding.primary.path, finding.message
                    ));
                }
            }

            fix_all(root, Some(&select), true);
            if snapshot(root) != files_after {
                failures.push(format!("{label}: a second `harden fix` changed files"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} fix invariant failure(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("fix invariants held on {fixed_cases} case variant(s)");
    if python_missing {
        eprintln!("the import invariant was skipped: python3 is not installed");
    }
}

/// The import invariant can fail: a module that uses `os` above its `import os` is reported.
#[test]
fn the_import_invariant_sees_a_name_used_before_its_import() {
    let dir = common::project(&[
        (
            "proj/settings/base.py",
            "import environ\nenv = environ.Env()\nINSTALLED_APPS = []\n",
        ),
        (
            "proj/settings/production.py",
            "from .base import *\nDEBUG = os.environ.get('DEBUG') == '1'\nimport os\n",
        ),
        (
            "proj/settings/fine.py",
            "from .base import *\nfrom .base import env\nimport environ\nSECRET_KEY = environ.Env()('X')\n",
        ),
    ]);
    let modules = [
        "proj/settings/production.py".to_string(),
        "proj/settings/fine.py".to_string(),
    ];
    let Some(failures) = python_import_failures(dir.path(), &modules) else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    assert_eq!(
        failures,
        vec!["proj/settings/production.py: NameError: name 'os' is not defined"]
    );
}
