//! Where a run stands: the project root found upward from the paths asked for (as ruff finds
//! its configuration), the part of the project those paths select, and the prefixes that make
//! project-relative paths land where a terminal, GitHub or `git apply` looks for them.

use std::path::{Component, Path, PathBuf};

use crate::Error;

/// Files whose presence makes a directory a project root. harden's own configuration comes
/// first in intent, but any of them stops the upward search: a `config/` package inside a
/// Django project has none, the project above it has `manage.py` or `pyproject.toml`.
const ROOT_MARKERS: &[&str] = &[
    "harden.toml",
    "pyproject.toml",
    "setup.py",
    "setup.cfg",
    "manage.py",
    "requirements.txt",
    "Pipfile",
    "uv.lock",
    "poetry.lock",
    ".git",
];

/// The project a run judges and the part of it the command line asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workspace {
    /// The project root: every check sees the whole project.
    pub root: PathBuf,
    /// The asked paths relative to the root (`/`-separated); empty when the whole project was
    /// asked for. A finding is reported when its file is one of them or under one of them.
    pub selected: Vec<String>,
    /// The root relative to the current directory, `/`-terminated (empty for the current
    /// directory): what text output puts before a project path so a terminal can open it.
    pub local_prefix: String,
    /// The root relative to the repository root (`GITHUB_WORKSPACE`, else the git work tree
    /// holding the project, else the current directory when it holds the project, else the
    /// root itself), `/`-terminated: what GitHub annotations, SARIF and `--diff` patches put
    /// before a project path.
    pub repo_prefix: String,
    /// The current directory relative to the root, `/`-terminated, when it is inside the
    /// project below the root (empty otherwise).
    pub cwd_in_project: String,
}

impl Workspace {
    /// A workspace for exactly `root`, with project-relative paths shown as they are: for
    /// library callers and tests that name the project root themselves.
    pub fn at_root(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            selected: Vec::new(),
            local_prefix: String::new(),
            repo_prefix: String::new(),
            cwd_in_project: String::new(),
        }
    }

    /// Resolve the paths given on the command line: each must exist; together they must lie in
    /// one project.
    pub fn discover(paths: &[PathBuf]) -> Result<Self, Error> {
        let cwd = std::env::current_dir()
            .map_err(|e| Error::Usage(format!("cannot read the current directory: {e}")))?;
        let mut root: Option<PathBuf> = None;
        let mut asked: Vec<PathBuf> = Vec::new();
        for path in paths {
            let absolute = normalize(&cwd.join(path));
            let metadata = std::fs::metadata(&absolute).map_err(|e| {
                if e.kind() == std::io::ErrorKind::NotFound {
                    Error::Usage(format!("{} does not exist", path.display()))
                } else {
                    Error::Usage(format!("cannot read {}: {e}", path.display()))
                }
            })?;
            let this_root = if metadata.is_dir() {
                project_root_of_dir(&absolute)
            } else {
                let parent = absolute.parent().unwrap_or(&absolute).to_path_buf();
                find_upward(&parent).unwrap_or(parent)
            };
            match &root {
                Some(existing) if *existing != this_root => {
                    return Err(Error::Usage(format!(
                        "{} and {} belong to different projects ({} and {}): run harden once per project",
                        paths[0].display(),
                        path.display(),
                        existing.display(),
                        this_root.display()
                    )));
                }
                _ => root = Some(this_root),
            }
            asked.push(absolute);
        }
        let root = root.unwrap_or_else(|| project_root_of_dir(&cwd));
        // Asking for the root itself asks for the whole project.
        let selected: Vec<String> = if asked.contains(&root) {
            Vec::new()
        } else {
            asked
                .iter()
                .filter_map(|path| path.strip_prefix(&root).ok())
                .map(slashed)
                .collect()
        };
        // Outside git, patches and annotations are relative to the current directory when it
        // holds the project, else to the project root (never `../..` paths).
        let repo = repository_root(&root).unwrap_or_else(|| {
            if root.starts_with(&cwd) {
                cwd.clone()
            } else {
                root.clone()
            }
        });
        let cwd = normalize(&cwd);
        let cwd_in_project = cwd
            .strip_prefix(&root)
            .map_or_else(|_| String::new(), prefix);
        Ok(Self {
            cwd_in_project,
            local_prefix: prefix(&relative(&root, &cwd)),
            repo_prefix: prefix(&relative(&root, &repo)),
            root,
            selected,
        })
    }

    /// Whether a finding on the project file `path` is in the part asked for.
    pub fn is_selected(&self, path: &str) -> bool {
        self.selected.is_empty()
            || self.selected.iter().any(|s| {
                path == s
                    || path
                        .strip_prefix(s.as_str())
                        .is_some_and(|rest| rest.starts_with('/'))
            })
    }
}

