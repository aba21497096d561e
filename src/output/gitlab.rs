//! `--format gitlab`: a GitLab Code Quality report, the JSON array GitLab reads from a job's
//! `artifacts: reports: codequality:` and shows in the merge request widget and diff. One
//! object per active finding: `description`, `check_name` (the check id), `fingerprint`,
//! `severity`, `location` (`path` and `lines.begin`/`end`), plus `type`, `categories` and
//! `engine_name` from the Code Climate spec the format is a subset of. The field set follows
//! GitLab's documentation of the format (tests/schemas/gitlab-codequality.schema.json).

use std::collections::BTreeMap;

use serde::Serialize;

use super::Report;
use super::text::help_line;
use crate::finding::Severity;

#[derive(Serialize)]
struct Issue<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    engine_name: &'static str,
    check_name: &'a str,
    description: String,
    categories: [&'static str; 1],
    severity: &'static str,
    fingerprint: String,
    location: IssueLocation<'a>,
}

#[derive(Serialize)]
struct IssueLocation<'a> {
    path: &'a str,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    end: Option<usize>,
}

/// GitLab's severities are Code Climate's: info, minor, major, critical, blocker.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "blocker",
        Severity::High => "critical",
        Severity::Medium => "major",
        Severity::Low => "minor",
    }
}

pub fn render(report: &Report<'_>) -> String {
    // GitLab keys issues by fingerprint: two findings with the same one (the same check on the
    // same content twice in a file) would show as one, so repeats get a counter.
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let issues: Vec<Issue<'_>> = report
        .active()
        .map(|finding| {
            let (begin, end) = match report.positions(&finding.primary) {
                Some((start, end)) => (start.line, Some(super::last_line(start, end))),
                // A whole-file finding (or a file that does not exist yet) is shown on line 1.
                None => (1, None),
            };
            let count = seen.entry(finding.fingerprint.clone()).or_default();
            *count += 1;
            let fingerprint = if *count == 1 {
                finding.fingerprint.clone()
            } else {
                format!("{}-{count}", finding.fingerprint)
            };
            let mut description = finding.message.clone();
            if let Some(help) = help_line(finding) {
                description.push_str(" (");
                description.push_str(&help);
                description.push(')');
            }
            Issue {
                kind: "issue",
                engine_name: "harden",
                check_name: &finding.check,
                description,
                categories: ["Security"],
                severity: severity(finding.severity),
                fingerprint,
                location: IssueLocation {
                    path: &finding.primary.path,
                    lines: Lines {
                        begin,
                        end: end.filter(|e| *e != begin),
                    },
                },
            }
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&issues).unwrap_or_else(|_| "[]".to_string());
    out.push('\n');
    out
}
