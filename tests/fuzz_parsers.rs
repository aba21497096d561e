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
        let paths = [
            ".gitignore", ".dockerignore", ".env", "requirements.txt", "pyproject.toml", "poetry.lock", "uv.lock",
            "Pipfile.lock", "pdm.lock", ".github/dependabot.yml", ".github/workflows/ci.yml", "Dockerfile", "app/settings.py",
            "key.pem", "config.yml", "renovate.json",
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
