//! Git state: which files the repository contains. Read once from git's index with
//! `git ls-files`, with hooks and optional locks off, so harden never changes the repository.
//!
//! A tracked file is committed even when a `.gitignore` pattern matches it (git ignores only
//! untracked files); an untracked ignored file exists in this clone only.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

/// What git says about the files under the project root.
#[derive(Debug, Clone, Default)]
pub struct GitState {
    /// Tracked files (in the index), relative to the project root, `/`-separated.
    tracked: BTreeSet<String>,
    /// Untracked files that no ignore rule matches: what `git add .` would commit.
    untracked: BTreeSet<String>,
    /// Listed paths that are not valid UTF-8, lossily decoded: never read, only reported.
    pub not_utf8: Vec<String>,
}

impl GitState {
    /// Whether git tracks `path` (relative to the project root).
    pub fn is_tracked(&self, path: &str) -> bool {
        self.tracked.contains(path)
    }

    /// Tracked files, then untracked files that are not ignored, each once and sorted.
    pub fn listed(&self) -> impl Iterator<Item = (&str, bool)> {
        let tracked = self.tracked.iter().map(|p| (p.as_str(), true));
        let untracked = self
            .untracked
            .iter()
            .filter(|p| !self.tracked.contains(*p))
            .map(|p| (p.as_str(), false));
        tracked.chain(untracked)
    }

    pub fn tracked_count(&self) -> usize {
        self.tracked.len()
    }

    /// From the output of `git ls-files -z -t --cached --others --exclude-standard`: each
    /// entry is a status tag, a space and the path (`H` cached, `?` other, `S` skip-worktree,
    /// `M`/`R`/`C`/`K` for unmerged, removed, changed, to be killed, all of them in the index
    /// except `?`).
    pub fn from_ls_files(output: &[u8]) -> Self {
        let mut state = Self::default();
        for entry in output.split(|&b| b == 0).filter(|e| !e.is_empty()) {
            let Some((tag, path)) = entry.split_first_chunk::<2>() else {
                continue;
            };
            let Ok(path) = std::str::from_utf8(path) else {
                // NOTE: a path git stores in another encoding cannot be named in a report or
                // written back under its name; such a file is not read, and the walk says so.
                state
                    .not_utf8
                    .push(String::from_utf8_lossy(path).into_owned());
                continue;
            };
            if tag[0] == b'?' {
                state.untracked.insert(path.to_string());
            } else {
                state.tracked.insert(path.to_string());
            }
        }
        state
    }
}

/// The git state of `root` when it lies inside a git work tree; `None` outside git, when git
/// is not installed, or when git refuses (an unsafe-ownership repository, a broken index).
pub fn read(root: &Path) -> Option<GitState> {
    if !may_be_in_work_tree(root) {
        return None;
    }
    let output = Command::new("git")
        .arg("-C")
        .arg(root)
        // NOTE: `ls-files` runs no hook, but a repository's config may name a hooks path or an
        // fsmonitor program; both are switched off so reading the index runs nothing of theirs.
        .args([
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "core.fsmonitor=false",
            "ls-files",
            "-z",
            "-t",
            "--cached",
            "--others",
            "--exclude-standard",
        ])
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_TERMINAL_PROMPT", "0")
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    output
        .status
        .success()
        .then(|| GitState::from_ls_files(&output.stdout))
}

/// Whether git could see a work tree at `root`: a `.git` (directory or file) in it or above
/// it, or an environment that points git elsewhere. Outside git this spares a run the start
/// of a `git` process, which costs as much as checking a small project.
fn may_be_in_work_tree(root: &Path) -> bool {
    if std::env::var_os("GIT_DIR").is_some() || std::env::var_os("GIT_WORK_TREE").is_some() {
        return true;
    }
    // Physical path, as git finds it after changing into `root` (a symlink into a checkout is
    // inside that checkout).
    let physical = std::fs::canonicalize(root).unwrap_or_else(|_| root.to_path_buf());
    physical
        .ancestors()
        .any(|dir| std::fs::symlink_metadata(dir.join(".git")).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_git_directory_means_no_work_tree() {
        let dir = tempfile::tempdir().unwrap();
        // A temporary directory may itself lie inside some checkout; only when it does not
        // is the answer known to be "no".
        let inside_checkout = dir.path().ancestors().any(|d| d.join(".git").exists());
        if std::env::var_os("GIT_DIR").is_none() && std::env::var_os("GIT_WORK_TREE").is_none() {
            assert_eq!(may_be_in_work_tree(dir.path()), inside_checkout);
        }
        std::fs::create_dir(dir.path().join(".git")).unwrap();
        assert!(may_be_in_work_tree(&dir.path().join("sub")));
    }

    #[test]
    fn tags_split_tracked_from_untracked() {
        let state = GitState::from_ls_files(b"H .env\0H app.py\0? new.py\0S sparse.py\0");
        assert!(state.is_tracked(".env"));
        assert!(state.is_tracked("sparse.py"));
        assert!(!state.is_tracked("new.py"));
        let listed: Vec<_> = state.listed().collect();
        assert_eq!(
            listed,
            vec![
                (".env", true),
                ("app.py", true),
                ("sparse.py", true),
                ("new.py", false)
            ]
        );
    }
}
