//! The machine-readable formats of `harden check`: json, sarif, github and markdown.
//!
//! Two kinds of input: findings from the real engine on small scratch projects (the
//! `parse-error` check), and a hand-built set over a scratch project with sample checks, which
//! covers what no shipped check produces yet (related locations, every kind of fix, inline and
//! baseline suppressions, multi-line spans, characters that need escaping). The hand-built
//! set is what the snapshots show, so they change only when an output format does.

use std::path::{Path, PathBuf};
use std::process::Command;

use harden::checks::Registry;
use harden::cli::{Format, SelectionArgs};
use harden::finding::{Confidence, Finding, Location, Related, Severity, Suppression};
use harden::fix::{Applicability, Edit, Fix};
use harden::output::{self, Report};
use harden::project::Project;
use harden::session::Session;
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Scratch projects

fn write_files(root: &Path, files: &[(&str, &[u8])]) {
    for (path, content) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

fn session(root: &Path, select: &[&str]) -> Session {
    let args = SelectionArgs {
        path: root.to_path_buf(),
        select: Some(select.iter().map(|s| s.to_string()).collect()),
        ..SelectionArgs::default()
    };
    Session::new(&args).unwrap_or_else(|e| panic!("cannot start a session: {e}"))
}

/// A project with three files `parse-error` reports: a pyproject.toml with a syntax error, a
/// requirements file that is not UTF-8, and a dependabot.yml that is not YAML.
fn broken_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[
            ("pyproject.toml", b"[project\nname = \"app\"\n"),
            ("requirements.txt", b"flask==3.0.3\ncaf\xe9==1.0\n"),
            (".github/dependabot.yml", b"version: 2\nupdates: [\n"),
        ],
    );
    dir
}

/// Render the real engine's findings on `root` in `format`.
fn render_engine(root: &Path, format: Format, show_suppressed: bool) -> String {
    let session = session(root, &["parse-error"]);
    let project = session.walk();
    let findings = session.check(&project);
    let report = Report {
        findings: &findings,
        project: &project,
        registry: &session.registry,
        profile: &session.profile_name,
        checks_run: &session.plan.enabled,
        notes: &[],
        paths: Default::default(),
    };
    output::render(format, &report, false, show_suppressed)
}

const SAMPLE_CHECKS: &[(&str, &str)] = &[
    (
        "sample/debug-enabled.toml",
        r#"
id = "sample-debug-enabled"
title = "Debug mode is on in production settings"
severity = "high"
confidence = "medium"
kinds = ["python"]
message = "DEBUG is True"
help = "read DEBUG from the environment, off by default"
references = ["CWE-489", "https://cwe.mitre.org/data/definitions/489.html"]

[docs]
why = """
Debug mode shows stack traces, settings and source code
to anyone who can make the application fail.

A second paragraph, which the SARIF full description leaves out.
"""
fix = """Reads DEBUG from the environment, so a deployment that sets nothing runs without it."""

[match]
type = "regex"
pattern = "DEBUG = True"

[fix]
applicability = "unsafe"
title = "Read DEBUG from the environment"
"#,
    ),
    (
        "sample/secret-key.toml",
        r#"
id = "sample-secret-key"
title = "Secret key is written in the source"
severity = "critical"
kinds = ["python"]
message = "secret key in source"
references = ["CWE-798"]

[docs]
why = """A secret in the repository is known to everyone who can read it."""

[match]
type = "regex"
pattern = "SECRET_KEY = .*"

[fix]
applicability = "safe"
title = "Read SECRET_KEY from the environment"
"#,
    ),
    (
        "sample/policy-missing.toml",
        r#"
id = "sample-policy-missing"
title = "No security policy"
severity = "low"
confidence = "low"
kinds = ["python"]
message = "no security policy"

[docs]
why = """Reporters need to know where to send a vulnerability."""

[match]
type = "regex"
pattern = "never matches here"

[fix]
applicability = "display-only"
title = "Write a SECURITY.md"
"#,
    ),
];

/// The hand-built report: a scratch project on disk (so positions resolve), a registry with the
/// built-in checks plus the sample checks above, and findings covering every output feature.
struct Sample {
    _dir: tempfile::TempDir,
    project: Project,
    registry: Registry,
    findings: Vec<Finding>,
    checks_run: Vec<String>,
}

