//! `--format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! One run; one rule per check that ran (GitHub lists rules with no results too, so a check
//! that stops firing closes its alerts instead of leaving them orphaned); one result per
//! finding. Paths are relative to `%SRCROOT%`, the repository root (where GitHub resolves them). Columns count Unicode code
//! points (`columnKind`), like every other harden output.
//!
//! Suppressed findings are left out unless `--show-suppressed` is given, then they carry SARIF
//! `suppressions`. NOTE: GitHub code scanning ignores `suppressions` and would open an alert for
//! each of them, so they are not in the default output that CI uploads.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

use serde::Serialize;

use super::{Report, fix_safety};
use crate::checks::Check;
use crate::finding::{Confidence, Finding, Location, Severity, Suppression};
use crate::fix::{Applicability, Edit, apply};

const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
const SRCROOT: &str = "%SRCROOT%";
/// GitHub shows at most this many characters of a rule's short and full description.
const DESCRIPTION_LIMIT: usize = 1024;

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    original_uri_base_ids: BTreeMap<&'static str, BaseUri>,
    column_kind: &'static str,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    /// The project's repository, once Cargo.toml names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
    description: Message,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: String,
    name: String,
    short_description: Message,
    full_description: Message,
    help: Help,
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<String>,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: Vec<String>,
    precision: &'static str,
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
struct Message {
    text: String,
}

impl Message {
    fn new(text: impl Into<String>) -> Self {
        Self { text: text.into() }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    level: &'static str,
    message: Message,
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<SarifSuppression<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<SarifFix>,
    /// What the finding names (advisory ids: PYSEC-, GHSA-, CVE-) as the result's tags.
    #[serde(skip_serializing_if = "Option::is_none")]
    properties: Option<ResultProperties<'a>>,
}

#[derive(Serialize)]
struct ResultProperties<'a> {
    tags: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Message>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    region: Option<Region>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    uri_base_id: &'static str,
}

impl ArtifactLocation {
    fn new(path: &str) -> Self {
        Self {
            uri: encode_path(path),
            uri_base_id: SRCROOT,
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    end_column: Option<usize>,
}

#[derive(Serialize)]
struct SarifSuppression<'a> {
    kind: &'static str,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    justification: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix {
    description: Message,
    artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange {
    artifact_location: ArtifactLocation,
    replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement {
    deleted_region: Region,
    #[serde(skip_serializing_if = "Option::is_none")]
    inserted_content: Option<Message>,
}

pub fn render(report: &Report<'_>, show_suppressed: bool) -> String {
    let findings: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| show_suppressed || f.suppressed.is_none())
        .collect();

    // NOTE: a project may override a check's severity; every finding of a check then has the
    // overridden one, and the rule should say the same so GitHub ranks the alerts alike.
    let mut severities: BTreeMap<&str, Severity> = BTreeMap::new();
    for finding in &findings {
        severities
            .entry(finding.check.as_str())
            .or_insert(finding.severity);
    }
    let rule_ids: BTreeSet<&str> = report
        .checks_run
        .iter()
        .map(String::as_str)
        .chain(findings.iter().map(|f| f.check.as_str()))
        .collect();
    let rule_ids: Vec<&str> = rule_ids.into_iter().collect();
    let rules = rule_ids
        .iter()
        .map(|id| rule(report, id, severities.get(id).copied()))
        .collect();
    let results = findings
        .iter()
        .map(|f| {
            result(
                report,
                f,
                rule_ids
                    .binary_search(&f.check.as_str())
                    .unwrap_or_default(),
            )
        })
        .collect();

    let mut base_ids = BTreeMap::new();
    // The project root less the repository prefix is the repository root.
    let depth = report.paths.repo.matches('/').count();
    let repository_root = (!report.paths.repo.contains(".."))
        .then(|| report.project.root.ancestors().nth(depth))
        .flatten();
    if let Some(uri) = repository_root.and_then(root_uri) {
        base_ids.insert(
            SRCROOT,
            BaseUri {
                uri,
                description: Message::new(if report.paths.repo.is_empty() {
                    "The root of the project harden checked."
                } else {
                    "The root of the repository holding the project harden checked."
                }),
            },
        );
    }
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "harden",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    information_uri: option_env!("CARGO_PKG_REPOSITORY")
                        .filter(|uri| !uri.is_empty()),
                    rules,
                },
            },
            original_uri_base_ids: base_ids,
            column_kind: "unicodeCodePoints",
            results,
        }],
    };
    // NOTE: only strings, numbers, options, vectors and string-keyed maps: this cannot fail.
    let mut out = serde_json::to_string_pretty(&log).unwrap_or_default();
    out.push('\n');
    out
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

/// GitHub turns these scores into its own labels: over 9.0 critical, 7.0 to 8.9 high, 4.0 to
/// 6.9 medium, 0.1 to 3.9 low. "Over 9.0" leaves 9.0 itself in doubt, so critical is 9.5.
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "7.0",
        Severity::Medium => "5.0",
        Severity::Low => "3.0",
    }
}

