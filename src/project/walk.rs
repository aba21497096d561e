//! The walk: in a git work tree, the files git lists (tracked, and untracked but not ignored);
//! elsewhere one parallel pass over the tree with the `ignore` crate.

use std::path::Path;
use std::sync::Mutex;

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};

use super::git::{self, GitState};
use super::{Project, SourceFile, kind::classify};

/// Directories never worth entering, whatever .gitignore says: VCS data, virtualenvs,
/// dependency caches. `.venv` is still read directly by the pin fix, never walked.
const SKIPPED_DIRS: &[&str] = &[
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pytest_cache",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    "__pycache__",
    "node_modules",
    "site-packages",
    "venv",
];

/// Walk `root`: hidden files included (.github, .gitignore, .env are hidden), .gitignore
/// honoured even outside a git checkout, symlinks not followed (so no loops and no escape
/// from the root), `exclude` globs (relative paths) skipped.
///
/// In a git work tree the files are what git lists instead: every tracked file, even one a
/// `.gitignore` matches (it is committed all the same), and the untracked files that no ignore
/// rule matches. An untracked ignored file is local to this clone and not read.
pub fn walk(root: &Path, exclude: &GlobSet) -> Project {
    match git::read(root) {
        Some(state) => from_git(root, exclude, state),
        None => walk_tree(root, exclude),
    }
}

/// The project as git lists it: the index is read once, then each listed file of a kind harden
/// reads is looked at on disk (a tracked file deleted from the work tree, a symlink or a
/// submodule is skipped, as the walk skips them).
fn from_git(root: &Path, exclude: &GlobSet, state: GitState) -> Project {
    let mut files = Vec::new();
    let walk_errors = state
        .not_utf8
        .iter()
        .filter(|lossy| classify(lossy).is_some() && !is_excluded(lossy, exclude))
        .map(|lossy| not_utf8_error(lossy))
        .collect();
    for (rel, _) in state.listed() {
        let mut dirs = rel.split('/');
        dirs.next_back();
        if dirs.any(|dir| SKIPPED_DIRS.contains(&dir)) || is_excluded(rel, exclude) {
            continue;
        }
        let Some(kind) = classify(rel) else {
            continue;
        };
        let abs = root.join(rel);
        let Ok(metadata) = std::fs::symlink_metadata(&abs) else {
            continue;
        };
        if metadata.is_file() {
            files.push(SourceFile::new(rel.to_string(), abs, kind, metadata.len()));
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Project {
        root: root.to_path_buf(),
        files,
        walk_errors,
        git: Some(state),
        ..Project::default()
    }
}

/// Whether `rel` or one of its parent directories matches an `exclude` glob.
fn is_excluded(rel: &str, exclude: &GlobSet) -> bool {
    if exclude.is_empty() {
        return false;
    }
    rel.match_indices('/')
        .map(|(i, _)| &rel[..i])
        .chain(std::iter::once(rel))
        .any(|prefix| exclude.is_match(prefix))
}

fn walk_tree(root: &Path, exclude: &GlobSet) -> Project {
    let files = Mutex::new(Vec::new());
    let errors = Mutex::new(Vec::new());
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .parents(true)
        .follow_links(false)
        .filter_entry(|entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            !(is_dir
                && entry.depth() > 0
                && SKIPPED_DIRS.contains(&entry.file_name().to_str().unwrap_or("")))
        })
        .build_parallel();

    walker.run(|| {
        Box::new(|entry| {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    if let Ok(mut errors) = errors.lock() {
                        errors.push((String::new(), error.to_string()));
                    }
                    return WalkState::Continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                return WalkState::Continue;
            };
            let Ok(rel) = entry.path().strip_prefix(root) else {
                return WalkState::Continue;
            };
            let rel = rel_path_string(rel);
            if entry.depth() > 0 && exclude.is_match(&rel) {
                return if file_type.is_dir() {
                    WalkState::Skip
                } else {
                    WalkState::Continue
                };
            }
            if !file_type.is_file() {
                return WalkState::Continue;
            }
            if let Some(kind) = classify(&rel) {
                if rel.contains('\u{FFFD}')
                    && entry
                        .path()
                        .strip_prefix(root)
                        .is_ok_and(|r| r.to_str().is_none())
                {
                    if let Ok(mut errors) = errors.lock() {
                        errors.push(not_utf8_error(&rel));
                    }
                    return WalkState::Continue;
                }
                let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
                let file = SourceFile::new(rel, entry.path().to_path_buf(), kind, size);
                if let Ok(mut files) = files.lock() {
                    files.push(file);
                }
            }
            WalkState::Continue
        })
    });

    let mut files = files.into_inner().unwrap_or_default();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut walk_errors = errors.into_inner().unwrap_or_default();
    walk_errors.sort();
    Project {
        root: root.to_path_buf(),
        files,
        walk_errors,
        ..Project::default()
    }
}

/// A file harden would read whose name is not valid UTF-8: it cannot be named in a report (the
/// lossy name is shown) nor written back under its own name by a fix, so it is skipped.
fn not_utf8_error(lossy: &str) -> (String, String) {
    (
        lossy.to_string(),
        "the file name is not valid UTF-8: harden cannot name or fix it, so it was not read"
            .to_string(),
    )
}

fn rel_path_string(rel: &Path) -> String {
    let mut out = String::new();
    for component in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&component.as_os_str().to_string_lossy());
    }
    out
}
