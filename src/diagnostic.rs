//! Configuration errors (check files, profiles, harden.toml) with file and position, collected
//! so that every error is reported at once.

use std::fmt;
use std::ops::Range;

/// One error in a configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file, as the user would name it (a project-relative path, or `checks/…` for
    /// built-in check files).
    pub file: String,
    /// 1-based line and column, when the error has a position.
    pub position: Option<(usize, usize)>,
    pub message: String,
}

impl ConfigError {
    pub fn new(
        file: &str,
        source: &str,
        span: Option<Range<usize>>,
        message: impl Into<String>,
    ) -> Self {
        let position = span.map(|span| line_col(source, span.start));
        Self {
            file: file.to_string(),
            position,
            message: message.into(),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, col)) => write!(f, "{}:{line}:{col}: {}", self.file, self.message),
            None => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Several configuration errors: the whole list is the error.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ConfigErrors {}

pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(source.len());
    let before = source.get(..offset).unwrap_or("");
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// Turn toml-span's errors into ours, one per problem (an unexpected-keys error becomes one
/// error per key, each at its key).
pub fn from_toml_span(file: &str, source: &str, errors: Vec<toml_span::Error>) -> Vec<ConfigError> {
    let mut out = Vec::new();
    for error in errors {
        match &error.kind {
            toml_span::ErrorKind::UnexpectedKeys { keys, expected } => {
                for (key, span) in keys {
                    out.push(ConfigError::new(
                        file,
                        source,
                        Some(span.start..span.end),
                        format!(
                            "unknown key `{key}` (expected one of: {})",
                            expected.join(", ")
                        ),
                    ));
                }
            }
            _ => {
                let span = error.span.start..error.span.end;
                out.push(ConfigError::new(
                    file,
                    source,
                    Some(span),
                    toml_error_message(&error),
                ));
            }
        }
    }
    out
}

fn toml_error_message(error: &toml_span::Error) -> String {
    match &error.kind {
        toml_span::ErrorKind::MissingField(field) => format!("missing required key `{field}`"),
        toml_span::ErrorKind::Wanted { expected, found } => {
            format!("expected {expected}, found {found}")
        }
        toml_span::ErrorKind::Custom(message) => message.to_string(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based() {
        assert_eq!(line_col("ab\ncd", 0), (1, 1));
        assert_eq!(line_col("ab\ncd", 4), (2, 2));
    }
}