const SETTINGS: &str = "from .base import *\nDEBUG = True\nSECRET_KEY = \"café|<b>\"\n";
const OTHER_SETTINGS: &str =
    "ALLOWED = [\n    \"a\",\n]\nDEBUG = True  # harden: ignore[sample-debug-enabled] local only\n";

fn sample() -> Sample {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    let checks = dir.path().join("checks");
    for (path, content) in SAMPLE_CHECKS {
        write_files(&checks, &[(path, content.as_bytes())]);
    }
    write_files(
        &root,
        &[
            ("config/settings.py", SETTINGS.as_bytes()),
            ("config/base.py", b"DEBUG = False\nDEBUG = True\n"),
            ("config/my settings,v2.py", OTHER_SETTINGS.as_bytes()),
            ("requirements.txt", b"caf\xe9==1.0\n"),
        ],
    );
    let registry =
        Registry::load(&[("checks".to_string(), checks)]).unwrap_or_else(|e| panic!("{e}"));
    let project = session(&root, &["parse-error"]).walk();

    let at = |path: &str, text: &str, needle: &str| -> Location {
        let start = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in {path}"));
        Location::span(path, start..start + needle.len())
    };
    let base = |check: &str, severity: Severity, message: &str, primary: Location| Finding {
        check: check.to_string(),
        severity,
        confidence: Confidence::High,
        message: message.to_string(),
        primary,
        related: Vec::new(),
        help: None,
        fix: None,
        fingerprint: String::new(),
        suppressed: None,
        tags: Vec::new(),
    };
    let secret_value = SETTINGS.find("\"café").unwrap();
    let findings = vec![
        // A multi-line span that ends just after a line break (GitHub: lines 1-3, no columns).
        Finding {
            fingerprint: "00000000000000a1".into(),
            ..base(
                "sample-debug-enabled",
                Severity::High,
                "list spans lines",
                at(
                    "config/my settings,v2.py",
                    OTHER_SETTINGS,
                    "[\n    \"a\",\n]\n",
                ),
            )
        },
        // Suppressed inline, with a reason.
        Finding {
            fingerprint: "00000000000000a2".into(),
            suppressed: Some(Suppression::Inline {
                reason: Some("local only".into()),
            }),
            ..base(
                "sample-debug-enabled",
                Severity::High,
                "DEBUG is True",
                at("config/my settings,v2.py", OTHER_SETTINGS, "DEBUG = True"),
            )
        },
        // An unsafe fix, help, and related locations in the same file and in another one.
        Finding {
            confidence: Confidence::Medium,
            help: Some("read DEBUG from the environment, off by default".into()),
            related: vec![
                Related {
                    location: at("config/settings.py", SETTINGS, "from .base import *"),
                    note: "inherits [base] settings".into(),
                },
                Related {
                    location: Location::span("config/base.py", 14..26),
                    note: "also set here".into(),
                },
            ],
            fix: Some(Fix {
                title: "Read DEBUG from the environment".into(),
                applicability: Applicability::Unsafe,
                edits: vec![Edit::replace(
                    "config/settings.py",
                    28..32,
                    "os.environ.get(\"DEBUG\") == \"1\"",
                )],
            }),
            fingerprint: "00000000000000a3".into(),
            ..base(
                "sample-debug-enabled",
                Severity::High,
                "DEBUG is True",
                at("config/settings.py", SETTINGS, "DEBUG = True"),
            )
        },
        // A safe fix with two edits; a message that needs escaping everywhere; columns that
        // count characters (the span starts after `é`).
        Finding {
            fix: Some(Fix {
                title: "Read SECRET_KEY from the environment".into(),
                applicability: Applicability::Safe,
                edits: vec![
                    Edit::insert("config/settings.py", 0, "import os\n"),
                    Edit::replace(
                        "config/settings.py",
                        secret_value..SETTINGS.len() - 1,
                        "os.environ[\"SECRET_KEY\"]",
                    ),
                ],
            }),
            fingerprint: "00000000000000a4".into(),
            ..base(
                "sample-secret-key",
                Severity::Critical,
                "`SECRET_KEY` is \"café|<b>\": 100% public, known to all\nsecond line",
                Location::span("config/settings.py", secret_value + 6..SETTINGS.len() - 1),
            )
        },
        // A whole-file finding on a file that exists but is not UTF-8.
        Finding {
            fingerprint: "00000000000000a5".into(),
            help: Some("fix the encoding".into()),
            ..base(
                "parse-error",
                Severity::Medium,
                "not valid UTF-8 text (first bad byte at offset 3)",
                Location::file("requirements.txt"),
            )
        },
        // A file that does not exist yet, with a fix that creates it, listed in the baseline.
        Finding {
            fix: Some(Fix {
                title: "Create SECURITY.md".into(),
                applicability: Applicability::Safe,
                edits: vec![Edit::create("new dir/SECURITY.md", "# Security\n")],
            }),
            fingerprint: "00000000000000a6".into(),
            suppressed: Some(Suppression::Baseline),
            ..base(
                "sample-policy-missing",
                Severity::Low,
                "no security policy",
                Location::file("new dir/SECURITY.md"),
            )
        },
        // A low finding with a display-only fix, on a path with `:` and `,`.
        Finding {
            confidence: Confidence::Low,
            fix: Some(Fix::display_only("Write a SECURITY.md")),
            fingerprint: "00000000000000a7".into(),
            ..base(
                "sample-policy-missing",
                Severity::Low,
                "no policy, anywhere: 0%",
                Location::file("docs/a:b,c.md"),
            )
        },
    ];
    let mut findings = findings;
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    let checks_run = [
        "parse-error",
        "sample-debug-enabled",
        "sample-policy-missing",
        "sample-secret-key",
    ]
    .map(String::from)
    .to_vec();
    Sample {
        _dir: dir,
        project,
        registry,
        findings,
        checks_run,
    }
}

