//! Differential test against checkov's Dockerfile policies where they and harden's checks
//! overlap.
//!
//! Every Dockerfile under tests/cases and fixtures is copied, alone, into one scratch tree (so no
//! other file of a case interferes); checkov (`--framework dockerfile`) and harden (the mapped
//! checks) each run once on that tree, and their verdicts are compared per file and harden
//! check: does the file fail? checkov reports several of these policies once per file
//! (CKV_DOCKER_2/3/4 are about the whole file, CKV_DOCKER_7 stops at the first bad `FROM`), so a
//! finer comparison would only compare checkov's reporting granularity. Every difference must be
//! one of the deliberate ones in [`ALLOWED`], whose reasons are also in the checks' docs.
//!
//! Not compared, because harden has no check for them: CKV_DOCKER_5 (`apt-get update` alone),
//! _6 (MAINTAINER), _9 (`apt` rather than `apt-get`), _10 (relative WORKDIR), _11 (duplicate
//! stage names) and the CKV2_DOCKER policies about npm/yarn, apk, rpm, yum/dnf and chpasswd.
//!
//! checkov comes from `HARDEN_CHECKOV` (.ci/run installs it from PyPI). Without it the test is
//! skipped with a message, except in CI (`CI` set), where it fails.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use harden::formats::dockerfile::Dockerfile;

/// checkov policy -> harden check.
const MAPPING: &[(&str, &str)] = &[
    ("CKV_DOCKER_1", "docker-ssh-exposed"),
    ("CKV_DOCKER_2", "docker-healthcheck-missing"),
    ("CKV_DOCKER_3", "docker-runs-as-root"),
    ("CKV_DOCKER_4", "docker-add"),
    ("CKV_DOCKER_7", "docker-image-latest"),
    ("CKV_DOCKER_8", "docker-runs-as-root"),
    ("CKV2_DOCKER_1", "docker-sudo"),
    ("CKV2_DOCKER_2", "docker-tls-verification-disabled"),
    ("CKV2_DOCKER_3", "docker-tls-verification-disabled"),
    ("CKV2_DOCKER_4", "docker-pip-trusted-host"),
    ("CKV2_DOCKER_5", "docker-pip-trusted-host"),
    ("CKV2_DOCKER_6", "docker-tls-verification-disabled"),
    ("CKV2_DOCKER_14", "docker-tls-verification-disabled"),
    ("CKV2_DOCKER_16", "docker-pip-trusted-host"),
];

/// CKV_DOCKER_4 reports any `ADD`; harden splits it into two checks, compared as one.
const ADD_CHECKS: &[&str] = &["docker-add-instead-of-copy", "docker-add-remote-url"];

fn harden_ids() -> Vec<&'static str> {
    let mut ids: BTreeSet<&str> = MAPPING
        .iter()
        .map(|(_, id)| *id)
        .filter(|id| *id != "docker-add")
        .collect();
    ids.extend(ADD_CHECKS);
    ids.into_iter().collect()
}

/// The compared name of a harden check.
fn compared(check: &str) -> &str {
    if ADD_CHECKS.contains(&check) {
        "docker-add"
    } else {
        check
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// Reported by harden only.
    Harden,
    /// Reported by checkov only.
    Checkov,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    check: String,
    file: String,
    side: Side,
}

/// A deliberate difference: which check, which side, when it applies (given the parsed file
/// and its text), and why.
struct Allowed {
    check: &'static str,
    side: Side,
    applies: fn(&Dockerfile, &str) -> bool,
    reason: &'static str,
}

fn users(file: &Dockerfile) -> Vec<String> {
    file.instructions
        .iter()
        .filter(|i| i.is("USER"))
        .map(|i| i.rest_text().trim().to_string())
        .collect()
}

/// Root written another way than the literal `root`: `0`, `0:0`, `root:root`.
fn root_by_another_name(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user);
    user != "root" && (name == "root" || name == "0")
}

/// An `ADD` source harden accepts: a local archive, or a download BuildKit verifies.
fn accepted_add(instruction: &harden::formats::dockerfile::Instruction) -> bool {
    let words = instruction.words();
    let sources = words.get(..words.len().saturating_sub(1)).unwrap_or(&[]);
    instruction.flag("checksum").is_some()
        || sources.iter().all(|w| {
            [".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tar.xz"]
                .iter()
                .any(|ext| w.value.ends_with(ext))
                && !w.value.contains("://")
        })
}

