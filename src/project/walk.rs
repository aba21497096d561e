//! The walk: in a git work tree, the files git lists (tracked, and untracked but not ignored);
//! elsewhere one parallel pass over the tree with the `ignore` crate.

use std::borrow::Cow;
use std::collections::HashMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};

use globset::GlobSet;
use ignore::{WalkBuilder, WalkState};
use rayon::prelude::*;

use super::git::{self, GitState};
use super::{FileKind, Project, SourceFile, kind::classify};
use crate::formats::gitignore::{FileMatcher, GitignoreFile};

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
    let shared_root = Arc::new(root.to_path_buf());
    let walk_errors = state
        .not_utf8
        .iter()
        .filter(|lossy| classify(lossy).is_some() && !is_excluded(lossy, exclude))
        .map(|lossy| not_utf8_error(lossy))
        .collect();
    let listed: Vec<(&str, FileKind)> = state
        .listed()
        .filter_map(|(rel, _)| {
            let mut dirs = rel.split('/');
            dirs.next_back();
            if dirs.any(|dir| SKIPPED_DIRS.contains(&dir)) || is_excluded(rel, exclude) {
                return None;
            }
            Some((rel, classify(rel)?))
        })
        .collect();
    // One `lstat` per file harden reads, on all cores.
    let mut files: Vec<SourceFile> = listed
        .into_par_iter()
        .filter_map(|(rel, kind)| {
            let metadata = std::fs::symlink_metadata(root.join(rel)).ok()?;
            metadata.is_file().then(|| {
                SourceFile::new(rel.to_string(), shared_root.clone(), kind, metadata.len())
            })
        })
        .collect();
    // Paths are unique: no stable sort (and no buffer of half the list) needed.
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    // NOTE: the list lives for the whole run; grown by doubling it kept up to half again its
    // length as spare room (5 MB on a 200,000-file tree).
    files.shrink_to_fit();
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
    // NOTE: `.gitignore` files are applied here, not by the `ignore` crate, so that each is
    // compiled once and only up to its first MAX_PATTERNS lines, as the checks read them: the
    // crate compiled all 100,000 globs of a generated 4 MB file (14 s and 1 GB in a debug
    // build) before the first check ran.
    let gitignores = Gitignores::new(root);
    let shared_root = Arc::new(root.to_path_buf());
    let walker = WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(false)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .parents(false)
        .follow_links(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if entry.depth() == 0 {
                return true;
            }
            if is_dir && SKIPPED_DIRS.contains(&entry.file_name().to_str().unwrap_or("")) {
                return false;
            }
            !gitignores.ignored(entry.path(), is_dir)
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
                // NOTE: no stat here: the read takes the size from the open file.
                let file = SourceFile::new(rel, shared_root.clone(), kind, 0);
                if let Ok(mut files) = files.lock() {
                    files.push(file);
                }
            }
            WalkState::Continue
        })
    });

    let mut files = files.into_inner().unwrap_or_default();
    // Paths are unique: no stable sort (and no buffer of half the list) needed.
    files.sort_unstable_by(|a, b| a.path.cmp(&b.path));
    files.shrink_to_fit();
    let mut walk_errors = errors.into_inner().unwrap_or_default();
    walk_errors.sort();
    Project {
        root: root.to_path_buf(),
        files,
        walk_errors,
        ..Project::default()
    }
}

/// The `.gitignore` files of a tree outside git, read and compiled as the walk first needs
/// each (once, up to [`crate::formats::gitignore::MAX_PATTERNS`] lines), applied with git's
/// rules: the deepest file with a matching line decides, its last matching line wins, and an
/// ignored directory is not entered (so nothing in it can be re-included).
struct Gitignores {
    root: PathBuf,
    /// Directory (its path's bytes: hashing a `Path` goes component by component) → the
    /// compiled `.gitignore` files that apply in it, deepest first (its own, then its
    /// parents' up to the root), each with its directory.
    // NOTE: one lookup per walk entry (its parent directory's chain), under a shared lock;
    // files are read and compiled outside it, so the walk's threads do not wait on each
    // other's reads.
    chains: RwLock<HashMap<OsString, Chain>>,
    /// Compiled files by content: a monorepo's thousands of copies of one `.gitignore`
    /// are compiled once.
    compiled: Mutex<HashMap<Vec<u8>, Arc<FileMatcher>>>,
}

