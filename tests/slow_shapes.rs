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

#[test]
fn a_generated_gitignore_is_compiled_once_and_only_up_to_its_bound() {
    use harden::formats::gitignore::{GitignoreFile, IgnoreTree, MAX_PATTERNS};
    // 100,000 `**/` globs (4 MB): each is a regular expression of its own, and every check
    // (and every fix candidate, re-building the tree with one line appended) compiled them
    // all again: 22 s and 1.3 GB at full size in a release build.
    let patterns = 100_000;
    let mut gitignore: String = (0..patterns)
        .map(|i| format!("**/generated-{i:06}/**/cache-{i:06}.tmp\n"))
        .collect();
    gitignore.push_str(".env.late\n");
    let file = GitignoreFile::parse(&gitignore);
    assert_eq!(file.patterns.len(), patterns + 1);
    assert_eq!(file.matcher().len(), MAX_PATTERNS);
    let error = &file.errors[0];
    assert!(
        error.message.contains("100001 patterns"),
        "{}",
        error.message
    );
    // Reported at the first line not read.
    let unread = error.span.clone().unwrap();
    assert!(gitignore[unread].starts_with(&format!("**/generated-{MAX_PATTERNS:06}/")));

    // A line past the bound decides nothing; one appended is judged without compiling the
    // file again, and its span is where it lands in the new text.
    let tree = IgnoreTree::new([(".gitignore", gitignore.as_str())]);
    assert!(!tree.verdict("svc/.env.late", false).is_ignored());
    assert!(
        tree.verdict("generated-000001/x/cache-000001.tmp", false)
            .is_ignored()
    );
    let appended = tree.with_appended(".gitignore", ".env.local\n");
    match appended.verdict("svc/.env.local", false) {
        harden::formats::gitignore::Verdict::Ignored(rule) => {
            assert_eq!(
                rule.span,
                gitignore.len()..gitignore.len() + ".env.local".len()
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(!tree.verdict("svc/.env.local", false).is_ignored());

    // The whole run: 200 committed env files holding secrets, each a fix candidate.
    let mut files: Vec<(String, String)> = vec![(".gitignore".into(), gitignore.clone())];
    for i in 0..200 {
        files.push((
            format!("src/pkg{}/.env.{i}", i % 20),
            "SECRET_KEY=9f8a7d6c5b4e3f2a1b0c9d8e7f6a5b4c\n".into(),
        ));
    }
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let dir = common::project(&refs);
    let root = dir.path().to_path_buf();
    let findings = completes(120, move || {
        common::check(&root, Some(&["secret-env-file-committed", "parse-error"]))
    });
    let committed = findings
        .iter()
        .filter(|f| f.check == "secret-env-file-committed")
        .count();
    // The findings cap keeps 100 per check and file; these are 200 files.
    assert_eq!(committed, 200);
    assert!(
        findings
            .iter()
            .any(|f| f.check == "parse-error" && f.primary.path == ".gitignore"),
        "{findings:#?}"
    );
}

#[test]
fn fixes_of_many_dependabot_entries_patch_each_entry_alone() {
    // 2,000 entries each missing its cooldown: each fix patched the whole document with
    // yamlpatch (which re-parses it after every operation) and parsed the result again, so
    // the check alone cost 2,000 whole-document parses (minutes); each entry is patched
    // alone now, and the whole document not at all.
    let entries = 2_000;
    let mut text = String::from("version: 2\nupdates:\n");
    // An entry with an anchor (others may alias it) does not stand alone: patched whole.
    text.push_str(
        "  - &docker\n    package-ecosystem: docker\n    directory: /\n    schedule:\n      interval: weekly\n",
    );
    for i in 0..entries {
        text.push_str(&format!(
            "  - package-ecosystem: pip\n    directory: /svc{i}\n    schedule:\n      interval: weekly\n"
        ));
    }
    let dir = common::project(&[(".github/dependabot.yml", &text)]);
    let root = dir.path().to_path_buf();
    let (findings, patched, asked) = completes(300, move || {
        let session = common::session(&root, Some(&["dependabot-cooldown-missing"]));
        let project = session.walk();
        let findings = session.check(&project);
        let Some(harden::formats::Parsed::Yaml(config)) =
            project.file(".github/dependabot.yml").map(|f| f.parsed())
        else {
            panic!("dependabot.yml did not parse");
        };
        (findings, config.patched_bytes(), config.yamlpath_queries())
    });
    // Every entry's spans come from the index built once: yamlpath, whose every query listed
    // the 2,001 entries again (34.8 s for `fix --diff` at full size), answered none of the
    // 2,001 entries' lookups.
    assert_eq!(asked, 0, "span queries left to yamlpath");
    // 100 reported (the cap per check and file) and one summary; fixes are computed for
    // those only.
    let fixable: Vec<_> = findings.iter().filter(|f| f.fix.is_some()).collect();
    assert_eq!(fixable.len(), 100, "{}", findings.len());
    for finding in &fixable[1..] {
        let fix = finding.fix.as_ref().unwrap();
        let [harden::fix::Edit::Replace { range, content, .. }] = fix.edits.as_slice() else {
            panic!("{fix:?}");
        };
        // Each edit is one entry's: inserted at the end of its lines.
        assert!(range.is_empty(), "{range:?}");
        assert_eq!(content, "    cooldown:\n      default-days: 7\n");
    }
    // Only the entry with the anchor was patched whole: one operation on the document.
    assert_eq!(
        patched,
        text.len(),
        "bytes re-parsed by whole-document patches"
    );
}

#[test]
fn a_literal_longer_than_a_value_may_be_is_never_parsed() {
    // The full-size shape: 1.6 million items (8 MB) took 9 s and 2 GB, nearly all of it
    // tree-sitter's tree of the one literal, which the evaluator then never looked into.
    // The literal is left out of the parse: the tree holds a few nodes, not millions.
    let items = 2 * harden::formats::python::MAX_VALUE_SIZE;
    let text = format!(
        "INSTALLED_APPS = [\n{}]\nMIDDLEWARE = []\nTABLE = {{'a': ({}), 'b': 1}}\nDEBUG = True\n",
        vec!["    \"app\",  # an app, \"]\n"; items].concat(),
        vec!["1"; items].join(", ")
    );
    let file = PythonFile::parse(&text);
    let tree = file.tree.as_ref().expect("a tree");
    let nodes = tree.root_node().descendant_count();
    assert!(nodes < 100, "{nodes} nodes");
    assert!(file.errors.is_empty(), "{:?}", file.errors);
    let value = |name: &str| {
        file.stmts
            .iter()
            .find_map(|s| match &s.kind {
                StmtKind::Assign { name: n, value } if n == name => Some(value.clone()),
                _ => None,
            })
            .unwrap()
    };
    assert!(matches!(value("INSTALLED_APPS").kind, ValueKind::Unknown));
    assert!(matches!(value("MIDDLEWARE").kind, ValueKind::List(items) if items.is_empty()));
    // Only the long tuple inside the dictionary is unknown (not an empty tuple).
    let ValueKind::Dict(pairs) = value("TABLE").kind else {
        panic!("TABLE is not a dictionary");
    };
    assert!(
        matches!(pairs[0].1.kind, ValueKind::Unknown),
        "{:?}",
        pairs[0].1
    );
    assert!(matches!(pairs[1].1.kind, ValueKind::Int(1)));
    assert!(matches!(value("DEBUG").kind, ValueKind::Bool(true)));
    // Offsets after the literal are the file's own.
    let debug = value("DEBUG").span;
    assert_eq!(&text[debug], "True");
}

/// What one check's matcher returns on `root`, before the engine's cap: the hits it built.
fn raw_hits(root: &std::path::Path, check_id: &str) -> Vec<harden::checks::matchers::Hit> {
    let session = common::session(root, Some(&[check_id]));
    let project = session.walk();
    let check = session.registry.get(check_id).expect("the check");
    let params = check.params.clone();
    let (django, flask) = (std::sync::OnceLock::new(), std::sync::OnceLock::new());
    let ctx = harden::checks::matchers::Ctx {
        project: &project,
        check,
        params: &params,
        templates: &session.templates,
        django: &django,
        flask: &flask,
    };
    check.matcher.run(&ctx)
}

/// Asserts the hits are the reported ones and one stand-in counting the rest, and that the
/// engine turns them into 100 findings and an exact summary.
fn assert_capped_before_built(root: &std::path::Path, check_id: &'static str, total: usize) {
    let cap = harden::engine::MAX_FINDINGS_PER_FILE;
    let hits = raw_hits(root, check_id);
    let built = hits.iter().filter(|h| h.elided == 0).count();
    let elided: usize = hits.iter().map(|h| h.elided).sum();
    assert_eq!((built, elided), (cap, total - cap), "{check_id}");
    let findings = common::check(root, Some(&[check_id]));
    assert_eq!(findings.len(), cap + 1, "{check_id}");
    let more = format!("{} more finding(s) of this check in this file", total - cap);
    assert!(
        findings.iter().any(|f| f.message.starts_with(&more)),
        "{check_id}: {:?}",
        findings.last().map(|f| &f.message)
    );
}

#[test]
fn packages_past_the_findings_cap_are_counted_not_built() {
    // `RUN pip install p0 ... p499999` (4 MB): every package became a hit with its variables
    // (7.3 s and 548 MB at full size, release build) for the engine to keep 100.
    let packages = 20_000;
    let names: Vec<String> = (0..packages).map(|i| format!("p{i}")).collect();
    let dockerfile = format!("FROM python:3.12\nRUN pip install {}\n", names.join(" "));
    let dir = common::project(&[("Dockerfile", &dockerfile)]);
    assert_capped_before_built(dir.path(), "docker-pip-unpinned", packages);
}

#[test]
fn expressions_past_the_findings_cap_are_counted_not_built() {
    // One `run:` of 200,000 `${{ github.event.issue.title }}` (8 MB): every expression was
    // judged and built into a hit before the cap (21.5 s at full size). Now each distinct
    // expression is judged once, only the reported ones are built, and a second field past
    // the cap gets no fix built at all.
    let expressions = 20_000;
    let run = "${{ github.event.issue.title }} ".repeat(expressions / 2);
    let workflow = format!(
        "on: issues\npermissions: {{}}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo {run}\n      - run: echo {run}\n"
    );
    let dir = common::project(&[(".github/workflows/ci.yml", &workflow)]);
    assert_capped_before_built(dir.path(), "gha-template-injection", expressions);
    // The reported hits carry the fix of the first step's script.
    let fixed = raw_hits(dir.path(), "gha-template-injection")
        .iter()
        .filter(|h| h.edits.is_some())
        .count();
    assert!(fixed >= 1, "no hit carries the fix");
}
