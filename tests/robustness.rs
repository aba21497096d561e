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
        // Long flat chains, which the tree nests just as deep.
        format!("{}'ab'", "'ab' + ".repeat(depth)),
        format!("{}0", "0 or ".repeat(depth)),
    ];
    for shape in shapes {
        let app = format!(
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__)\n    app.config[\"DEBUG\"] = {shape}\n    return app\n"
        );
        let dir = project(&[("app.py", &app)]);
        check_completes(dir.path(), FLASK_CHECKS, 60);
    }
}
/// The Django findings of a check run, as `path: check`.
/// `django-debug-enabled` findings of the project at `root`, a Django project: its
/// requirements name Django (settings in a project that never names Django are not Django's).
fn django_findings(root: &std::path::Path) -> Vec<String> {
    std::fs::write(root.join("requirements.txt"), "Django==5.2.8\n").unwrap();
    check(root, Some(&["django-debug-enabled"]))
        .into_iter()
        .map(|f| format!("{}: {}", f.primary.path, f.check))
        .collect()
}

fn settings_with(body: &str) -> String {
    format!("INSTALLED_APPS = []\nMIDDLEWARE = []\n{body}\nDEBUG = True\n")
}

#[test]
fn deeply_nested_python_expressions_do_not_overflow_the_stack() {
    let n = 2_000;
    let shapes = [
        ("concat", format!("X = {}'ab'", "'ab' + ".repeat(n))),
        ("parens", format!("X = {}1{}", "(".repeat(n), ")".repeat(n))),
        ("lists", format!("X = {}1{}", "[".repeat(n), "]".repeat(n))),
        (
            "dicts",
            format!("X = {}1{}", "{'a': ".repeat(n), "}".repeat(n)),
        ),
        ("nots", format!("X = {}True", "not ".repeat(n))),
        ("subscripts", format!("X = A{}", "[0]".repeat(n))),
        ("ors", format!("X = {}0", "0 or ".repeat(n))),
        ("calls", format!("X = {}1{}", "f(".repeat(n), ")".repeat(n))),
        (
            "bools",
            format!("X = {}1{}", "bool(".repeat(n), ")".repeat(n)),
        ),
    ];
    let files: Vec<(String, String)> = shapes
        .iter()
        .map(|(name, line)| (format!("{name}/settings.py"), settings_with(line)))
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = project(&refs);
    let found = django_findings(dir.path());
    // Every module is still judged: the deep value is unknown, DEBUG after it is read.
    for (name, _) in &shapes {
        let expected = format!("{name}/settings.py: django-debug-enabled");
        assert!(found.contains(&expected), "{expected} not in {found:?}");
    }
}

#[test]
fn integer_overflow_in_settings_arithmetic_is_unknown_not_a_panic() {
    let dir = project(&[(
        "settings.py",
        &settings_with(
            "SECURE_HSTS_SECONDS = (0 - 9223372036854775807 - 1) // (0 - 1)\n\
             A = -9223372036854775807 - 1\nB = A % -1\nC = 2 ** 64\nD = -A\nE = 7 // 0\n",
        ),
    )]);
    assert_eq!(
        django_findings(dir.path()),
        vec!["settings.py: django-debug-enabled"]
    );
}

