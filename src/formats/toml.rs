//! TOML (pyproject.toml, Pipfile, harden.toml): toml_edit keeps spans for findings and
//! formatting for edits.

use std::ops::Range;

use toml_edit::{Document, Item};

use super::ParseError;

#[derive(Debug)]
pub struct TomlFile {
    pub doc: Document<String>,
}

impl TomlFile {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        Document::parse(text.to_string())
            .map(|doc| Self { doc })
            .map_err(|e| ParseError {
                message: e.message().to_string(),
                span: e.span(),
            })
    }

    /// The item at a dotted key path, e.g. `["tool", "poetry", "dependencies"]`.
    pub fn get(&self, path: &[&str]) -> Option<&Item> {
        let mut item = self.doc.as_item();
        for key in path {
            item = item.get(key)?;
        }
        Some(item)
    }

    pub fn span(&self, path: &[&str]) -> Option<Range<usize>> {
        self.get(path)?.span()
    }
}
