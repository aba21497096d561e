//! Lock files (poetry.lock, uv.lock, pdm.lock, Pipfile.lock): the locked name → version map.

use std::collections::BTreeMap;

use super::ParseError;
use crate::project::FileKind;

#[derive(Debug, Clone, Default)]
pub struct LockFile {
    /// Normalised package name → locked version.
    pub versions: BTreeMap<String, String>,
    pub errors: Vec<ParseError>,
}

impl LockFile {
    pub fn parse(_kind: FileKind, _text: &str) -> Result<Self, ParseError> {
        Ok(Self::default())
    }
}