type Chain = Arc<Vec<(Arc<Path>, Arc<FileMatcher>)>>;

impl Gitignores {
    fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            chains: RwLock::new(HashMap::new()),
            compiled: Mutex::new(HashMap::new()),
        }
    }

    /// `dir`'s own `.gitignore`, compiled, when it has one.
    fn own(&self, dir: &Path) -> Option<Arc<FileMatcher>> {
        let path = dir.join(".gitignore");
        let bytes = std::fs::symlink_metadata(&path)
            .ok()
            .filter(|m| m.is_file() && m.len() <= super::MAX_FILE_SIZE)
            .and_then(|_| std::fs::read(&path).ok())?;
        if let Some(known) = self.compiled.lock().ok()?.get(&bytes) {
            return Some(known.clone());
        }
        let matcher = Arc::new(GitignoreFile::parse(&String::from_utf8_lossy(&bytes)).matcher());
        let mut compiled = self.compiled.lock().ok()?;
        Some(compiled.entry(bytes).or_insert(matcher).clone())
    }

    /// The chain of `dir` (the root or a directory below it), built from the nearest known
    /// ancestor's chain down (iteratively: a tree may be thousands of levels deep).
    fn chain(&self, dir: &Path) -> Chain {
        let mut missing: Vec<&Path> = Vec::new();
        let mut base = Chain::default();
        {
            let Ok(chains) = self.chains.read() else {
                return Chain::default();
            };
            for ancestor in dir.ancestors() {
                if let Some(known) = chains.get(ancestor.as_os_str()) {
                    base = known.clone();
                    break;
                }
                missing.push(ancestor);
                if ancestor == self.root || !ancestor.starts_with(&self.root) {
                    break;
                }
            }
        }
        if missing.is_empty() {
            return base;
        }
        let owns: Vec<Option<Arc<FileMatcher>>> =
            missing.iter().map(|ancestor| self.own(ancestor)).collect();
        let Ok(mut chains) = self.chains.write() else {
            return Chain::default();
        };
        for (ancestor, own) in missing.into_iter().zip(owns).rev() {
            let mut chain = base;
            if let Some(matcher) = own {
                let mut with_own = Vec::with_capacity(chain.len() + 1);
                with_own.push((Arc::from(ancestor), matcher));
                with_own.extend(chain.iter().cloned());
                chain = Arc::new(with_own);
            }
            // Another thread may have built it meanwhile, from the same files: its chain is kept.
            base = chains
                .entry(ancestor.as_os_str().to_os_string())
                .or_insert(chain)
                .clone();
        }
        base
    }

    /// Whether `path` (a walk entry below the root) is ignored by itself: its parent
    /// directories were decided when the walk entered them.
    fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        let Some(parent) = path.parent().filter(|p| p.starts_with(&self.root)) else {
            return false;
        };
        for (dir, matcher) in self.chain(parent).iter() {
            let Ok(rel) = path.strip_prefix(dir) else {
                continue;
            };
            // The relative path as text without building it again when it can be sliced.
            let rel = match rel.to_str() {
                Some(rel) if !rel.contains('\\') => Cow::Borrowed(rel),
                _ => Cow::Owned(rel_path_string(rel)),
            };
            if let Some(found) = matcher.matched(&rel, is_dir) {
                return !found.negation;
            }
        }
        false
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
    // Sized once: the walk keeps every path for the run, and growing by pushes left up to
    // half again each path's length unused.
    let mut out = String::with_capacity(rel.as_os_str().len());
    for component in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&component.as_os_str().to_string_lossy());
    }
    out
}
