//! The hostile shapes that once took minutes, at a size where the old quadratic or unbounded
//! work would blow far through the bound and the new work finishes in a blink. Not timing
//! tests: each asserts what the run produced, and a hang fails against a bound far above a
//! normal run instead of stalling the suite. bench/hostile.py generates the full-size shapes;
//! bench/README.md has the numbers.

mod common;

use harden::formats::python::{PythonFile, StmtKind, ValueKind};

/// Run `work` on its own thread and wait at most `limit` seconds for its result.
fn completes<T: Send + 'static>(limit: u64, work: impl FnOnce() -> T + Send + 'static) -> T {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = done.send(work());
    });
    finished
        .recv_timeout(std::time::Duration::from_secs(limit))
        .unwrap_or_else(|_| panic!("did not complete within {limit} s"))
}

#[test]
fn a_long_requirements_include_chain_is_linear() {
    // 5,000 files each `-r` including the next and all constrained by one file: the upward walk
    // from every file cost 12.5 million steps and as many reads of the constraints (about 80 s
    // for this check in a debug build); now the constraints are pushed down the chain once
    // (about 1 s).
    let files = 5_000;
    let mut contents: Vec<(String, String)> = (0..files)
        .map(|i| {
            let include = if i + 1 < files {
                format!("-r requirements-{}.txt\n", i + 1)
            } else {
                String::new()
            };
            (
                format!("requirements-{i}.txt"),
                format!("{include}-c constraints.txt\npackage{i}==1.0\nflask>=2\n"),
            )
        })
        .collect();
    contents.push(("constraints.txt".into(), "flask==3.0.0\n".into()));
    let refs: Vec<(&str, &str)> = contents
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = common::project(&refs);
    let root = dir.path().to_path_buf();
    let findings = completes(60, move || {
        common::check(&root, Some(&["deps-unpinned-requirement"]))
    });
    // `flask>=2` is pinned by the constraints everywhere in the chain: nothing to report.
    assert!(findings.is_empty(), "{} findings", findings.len());
}

#[test]
fn a_literal_longer_than_a_value_may_be_is_unknown_without_evaluating_it() {
    let items = harden::formats::python::MAX_VALUE_SIZE + 1;
    let text = format!(
        "INSTALLED_APPS = [{}]\nSMALL = [{}]\nDEBUG = True\n",
        vec!["\"a\""; items].join(", "),
        ["\"a\""; 3].join(", ")
    );
    let file = PythonFile::parse(&text);
    let value = |name: &str| {
        file.stmts
            .iter()
            .find_map(|s| match &s.kind {
                StmtKind::Assign { name: n, value } if n == name => Some(value.kind.clone()),
                _ => None,
            })
            .unwrap()
    };
    assert!(matches!(value("INSTALLED_APPS"), ValueKind::Unknown));
    assert!(matches!(value("SMALL"), ValueKind::List(items) if items.len() == 3));
    assert!(matches!(value("DEBUG"), ValueKind::Bool(true)));
}