fn precision(confidence: Confidence) -> &'static str {
    match confidence {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

fn rule(report: &Report<'_>, id: &str, severity: Option<Severity>) -> Rule {
    let domain = id.split('-').next().unwrap_or(id).to_string();
    let Some(check) = report.check(id) else {
        // A finding whose check is not in the registry (built by hand): describe it by its id.
        let severity = severity.unwrap_or(Severity::Medium);
        return Rule {
            id: id.to_string(),
            name: camel_case(id),
            short_description: Message::new(id),
            full_description: Message::new(id),
            help: Help {
                text: id.to_string(),
                markdown: id.to_string(),
            },
            help_uri: None,
            default_configuration: Configuration {
                level: level(severity),
            },
            properties: RuleProperties {
                tags: vec!["security".to_string(), domain],
                precision: precision(Confidence::High),
                security_severity: security_severity(severity),
            },
        };
    };
    let severity = severity.unwrap_or(check.severity);
    let full = first_paragraph(&check.docs.why);
    let (text, markdown) = help(check);
    Rule {
        id: id.to_string(),
        name: camel_case(id),
        short_description: Message::new(truncate(&check.title, DESCRIPTION_LIMIT)),
        full_description: Message::new(truncate(
            if full.is_empty() { &check.title } else { &full },
            DESCRIPTION_LIMIT,
        )),
        help: Help { text, markdown },
        help_uri: check.docs.references.iter().find(|r| is_url(r)).cloned(),
        default_configuration: Configuration {
            level: level(severity),
        },
        properties: RuleProperties {
            tags: vec!["security".to_string(), domain],
            precision: precision(check.confidence),
            security_severity: security_severity(severity),
        },
    }
}

/// The rule's help, as text and as Markdown: why it matters, how the fix works and how safe it
/// is, references.
fn help(check: &Check) -> (String, String) {
    let why = check.docs.why.trim();
    let mut text = format!("{why}\n");
    let mut markdown = format!("{why}\n");
    if let Some(fix) = check
        .docs
        .fix
        .as_deref()
        .map(str::trim)
        .filter(|f| !f.is_empty())
    {
        let _ = write!(text, "\nFix: {fix}\n");
        let _ = write!(markdown, "\n**Fix.** {fix}\n");
    }
    let safety = match &check.fix {
        Some(fix) => fix_safety(fix.applicability),
        None => "harden has no automatic fix for this check.",
    };
    let _ = write!(text, "\n{safety}\n");
    let _ = write!(markdown, "\n{safety}\n");
    if !check.docs.references.is_empty() {
        text.push_str("\nReferences:\n");
        markdown.push_str("\n**References**\n\n");
        for reference in &check.docs.references {
            let _ = writeln!(text, "- {reference}");
            if is_url(reference) {
                let _ = writeln!(markdown, "- <{reference}>");
            } else {
                let _ = writeln!(markdown, "- {reference}");
            }
        }
    }
    let explain = format!(
        "\nRun `harden explain {}` for examples of what the check flags and accepts.\n",
        check.id
    );
    text.push_str(&explain);
    markdown.push_str(&explain);
    (text, markdown)
}

fn result<'a>(report: &Report<'_>, finding: &'a Finding, rule_index: usize) -> SarifResult<'a> {
    let related: Vec<SarifLocation> = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, related)| SarifLocation {
            id: Some(i + 1),
            physical_location: physical_location(report, &related.location),
            message: Some(Message::new(related.note.clone())),
        })
        .collect();
    let suppressions = match &finding.suppressed {
        None => Vec::new(),
        Some(Suppression::Inline { reason }) => {
            vec![SarifSuppression {
                kind: "inSource",
                status: "accepted",
                justification: reason.as_deref(),
            }]
        }
        Some(Suppression::Settings { reason }) => {
            vec![SarifSuppression {
                kind: "inSource",
                status: "accepted",
                justification: Some(reason),
            }]
        }
        Some(Suppression::Baseline) => {
            vec![SarifSuppression {
                kind: "external",
                status: "accepted",
                justification: Some("listed in the harden baseline file"),
            }]
        }
    };
    SarifResult {
        rule_id: &finding.check,
        rule_index,
        level: level(finding.severity),
        message: Message::new(message_text(finding)),
        locations: vec![SarifLocation {
            id: None,
            physical_location: physical_location(report, &finding.primary),
            message: None,
        }],
        related_locations: related,
        partial_fingerprints: BTreeMap::from([("harden/v1", finding.fingerprint.as_str())]),
        suppressions,
        fixes: fix(report, finding).into_iter().collect(),
        properties: (!finding.tags.is_empty()).then_some(ResultProperties {
            tags: &finding.tags,
        }),
    }
}

