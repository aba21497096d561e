//! Bad input never panics or hangs: each case gives a diagnostic (or nothing) and the run goes
//! on to the other files.

mod common;

use common::{check, project};

/// A valid file beside the bad one, to show the run went on.
const SENTINEL: (&str, &str) = ("sub/pyproject.toml", "[project\n");

fn parse_errors(root: &std::path::Path) -> Vec<String> {
    check(root, None)
        .into_iter()
        .filter(|f| f.check == "parse-error")
        .map(|f| format!("{}: {}", f.primary.path, f.message))
        .collect()
}

#[test]
fn binary_and_invalid_utf8_files_are_diagnosed() {
    let dir = project(&[SENTINEL]);
    std::fs::write(
        dir.path().join("requirements.txt"),
        [0u8, 159, 146, 150, 0, 1, 2, 255],
    )
    .unwrap();
    std::fs::write(dir.path().join("poetry.lock"), b"\x89PNG\r\n\x1a\n\0\0\0").unwrap();
    let errors = parse_errors(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("requirements.txt: not valid UTF-8")),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("poetry.lock: not valid UTF-8")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("sub/pyproject.toml")),
        "{errors:?}"
    );
}

#[test]
fn invalid_pyproject_is_a_finding_not_a_configuration_error() {
    let dir = project(&[("pyproject.toml", "[project]\nname = \n[tool.black]\n")]);
    let errors = parse_errors(dir.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("pyproject.toml: "), "{errors:?}");
}

#[test]
fn huge_file_is_reported_and_skipped() {
    let dir = project(&[SENTINEL]);
    let line = "flask>=2.0 ; python_version >= \"3.8\"\n";
    let content = line.repeat(50 * 1024 * 1024 / line.len() + 1);
    std::fs::write(dir.path().join("requirements.txt"), content).unwrap();
    let errors = parse_errors(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with("requirements.txt: file is 50 MiB")),
        "{errors:?}"
    );
    assert!(
        errors.iter().any(|e| e.starts_with("sub/pyproject.toml")),
        "{errors:?}"
    );
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_are_not_followed() {
    let outside = project(&[("requirements.txt", "\u{0}\u{1}")]);
    let dir = project(&[SENTINEL]);
    std::os::unix::fs::symlink(dir.path(), dir.path().join("loop")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("sub"), dir.path().join("sub/again")).unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("elsewhere")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("requirements.txt"),
        dir.path().join("requirements.txt"),
    )
    .unwrap();
    let errors = parse_errors(dir.path());
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].starts_with("sub/pyproject.toml"), "{errors:?}");
}

#[test]
fn a_file_that_vanishes_before_it_is_read_is_diagnosed() {
    let dir = project(&[("requirements.txt", "flask==3.0.3\n"), SENTINEL]);
    let session = common::session(dir.path(), None);
    let project = session.walk();
    std::fs::remove_file(dir.path().join("requirements.txt")).unwrap();
    let findings = session.check(&project);
    let messages: Vec<String> = findings
        .iter()
        .map(|f| format!("{}: {}", f.primary.path, f.message))
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.starts_with("requirements.txt: cannot read file")),
        "{messages:?}"
    );
}

#[test]
fn yaml_alias_bomb_is_diagnosed_quickly() {
    let mut bomb =
        String::from("version: 2\nx0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &x{i} [*x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}, *x{p}]\n"
        ));
    }
    bomb.push_str("updates: *x9\n");
    let dir = project(&[(".github/dependabot.yml", &bomb)]);
    let started = std::time::Instant::now();
    let errors = parse_errors(dir.path());
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(".github/dependabot.yml")),
        "{errors:?}"
    );
    // Not a timing test: a bound far above a normal run that an expansion would blow through.
    assert!(started.elapsed().as_secs() < 30);
}

/// Run `check` on `dir` on its own thread and wait at most `limit` for it: a hang fails the
/// test instead of stalling the suite. Not a timing test: the bound is far above a normal
/// run, and far below the minutes the quadratic shapes took.
fn check_completes(dir: &std::path::Path, select: &'static [&'static str], limit: u64) {
    let root = dir.to_path_buf();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let findings = check(&root, Some(select));
        let _ = done.send(findings.len());
    });
    assert!(
        finished
            .recv_timeout(std::time::Duration::from_secs(limit))
            .is_ok(),
        "check did not complete within {limit} s"
    );
}

const FLASK_CHECKS: &[&str] = &[
    "flask-debug-enabled",
    "flask-secret-key-hardcoded",
    "flask-csrf-disabled",
    "fastapi-cors-wildcard-credentials",
];

#[test]
fn flask_reader_is_linear_on_a_long_broken_line() {
    // 28 KB: one line of calls with no separators is a single ERROR node with thousands of
    // children; asking tree-sitter for each call's parent made this take minutes.
    let mut app = String::from("from flask import Flask\napp = Flask(__name__)\nx = ");
    app.push_str(&"app.run(debug=1) ".repeat(1700));
    app.push('\n');
    let dir = project(&[("app.py", &app)]);
    check_completes(dir.path(), FLASK_CHECKS, 60);
}

#[test]
fn flask_reader_survives_deep_nesting() {
    // Inside a function body (where only the Flask reader looks): nested displays, calls,
    // subscripts and `not`, each far deeper than CPython's own limit of 200.
    let depth = 3000;
    let shapes = [
        format!("{}1{}", "[".repeat(depth), "]".repeat(depth)),
        format!("{}1{}", "f(".repeat(depth), ")".repeat(depth)),
        format!("x{}", "[0]".repeat(depth)),
        format!("{}True", "not ".repeat(depth)),
        format!("app.run(debug={}1{})", "(".repeat(depth), ")".repeat(depth)),
    ];
    for shape in shapes {
        let app = format!(
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    app.config[\"DEBUG\"] = {shape}\n    return app\n"
        );
        let dir = project(&[("app.py", &app)]);
        check_completes(dir.path(), FLASK_CHECKS, 60);
    }
}