const ALLOWED: &[Allowed] = &[
    Allowed {
        check: "*",
        side: Side::Checkov,
        applies: |_, text| text.contains("# harden: ignore"),
        reason: "the finding is suppressed in the file with a `# harden: ignore[...]` comment",
    },
    Allowed {
        check: "docker-runs-as-root",
        side: Side::Harden,
        applies: |file, _| {
            let users = users(file);
            (file.stages.len() > 1 && !users.is_empty())
                || users.last().is_some_and(|u| root_by_another_name(u))
        },
        reason: "harden judges the user the shipped image ends with (the final stage and the \
                 stages it is built on): checkov's CKV_DOCKER_3 passes when any stage has a USER; \
                 and CKV_DOCKER_8 only knows the literal `root`, not `0` or `0:0`",
    },
    Allowed {
        check: "docker-runs-as-root",
        side: Side::Checkov,
        applies: |file, _| {
            file.final_stage()
                .and_then(|(_, stage)| stage.image.as_ref())
                .is_some_and(|image| {
                    image.tag.as_deref().is_some_and(|t| t.contains("nonroot"))
                        || image.name.starts_with("cgr.dev/chainguard/")
                })
        },
        reason: "base images documented to run unprivileged without a USER line (distroless \
                 `:nonroot`, Chainguard) are not reported",
    },
    Allowed {
        check: "docker-runs-as-root",
        side: Side::Checkov,
        applies: |_, text| {
            ["gosu", "su-exec", "setpriv --reuid", "s6-setuidgid"]
                .iter()
                .any(|tool| text.contains(tool))
        },
        reason: "an image whose entrypoint drops from root to another user (gosu, su-exec, \
                 setpriv: the official postgres and redis images' pattern) serves unprivileged; \
                 checkov's CKV_DOCKER_3 only looks for a USER line",
    },
    Allowed {
        check: "docker-healthcheck-missing",
        side: Side::Harden,
        applies: |file, _| {
            file.stages.len() > 1 && file.instructions.iter().any(|i| i.is("HEALTHCHECK"))
        },
        reason: "CKV_DOCKER_2 passes when any stage has a HEALTHCHECK; harden judges the shipped \
                 image, where a builder stage's HEALTHCHECK does not count",
    },
    Allowed {
        check: "docker-add",
        side: Side::Checkov,
        applies: |file, _| {
            file.instructions
                .iter()
                .filter(|i| i.is("ADD"))
                .all(accepted_add)
        },
        reason: "CKV_DOCKER_4 reports every ADD; harden accepts ADD of a local archive (unpacking \
                 is what ADD is for) and `ADD --checksum=` of a URL (BuildKit verifies it)",
    },
    Allowed {
        check: "docker-image-latest",
        side: Side::Checkov,
        applies: |file, _| {
            file.stages
                .iter()
                .filter_map(|s| s.image.as_ref())
                .any(|image| image.unresolved)
        },
        reason: "an image named by an ARG without a default (`ARG BASE`, `FROM ${BASE}`) is \
                 chosen at build time: harden does not judge it, where CKV_DOCKER_7 reads \
                 `${BASE}` as an image without a tag",
    },
    Allowed {
        check: "docker-image-latest",
        side: Side::Harden,
        applies: |file, _| {
            file.stages
                .iter()
                .filter_map(|s| s.image.as_ref())
                .any(|image| {
                    image.uses_args
                        || image
                            .written
                            .value
                            .split_once('/')
                            .is_some_and(|(registry, _)| registry.contains(':'))
                })
        },
        reason: "harden substitutes ARG defaults (`ARG BASE=python`, `FROM ${BASE}`) where \
                 CKV_DOCKER_7 reads the text; and it tells a registry port \
                 (`localhost:5000/app`) from a tag, where CKV_DOCKER_7 takes any `:` for a tag",
    },
];

fn checkov() -> Option<PathBuf> {
    Some(common::required_tool(
        "HARDEN_CHECKOV",
        "the checkov differential test",
    ))
}

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