impl Sample {
    fn render(&self, format: Format, show_suppressed: bool) -> String {
        output::render(format, &self.report(), false, show_suppressed)
    }

    fn report(&self) -> Report<'_> {
        Report {
            findings: &self.findings,
            project: &self.project,
            registry: &self.registry,
            profile: "baseline",
            checks_run: &self.checks_run,
            notes: &[],
            paths: Default::default(),
        }
    }
}

/// Snapshot with the tool version and the scratch directory replaced, so neither a release
/// nor the machine changes the snapshot.
macro_rules! assert_output_snapshot {
    ($name:expr, $value:expr) => {
        insta::with_settings!({
            filters => vec![
                (regex_escape(env!("CARGO_PKG_VERSION")).as_str(), "[VERSION]"),
                (r"file:///[^\x22]*/", "file:///[ROOT]/"),
            ],
        }, {
            insta::assert_snapshot!($name, $value);
        });
    };
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| {
            if c.is_ascii_alphanumeric() {
                vec![c]
            } else {
                vec!['\\', c]
            }
        })
        .collect()
}

fn parse_json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON: {e}\n{text}"))
}

// ---------------------------------------------------------------------------------------------
// SARIF against the official schema

fn schema_path() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/schemas/sarif-schema-2.1.0.json"
    ))
}

/// The SARIF 2.1.0 schema validator, or `None` (with a message) when the schema file is not
/// there outside CI. In CI (`CI` set) a missing schema fails the test.
fn sarif_validator() -> Option<jsonschema::Validator> {
    let path = schema_path();
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if std::env::var_os("CI").is_some() => {
            panic!(
                "the SARIF schema must be present in CI: cannot read {}: {e}",
                path.display()
            )
        }
        Err(e) => {
            eprintln!(
                "SKIPPED: SARIF schema validation: cannot read {}: {e}",
                path.display()
            );
            return None;
        }
    };
    let schema: Value = serde_json::from_str(&text).expect("the SARIF schema is JSON");
    Some(
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("the SARIF schema compiles"),
    )
}

fn assert_valid_sarif(validator: &jsonschema::Validator, sarif: &str) {
    let instance = parse_json(sarif);
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF output does not match the 2.1.0 schema:\n{}\n{sarif}",
        errors.join("\n")
    );
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let Some(validator) = sarif_validator() else {
        return;
    };
    let dir = broken_project();
    assert_valid_sarif(&validator, &render_engine(dir.path(), Format::Sarif, false));
    let sample = sample();
    assert_valid_sarif(&validator, &sample.render(Format::Sarif, false));
    assert_valid_sarif(&validator, &sample.render(Format::Sarif, true));
    // No findings at all is a valid log too.
    let clean = tempfile::tempdir().unwrap();
    write_files(
        clean.path(),
        &[("pyproject.toml", b"[project]\nname = \"app\"\n")],
    );
    assert_valid_sarif(
        &validator,
        &render_engine(clean.path(), Format::Sarif, false),
    );
}

