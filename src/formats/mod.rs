//! Parsers, one per file kind. Each parses its kind once, keeps positions, and can re-parse
//! edited text to verify a fix. No other module parses.

pub mod bandit;
pub mod compose;
pub mod dockerfile;
pub mod dotenv;
pub mod gitignore;
pub mod gitlab_ci;
pub mod json;
pub mod kind;
pub mod lock_entries;
pub mod lockfile;
pub mod osv;
pub mod python;
pub mod requirements;
pub mod toml;
pub mod workflow;
pub mod yaml;

use std::ops::Range;

pub use kind::FileKind;

/// A problem found while parsing, with the parser's own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub span: Option<Range<usize>>,
}

/// A file parsed in its kind's format.
#[derive(Debug)]
pub enum Parsed {
    Dockerfile(dockerfile::Dockerfile),
    Gitignore(gitignore::GitignoreFile),
    Dotenv(dotenv::DotenvFile),
    Requirements(requirements::RequirementsFile),
    Yaml(yaml::YamlFile),
    Toml(toml::TomlFile),
    Lock(lockfile::LockFile),
    /// A Python module that passed the byte prefilter ([`python::is_candidate`]); other
    /// `.py` files are [`Parsed::Text`].
    Python(python::PythonFile),
    /// Read as plain text: no structure harden needs (yet).
    Text,
    /// The text could not be read; the read error is reported on its own.
    Unreadable,
    /// The format could not be parsed at all.
    Invalid(ParseError),
}

impl Parsed {
    /// Everything that went wrong while parsing, for the `parse-error` check.
    pub fn errors(&self) -> Vec<ParseError> {
        match self {
            Self::Invalid(error) => vec![error.clone()],
            Self::Requirements(file) => file.errors.clone(),
            Self::Lock(file) => file.errors.clone(),
            Self::Dockerfile(file) => file.errors.clone(),
            Self::Gitignore(file) => file.errors.clone(),
            // NOTE: only settings and application modules: a syntax error in an ordinary
            // Python file is the test suite's business, not harden's.
            Self::Python(file) if file.is_settings_like => file.errors.clone(),
            _ => Vec::new(),
        }
    }
}

/// Parse `text` as a file of `kind`.
pub fn parse(kind: FileKind, text: &str) -> Parsed {
    match kind {
        FileKind::Gitignore | FileKind::Dockerignore => {
            Parsed::Gitignore(gitignore::GitignoreFile::parse(text))
        }
        FileKind::Dockerfile => Parsed::Dockerfile(dockerfile::Dockerfile::parse(text)),
        FileKind::EnvFile => Parsed::Dotenv(dotenv::DotenvFile::parse(text)),
        FileKind::Requirements => Parsed::Requirements(requirements::RequirementsFile::parse(text)),
        FileKind::Dependabot
        | FileKind::Workflow
        | FileKind::GitlabCi
        | FileKind::Action
        | FileKind::PrecommitConfig
        | FileKind::Compose
        | FileKind::YamlConfig => match yaml::YamlFile::parse(text) {
            Ok(file) => Parsed::Yaml(file),
            Err(error) => Parsed::Invalid(error),
        },
        FileKind::BanditConfig if !bandit::looks_like_ini(text) => {
            match yaml::YamlFile::parse(text) {
                Ok(file) => Parsed::Yaml(file),
                Err(error) => Parsed::Invalid(error),
            }
        }
        FileKind::Pyproject | FileKind::Pipfile | FileKind::HardenConfig | FileKind::TomlConfig => {
            match toml::TomlFile::parse(text) {
                Ok(file) => Parsed::Toml(file),
                Err(error) => Parsed::Invalid(error),
            }
        }
        FileKind::PoetryLock | FileKind::UvLock | FileKind::PdmLock | FileKind::PipfileLock => {
            match lockfile::LockFile::parse(kind, text) {
                Ok(file) => Parsed::Lock(file),
                Err(error) => Parsed::Invalid(error),
            }
        }
        FileKind::Python if python::is_candidate(text) => {
            Parsed::Python(python::PythonFile::parse(text))
        }
        _ => Parsed::Text,
    }
}

/// Re-parse fixed text and say why it no longer parses, if it does not. Fixes that break
/// their file are dropped.
pub fn verify(kind: FileKind, text: &str) -> Result<(), ParseError> {
    match first_error(&parse(kind, text)) {
        Some(error) => Err(error),
        None => Ok(()),
    }
}

/// The first error that makes a parsed file unfit to edit (what [`verify`] reports), for a
/// file parsed already.
pub fn first_error(parsed: &Parsed) -> Option<ParseError> {
    match parsed {
        // Every Python file harden edits must still parse, settings-like or not.
        Parsed::Python(file) => file.errors.first().cloned(),
        parsed => parsed.errors().into_iter().next(),
    }
}