/// The finding's message; with related locations, followed by SARIF embedded links to them
/// (`[note](id)`), which GitHub turns into links. Literal brackets are then escaped, as SARIF
/// requires in a message with links.
fn message_text(finding: &Finding) -> String {
    if finding.related.is_empty() {
        return finding.message.clone();
    }
    let links: Vec<String> = finding
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| format!("[{}]({})", escape_brackets(&r.note), i + 1))
        .collect();
    let message = escape_brackets(finding.message.trim_end());
    let stop = if message.ends_with('.') { "" } else { "." };
    format!("{message}{stop} Related: {}.", links.join(", "))
}

fn escape_brackets(text: &str) -> String {
    text.replace('[', "\\[").replace(']', "\\]")
}

fn physical_location(report: &Report<'_>, location: &Location) -> PhysicalLocation {
    let region = match report.positions(location) {
        Some((start, end)) => Some(Region {
            start_line: start.line,
            start_column: Some(start.column),
            end_line: Some(end.line),
            end_column: Some(end.column),
        }),
        // NOTE: a finding about a whole file that exists points at its first line: GitHub
        // anchors (and fingerprints) an alert on a line. A file that does not exist yet (one
        // a fix would create) has no lines, so no region.
        None if report.project.file(&location.path).is_some() => Some(Region {
            start_line: 1,
            start_column: None,
            end_line: None,
            end_column: None,
        }),
        None => None,
    };
    PhysicalLocation {
        artifact_location: ArtifactLocation::new(&report.repo_path(&location.path)),
        region,
    }
}

/// A SARIF fix for a fix harden can apply, when every edit changes an existing file (SARIF has
/// no way to say "create this file").
fn fix(report: &Report<'_>, finding: &Finding) -> Option<SarifFix> {
    let fix = finding
        .fix
        .as_ref()
        .filter(|f| f.applicability != Applicability::DisplayOnly && !f.edits.is_empty())?;
    let mut changes: BTreeMap<&str, Vec<Replacement>> = BTreeMap::new();
    for edit in &fix.edits {
        let Edit::Replace {
            path,
            range,
            content,
        } = edit
        else {
            return None;
        };
        let text = report.text(path)?;
        let (start, end) = report.span_positions(path, range.clone())?;
        let content = apply::with_newline(content, text.newline());
        changes.entry(path).or_default().push(Replacement {
            deleted_region: Region {
                start_line: start.line,
                start_column: Some(start.column),
                end_line: Some(end.line),
                end_column: Some(end.column),
            },
            inserted_content: (!content.is_empty()).then(|| Message::new(content)),
        });
    }
    let description = match fix.applicability {
        Applicability::Unsafe => format!("{} (unsafe: review before applying)", fix.title),
        _ => fix.title.clone(),
    };
    Some(SarifFix {
        description: Message::new(description),
        artifact_changes: changes
            .into_iter()
            .map(|(path, replacements)| ArtifactChange {
                artifact_location: ArtifactLocation::new(&report.repo_path(path)),
                replacements,
            })
            .collect(),
    })
}

/// `django-debug-enabled` -> `DjangoDebugEnabled`.
fn camel_case(id: &str) -> String {
    id.split('-')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or(String::new(), |first| {
                first.to_uppercase().chain(chars).collect()
            })
        })
        .collect()
}

/// The first paragraph of a docs text, its lines joined.
fn first_paragraph(text: &str) -> String {
    text.trim()
        .lines()
        .map(str::trim)
        .take_while(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

fn truncate(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut out: String = text.chars().take(limit - 1).collect();
    out.push('…');
    out
}

fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://")
}

/// A relative path as a URI reference: every byte but unreserved characters and `/` is
/// percent-encoded (a `:` in the first segment would otherwise read as a scheme).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// The project root as an absolute `file://` URI ending in `/`, when it can be resolved.
fn root_uri(root: &std::path::Path) -> Option<String> {
    let absolute = std::fs::canonicalize(root).ok()?;
    let mut path = absolute.to_str()?.replace('\\', "/");
    // Windows: `\\?\C:\dir` -> `/C:/dir`.
    if let Some(rest) = path.strip_prefix("//?/") {
        path = rest.to_string();
    }
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    // A drive letter's colon stays as it is: `file:///C:/`.
    let encoded = encode_path(&path).replace("%3A", ":");
    Some(format!("file://{encoded}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert_eq!(camel_case("django-debug-enabled"), "DjangoDebugEnabled");
        assert_eq!(camel_case("parse-error"), "ParseError");
    }

    #[test]
    fn paths_are_uri_references() {
        assert_eq!(encode_path("a/b-c_d.txt"), "a/b-c_d.txt");
        assert_eq!(encode_path("my dir/é:x#1%"), "my%20dir/%C3%A9%3Ax%231%25");
    }

    #[test]
    fn descriptions() {
        assert_eq!(first_paragraph("\nOne\ntwo.\n\nThree.\n"), "One two.");
        assert_eq!(truncate("abcdef", 4), "abc…");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
