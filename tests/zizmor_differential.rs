//! Differential test against zizmor where its audits and harden's checks overlap.
//!
//! Runs `zizmor --offline --format json` and `harden check --profile strict --format json
//! --select <mapped ids>` on every workflow, composite action and Dependabot file under
//! tests/cases and fixtures, and compares the findings per file and per place: the step, else
//! the job, else the update entry, else the file (zizmor and harden point at different keys of
//! the same step, such as the step vs. its `uses:`). Every difference must be one of the
//! deliberate ones in [`ALLOWED`], whose reasons are also in the checks' docs.
//!
//! The binary comes from `HARDEN_ZIZMOR` (.ci/run installs zizmor from PyPI). Without it the
//! test is skipped with a message, except in CI (`CI` set), where it fails.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

mod common;

use common::differential::{external_tool, finish, harden_findings, one_sided, selected_ids};

use harden::formats::workflow::taint::{self, Scope, Taint};
use harden::formats::workflow::{Action, JobStep, Model, Workflow, expr};
use harden::formats::yaml::{Step, Value, YamlFile};

/// zizmor audit -> harden check.
const MAPPING: &[(&str, &str)] = &[
    ("artipacked", "gha-checkout-persists-credentials"),
    ("dangerous-triggers", "gha-dangerous-trigger"),
    ("dependabot-cooldown", "dependabot-cooldown-missing"),
    ("dependabot-execution", "dependabot-insecure-code-execution"),
    ("excessive-permissions", "gha-excessive-permissions"),
    ("insecure-commands", "gha-insecure-commands"),
    ("template-injection", "gha-template-injection"),
    (
        "template-injection",
        "gha-template-injection-writer-controlled",
    ),
    (
        "template-injection",
        "gha-template-injection-unknown-origin",
    ),
    ("unpinned-uses", "gha-unpinned-action"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    /// Reported by harden only.
    Harden,
    /// Reported by zizmor only.
    Zizmor,
}

/// One difference: the harden check, the place it is at, and who reported it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Difference {
    check: String,
    file: String,
    place: String,
    side: Side,
}

/// What an [`Allowed`] rule sees of a difference: the file's text, its path in its project,
/// and the place (`job test step 2`, `file`) with its text.
struct Seen<'a> {
    text: &'a str,
    path: &'a str,
    place: &'a str,
    place_text: &'a str,
}

/// The step of `place` (`job test step 2`, `step 3`) in a workflow or action.
fn step_of<'a>(model: &'a Model, place: &str) -> Option<(Scope<'a>, &'a JobStep)> {
    let words: Vec<&str> = place.split(' ').collect();
    match (model, words.as_slice()) {
        (Model::Workflow(workflow), ["job", id, "step", n]) => {
            let job = workflow.jobs.iter().find(|j| j.id == *id)?;
            let index = n.parse::<usize>().ok()?.checked_sub(1)?;
            let scope = Scope {
                workflow: Some(workflow),
                action: None,
                job: Some(job),
                step: index,
            };
            Some((scope, job.steps.get(index)?))
        }
        (Model::Action(action), ["step", n]) => {
            let index = n.parse::<usize>().ok()?.checked_sub(1)?;
            let scope = Scope {
                workflow: None,
                action: Some(action),
                job: None,
                step: index,
            };
            Some((scope, action.steps.get(index)?))
        }
        _ => None,
    }
}

/// Whether harden's taint model judges every value the step's `run:` or github-script
/// `script:` expands safe: fixed, restricted to letters, digits and `-_.` (logins, repository
/// names), set by the repository's maintainers, or from an event that never triggers the
/// workflow. Steps it cannot place count as not safe.
fn step_expands_only_safe_values(seen: &Seen<'_>) -> bool {
    let Ok(yaml) = YamlFile::parse(seen.text) else {
        return false;
    };
    let model = if seen.path.ends_with("action.yml") || seen.path.ends_with("action.yaml") {
        Model::Action(Action::from_yaml(&yaml.value))
    } else {
        Model::Workflow(Workflow::from_yaml(&yaml.value))
    };
    let Some((scope, step)) = step_of(&model, seen.place) else {
        return false;
    };
    let script = step.input("script");
    [step.run.as_deref(), script.as_deref()]
        .into_iter()
        .flatten()
        .all(|code| {
            expr::find(code)
                .iter()
                .all(|e| taint::expression(e.body, &scope).taint == Taint::Safe)
        })
}

/// Checks compared per file: zizmor and harden point at different parts of the workflow
/// (the trigger vs. the checkout that makes it dangerous).
const PER_FILE: &[&str] = &["gha-dangerous-trigger"];

