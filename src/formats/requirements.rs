//! requirements*.txt: requirement lines (pep508_rs), options, includes, hashes.

use super::ParseError;

#[derive(Debug, Clone, Default)]
pub struct RequirementsFile {
    pub errors: Vec<ParseError>,
}

impl RequirementsFile {
    pub fn parse(_text: &str) -> Self {
        Self::default()
    }
}
