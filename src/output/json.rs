//! `--format json`: a versioned report for scripts and other tools, documented field by field
//! in docs/json-output.md.
//!
//! The report is built from the structs below, which exist only to be serialized: the internal
//! types (`Finding`, `Fix`, ...) may change freely, this shape may not. Adding a field keeps
//! [`VERSION`]; renaming, removing or retyping one, or changing what a value means, raises it.

use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;

use super::{Position, Report};
use crate::finding::{Finding, Location, Severity, Suppression};
use crate::fix::{Edit, Fix, apply};

/// The schema version written as `"version"`.
pub const VERSION: u32 = 1;

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    tool: Tool,
    profile: &'a str,
    checks_run: &'a [String],
    summary: Summary<'a>,
    /// Each finding already serialized (see [`write`]).
    findings: Vec<Box<RawValue>>,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Summary<'a> {
    findings: usize,
    fixable: usize,
    suppressed: usize,
    by_severity: BySeverity,
    /// What the summary adds: a check that could not run, old data. Absent when empty.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    notes: &'a [String],
}

#[derive(Serialize)]
struct BySeverity {
    critical: usize,
    high: usize,
    medium: usize,
    low: usize,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    check: &'a str,
    title: &'a str,
    severity: &'static str,
    confidence: &'static str,
    message: &'a str,
    path: &'a str,
    /// The scope of the file in the project model (`harden project`).
    scope: &'static str,
    range: Option<JsonRange>,
    related: Vec<JsonRelated<'a>>,
    help: Option<&'a str>,
    fix: Option<JsonFix<'a>>,
    fingerprint: &'a str,
    suppressed: Option<JsonSuppression<'a>>,
    /// What the finding names, e.g. the advisory ids (PYSEC-, GHSA-, CVE-) of
    /// deps-known-vulnerable. Absent when empty.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
}

#[derive(Serialize)]
struct JsonRange {
    start: JsonPosition,
    end: JsonPosition,
}

#[derive(Serialize)]
struct JsonPosition {
    line: usize,
    column: usize,
    offset: usize,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    path: &'a str,
    range: Option<JsonRange>,
    note: &'a str,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    applicability: &'static str,
    edits: Vec<JsonEdit<'a>>,
}

#[derive(Serialize)]
struct JsonEdit<'a> {
    path: &'a str,
    kind: &'static str,
    range: Option<JsonRange>,
    content: String,
}

#[derive(Serialize)]
struct JsonSuppression<'a> {
    kind: &'static str,
    reason: Option<&'a str>,
}

pub fn render(report: &Report<'_>) -> String {
    let mut out = Vec::new();
    // NOTE: writing to a vector fails only if serializing does, which these structs never do.
    let _ = write(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// The report written to `out` as it is serialized: the JSON of thousands of findings is tens
/// of MB, and a string of it grown by doubling held more than the findings themselves.
pub fn write(report: &Report<'_>, out: &mut impl std::io::Write) -> std::io::Result<()> {
    let active: Vec<&Finding> = report.active().collect();
    let count = |severity: Severity| active.iter().filter(|f| f.severity == severity).count();
    let json = JsonReport {
        version: VERSION,
        tool: Tool {
            name: "harden",
            version: env!("CARGO_PKG_VERSION"),
        },
        profile: report.profile,
        checks_run: report.checks_run,
        summary: Summary {
            findings: active.len(),
            fixable: active.iter().filter(|f| f.is_fixable()).count(),
            suppressed: report.findings.len() - active.len(),
            by_severity: BySeverity {
                critical: count(Severity::Critical),
                high: count(Severity::High),
                medium: count(Severity::Medium),
                low: count(Severity::Low),
            },
            notes: report.notes,
        },
        // Serialized on all cores, each as it sits in the report: two levels deep.
        findings: report
            .findings
            .par_iter()
            .map(|f| nested_pretty(&finding(report, f), 2))
            .collect::<Result<_, _>>()?,
    };
    serde_json::to_writer_pretty(&mut *out, &json)?;
    out.write_all(b"\n")
}

/// `value` as `serde_json::to_writer_pretty` writes it `depth` levels down in a document: its
/// lines after the first indented by two spaces a level. A raw newline in serialized JSON is
/// always layout (newlines in strings are escaped), so indenting after each is exact.
fn nested_pretty(value: &impl Serialize, depth: usize) -> std::io::Result<Box<RawValue>> {
    let flat = serde_json::to_vec_pretty(value)?;
    let indent = "  ".repeat(depth);
    let mut nested = String::with_capacity(flat.len() + flat.len() / 8);
    for (i, line) in String::from_utf8_lossy(&flat).split('\n').enumerate() {
        if i > 0 {
            nested.push('\n');
            nested.push_str(&indent);
        }
        nested.push_str(line);
    }
    RawValue::from_string(nested).map_err(std::io::Error::other)
}

fn finding<'a>(report: &'a Report<'_>, finding: &'a Finding) -> JsonFinding<'a> {
    JsonFinding {
        check: &finding.check,
        title: report.title(&finding.check),
        severity: finding.severity.as_str(),
        confidence: finding.confidence.as_str(),
        message: &finding.message,
        path: &finding.primary.path,
        scope: report.project.scope(&finding.primary.path).name(),
        range: range(report, &finding.primary),
        related: finding
            .related
            .iter()
            .map(|r| JsonRelated {
                path: &r.location.path,
                range: range(report, &r.location),
                note: &r.note,
            })
            .collect(),
        help: finding.help.as_deref(),
        fix: finding.fix.as_ref().map(|f| fix(report, f)),
        fingerprint: &finding.fingerprint,
        tags: &finding.tags,
        suppressed: finding.suppressed.as_ref().map(|s| match s {
            Suppression::Inline { reason } => JsonSuppression {
                kind: "inline",
                reason: reason.as_deref(),
            },
            Suppression::Baseline => JsonSuppression {
                kind: "baseline",
                reason: None,
            },
            Suppression::Settings { reason } => JsonSuppression {
                kind: "settings",
                reason: Some(reason),
            },
        }),
    }
}

fn range(report: &Report<'_>, location: &Location) -> Option<JsonRange> {
    report.positions(location).map(|(start, end)| JsonRange {
        start: position(start),
        end: position(end),
    })
}

fn position(p: Position) -> JsonPosition {
    JsonPosition {
        line: p.line,
        column: p.column,
        offset: p.offset,
    }
}

fn fix<'a>(report: &'a Report<'_>, fix: &'a Fix) -> JsonFix<'a> {
    let edits = fix
        .edits
        .iter()
        .map(|edit| match edit {
            Edit::Replace {
                path,
                range,
                content,
            } => {
                let text = report.text(path);
                JsonEdit {
                    path,
                    kind: "replace",
                    range: report
                        .span_positions(path, range.clone())
                        .map(|(start, end)| JsonRange {
                            start: position(start),
                            end: position(end),
                        }),
                    // The text exactly as `harden fix` would write it (CRLF in a CRLF file).
                    content: text.map_or_else(
                        || content.clone(),
                        |t| apply::with_newline(content, t.newline()),
                    ),
                }
            }
            Edit::Create { path, content } => JsonEdit {
                path,
                kind: "create",
                range: None,
                content: content.clone(),
            },
        })
        .collect();
    JsonFix {
        title: &fix.title,
        applicability: fix.applicability.as_str(),
        edits,
    }
}