/// A deliberate difference: which check, which side, when it applies, and why.
struct Allowed {
    check: &'static str,
    side: Side,
    applies: fn(&Seen<'_>) -> bool,
    reason: &'static str,
}

const ALLOWED: &[Allowed] = &[
    Allowed {
        check: "gha-unpinned-action",
        side: Side::Harden,
        applies: |seen| {
            seen.place_text.contains("actions/")
                || seen.place_text.contains("github/")
                || seen.place_text.contains("docker://")
        },
        reason: "the strict profile wants every action on a full commit SHA; zizmor's default \
                 policy accepts tags for actions/* and github/* (and judges docker:// images \
                 differently)",
    },
    Allowed {
        check: "gha-dangerous-trigger",
        side: Side::Zizmor,
        applies: |_| true,
        reason: "zizmor reports every pull_request_target / workflow_run workflow; harden only \
                 those that check out the pull request's code, the part that runs fork code \
                 with the base repository's privileges",
    },
    Allowed {
        check: "gha-template-injection",
        side: Side::Zizmor,
        applies: step_expands_only_safe_values,
        reason: "zizmor 1.32 also reports values GitHub restricts or the maintainers set \
                 (github.actor, logins, repository names, github.workflow, ref_type, \
                 event.action, URLs, SHAs, the base repository's default_branch), payload \
                 fields of events that never trigger the workflow, every env value with an \
                 expression, and every step or job output (low confidence); harden's taint \
                 model follows each to its source and judges these safe (see the check's docs)",
    },
    Allowed {
        check: "gha-checkout-persists-credentials",
        side: Side::Harden,
        applies: |seen| seen.place_text.contains("persist-credentials: true"),
        reason: "an explicit `persist-credentials: true` is reported by harden (without a fix); \
                 zizmor's artipacked takes it as intended",
    },
    Allowed {
        check: "gha-excessive-permissions",
        side: Side::Harden,
        applies: |seen| seen.place == "file" && seen.text.contains("\npermissions: write-all"),
        reason: "harden reports a workflow-level `write-all` where it is written; zizmor reports \
                 it through the jobs that inherit it",
    },
    Allowed {
        check: "gha-excessive-permissions",
        side: Side::Zizmor,
        applies: |seen| seen.place == "file" && !seen.text.contains("\npermissions:"),
        reason: "without a top-level `permissions:` zizmor reports the workflow as a whole and \
                 each job; harden reports each job that runs with the default (one fix serves all)",
    },
    Allowed {
        check: "gha-insecure-commands",
        side: Side::Harden,
        applies: |seen| seen.path.ends_with("action.yml") || seen.path.ends_with("action.yaml"),
        reason: "zizmor 1.32's insecure-commands does not read the `env:` of composite actions' \
                 steps, where the variable has the same effect",
    },
    Allowed {
        check: "dependabot-cooldown-missing",
        side: Side::Harden,
        applies: |seen| seen.text.contains("cooldown"),
        reason: "zizmor 1.32 misses an update entry without a cooldown that follows one with a \
                 cooldown (checked by hand: pip with a cooldown, then docker without, is not \
                 reported; docker alone is)",
    },
];

/// Workflow, action and Dependabot files under `dir`, with the path they have in their project.
fn inputs(dir: &Path, out: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        let text = path.to_string_lossy().replace('\\', "/");
        if path.is_dir() {
            inputs(&path, out);
        } else if text.contains("/.github/workflows/")
            && (name.ends_with(".yml") || name.ends_with(".yaml"))
        {
            out.push((path.clone(), format!(".github/workflows/{name}")));
        } else if name == "action.yml" || name == "action.yaml" {
            out.push((path.clone(), name));
        } else if text.ends_with("/.github/dependabot.yml") {
            out.push((path.clone(), ".github/dependabot.yml".into()));
        }
    }
}

/// The places of a file, innermost last: every step, job and update entry with its span.
fn places(yaml: &YamlFile) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let span = |steps: &[Step]| yaml.value_span(steps);
    if let Some(Value::Mapping(jobs)) = yaml.value.get("jobs") {
        for (id, job) in jobs {
            let Some(id) = id.as_str() else { continue };
            let route = vec![Step::Key("jobs".into()), Step::Key(id.into())];
            if let Some(s) = span(&route) {
                out.push((format!("job {id}"), s));
            }
            let count = job
                .get("steps")
                .and_then(Value::as_sequence)
                .map_or(0, Vec::len);
            for i in 0..count {
                let mut step = route.clone();
                step.extend([Step::Key("steps".into()), Step::Index(i)]);
                if let Some(s) = span(&step) {
                    out.push((format!("job {id} step {}", i + 1), s));
                }
            }
        }
    }
    let count = yaml
        .value
        .get("runs")
        .and_then(|r| r.get("steps"))
        .and_then(Value::as_sequence)
        .map_or(0, Vec::len);
    for i in 0..count {
        let route = [
            Step::Key("runs".into()),
            Step::Key("steps".into()),
            Step::Index(i),
        ];
        if let Some(s) = span(&route) {
            out.push((format!("step {}", i + 1), s));
        }
    }
    let count = yaml
        .value
        .get("updates")
        .and_then(Value::as_sequence)
        .map_or(0, Vec::len);
    for i in 0..count {
        if let Some(s) = span(&[Step::Key("updates".into()), Step::Index(i)]) {
            out.push((format!("update {}", i + 1), s));
        }
    }
    out
}