#[test]
fn exponentially_growing_values_are_bounded() {
    let doubling = "S = 'ab'\n".to_string() + &"S = S + S\n".repeat(40);
    let nesting = "L = ['ab']\n".to_string() + &"L = [L, L]\n".repeat(40);
    let lists = "M = ['ab']\n".to_string() + &"M = M + M\n".repeat(40);
    let dir = project(&[
        ("a/settings.py", &settings_with(&doubling)),
        ("b/settings.py", &settings_with(&nesting)),
        ("c/settings.py", &settings_with(&lists)),
    ]);
    let started = std::time::Instant::now();
    let found = django_findings(dir.path());
    assert_eq!(found.len(), 3, "{found:?}");
    // Not a timing test: a bound far above a normal run that an exponential value would pass.
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn star_import_cycles_are_followed_once_and_never_silence_a_module() {
    let dir = project(&[
        (
            "selfie/settings.py",
            &settings_with("from .settings import *"),
        ),
        (
            "pair/a_settings.py",
            &settings_with("from .b_settings import *"),
        ),
        (
            "pair/b_settings.py",
            "from .a_settings import *\nINSTALLED_APPS = []\nMIDDLEWARE = []\nDEBUG = True\n",
        ),
    ]);
    let found = django_findings(dir.path());
    for path in [
        "selfie/settings.py",
        "pair/a_settings.py",
        "pair/b_settings.py",
    ] {
        let expected = format!("{path}: django-debug-enabled");
        assert!(found.contains(&expected), "{expected} not in {found:?}");
    }
}

#[test]
fn modules_star_importing_each_other_are_folded_once_each() {
    let n = 14;
    let files: Vec<(String, String)> = (0..n)
        .map(|i| {
            let imports: String = (0..n)
                .filter(|j| *j != i)
                .map(|j| format!("from .s{j}_settings import *\n"))
                .collect();
            (
                format!("conf/s{i}_settings.py"),
                format!("{imports}INSTALLED_APPS = []\nMIDDLEWARE = []\nDEBUG = True\nX{i} = 1\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = project(&refs);
    let started = std::time::Instant::now();
    let found = django_findings(dir.path());
    assert_eq!(found.len(), n, "{found:?}");
    // Not a timing test: 14 modules folded along every path would take hours.
    assert!(started.elapsed().as_secs() < 30);
}

// ---------------------------------------------------------------------------------------------
// Hostile input (issue 11): YAML size and depth, findings per file, fixes that keep their
// promises, output safety. Kept in one block so that other suites' additions merge cleanly.
// ---------------------------------------------------------------------------------------------

/// Every YAML kind harden reads, with a path that classifies as it.
const YAML_KINDS: [&str; 5] = [
    ".github/workflows/ci.yml",
    ".github/dependabot.yml",
    "bandit.yaml",
    ".pre-commit-config.yaml",
    "action.yml",
];

#[test]
fn quadratic_yaml_aliases_are_a_parse_error_in_every_yaml_kind() {
    // 15 KB: an anchor of 3,000 items, aliased 3,000 times (9 million values expanded).
    let items = vec!["x"; 3000].join(", ");
    let aliases = vec!["*a"; 3000].join(", ");
    let text = format!("A: &a [{items}]\nB: [{aliases}]\n");
    for path in YAML_KINDS {
        let dir = project(&[(path, &text), SENTINEL]);
        let started = std::time::Instant::now();
        let errors = parse_errors(dir.path());
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with(&format!("{path}: the document expands to more than"))),
            "{path}: {errors:?}"
        );
        assert!(errors.iter().any(|e| e.starts_with("sub/pyproject.toml")));
        // Not a timing test: a bound far above a normal run that the expansion blows through.
        assert!(started.elapsed().as_secs() < 30, "{path}");
    }
}

#[test]
fn deeply_nested_flow_yaml_is_refused_before_parsing() {
    // 400 KB of `[`: libyaml alone took 93 s on it.
    let text = format!(
        "version: 2\nupdates: {}{}\n",
        "[".repeat(200_000),
        "]".repeat(200_000)
    );
    let dir = project(&[(".github/dependabot.yml", &text), SENTINEL]);
    let started = std::time::Instant::now();
    let errors = parse_errors(dir.path());
    assert!(
        errors.iter().any(|e| e
            .starts_with(".github/dependabot.yml: flow collections nest deeper than 128 levels")),
        "{errors:?}"
    );
    assert!(started.elapsed().as_secs() < 30);
}

#[test]
fn yaml_longer_than_32768_lines_is_read() {
    let mut text = String::from(
        "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /\n    schedule: {interval: weekly}\n",
    );
    for i in 0..33_000 {
        text.push_str(&format!("# comment line {i}\n"));
    }
    let dir = project(&[(".github/dependabot.yml", &text)]);
    let errors = parse_errors(dir.path());
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn many_findings_in_one_file_are_capped_and_stages_are_indexed() {
    // 200,000 stages: the stage lookup was quadratic (53 s), and every stage is a finding.
    let dockerfile = "FROM python AS a\n".repeat(200_000);
    let dir = project(&[("Dockerfile", &dockerfile)]);
    let started = std::time::Instant::now();
    let findings = check(dir.path(), None);
    let mut per_check: std::collections::BTreeMap<&str, usize> = Default::default();
    for finding in findings.iter().filter(|f| f.primary.path == "Dockerfile") {
        *per_check.entry(finding.check.as_str()).or_default() += 1;
    }
    assert!(
        per_check.values().all(|&n| n <= 101),
        "at most 100 findings and one summary per check and file: {per_check:?}"
    );
    let summaries: Vec<&str> = findings
        .iter()
        .filter(|f| {
            f.message
                .contains("more finding(s) of this check in this file")
        })
        .map(|f| f.message.as_str())
        .collect();
    assert!(!summaries.is_empty(), "{per_check:?}");
    assert!(started.elapsed().as_secs() < 60);
}

#[cfg(unix)]
#[test]
fn control_characters_in_paths_never_reach_the_output_raw() {
    let evil = "svc\u{1b}]0;PWNED\u{7}\u{1b}[2J";
    let forged = "app\nerror[fake]: forged";
    let dir = project(&[
        (&format!("{evil}/Dockerfile"), "FROM python:3.12\n"),
        (&format!("{forged}/Dockerfile"), "FROM python:3.12\n"),
        // And in values that reach messages: an image name, a package name.
        (
            "values/Dockerfile",
            "FROM python\u{1b}]0;PWNED\u{7}:latest\nRUN pip install fla\u{1b}[2Jsk\n",
        ),
    ]);
    for format in ["text", "github", "markdown", "json", "sarif"] {
        let (_, stdout, stderr) = common::run_on(dir.path(), &["check", "--format", format]);
        for (stream, text) in [("stdout", &stdout), ("stderr", &stderr)] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{7}'),
                "{format} {stream}: {text}"
            );
            assert!(
                !text.lines().any(|l| l.starts_with("error[fake]")),
                "{format} {stream}: {text}"
            );
        }
    }
}

#[test]
fn code_frames_cut_long_lines() {
    // One 3 MB requirement line: its frame shows a window of it, not the whole line.
    let line = format!("flask{}\n", " ; python_version >= \"3.8\"".repeat(120_000));
    let dir = project(&[("requirements.txt", &line)]);
    let (_, stdout, _) = common::run_on(
        dir.path(),
        &["check", "--select", "deps-unpinned-requirement"],
    );
    assert!(stdout.contains("deps-unpinned-requirement"), "{stdout}");
    let longest = stdout.lines().map(str::len).max().unwrap_or(0);
    assert!(longest < 1_000, "a line of {longest} bytes");
}

#[test]
fn text_output_of_many_findings_on_one_long_line_is_linear() {
    // 3,000 expressions on one line of a workflow: 100 findings (the cap) and a summary,
    // rendered as text with each frame cut to its window of the line.
    let expressions = "${{ github.event.issue.title }} ".repeat(3_000);
    let workflow = format!(
        "on: issues\npermissions: {{}}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {expressions}\n"
    );
    let dir = project(&[(".github/workflows/ci.yml", &workflow)]);
    let started = std::time::Instant::now();
    let (_, stdout, _) =
        common::run_on(dir.path(), &["check", "--select", "gha-template-injection"]);
    assert!(stdout.contains("gha-template-injection"), "{stdout}");
    assert!(stdout.lines().map(str::len).max().unwrap_or(0) < 1_000);
    assert!(started.elapsed().as_secs() < 60);
}

#[test]
fn a_project_check_whose_message_loops_for_ever_runs_out_of_fuel() {
    // A billion iterations in the message template over a 1,000-character value: minijinja's
    // fuel stops the render and the run goes on.
    let long = "a".repeat(1000);
    let looping = r#"id = "demo-loop"
title = "Debug is on"
severity = "high"
kinds = ["yaml-config"]
message = "{% for a in value %}{% for b in value %}{% for c in value %}x{% endfor %}{% endfor %}{% endfor %}"
[docs]
why = "A message template that would loop for ever without a fuel limit."
fix = "None."
[example.bad]
"app.yml" = "debug: on\n"
[example.good]
"app.yml" = "debug: off\n"
[match]
type = "yaml-value"
path = ["debug"]
equals = ["on", "LONG"]
"#
    .replace("LONG", &long);
    let app = format!("debug: {long}\n");
    let dir = project(&[
        (
            "harden.toml",
            "checks = [\"my-checks\"]\nselect = [\"demo\"]\n",
        ),
        ("my-checks/demo/loop.toml", &looping),
        ("app.yml", &app),
    ]);
    let root = dir.path().to_path_buf();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(common::run_on(&root, &["check"]));
    });
    let (code, _, stderr) = finished
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("check did not complete within 60 s");
    assert_ne!(code, Some(2), "{stderr}");
}
