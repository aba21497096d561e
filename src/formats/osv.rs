//! OSV advisories (the Open Source Vulnerability schema, ossf.github.io/osv-schema): one JSON
//! record per advisory, read down to what judging a PyPI pin needs. Unknown fields are ignored;
//! a record that is not OSV (no `id`, `affected` not a list...) is an error.

use serde::{Deserialize, Serialize};

use super::ParseError;
use super::requirements::normalize_name;

/// One advisory as harden keeps it: also the record written to the compact cache, which is
/// itself valid OSV (a subset of the fields).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The record's `summary`, else the first sentence of its `details` (PYSEC records often
    /// have no summary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Read to make a summary, never kept in the cache.
    #[serde(default, skip_serializing)]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityScore>,
    #[serde(default)]
    pub affected: Vec<Affected>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_specific: Option<DatabaseSpecific>,
}

/// `severity[]`: a scoring system and its vector (`CVSS_V3`, `CVSS:3.1/AV:N/...`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityScore {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub score: String,
}

/// The top-level `database_specific` object: GitHub's advisories carry a qualitative
/// `severity` (LOW / MODERATE / HIGH / CRITICAL) there.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatabaseSpecific {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Affected {
    #[serde(default)]
    pub package: Package,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<AffectedRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Package {
    #[serde(default)]
    pub ecosystem: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedRange {
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub events: Vec<Event>,
}

/// One event of a range: exactly one of the four keys is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introduced: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fixed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_affected: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub limit: Option<String>,
}

impl Advisory {
    /// Parse one OSV record.
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        let mut advisory: Self = serde_json::from_str(text).map_err(|e| ParseError {
            message: format!("not an OSV record: {e}"),
            span: None,
        })?;
        if advisory.id.trim().is_empty() {
            return Err(ParseError {
                message: "not an OSV record: `id` is empty".to_string(),
                span: None,
            });
        }
        if advisory
            .summary
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
        {
            advisory.summary = advisory.details.as_deref().and_then(first_sentence);
        }
        advisory.details = None;
        Ok(advisory)
    }

    /// The PyPI packages this advisory names, PEP 503-normalized, without repeats.
    pub fn pypi_packages(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .affected
            .iter()
            .filter(|a| a.package.is_pypi())
            .map(|a| normalize_name(&a.package.name))
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Only the `affected` entries of one PyPI package (normalized name).
    pub fn for_package(&self, name: &str) -> Self {
        Self {
            affected: self
                .affected
                .iter()
                .filter(|a| a.package.is_pypi() && normalize_name(&a.package.name) == name)
                .cloned()
                .collect(),
            ..self.clone()
        }
    }
}

/// The first sentence of a text (up to a `.` followed by white space, or the first blank line).
fn first_sentence(text: &str) -> Option<String> {
    let paragraph = text.trim().split("\n\n").next()?;
    let end = paragraph
        .char_indices()
        .find(|&(i, c)| c == '.' && paragraph[i + 1..].starts_with(char::is_whitespace))
        .map_or(paragraph.len(), |(i, _)| i + 1);
    let sentence = paragraph[..end]
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    (!sentence.is_empty()).then_some(sentence)
}

impl Package {
    pub fn is_pypi(&self) -> bool {
        self.ecosystem.eq_ignore_ascii_case("pypi")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_fields_it_needs_and_ignores_the_rest() {
        let record = r#"{
          "schema_version": "1.6.0", "id": "PYSEC-2023-1", "modified": "2023-01-01T00:00:00Z",
          "aliases": ["CVE-2023-1", "GHSA-aaaa-bbbb-cccc"], "summary": "bad", "details": "long",
          "affected": [{"package": {"ecosystem": "PyPI", "name": "Django_Thing"},
                        "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2"}]}],
                        "versions": ["1.0", "1.1"], "ecosystem_specific": {"x": 1}}],
          "database_specific": {"severity": "CRITICAL", "cwe_ids": ["CWE-79"]}
        }"#;
        let advisory = Advisory::parse(record).unwrap();
        assert_eq!(advisory.id, "PYSEC-2023-1");
        assert_eq!(advisory.pypi_packages(), ["django-thing"]);
        assert_eq!(
            advisory.affected[0].ranges[0].events[1].fixed.as_deref(),
            Some("1.2")
        );
        assert_eq!(
            advisory
                .database_specific
                .and_then(|d| d.severity)
                .as_deref(),
            Some("CRITICAL")
        );
    }

    #[test]
    fn a_record_without_summary_is_summarized_by_its_first_sentence() {
        let record = r#"{"id": "PYSEC-1", "details": "In Jinja before 2.10.1, str.format_map\n escapes the sandbox. More text 1.2."}"#;
        assert_eq!(
            Advisory::parse(record).unwrap().summary.as_deref(),
            Some("In Jinja before 2.10.1, str.format_map escapes the sandbox.")
        );
        let summarized = r#"{"id": "GHSA-1", "summary": "Short", "details": "Long. Text."}"#;
        let advisory = Advisory::parse(summarized).unwrap();
        assert_eq!(advisory.summary.as_deref(), Some("Short"));
        assert_eq!(advisory.details, None);
    }

    #[test]
    fn rejects_what_is_not_osv() {
        assert!(Advisory::parse("[]").is_err());
        assert!(Advisory::parse(r#"{"id": ""}"#).is_err());
        assert!(Advisory::parse(r#"{"id": "X", "affected": 3}"#).is_err());
    }
}
