//! Property tests: arbitrary bytes through every parser and through the whole engine never
//! panic. Bounded (a few hundred cases each) so they run in CI.

mod common;

use harden::formats;
use harden::project::{FileKind, Text};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Strings that look a little like configuration, so parsers get past their first byte.
fn config_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\n",
        "\r\n",
        " ",
        "  ",
        "#",
        "-",
        ":",
        "=",
        "==",
        ">=",
        "[",
        "]",
        "{",
        "}",
        "\"",
        "'",
        "\\\n",
        ",",
        "*",
        "&a",
        "*a",
        "!",
        "/",
        ".env",
        "flask",
        "-r ",
        "--hash=sha256:",
        "git+https://x/y@",
        "version: 2",
        "updates:",
        "[tool.harden]",
        "[[package]]",
        "name",
        "é",
        "\u{feff}",
        "\t",
        "${X}",
        "@",
        ";",
        "python_version",
        "<<",
        // Python settings
        "INSTALLED_APPS = [",
        "MIDDLEWARE = [",
        "MIDDLEWARE += ",
        ".append(",
        ".insert(0, ",
        "DEBUG = ",
        "SECRET_KEY = ",
        "ALLOWED_HOSTS",
        "SECURE_HSTS_SECONDS = ",
        "os.environ.get(\"X\", ",
        "os.environ[",
        "env.bool(",
        "config(",
        "cast=bool",
        "from .base import *",
        "import os",
        "if x:\n    ",
        "True",
        "None",
        "(",
        ")",
        " if ",
        " else ",
        " == ",
        " in ",
        "not ",
        "*[",
    ]);
    prop::collection::vec(pieces, 0..64).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn parsers_never_panic(text in prop_oneof![any::<String>(), config_like()]) {
        for (_, kind) in FileKind::ALL {
            let parsed = formats::parse(*kind, &text);
            for error in parsed.errors() {
                if let Some(span) = error.span {
                    prop_assert!(span.start <= span.end && span.end <= text.len(), "{kind:?}: {span:?}");
                }
            }
            let _ = formats::verify(*kind, &text);
        }
    }

    #[test]
    fn positions_never_panic(text in any::<String>(), offset in 0usize..512) {
        let text = Text::new(text.as_str(), false);
        let (line, column) = text.line_col(offset);
        prop_assert!(line >= 1 && column >= 1);
        let _ = text.line_range(line);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_engine_never_panics_on_arbitrary_files(bytes in prop::collection::vec(any::<u8>(), 0..512), text in config_like()) {
        // One file of every kind with a model of its own beyond its parser (workflows and
        // actions, GitLab pipelines, compose, bandit, pre-commit, Flask/Django modules), so
        // those readers get the same bytes.
        let paths = [
            ".gitignore", ".dockerignore", ".env", "requirements.txt", "pyproject.toml", "poetry.lock", "uv.lock",
            "Pipfile.lock", "pdm.lock", ".github/dependabot.yml", ".github/workflows/ci.yml", "Dockerfile", "app/settings.py",
            "key.pem", "config.yml", "renovate.json", ".gitlab-ci.yml", "docker-compose.yml", "bandit.yaml", ".bandit",
            "action.yml", ".pre-commit-config.yaml", "Pipfile", "app.py", "manage.py", "constraints.txt",
        ];
        let dir = tempfile::tempdir().unwrap();
        for (i, path) in paths.iter().enumerate() {
            let target = dir.path().join(path);
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            if i % 2 == 0 {
                std::fs::write(&target, &bytes).unwrap();
            } else {
                std::fs::write(&target, &text).unwrap();
            }
        }
        let session = common::session(dir.path(), Some(&["all"]));
        let project = session.walk();
        let findings = session.check(&project);
        let report = harden::output::Report {
            findings: &findings,
            project: &project,
            registry: &session.registry,
            profile: "strict",
            checks_run: &session.plan.enabled,
            notes: &[],
            paths: Default::default(),
        };
        for format in [harden::cli::Format::Text, harden::cli::Format::Json, harden::cli::Format::Sarif, harden::cli::Format::Github, harden::cli::Format::Markdown] {
            let _ = harden::output::render(format, &report, false, true);
        }
        // And the fixer, in memory: no panic, and every fix it proposes keeps files parsing.
        let fixes: Vec<&harden::fix::Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
        let applied = harden::fix::apply::apply(&project, &fixes);
        for change in applied.changes.values() {
            if let Some(kind) = harden::project::kind::classify(&change.path) {
                prop_assert!(formats::verify(kind, &change.new).is_ok(), "{} broke", change.path);
            }
        }
    }
}

