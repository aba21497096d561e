//! Fixes: titled groups of edits with an applicability, applied all-or-nothing per fix.

pub mod apply;
pub mod diff;
pub mod prompt;
pub mod write;

use std::ops::Range;

use serde::{Deserialize, Serialize};

/// Whether a fix may be applied without a human looking at it. Ordered from most to least
/// automatic, like ruff's `Applicability`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown, never applied: harden explains the fix but cannot know enough to write it.
    DisplayOnly,
    /// Applied only with `--unsafe-fixes` or an explicit yes: it can change behaviour.
    Unsafe,
    /// Keeps the project working; applied by `--yes`.
    Safe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Safe => "safe",
            Self::Unsafe => "unsafe",
            Self::DisplayOnly => "display-only",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        [Self::Safe, Self::Unsafe, Self::DisplayOnly]
            .into_iter()
            .find(|a| a.as_str() == text)
    }
}

/// One change to one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Replace `range` (byte offsets into the file's text as read, BOM excluded) with `content`.
    /// An empty range inserts.
    Replace {
        path: String,
        range: Range<usize>,
        content: String,
    },
    /// Create a file that does not exist yet.
    Create { path: String, content: String },
}

impl Edit {
    pub fn replace(
        path: impl Into<String>,
        range: Range<usize>,
        content: impl Into<String>,
    ) -> Self {
        Self::Replace {
            path: path.into(),
            range,
            content: content.into(),
        }
    }

    pub fn insert(path: impl Into<String>, at: usize, content: impl Into<String>) -> Self {
        Self::replace(path, at..at, content)
    }

    pub fn create(path: impl Into<String>, content: impl Into<String>) -> Self {
        Self::Create {
            path: path.into(),
            content: content.into(),
        }
    }

    /// The smallest `Replace` that turns `old` into `new`: the common prefix and suffix are
    /// kept, so fixes computed by rewriting a whole document (yamlpatch, toml_edit) still
    /// conflict only where they really touch the same bytes.
    pub fn from_rewrite(path: impl Into<String>, old: &str, new: &str) -> Option<Self> {
        if old == new {
            return None;
        }
        let mut prefix = common_prefix_len(old, new);
        // NOTE: never split a `\r\n`: the applier turns each lone `\n` of the replacement
        // into `\r\n` in a CRLF file, so a boundary between `\r` and `\n` would leave a line
        // ending with `\r\r\n` or with `\n` alone.
        if prefix > 0 && old.as_bytes().get(prefix - 1) == Some(&b'\r') {
            prefix -= 1;
        }
        let mut suffix = common_suffix_len(&old[prefix..], &new[prefix..]);
        if suffix > 0 && old[..old.len() - suffix].ends_with('\r') {
            suffix -= 1;
        }
        Some(Self::replace(
            path,
            prefix..old.len() - suffix,
            &new[prefix..new.len() - suffix],
        ))
    }

    pub fn path(&self) -> &str {
        match self {
            Self::Replace { path, .. } | Self::Create { path, .. } => path,
        }
    }
}

fn common_prefix_len(a: &str, b: &str) -> usize {
    let mut len = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !a.is_char_boundary(len) || !b.is_char_boundary(len) {
        len -= 1;
    }
    len
}

fn common_suffix_len(a: &str, b: &str) -> usize {
    let mut len = a
        .bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count();
    while !a.is_char_boundary(a.len() - len) || !b.is_char_boundary(b.len() - len) {
        len -= 1;
    }
    len
}

/// A titled, all-or-nothing set of edits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub applicability: Applicability,
    /// Empty for display-only fixes.
    pub edits: Vec<Edit>,
}

impl Fix {
    pub fn display_only(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            applicability: Applicability::DisplayOnly,
            edits: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrite_edit_is_minimal() {
        let edit = Edit::from_rewrite("f", "a: 1\nb: 2\n", "a: 1\nc: 3\nb: 2\n").unwrap();
        assert_eq!(edit, Edit::replace("f", 5..5, "c: 3\n"));
        assert_eq!(Edit::from_rewrite("f", "same", "same"), None);
    }

    #[test]
    fn rewrite_edit_keeps_crlf_pairs_whole() {
        let old = "a: 1\r\nb: x\r\n";
        let new = "a: 1\r\nb: y\r\nc: 2\n";
        let edit = Edit::from_rewrite("f", old, new).unwrap();
        assert_eq!(edit, Edit::replace("f", 9..12, "y\r\nc: 2\n"));
        let old = "k: v\r\n";
        let new = "k: v\r\n  x\n";
        let Edit::Replace { range, .. } = Edit::from_rewrite("f", old, new).unwrap() else {
            unreachable!()
        };
        assert!(!old[..range.start].ends_with('\r') && !old[range.end..].starts_with('\n'));
    }

    #[test]
    fn rewrite_edit_respects_char_boundaries() {
        let edit = Edit::from_rewrite("f", "é", "è").unwrap();
        assert_eq!(edit, Edit::replace("f", 0..2, "è"));
    }
}
