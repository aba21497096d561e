//! The project under check: one walk of the tree, each file classified and read at most once.

pub mod build_contexts;
pub mod django;
pub mod flask;
pub mod git;
pub mod local_files;
pub use crate::formats::kind;
pub mod model;
pub mod packaging;
pub mod pydantic_settings;
pub mod scope;
pub mod walk;

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

pub use kind::FileKind;
pub use model::Model;
pub use scope::{Decision, Overrides, Scope};

use crate::formats::Parsed;

/// Files larger than this are reported and not read: no configuration file is this big, and
/// reading one would cost more than the whole rest of a run.
pub const MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// Why a file's text could not be had.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    Io(String),
    TooLarge(u64),
    NotUtf8 { offset: usize },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Io(message) => write!(f, "cannot read file: {message}"),
            Self::TooLarge(size) => write!(
                f,
                "file is {} MiB, over harden's {} MiB limit for configuration files; not read",
                size / (1024 * 1024),
                MAX_FILE_SIZE / (1024 * 1024)
            ),
            Self::NotUtf8 { offset } => write!(
                f,
                "not valid UTF-8 text (first bad byte at offset {offset})"
            ),
        }
    }
}

/// A file's text as harden sees it: without a UTF-8 BOM (remembered for writing back).
#[derive(Debug)]
pub struct Text {
    pub content: Arc<str>,
    pub bom: bool,
    line_starts: Vec<usize>,
}

impl Text {
    pub fn new(content: impl Into<Arc<str>>, bom: bool) -> Self {
        let content: Arc<str> = content.into();
        let line_starts = std::iter::once(0)
            .chain(content.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self {
            content,
            bom,
            line_starts,
        }
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.content.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .content
            .get(start..offset)
            .map_or(1, |s| s.chars().count() + 1);
        (line + 1, column)
    }

    /// Byte range of 1-based line `line`, without its line ending.
    pub fn line_range(&self, line: usize) -> Option<std::ops::Range<usize>> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .copied()
            .unwrap_or(self.content.len());
        let text = &self.content[start..end];
        let trimmed = text.trim_end_matches('\n').trim_end_matches('\r');
        Some(start..start + trimmed.len())
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// The line ending this file mostly uses, for text that fixes insert.
    pub fn newline(&self) -> &'static str {
        let crlf = self.content.matches("\r\n").count();
        let lf = self.content.matches('\n').count() - crlf;
        if crlf > lf { "\r\n" } else { "\n" }
    }
}

/// One file of the project.
#[derive(Debug)]
pub struct SourceFile {
    /// Relative to the project root, `/`-separated.
    pub path: String,
    pub abs_path: PathBuf,
    pub kind: FileKind,
    pub size: u64,
    text: OnceLock<Result<Text, ReadError>>,
    parsed: OnceLock<Parsed>,
}

impl SourceFile {
    pub fn new(path: String, abs_path: PathBuf, kind: FileKind, size: u64) -> Self {
        Self {
            path,
            abs_path,
            kind,
            size,
            text: OnceLock::new(),
            parsed: OnceLock::new(),
        }
    }

    /// A file with known text, for tests and for verifying fixes without touching disk.
    pub fn in_memory(path: &str, kind: FileKind, content: &str) -> Self {
        let file = Self::new(
            path.to_string(),
            PathBuf::from(path),
            kind,
            content.len() as u64,
        );
        let _ = file.text.set(Ok(Text::new(content, false)));
        file
    }

    pub fn with_text(
        path: &str,
        abs_path: PathBuf,
        kind: FileKind,
        content: &str,
        bom: bool,
    ) -> Self {
        let file = Self::new(path.to_string(), abs_path, kind, content.len() as u64);
        let _ = file.text.set(Ok(Text::new(content, bom)));
        file
    }

    /// The file's text, read on first use.
    pub fn text(&self) -> Result<&Text, &ReadError> {
        self.text
            .get_or_init(|| read_text(&self.abs_path, self.size))
            .as_ref()
    }

    /// The file parsed in its kind's format, on first use.
    pub fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| match self.text() {
            Ok(text) => crate::formats::parse(self.kind, &text.content),
            Err(_) => Parsed::Unreadable,
        })
    }

    pub fn dir(&self) -> &str {
        self.path.rsplit_once('/').map_or("", |(dir, _)| dir)
    }

    pub fn name(&self) -> &str {
        self.path.rsplit('/').next().unwrap_or(&self.path)
    }
}

fn read_text(path: &Path, size: u64) -> Result<Text, ReadError> {
    if size > MAX_FILE_SIZE {
        return Err(ReadError::TooLarge(size));
    }
    let bytes = std::fs::read(path).map_err(|e| ReadError::Io(e.to_string()))?;
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    match String::from_utf8(bytes) {
        Ok(content) => Ok(Text::new(content, bom)),
        Err(e) => Err(ReadError::NotUtf8 {
            offset: e.utf8_error().valid_up_to(),
        }),
    }
}