/// Python that a settings module might hold, piece by piece: the evaluator's input.
fn settings_like() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "X = ",
        "Y = ",
        "DEBUG = ",
        "S = S + S\n",
        "L = [L, L]\n",
        "\n",
        "'ab'",
        "\"x\"",
        "1",
        "-1",
        "9223372036854775807",
        " + ",
        " - ",
        " * ",
        " // ",
        " % ",
        " ** ",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        ": ",
        ", ",
        "not ",
        " or ",
        " and ",
        " if X else ",
        "os.environ.get('A', ",
        "env.bool(",
        "int(",
        "str(",
        "bool(",
        "[0]",
        ".split(',')",
        "X.append(",
        "X += ",
        "from .base import *\n",
        "def f(a):\n    return a\n",
        "f(",
        "if X:\n    ",
        "try:\n    pass\nexcept Exception:\n    ",
        "f'{X}'",
        "*X",
        "**X",
        "lambda: 1",
        "None",
        "True",
        "#",
        "\\\n",
    ]);
    prop::collection::vec(pieces, 0..96).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config())]

    /// The settings evaluator: no panic on any module, and what it keeps is bounded by the
    /// input and by the value-size limit, whatever the module computes.
    #[test]
    fn settings_evaluator_never_panics_and_bounds_its_values(text in prop_oneof![settings_like(), any::<String>()]) {
        use harden::formats::python::{MAX_VALUE_SIZE, PythonFile, StmtKind, value_size};
        let file = PythonFile::parse(&text);
        prop_assert!(file.stmts.len() <= text.len());
        prop_assert!(file.errors.len() <= 1);
        for stmt in &file.stmts {
            prop_assert!(stmt.span.end <= text.len());
            let values: Vec<&harden::formats::python::Value> = match &stmt.kind {
                StmtKind::Assign { value, .. }
                | StmtKind::AddAssign { value, .. }
                | StmtKind::Append { value, .. }
                | StmtKind::Extend { value, .. }
                | StmtKind::Remove { value, .. } => vec![value],
                StmtKind::Insert { index, value, .. } => vec![index, value],
                StmtKind::SetItem { key, value, .. } => vec![key, value],
                StmtKind::StarImport { .. } | StmtKind::RewriteNamespace => vec![],
            };
            for value in values {
                prop_assert!(value_size(value, MAX_VALUE_SIZE + 1) <= MAX_VALUE_SIZE);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    /// Deep nesting and long repetitions through every parser (Dockerfile, requirements, the
    /// YAML kinds, Python settings, gitignore, dotenv, TOML, ...): no panic, no stack overflow,
    /// and errors bounded by the input's size.
    #[test]
    fn every_parser_survives_deep_and_long_input(
        piece in prop::sample::select(vec![
            "[", "{", "(", "- ", "  ", "'ab' + ", "not ", "RUN <<EOF\n", "**/", "-r x.txt\n", "&a ",
            "*a ", "a: ", "X=${X}", "\\\n", "FROM python AS a\n", "\"", "#", "!", "x\n",
        ]),
        count in 0usize..3_000,
    ) {
        let text = format!("{}x\n", piece.repeat(count));
        for (_, kind) in FileKind::ALL {
            let parsed = formats::parse(*kind, &text);
            prop_assert!(parsed.errors().len() <= text.len() + 1, "{kind:?}");
            let _ = formats::verify(*kind, &text);
        }
    }
}
