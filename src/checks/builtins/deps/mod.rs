//! What the `deps-*` builtins know about a project's requirements files and lock files: which
//! files include or constrain which, which lock governs which directory, where a pin can come
//! from. Not a builtin itself.

pub(crate) mod extra_index_confusion;
pub(crate) mod insecure_index;
pub(crate) mod known_vulnerable;
pub(crate) mod no_lock;
pub(crate) mod requirements_without_hashes;
pub(crate) mod unpinned_requirement;
pub(crate) mod vcs_unpinned;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::OnceLock;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::formats::Parsed;
use crate::formats::lockfile::LockFile;
use crate::formats::requirements::{IncludeKind, RequirementsFile};
use crate::project::{FileKind, Project, SourceFile};

pub struct DepsIndex<'a> {
    /// Requirements files that parsed, sorted by path.
    pub requirements: Vec<(&'a SourceFile, &'a RequirementsFile)>,
    /// Lock files that parsed, sorted by path.
    pub locks: Vec<(&'a SourceFile, &'a LockFile)>,
    /// Resolved paths that some file names with `-c`, sorted: a constraints file's id is its
    /// position here.
    constraint_targets: BTreeSet<String>,
    /// Per requirements file (by position in `requirements`), the ids of the constraints files
    /// that apply when it is installed: computed once for every file, as a 5,000-file `-r`
    /// chain walked upward from each file costs 12.5 million steps.
    applicable: Vec<BTreeSet<usize>>,
    /// `constraint_targets` by id.
    constraint_paths: Vec<String>,
    /// Per constraints file id, its pins (and those of the files it includes), on first use.
    constraint_file_pins: Vec<OnceLock<BTreeMap<String, String>>>,
}

impl<'a> DepsIndex<'a> {
    pub fn new(project: &'a Project) -> Self {
        let mut requirements = Vec::new();
        let mut locks = Vec::new();
        // Only these kinds are read: parsing is lazy, and other files are not ours to load.
        let wanted = |f: &&SourceFile| f.kind == FileKind::Requirements || f.kind.is_lock();
        for file in project.files.iter().filter(wanted) {
            match file.parsed() {
                Parsed::Requirements(parsed) => requirements.push((file, parsed)),
                Parsed::Lock(parsed) => locks.push((file, parsed)),
                _ => {}
            }
        }
        let mut constraint_targets = BTreeSet::new();
        for (file, parsed) in &requirements {
            for include in &parsed.includes {
                if include.kind == IncludeKind::Constraints {
                    constraint_targets.extend(include.resolve(file.dir()));
                }
            }
        }
        let applicable = applicable_constraints(&requirements, &constraint_targets);
        Self {
            requirements,
            locks,
            constraint_paths: constraint_targets.iter().cloned().collect(),
            constraint_file_pins: constraint_targets.iter().map(|_| OnceLock::new()).collect(),
            constraint_targets,
            applicable,
        }
    }

    fn position(&self, path: &str) -> Option<usize> {
        self.requirements
            .binary_search_by(|(f, _)| f.path.as_str().cmp(path))
            .ok()
    }

    pub fn requirements_file(&self, path: &str) -> Option<&'a RequirementsFile> {
        self.requirements
            .binary_search_by(|(f, _)| f.path.as_str().cmp(path))
            .ok()
            .and_then(|i| self.requirements.get(i))
            .map(|(_, parsed)| *parsed)
    }

    /// A constraints file: named `constraints*`, or given to some `-c`. Its entries limit
    /// versions; they are not requirements.
    pub fn is_constraints(&self, file: &SourceFile) -> bool {
        file.name().starts_with("constraints") || self.constraint_targets.contains(&file.path)
    }

    /// Names pinned (name → version) by the constraints files that apply when `file` is
    /// installed: its own `-c` files and those of every file that includes it with `-r`,
    /// transitively (pip applies constraints to the whole install).
    ///
    /// Where two constraints files pin one name differently, the first by path wins (pip would
    /// refuse the install).
    pub fn constraint_pins(&self, file: &SourceFile) -> BTreeMap<String, String> {
        let mut pins = BTreeMap::new();
        let Some(position) = self.position(&file.path) else {
            return pins;
        };
        for &id in &self.applicable[position] {
            let path = &self.constraint_paths[id];
            let own = self.constraint_file_pins[id].get_or_init(|| {
                let mut own = BTreeMap::new();
                self.collect_pins(path, &mut own, &mut BTreeSet::new());
                own
            });
            for (name, version) in own {
                pins.entry(name.clone()).or_insert_with(|| version.clone());
            }
        }
        pins
    }

    /// Pins of a file and of the files it includes (`-r`, `-c`).
    fn collect_pins(
        &self,
        path: &str,
        pins: &mut BTreeMap<String, String>,
        seen: &mut BTreeSet<String>,
    ) {
        if !seen.insert(path.to_string()) {
            return;
        }
        let Some(parsed) = self.requirements_file(path) else {
            return;
        };
        for requirement in &parsed.requirements {
            if let (Some(name), Some(version)) = (&requirement.name, &requirement.pinned) {
                pins.entry(name.clone()).or_insert_with(|| version.clone());
            }
        }
        let dir = path.rsplit_once('/').map_or("", |(dir, _)| dir);
        for include in &parsed.includes {
            if let Some(target) = include.resolve(dir) {
                self.collect_pins(&target, pins, seen);
            }
        }
    }

    /// For a pip-tools input (`requirements.in`), the pins of its compiled output next to it
    /// (`requirements.txt`): that output is the lock of the input.
    pub fn compiled_pins(&self, file: &SourceFile) -> BTreeMap<String, String> {
        let mut pins = BTreeMap::new();
        if let Some(stem) = file.path.strip_suffix(".in") {
            self.collect_pins(&format!("{stem}.txt"), &mut pins, &mut BTreeSet::new());
        }
        pins
    }

    /// A lock file in `dir` or one of its parents that locks `name`: that lock governs the
    /// directory, so the requirement is pinned there.
    pub fn covering_lock(&self, dir: &str, name: &str) -> Option<&'a SourceFile> {
        self.locks
            .iter()
            .find(|(lock, parsed)| is_ancestor(lock.dir(), dir) && parsed.locks(name))
            .map(|(lock, _)| *lock)
    }

    /// The version of `name` in the lock file nearest to `dir` (most path components in
    /// common; then path order) that locks it at exactly one version.
    pub fn lock_version(&self, dir: &str, name: &str) -> Option<(&'a str, &'a SourceFile)> {
        let mut best: Option<(usize, &'a str, &'a SourceFile)> = None;
        for (lock, parsed) in &self.locks {
            let Some(version) = parsed.version(name) else {
                continue;
            };
            let score = common_components(lock.dir(), dir);
            if best.is_none_or(|(s, _, _)| score > s) {
                best = Some((score, version, lock));
            }
        }
        best.map(|(_, version, lock)| (version, lock))
    }
}