/// Every file harden may read, sorted by path, plus what the walk could not read, git's word
/// on which files are committed, and the model of what ships (built on first use).
#[derive(Debug, Default)]
pub struct Project {
    pub root: PathBuf,
    pub files: Vec<SourceFile>,
    /// Directories or entries the walk could not read: path and message.
    pub walk_errors: Vec<(String, String)>,
    /// The index, when the project is a git work tree.
    pub git: Option<git::GitState>,
    /// The configuration's `production` / `development` globs.
    pub overrides: Overrides,
    model: OnceLock<Model>,
    /// The `.gitignore` files compiled once for every check (see [`Project::ignore_tree`]).
    ignore_tree: OnceLock<crate::formats::gitignore::IgnoreTree>,
}

/// A file's new text, for [`Project::with_changes`].
#[derive(Debug, Clone, Copy)]
pub struct ChangedText<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub bom: bool,
}

impl Project {
    pub fn files_of(&self, kind: FileKind) -> impl Iterator<Item = &SourceFile> {
        self.files.iter().filter(move |f| f.kind == kind)
    }

    pub fn has(&self, kind: FileKind) -> bool {
        self.files.iter().any(|f| f.kind == kind)
    }

    pub fn file(&self, path: &str) -> Option<&SourceFile> {
        self.files
            .binary_search_by(|f| f.path.as_str().cmp(path))
            .ok()
            .map(|i| &self.files[i])
    }

    /// The model of what ships, built on first use (the engine builds it before any check).
    pub fn model(&self) -> &Model {
        self.model
            .get_or_init(|| Model::build(self, &self.overrides))
    }

    /// The scope of the file at `path` (relative to the root): what every check asks.
    pub fn scope(&self, path: &str) -> Scope {
        self.model().scope(path)
    }

    /// Whether git tracks `path`: `None` outside a git work tree.
    pub fn is_tracked(&self, path: &str) -> Option<bool> {
        self.git.as_ref().map(|git| git.is_tracked(path))
    }

    /// The project's `.gitignore` files as they are now (with any fixes of this round
    /// applied), compiled on first use: a generated file's thousands of globs are compiled
    /// once per run, not once per check.
    pub fn ignore_tree(&self) -> &crate::formats::gitignore::IgnoreTree {
        self.ignore_tree.get_or_init(|| {
            crate::formats::gitignore::IgnoreTree::new(
                self.files_of(FileKind::Gitignore)
                    .filter_map(|f| Some((f.path.as_str(), &*f.text().ok()?.content))),
            )
        })
    }

    /// The project as it would be with `changes` applied: changed and created files carry
    /// their new text in memory; the rest are read from disk as usual.
    pub fn with_changes<'c>(&self, changes: impl IntoIterator<Item = ChangedText<'c>>) -> Self {
        let changes: std::collections::BTreeMap<&str, ChangedText<'c>> =
            changes.into_iter().map(|c| (c.path, c)).collect();
        let mut files: Vec<SourceFile> = self
            .files
            .iter()
            .map(|f| match changes.get(f.path.as_str()) {
                Some(change) => SourceFile::with_text(
                    &f.path,
                    f.abs_path.clone(),
                    f.kind,
                    change.text,
                    change.bom,
                ),
                None => SourceFile::new(f.path.clone(), f.abs_path.clone(), f.kind, f.size),
            })
            .collect();
        for change in changes.values().filter(|c| self.file(c.path).is_none()) {
            if let Some(kind) = kind::classify(change.path) {
                files.push(SourceFile::with_text(
                    change.path,
                    self.root.join(change.path),
                    kind,
                    change.text,
                    change.bom,
                ));
            }
        }
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            root: self.root.clone(),
            files,
            walk_errors: self.walk_errors.clone(),
            git: self.git.clone(),
            overrides: self.overrides.clone(),
            model: OnceLock::new(),
            ignore_tree: OnceLock::new(),
        }
    }

    /// A project of in-memory files (path, text), each classified by its path, rooted nowhere
    /// on disk: for unit tests of checks and fixes.
    pub fn from_texts(files: &[(&str, &str)]) -> Self {
        let files = files
            .iter()
            .map(|(path, text)| {
                let kind = kind::classify(path).unwrap_or(FileKind::OtherConfig);
                SourceFile::in_memory(path, kind, text)
            })
            .collect();
        Self::from_memory(Path::new("/nonexistent"), files)
    }

    /// Build a project from in-memory files (tests, fix verification).
    pub fn from_memory(root: &Path, files: Vec<SourceFile>) -> Self {
        let mut files = files;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Self {
            root: root.to_path_buf(),
            files,
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = Text::new("ab\né x\n", false);
        assert_eq!(text.line_col(0), (1, 1));
        assert_eq!(text.line_col(3), (2, 1));
        assert_eq!(text.line_col(6), (2, 3));
        assert_eq!(text.line_col(100), (3, 1));
        assert_eq!(text.line_range(2), Some(3..7));
        assert_eq!(text.line_range(9), None);
    }

    #[test]
    fn newline_style() {
        assert_eq!(Text::new("a\r\nb\r\n", false).newline(), "\r\n");
        assert_eq!(Text::new("a\nb\r\n", false).newline(), "\n");
    }
}