/// The root of the project a directory belongs to: the directory itself when it holds a
/// project marker, else the nearest ancestor that does, else the directory.
fn project_root_of_dir(dir: &Path) -> PathBuf {
    find_upward(dir).unwrap_or_else(|| dir.to_path_buf())
}

fn find_upward(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| ROOT_MARKERS.iter().any(|marker| dir.join(marker).exists()))
        .map(Path::to_path_buf)
}

/// `GITHUB_WORKSPACE` when it holds the project, else the git work tree holding it.
fn repository_root(root: &Path) -> Option<PathBuf> {
    if let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE").filter(|w| !w.is_empty()) {
        let workspace = normalize(&PathBuf::from(workspace));
        if root.starts_with(&workspace) {
            return Some(workspace);
        }
    }
    root.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `path` relative to `base`, with `..` where `path` is not under it.
fn relative(path: &Path, base: &Path) -> PathBuf {
    let path: Vec<Component> = path.components().collect();
    let base: Vec<Component> = base.components().collect();
    let common = path.iter().zip(&base).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &path[common..] {
        out.push(component.as_os_str());
    }
    out
}

/// A path made absolute-clean: `.` dropped and `..` folded lexically (the paths come from the
/// command line; symlinks are kept as the user named them).
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn slashed(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

fn prefix(path: &Path) -> String {
    let text = slashed(path);
    if text.is_empty() {
        text
    } else {
        format!("{text}/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative(Path::new("/a/b/c"), Path::new("/a")),
            PathBuf::from("b/c")
        );
        assert_eq!(
            relative(Path::new("/a"), Path::new("/a/b")),
            PathBuf::from("..")
        );
        assert_eq!(relative(Path::new("/a"), Path::new("/a")), PathBuf::new());
        assert_eq!(prefix(Path::new("")), "");
        assert_eq!(prefix(Path::new("svc/api")), "svc/api/");
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
    }

    #[test]
    fn selection_matches_whole_components() {
        let mut workspace = Workspace::at_root(Path::new("/p"));
        assert!(workspace.is_selected("anything"));
        workspace.selected = vec!["config".into(), "Dockerfile".into()];
        assert!(workspace.is_selected("config/settings.py"));
        assert!(workspace.is_selected("Dockerfile"));
        assert!(!workspace.is_selected("configuration/x.py"));
        assert!(!workspace.is_selected("Dockerfile.dev"));
    }

    #[test]
    fn discovers_the_project_above_a_package() {
        let temp = tempfile::tempdir().unwrap();
        let root = temp.path().canonicalize().unwrap();
        std::fs::write(root.join("manage.py"), "").unwrap();
        std::fs::create_dir_all(root.join("config/settings")).unwrap();
        std::fs::write(root.join("config/settings/base.py"), "").unwrap();
        let found = Workspace::discover(&[root.join("config")]).unwrap();
        assert_eq!(found.root, root);
        assert_eq!(found.selected, vec!["config".to_string()]);
        let file = Workspace::discover(&[root.join("config/settings/base.py")]).unwrap();
        assert_eq!(file.root, root);
        assert_eq!(file.selected, vec!["config/settings/base.py".to_string()]);
        let whole = Workspace::discover(std::slice::from_ref(&root)).unwrap();
        assert!(whole.selected.is_empty());
        let missing = Workspace::discover(&[root.join("nope")]).unwrap_err();
        assert!(missing.to_string().contains("does not exist"), "{missing}");
    }
}
