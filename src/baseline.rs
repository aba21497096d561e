//! Baseline files: the findings a legacy project already has, so CI fails only on new ones.
//! Matched by check, path and content fingerprint (not by line), as a multiset.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, Suppression};

pub const VERSION: u32 = 1;

#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineFile {
    pub version: u32,
    pub findings: Vec<BaselineEntry>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord)]
pub struct BaselineEntry {
    pub check: String,
    pub path: String,
    pub fingerprint: String,
}

impl BaselineFile {
    pub fn from_findings(findings: &[Finding]) -> Self {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .map(|f| BaselineEntry {
                check: f.check.clone(),
                path: f.primary.path.clone(),
                fingerprint: f.fingerprint.clone(),
            })
            .collect();
        entries.sort();
        Self {
            version: VERSION,
            findings: entries,
        }
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let file: Self =
            serde_json::from_str(text).map_err(|e| format!("not a harden baseline: {e}"))?;
        if file.version != VERSION {
            return Err(format!(
                "baseline version {} is not supported (expected {VERSION})",
                file.version
            ));
        }
        Ok(file)
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }

    /// Mark findings present in the baseline as suppressed; each entry absorbs one finding.
    pub fn apply(&self, findings: &mut [Finding]) {
        let mut remaining: BTreeMap<&BaselineEntry, usize> = BTreeMap::new();
        for entry in &self.findings {
            *remaining.entry(entry).or_default() += 1;
        }
        for finding in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            let key = BaselineEntry {
                check: finding.check.clone(),
                path: finding.primary.path.clone(),
                fingerprint: finding.fingerprint.clone(),
            };
            if let Some(count) = remaining.get_mut(&key)
                && *count > 0
            {
                *count -= 1;
                finding.suppressed = Some(Suppression::Baseline);
            }
        }
    }
}
