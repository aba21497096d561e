//! Findings: what a check reports, with exactly one primary location and an optional fix.

use std::fmt;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::fix::Fix;

/// How bad a finding is. Ordered, so `--fail-on` is a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 4] = [Self::Critical, Self::High, Self::Medium, Self::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
            Self::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How sure the check is that the finding is real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "low",
            Self::Medium => "medium",
            Self::High => "high",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Low, Self::Medium, Self::High]
            .into_iter()
            .find(|c| c.as_str() == text)
    }
}

/// A place in the project: a path relative to the root (always `/`-separated) and, unless the
/// finding is about the file as a whole (or a file that does not exist yet), a byte range.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Location {
    pub path: String,
    pub span: Option<Range<usize>>,
}

impl Location {
    pub fn file(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            span: None,
        }
    }

    pub fn span(path: impl Into<String>, span: Range<usize>) -> Self {
        Self {
            path: path.into(),
            span: Some(span),
        }
    }
}

/// A secondary location with a note, e.g. the inherited assignment behind a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub location: Location,
    pub note: String,
}

/// Why a finding is not counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Suppression {
    /// `# harden: ignore[id] reason` in the file.
    Inline { reason: Option<String> },
    /// Listed in the `--baseline` file.
    Baseline,
    /// Silenced by the project itself, e.g. Django's `SILENCED_SYSTEM_CHECKS`.
    Settings { reason: String },
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub check: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub message: String,
    pub primary: Location,
    pub related: Vec<Related>,
    /// A short "how to fix" sentence, shown even when there is no automatic fix.
    pub help: Option<String>,
    pub fix: Option<Fix>,
    /// Stable across line moves: check, path and the offending content.
    pub fingerprint: String,
    pub suppressed: Option<Suppression>,
    /// Identifiers of what was found (advisory ids), for SARIF's result properties.
    pub tags: Vec<String>,
}

impl Finding {
    pub fn is_fixable(&self) -> bool {
        self.fix.as_ref().is_some_and(|fix| !fix.edits.is_empty())
    }

    /// Sort key: path, then position, then check id, so every output is deterministic.
    pub fn sort_key(&self) -> (&str, usize, usize, &str) {
        let span = self.primary.span.clone().unwrap_or(0..0);
        (&self.primary.path, span.start, span.end, &self.check)
    }
}
