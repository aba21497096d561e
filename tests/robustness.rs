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
