//! Each check's own `[example]` files are test cases: `bad` must make it fire, `good` must not.
//! Plus meta tests over the check set: documentation, cases, profiles, templates.

mod common;

use harden::checks::Registry;

fn registry() -> Registry {
    Registry::load(&[]).unwrap_or_else(|e| panic!("built-in checks do not load:\n{e}"))
}

#[test]
fn bad_examples_fire_and_good_examples_do_not() {
    let registry = registry();
    let mut failures = Vec::new();
    for check in &registry.checks {
        for (label, files, should_fire) in [
            ("bad", &check.examples.bad, true),
            ("good", &check.examples.good, false),
        ] {
            if files.is_empty() {
                failures.push(format!("{}: no `{label}` example", check.id));
                continue;
            }
            let files: Vec<(&str, &str)> = files
                .iter()
                .map(|(p, c)| (p.as_str(), c.as_str()))
                .collect();
            let temp = common::project(&files);
            let findings = common::check(temp.path(), Some(&[check.id.as_str()]));
            let fired = findings.iter().any(|f| f.check == check.id);
            if fired != should_fire {
                failures.push(format!(
                    "{}: the `{label}` example {}",
                    check.id,
                    if should_fire {
                        "does not fire"
                    } else {
                        "fires"
                    }
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_check_is_documented_and_has_cases() {
    let registry = registry();
    let cases = common::repo_root().join("tests/cases");
    let mut failures = Vec::new();
    for check in &registry.checks {
        if check.docs.why.trim().len() < 40 {
            failures.push(format!(
                "{}: `[docs] why` is missing or too short",
                check.id
            ));
        }
        if check.fix.is_some() && check.docs.fix.is_none() && check.fixable() {
            failures.push(format!(
                "{}: a fixable check needs `[docs] fix` to explain its fix",
                check.id
            ));
        }
        let dir = cases.join(&check.id);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            failures.push(format!(
                "{}: no test cases in tests/cases/{}",
                check.id, check.id
            ));
            continue;
        };
        let (mut firing, mut quiet) = (0, 0);
        for entry in entries.flatten() {
            let expect =
                std::fs::read_to_string(entry.path().join("expect.txt")).unwrap_or_default();
            if expect
                .lines()
                .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
            {
                firing += 1;
            } else {
                quiet += 1;
            }
        }
        if firing == 0 || quiet == 0 {
            failures.push(format!(
                "{}: needs cases that fire ({firing}) and cases that do not ({quiet})",
                check.id
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_check_is_in_a_profile_and_strict_has_them_all() {
    let registry = registry();
    let strict = registry.profiles["strict"].resolve_ids(&registry).unwrap();
    let baseline = registry.profiles["baseline"]
        .resolve_ids(&registry)
        .unwrap();
    assert!(baseline.is_subset(&strict));
    let missing: Vec<&str> = registry
        .checks
        .iter()
        .map(|c| c.id.as_str())
        .filter(|id| !strict.contains(*id))
        .collect();
    assert!(missing.is_empty(), "checks in no profile: {missing:?}");
}

#[test]
fn every_template_is_used() {
    let root = common::repo_root();
    let mut sources = String::new();
    for dir in ["checks", "src"] {
        for (_, bytes) in common::snapshot(&root.join(dir)) {
            sources.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    let unused: Vec<String> = harden::templates::all_names()
        .into_iter()
        .filter(|name| !sources.contains(name.as_str()))
        .collect();
    assert!(
        unused.is_empty(),
        "templates no check or command uses: {unused:?}"
    );
}

#[test]
fn check_files_report_every_error_with_its_position() {
    let source = r#"id = "deps-wrong-name"
title = "t"
severity = "severe"
message = "{{ nope }}"
colour = "red"
[docs]
why = "because"
[match]
type = "regex"
pattern = "("
"#;
    let errors = harden::checks::definition::parse_check(
        "deps/other.toml",
        "checks/deps/other.toml",
        source,
    )
    .unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let expect = [
        "checks/deps/other.toml:1:7: check id `deps-wrong-name` does not match its file: expected `deps-other`",
        "checks/deps/other.toml:3:13: unknown severity `severe`",
        "checks/deps/other.toml:5:1: unknown key `colour`",
        "checks/deps/other.toml:10:12: invalid regex",
    ];
    for prefix in expect {
        assert!(
            text.iter().any(|t| t.starts_with(prefix)),
            "missing `{prefix}` in {text:#?}"
        );
    }
}

#[test]
fn unknown_template_variables_and_matchers_are_errors() {
    let source = r#"id = "deps-x"
title = "t"
severity = "low"
message = "{{ nope }}"
[docs]
why = "because"
[match]
type = "regex"
pattern = "a"
"#;
    let errors =
        harden::checks::definition::parse_check("deps/x.toml", "x.toml", source).unwrap_err();
    assert!(
        errors[0]
            .to_string()
            .contains("unknown template variable `nope`"),
        "{errors:?}"
    );

    let source = source.replace("type = \"regex\"", "type = \"magic\"");
    let errors =
        harden::checks::definition::parse_check("deps/x.toml", "x.toml", &source).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.to_string().contains("unknown matcher `magic`")),
        "{errors:?}"
    );
}

#[test]
fn duplicate_ids_across_directories_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("parse")).unwrap();
    std::fs::write(
        dir.path().join("parse/error.toml"),
        "id = \"parse-error\"\ntitle = \"t\"\nseverity = \"low\"\nmessage = \"m\"\n[docs]\nwhy = \"w\"\n[match]\ntype = \"builtin\"\nname = \"parse-error\"\n",
    )
    .unwrap();
    let errors = Registry::load(&[("my-checks".into(), dir.path().to_path_buf())]).unwrap_err();
    assert!(
        errors
            .to_string()
            .contains("duplicate check id `parse-error`"),
        "{errors}"
    );
}
