//! .gitignore / .dockerignore: the lines as written (for fixes that append in the file's own
//! style) and the `ignore` crate's matcher for real gitignore semantics.

use std::ops::Range;

/// One pattern line.
#[derive(Debug, Clone)]
pub struct PatternLine {
    pub pattern: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct GitignoreFile {
    pub patterns: Vec<PatternLine>,
}

impl GitignoreFile {
    pub fn parse(text: &str) -> Self {
        let mut patterns = Vec::new();
        let mut offset = 0;
        for line in text.split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            let trimmed = content.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                let start = offset + (content.len() - content.trim_start().len());
                patterns.push(PatternLine {
                    pattern: trimmed.to_string(),
                    span: start..start + trimmed.len(),
                });
            }
            offset += line.len();
        }
        Self { patterns }
    }
}
