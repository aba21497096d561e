//! Locked versions with their positions: every `[[package]]` of uv.lock, poetry.lock and
//! pdm.lock, every `[[packages]]` of a PEP 751 `pylock.toml`, every entry of Pipfile.lock's
//! `default` and `develop`. [`super::lockfile`] keeps the name → version map; this is for
//! findings that point at one locked version.

use std::ops::Range;

use toml_edit::{Document, Item};

use super::ParseError;
use super::requirements::normalize_name;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LockedEntry {
    /// PEP 503-normalized.
    pub name: String,
    /// As written, `==` of Pipfile.lock removed.
    pub version: String,
    /// The version text (inside the quotes).
    pub version_span: Range<usize>,
}

/// Entries of a TOML lock file: tables of the array `package` (uv, poetry, pdm) or `packages`
/// (pylock.toml) with a `name` and a string `version`.
pub fn toml_entries(text: &str) -> Result<Vec<LockedEntry>, ParseError> {
    let doc = Document::parse(text.to_string()).map_err(|e| ParseError {
        message: e.message().to_string(),
        span: e.span(),
    })?;
    let mut out = Vec::new();
    for key in ["package", "packages"] {
        let Some(Item::ArrayOfTables(tables)) = doc.get(key) else {
            continue;
        };
        for table in tables.iter() {
            let Some(name) = table.get("name").and_then(Item::as_str) else {
                continue;
            };
            let Some(item) = table.get("version") else {
                continue;
            };
            let (Some(version), Some(span)) = (item.as_str(), item.span()) else {
                continue;
            };
            let Some(inner) = quoted_inner(text, span, version) else {
                continue;
            };
            out.push(LockedEntry {
                name: normalize_name(name),
                version: version.to_string(),
                version_span: inner,
            });
        }
    }
    Ok(out)
}

/// The span of `value` inside the quoted string at `span`, when it is written literally
/// (no escapes).
fn quoted_inner(text: &str, span: Range<usize>, value: &str) -> Option<Range<usize>> {
    let written = text.get(span.clone())?;
    let offset = written.find(value)?;
    let start = span.start + offset;
    Some(start..start + value.len())
}

/// Entries of a Pipfile.lock: `"name": {..., "version": "==1.2.3"}` in `default` and
/// `develop`. Positions are found in the text after the JSON parsed, key by key.
pub fn pipfile_entries(text: &str) -> Result<Vec<LockedEntry>, ParseError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| ParseError {
        message: e.to_string(),
        span: None,
    })?;
    let mut out = Vec::new();
    for section in ["default", "develop"] {
        let Some(packages) = value.get(section).and_then(|s| s.as_object()) else {
            continue;
        };
        let Some(section_at) = text.find(&format!("\"{section}\"")) else {
            continue;
        };
        for (name, entry) in packages {
            let Some(version) = entry.get("version").and_then(|v| v.as_str()) else {
                continue;
            };
            let Some(bare) = version.strip_prefix("==") else {
                continue;
            };
            let Some(key_at) = text[section_at..]
                .find(&format!("\"{name}\""))
                .map(|i| section_at + i)
            else {
                continue;
            };
            // The entry's object ends at the first `}` after its key: hashes, markers and
            // indexes hold no braces.
            let end = text[key_at..].find('}').map_or(text.len(), |i| key_at + i);
            let needle = format!("\"{version}\"");
            let Some(at) = text[key_at..end].find(&needle).map(|i| key_at + i) else {
                continue;
            };
            let start = at + 3;
            out.push(LockedEntry {
                name: normalize_name(name),
                version: bare.to_string(),
                version_span: start..start + bare.len(),
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_locks() {
        let text = "version = 1\n\n[[package]]\nname = \"Django\"\nversion = \"4.2.1\"\n\n[package.dependencies]\nx = \"*\"\n\n[[package]]\nname = \"git-thing\"\nsource = { git = \"u\" }\n";
        let entries = toml_entries(text).unwrap();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].name, "django");
        assert_eq!(&text[entries[0].version_span.clone()], "4.2.1");
        let pylock = "lock-version = \"1.0\"\n[[packages]]\nname = \"jinja2\"\nversion = '2.10'\n";
        let entries = toml_entries(pylock).unwrap();
        assert_eq!(&pylock[entries[0].version_span.clone()], "2.10");
    }

    #[test]
    fn pipfile_lock() {
        let text = r#"{"_meta": {}, "default": {"django": {"hashes": ["sha256:00"], "version": "==3.2.1"}, "vcs": {"git": "u"}}, "develop": {"django": {"version": "==3.2.2"}}}"#;
        let entries = pipfile_entries(text).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(&text[entries[0].version_span.clone()], "3.2.1");
        assert_eq!(&text[entries[1].version_span.clone()], "3.2.2");
    }
}