/// The innermost place holding `offset` (steps come after their job, so the last match wins).
fn place_at(places: &[(String, Range<usize>)], offset: usize) -> (String, (usize, usize)) {
    places
        .iter()
        .filter(|(_, s)| s.start <= offset && offset < s.end.max(s.start + 1))
        .min_by_key(|(_, s)| s.end - s.start)
        .map(|(name, s)| (name.clone(), (s.start, s.end)))
        .unwrap_or_else(|| ("file".to_string(), (0, 0)))
}

fn place_for(
    check: &str,
    places: &[(String, Range<usize>)],
    offset: usize,
) -> (String, (usize, usize)) {
    if PER_FILE.contains(&check) {
        ("file".to_string(), (0, 0))
    } else {
        place_at(places, offset)
    }
}

fn line_offset(text: &str, line: usize) -> usize {
    text.split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum()
}

#[test]
#[ignore = "needs zizmor (HARDEN_ZIZMOR): .ci/run installs it and runs ignored tests"]
fn zizmor_agrees_where_audits_overlap() {
    let Some(zizmor) = external_tool("HARDEN_ZIZMOR", "zizmor") else {
        return;
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    inputs(&root.join("tests/cases"), &mut files);
    inputs(&root.join("fixtures"), &mut files);
    files.sort();
    assert!(!files.is_empty());

    let mut differences = Vec::new();
    let mut unexplained = Vec::new();
    let mut compared = 0;
    let mut skipped = Vec::new();
    for (path, project_path) in &files {
        let relative = path.strip_prefix(root).unwrap().display().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        let Ok(yaml) = YamlFile::parse(&text) else {
            skipped.push(format!("{relative}: not YAML"));
            continue;
        };
        let places = places(&yaml);

        // Both tools on a copy holding only this file, so no other file of the case interferes.
        let temp = tempfile::tempdir().unwrap();
        let copy = temp.path().join(project_path);
        std::fs::create_dir_all(copy.parent().unwrap()).unwrap();
        std::fs::write(&copy, &text).unwrap();

        let output = Command::new(&zizmor)
            .args(["--offline", "--format", "json", "--no-exit-codes"])
            .arg(&copy)
            .output()
            .expect("zizmor runs");
        let Ok(report) = serde_json::from_slice::<serde_json::Value>(&output.stdout) else {
            skipped.push(format!(
                "{relative}: zizmor gave no report ({})",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
            continue;
        };
        let mut theirs = BTreeSet::new();
        for item in report.as_array().cloned().unwrap_or_default() {
            let ident = item["ident"].as_str().unwrap_or("");
            let Some((_, id)) = MAPPING.iter().find(|(a, _)| *a == ident) else {
                continue;
            };
            for location in item["locations"].as_array().cloned().unwrap_or_default() {
                if location["symbolic"]["kind"] != "Primary" {
                    continue;
                }
                let offset = location["concrete"]["location"]["offset_span"]["start"]
                    .as_u64()
                    .unwrap_or(0) as usize;
                theirs.insert((id.to_string(), place_for(id, &places, offset)));
            }
        }

        let findings = harden_findings(
            temp.path(),
            &["--profile", "strict", "--select", &selected_ids(MAPPING)],
        );
        let mut ours = BTreeSet::new();
        for finding in findings {
            let offset = finding["range"]["start"]["offset"]
                .as_u64()
                .map(|o| o as usize)
                .unwrap_or_else(|| {
                    line_offset(
                        &text,
                        finding["range"]["start"]["line"].as_u64().unwrap_or(0) as usize,
                    )
                });
            let check = match finding["check"].as_str().unwrap_or("") {
                // All three are zizmor's template-injection (harden splits it by who
                // chooses the value).
                "gha-template-injection-unknown-origin"
                | "gha-template-injection-writer-controlled" => "gha-template-injection",
                other => other,
            };
            ours.insert((check.to_string(), place_for(check, &places, offset)));
        }
        compared += 1;

        for (harden_only, (check, (place, span))) in one_sided(&ours, &theirs) {
            let side = if harden_only {
                Side::Harden
            } else {
                Side::Zizmor
            };
            let difference = Difference {
                check: check.clone(),
                file: relative.clone(),
                place: place.clone(),
                side,
            };
            let seen = Seen {
                text: &text,
                path: project_path,
                place,
                place_text: text.get(span.0..span.1).unwrap_or(""),
            };
            match ALLOWED
                .iter()
                .find(|a| a.check == check && a.side == side && (a.applies)(&seen))
            {
                Some(allowed) => differences.push((difference, allowed.reason)),
                None => unexplained.push(difference),
            }
        }
    }
    finish(
        "zizmor",
        compared,
        "files",
        &skipped,
        &differences,
        &unexplained,
    );
}