#[test]
fn schema_validation_rejects_broken_sarif() {
    // Guards the guard: a validator that accepts anything would make the test above useless.
    let Some(validator) = sarif_validator() else {
        return;
    };
    let sample = sample();
    let mut sarif = parse_json(&sample.render(Format::Sarif, false));
    sarif["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&sarif));
}

// ---------------------------------------------------------------------------------------------
// The real engine

#[test]
fn json_from_the_engine() {
    let dir = broken_project();
    let json = parse_json(&render_engine(dir.path(), Format::Json, false));
    assert_eq!(json["version"], 1);
    assert_eq!(json["tool"]["name"], "harden");
    assert_eq!(json["summary"]["findings"], 3);
    assert_eq!(json["summary"]["by_severity"]["medium"], 3);
    let findings = json["findings"].as_array().unwrap();
    let paths: Vec<&str> = findings
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            ".github/dependabot.yml",
            "pyproject.toml",
            "requirements.txt"
        ]
    );
    for finding in findings {
        assert_eq!(finding["check"], "parse-error");
        assert_eq!(
            finding["title"],
            "A file harden reads cannot be read or parsed"
        );
        assert_eq!(finding["suppressed"], Value::Null);
        assert_eq!(finding["fingerprint"].as_str().unwrap().len(), 16);
    }
    // The TOML error is on line 1 (`[project` is not closed); the unreadable file has no range.
    assert_eq!(findings[1]["range"]["start"]["line"], 1);
    assert_eq!(findings[2]["range"], Value::Null);
}

#[test]
fn inline_suppression_from_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "requirements.txt",
            b"# harden: ignore[parse-error] vendored\ncaf\xe9\n",
        )],
    );
    // Not UTF-8, so the comment cannot be read either: the finding stays active.
    let json = parse_json(&render_engine(dir.path(), Format::Json, false));
    assert_eq!(json["summary"]["findings"], 1);

    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[(
            "pyproject.toml",
            b"# harden: ignore[parse-error] generated\n[project\n",
        )],
    );
    let json = parse_json(&render_engine(dir.path(), Format::Json, false));
    assert_eq!(json["summary"]["findings"], 0, "{json:#}");
    assert_eq!(json["summary"]["suppressed"], 1);
    assert_eq!(json["findings"][0]["suppressed"]["kind"], "inline");
    assert_eq!(json["findings"][0]["suppressed"]["reason"], "generated");
    // SARIF leaves it out unless asked; github and markdown never list it.
    let sarif = parse_json(&render_engine(dir.path(), Format::Sarif, false));
    assert_eq!(sarif["runs"][0]["results"].as_array().unwrap().len(), 0);
    let sarif = parse_json(&render_engine(dir.path(), Format::Sarif, true));
    assert_eq!(
        sarif["runs"][0]["results"][0]["suppressions"][0]["kind"],
        "inSource"
    );
    assert_eq!(render_engine(dir.path(), Format::Github, false), "");
    assert!(
        render_engine(dir.path(), Format::Markdown, false).contains("No findings (1 suppressed).")
    );
}