/// Per requirements file, the ids (positions in `targets`) of the constraints files that
/// apply to it: its own `-c` files and, pip applying constraints to the whole install, those
/// of every file that includes it with `-r`, transitively. One pass pushes each file's set
/// down to the files it includes until nothing grows (cycles included): the work is the
/// number of `-r` edges times the constraints files, not files times chain length.
fn applicable_constraints(
    requirements: &[(&SourceFile, &RequirementsFile)],
    targets: &BTreeSet<String>,
) -> Vec<BTreeSet<usize>> {
    let ids: BTreeMap<&str, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let position = |path: &str| {
        requirements
            .binary_search_by(|(f, _)| f.path.as_str().cmp(path))
            .ok()
    };
    let mut applicable: Vec<BTreeSet<usize>> = Vec::with_capacity(requirements.len());
    let mut children: Vec<Vec<usize>> = Vec::with_capacity(requirements.len());
    for (file, parsed) in requirements {
        let mut own = BTreeSet::new();
        let mut included = Vec::new();
        for include in &parsed.includes {
            let Some(target) = include.resolve(file.dir()) else {
                continue;
            };
            match include.kind {
                IncludeKind::Constraints => own.extend(ids.get(target.as_str()).copied()),
                IncludeKind::Requirements => included.extend(position(&target)),
            }
        }
        applicable.push(own);
        children.push(included);
    }
    let mut queued = vec![true; requirements.len()];
    let mut queue: VecDeque<usize> = (0..requirements.len()).collect();
    while let Some(parent) = queue.pop_front() {
        queued[parent] = false;
        if applicable[parent].is_empty() {
            continue;
        }
        let inherited = applicable[parent].clone();
        for &child in &children[parent] {
            let before = applicable[child].len();
            applicable[child].extend(inherited.iter().copied());
            if applicable[child].len() > before && !queued[child] {
                queued[child] = true;
                queue.push_back(child);
            }
        }
    }
    applicable
}

/// Case-insensitive globs over paths relative to the root (`*` crosses `/`). An invalid
/// pattern is skipped rather than failing the check.
pub fn globs(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = GlobBuilder::new(pattern).case_insensitive(true).build() {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Whether directory `ancestor` is `dir` or one of its parents (`""` is the root).
pub fn is_ancestor(ancestor: &str, dir: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || dir
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn common_components(a: &str, b: &str) -> usize {
    a.split('/')
        .zip(b.split('/'))
        .take_while(|(x, y)| x == y && !x.is_empty())
        .count()
}

#[cfg(test)]
mod tests {

    use super::*;

    fn project(files: &[(&str, &str)]) -> Project {
        Project::from_texts(files)
    }

    #[test]
    fn constraints_apply_through_includes() {
        let project = project(&[
            (
                "requirements/prod.txt",
                "-c ../constraints.txt\n-r base.txt\n",
            ),
            ("requirements/base.txt", "flask\n"),
            ("requirements/other.txt", "flask\n"),
            ("constraints.txt", "flask==3.0.3\n"),
        ]);
        let index = DepsIndex::new(&project);
        let base = project.file("requirements/base.txt").unwrap();
        assert_eq!(
            index.constraint_pins(base).get("flask").map(String::as_str),
            Some("3.0.3")
        );
        let other = project.file("requirements/other.txt").unwrap();
        assert!(index.constraint_pins(other).is_empty());
        assert!(index.is_constraints(project.file("constraints.txt").unwrap()));
    }

    #[test]
    fn locks_cover_their_directory_and_pin_from_the_nearest() {
        let lock = "[[package]]\nname = \"flask\"\nversion = \"3.0.3\"\n";
        let project = project(&[
            ("svc/poetry.lock", lock),
            ("svc/api/requirements.txt", "flask\n"),
            ("web/requirements.txt", "flask\n"),
        ]);
        let index = DepsIndex::new(&project);
        assert!(index.covering_lock("svc/api", "flask").is_some());
        assert!(index.covering_lock("web", "flask").is_none());
        assert!(index.covering_lock("svcx", "flask").is_none());
        assert_eq!(
            index.lock_version("web", "flask").map(|(v, _)| v),
            Some("3.0.3")
        );
    }
}
