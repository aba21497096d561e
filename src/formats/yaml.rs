//! YAML (dependabot, workflows, actions): yaml_serde for values, yamlpath for the exact span
//! of every key and value, yamlpatch for comment-preserving edits.

use std::ops::Range;

use super::ParseError;

pub use yaml_serde::Value;

/// A YAML document: its value, and the concrete syntax tree that locates features.
pub struct YamlFile {
    pub value: Value,
    pub doc: yamlpath::Document,
}

impl std::fmt::Debug for YamlFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("YamlFile")
            .field("value", &self.value)
            .finish_non_exhaustive()
    }
}

/// One step of a route into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

impl YamlFile {
    pub fn parse(text: &str) -> Result<Self, ParseError> {
        // NOTE: yaml_serde refuses documents whose aliases expand past its repetition limit,
        // which is what stops a billion-laughs file here.
        let value: Value = match yaml_serde::from_str(text) {
            Ok(value) => value,
            Err(e) => {
                let span = e.location().map(|l| l.index()..l.index());
                return Err(ParseError {
                    message: e.to_string(),
                    span,
                });
            }
        };
        let doc = yamlpath::Document::new(text.to_string()).map_err(|e| ParseError {
            message: e.to_string(),
            span: None,
        })?;
        Ok(Self { value, doc })
    }

    fn route<'a>(steps: &'a [Step]) -> yamlpath::Route<'a> {
        let components = steps.iter().map(|step| match step {
            Step::Key(key) => yamlpath::Component::Key(key.as_str().into()),
            Step::Index(index) => yamlpath::Component::Index(*index),
        });
        yamlpath::Route::default().with_keys(components)
    }

    /// Byte span of the value at `steps` (the whole `key: value` for mappings is not included).
    pub fn value_span(&self, steps: &[Step]) -> Option<Range<usize>> {
        let feature = self.doc.query_exact(&Self::route(steps)).ok()??;
        Some(feature.location.byte_span.0..feature.location.byte_span.1)
    }

    /// Byte span of the key at `steps`.
    pub fn key_span(&self, steps: &[Step]) -> Option<Range<usize>> {
        let feature = self.doc.query_key_only(&Self::route(steps)).ok()?;
        Some(feature.location.byte_span.0..feature.location.byte_span.1)
    }

    /// Apply yamlpatch operations and return the new text; comments and layout are kept.
    pub fn patch(&self, ops: Vec<(Vec<Step>, yamlpatch::Op<'_>)>) -> Result<String, String> {
        let patches: Vec<yamlpatch::Patch<'_>> = ops
            .iter()
            .map(|(steps, op)| yamlpatch::Patch {
                route: Self::route(steps),
                operation: op.clone(),
            })
            .collect();
        yamlpatch::apply_yaml_patches(&self.doc, &patches)
            .map(|doc| doc.source().to_string())
            .map_err(|e| e.to_string())
    }
}

/// Look up a key in a mapping value.
pub fn get<'a>(value: &'a Value, key: &str) -> Option<&'a Value> {
    value.as_mapping()?.get(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values() {
        let text = "version: 2\nupdates:\n  - package-ecosystem: pip # py\n    directory: /\n";
        let file = YamlFile::parse(text).unwrap();
        let steps = [
            Step::Key("updates".into()),
            Step::Index(0),
            Step::Key("directory".into()),
        ];
        let span = file.value_span(&steps).unwrap();
        assert_eq!(&text[span], "/");
        let span = file.key_span(&steps).unwrap();
        assert_eq!(&text[span], "directory");
    }

    #[test]
    fn alias_bomb_is_an_error_not_a_hang() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
            ));
        }
        assert!(YamlFile::parse(&text).is_err());
    }
}