#[test]
#[ignore = "needs checkov (HARDEN_CHECKOV): .ci/run installs it and runs ignored tests"]
fn checkov_agrees_where_policies_overlap() {
    let Some(checkov) = checkov() else {
        return;
    };
    let root = common::repo_root();
    let mut files = Vec::new();
    dockerfiles(&root.join("tests/cases"), &mut files);
    dockerfiles(&root.join("fixtures"), &mut files);
    files.sort();
    assert!(!files.is_empty());

    // checkov skips hidden directories: the scratch tree must not be one.
    let scratch = tempfile::Builder::new()
        .prefix("checkov-differential-")
        .tempdir()
        .unwrap();
    let mut parsed = BTreeMap::new();
    let mut skipped = Vec::new();
    for path in &files {
        // checkov skips hidden directories inside the tree too (`.devcontainer/`): in the
        // scratch copy they lose their dot, for both tools alike.
        let relative = path
            .strip_prefix(&root)
            .unwrap()
            .display()
            .to_string()
            .replace("/.", "/dot-");
        let text = std::fs::read_to_string(path).unwrap();
        let file = Dockerfile::parse(&text);
        if !file.errors.is_empty() {
            skipped.push(format!("{relative}: harden cannot parse it"));
            continue;
        }
        let target = scratch.path().join(&relative);
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::write(&target, &text).unwrap();
        parsed.insert(relative, (file, text));
    }

    let output = Command::new(&checkov)
        .arg("--directory")
        .arg(scratch.path())
        .args(["--framework", "dockerfile", "--output", "json", "--quiet"])
        .args(["--skip-download", "--compact"])
        .env("BC_SKIP_MAPPING", "TRUE")
        .output()
        .expect("checkov runs");
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "checkov prints JSON ({e}): {}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    });
    let reports = match report {
        serde_json::Value::Array(items) => items,
        other => vec![other],
    };
    let mut theirs = BTreeSet::new();
    for report in &reports {
        for error in report["summary"]["parsing_errors"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let error = error.as_str().unwrap_or("").to_string();
            skipped.push(format!("{error}: checkov cannot parse it"));
            let relative = Path::new(&error)
                .strip_prefix(scratch.path())
                .map(|p| p.display().to_string())
                .unwrap_or(error);
            parsed.remove(&relative);
        }
        for item in report["results"]["failed_checks"]
            .as_array()
            .cloned()
            .unwrap_or_default()
        {
            let id = item["check_id"].as_str().unwrap_or("");
            let Some((_, check)) = MAPPING.iter().find(|(c, _)| *c == id) else {
                continue;
            };
            let file = item["file_path"]
                .as_str()
                .unwrap_or("")
                .trim_start_matches('/')
                .to_string();
            theirs.insert((check.to_string(), file));
        }
    }
    theirs.retain(|(_, file)| parsed.contains_key(file));

    // The scratch tree keeps the Dockerfiles' repository paths (tests/cases/..., fixtures/...),
    // which the project model would set aside as test material: judge every one as shipped.
    std::fs::write(
        scratch.path().join("harden.toml"),
        "production = [\"**\"]\n",
    )
    .unwrap();
    let ids = harden_ids();
    let ours: BTreeSet<(String, String)> = common::check(scratch.path(), Some(&ids))
        .into_iter()
        .map(|f| (compared(&f.check).to_string(), f.primary.path.clone()))
        .filter(|(_, file)| parsed.contains_key(file))
        .collect();

    let mut differences = Vec::new();
    let mut unexplained = Vec::new();
    for (set, other, side) in [
        (&ours, &theirs, Side::Harden),
        (&theirs, &ours, Side::Checkov),
    ] {
        for (check, file) in set.difference(other) {
            let difference = Difference {
                check: check.clone(),
                file: file.clone(),
                side,
            };
            let Some((dockerfile, text)) = parsed.get(file) else {
                continue;
            };
            match ALLOWED.iter().find(|a| {
                (a.check == check || a.check == "*")
                    && a.side == side
                    && (a.applies)(dockerfile, text)
            }) {
                Some(allowed) => differences.push((difference, allowed.reason)),
                None => unexplained.push(difference),
            }
        }
    }
    eprintln!(
        "compared {} Dockerfiles with checkov; {} agreed verdicts, {} deliberate differences; \
         skipped: {skipped:#?}",
        parsed.len(),
        ours.intersection(&theirs).count(),
        differences.len()
    );
    for (difference, reason) in &differences {
        eprintln!("{difference:?}: {reason}");
    }
    assert!(parsed.len() > 10, "too few Dockerfiles compared");
    assert!(
        !theirs.is_empty() && ours.intersection(&theirs).next().is_some(),
        "checkov and harden agree on nothing: is checkov's output read correctly?"
    );
    assert!(
        unexplained.is_empty(),
        "differences from checkov that are neither fixed nor explained:\n{unexplained:#?}"
    );
}