#[test]
fn every_format_from_the_command_line() {
    let dir = broken_project();
    let run = |format: &str| {
        let output = Command::new(env!("CARGO_BIN_EXE_harden"))
            .args(["check", "--select", "parse-error", "--format", format])
            .arg(dir.path())
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert_eq!(parse_json(&run("json"))["summary"]["findings"], 3);
    assert_eq!(
        parse_json(&run("sarif"))["runs"][0]["results"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let github = run("github");
    assert_eq!(github.lines().count(), 3);
    assert!(
        github.lines().all(|l| l.starts_with("::warning file=")),
        "{github}"
    );
    assert!(run("markdown").starts_with("## harden: 3 findings\n"));
}

// ---------------------------------------------------------------------------------------------
// Snapshots of the hand-built report

#[test]
fn json_snapshot() {
    assert_output_snapshot!("json", sample().render(Format::Json, false));
}

#[test]
fn sarif_snapshot() {
    assert_output_snapshot!("sarif", sample().render(Format::Sarif, true));
}

#[test]
fn github_snapshot() {
    assert_output_snapshot!("github", sample().render(Format::Github, false));
}

#[test]
fn markdown_snapshot() {
    assert_output_snapshot!("markdown", sample().render(Format::Markdown, false));
}

// ---------------------------------------------------------------------------------------------
// Specific promises

#[test]
fn json_positions_count_characters_and_bytes() {
    let json = parse_json(&sample().render(Format::Json, false));
    let secret = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["check"] == "sample-secret-key")
        .unwrap();
    let start = &secret["range"]["start"];
    // `SECRET_KEY = "café|<b>"`: the span starts at `|`, after 19 bytes of the line but 18
    // characters (`é` is two bytes), so column 19 where a byte count would say 20.
    assert_eq!(start["line"], 3);
    assert_eq!(start["column"], 19);
    let line_start = SETTINGS.find("SECRET_KEY").unwrap();
    assert_eq!(start["offset"], line_start + 19);
    assert_eq!(
        &SETTINGS[start["offset"].as_u64().unwrap() as usize..][..1],
        "|"
    );
}

#[test]
fn sarif_rules_cover_every_check_that_ran() {
    let sarif = parse_json(&sample().render(Format::Sarif, false));
    let run = &sarif["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "parse-error",
            "sample-debug-enabled",
            "sample-policy-missing",
            "sample-secret-key"
        ]
    );
    for result in run["results"].as_array().unwrap() {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert!(result.get("suppressions").is_none());
    }
    let debug = &rules[1];
    assert_eq!(debug["name"], "SampleDebugEnabled");
    assert_eq!(
        debug["helpUri"],
        "https://cwe.mitre.org/data/definitions/489.html"
    );
    assert_eq!(
        debug["fullDescription"]["text"],
        "Debug mode shows stack traces, settings and source code to anyone who can make the application fail."
    );
    assert_eq!(debug["properties"]["security-severity"], "7.0");
    assert_eq!(debug["properties"]["precision"], "medium");
    assert_eq!(rules[3]["properties"]["security-severity"], "9.5");
    assert_eq!(rules[3]["defaultConfiguration"]["level"], "error");
}

#[test]
fn github_escaping() {
    let out = sample().render(Format::Github, false);
    let secret = out
        .lines()
        .find(|l| l.contains("sample-secret-key"))
        .unwrap();
    assert_eq!(
        secret,
        "::error file=config/settings.py,line=3,col=19,endLine=3,endColumn=24,title=harden (sample-secret-key)::\
         `SECRET_KEY` is \"café|<b>\": 100%25 public, known to all%0Asecond line%0A\
         fix available: Read SECRET_KEY from the environment (`harden fix`)"
    );
    // Properties escape `:` and `,` as well.
    let policy = out.lines().find(|l| l.contains("docs/")).unwrap();
    assert!(policy.starts_with("::notice file=docs/a%3Ab%2Cc.md,title=harden (sample-policy-missing)::no policy, anywhere: 0%25%0A"), "{policy}");
    // Every command is one line.
    assert_eq!(out.lines().count(), 5);
}

#[test]
fn markdown_escaping() {
    let out = sample().render(Format::Markdown, false);
    let row = out
        .lines()
        .find(|l| l.contains("sample-secret-key"))
        .unwrap();
    assert_eq!(
        row,
        "| critical | `sample-secret-key` | `config/settings.py:3` | \
         `SECRET_KEY` is \"café\\|&lt;b>\": 100% public, known to all<br>second line | yes |"
    );
    let row = out.lines().find(|l| l.contains("a:b")).unwrap();
    assert!(row.contains("| `docs/a:b,c.md` |"), "{row}");
    // The table has 5 columns on every row: no `|` leaks out of a cell.
    for line in out.lines().filter(|l| l.starts_with('|')) {
        assert_eq!(line.replace("\\|", "").matches('|').count(), 6, "{line}");
    }
}

#[test]
fn markdown_without_findings() {
    let dir = tempfile::tempdir().unwrap();
    write_files(
        dir.path(),
        &[("pyproject.toml", b"[project]\nname = \"app\"\n")],
    );
    let out = render_engine(dir.path(), Format::Markdown, false);
    assert!(
        out.starts_with("## harden: no findings\n\nNo findings.\n"),
        "{out}"
    );
}
