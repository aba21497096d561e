//! Writing fixed files: atomically (a temporary file in the same directory, then a rename),
//! keeping the BOM, the file mode and the owner; never outside the project root, never over a
//! file that changed since harden read it.
//!
//! Temporary files are named `.harden-tmp-<pid>-<random>`: a run killed between writing and
//! renaming leaves one behind, and the next run that writes in that directory removes those
//! whose process is gone.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::apply::{FileChange, check_relative};

/// What every temporary file harden writes is named after.
pub const TEMP_PREFIX: &str = ".harden-tmp-";

/// Why a change is not written; the run reports it and goes on with the other files.
#[derive(Debug)]
pub enum Refusal {
    /// The path leaves the project (a `..`, an absolute path, a symlinked directory).
    Outside(String),
    /// The file is not as it was when harden read it (another process wrote it, or a file
    /// appeared where a fix creates one): writing would lose that change.
    Changed(String),
    Io(std::io::Error),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Outside(path) => write!(f, "refusing to write {path}: outside the project"),
            Self::Changed(path) => write!(
                f,
                "not writing {path}: it changed since harden read it (run harden fix again)"
            ),
            Self::Io(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for Refusal {}

impl From<std::io::Error> for Refusal {
    fn from(error: std::io::Error) -> Self {
        Self::Io(error)
    }
}

/// Check, without writing anything, that `change` may be written: its path stays inside the
/// root (through the directories that exist) and the file is as it was read. Run over every
/// change before the first write, so a refusal never comes after other files were written.
pub fn check_writable(root: &Path, change: &FileChange) -> Result<(), Refusal> {
    check_relative(&change.path).map_err(|_| Refusal::Outside(change.path.clone()))?;
    let target = root.join(&change.path);
    let dir = target.parent().unwrap_or(root);
    let real_root = root.canonicalize()?;
    // NOTE: the walk never follows symlinks, but a fix names a path; refuse one that resolves
    // outside the root through a symlinked directory — checked on the deepest directory that
    // exists before any is created, so nothing is made outside either, and again after.
    let mut existing = dir;
    while !existing.exists() {
        existing = existing.parent().unwrap_or(root);
    }
    if !existing.canonicalize()?.starts_with(&real_root) {
        return Err(Refusal::Outside(change.path.clone()));
    }
    if !unchanged_on_disk(&target, change.old.as_deref(), change.bom)? {
        return Err(Refusal::Changed(change.path.clone()));
    }
    Ok(())
}

/// Whether the file at `target` still holds what the change was computed from: the same bytes
/// (BOM included), or no file at all for a file the change creates.
fn unchanged_on_disk(target: &Path, old: Option<&str>, bom: bool) -> std::io::Result<bool> {
    let on_disk = match std::fs::read(target) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    Ok(match (old, on_disk) {
        (None, None) => true,
        (Some(old), Some(bytes)) => {
            let body = if bom {
                bytes.strip_prefix(b"\xEF\xBB\xBF")
            } else {
                Some(bytes.as_slice())
            };
            body == Some(old.as_bytes())
        }
        _ => false,
    })
}

/// Write one change atomically, after [`check_writable`].
pub fn write_change(root: &Path, change: &FileChange) -> Result<(), Refusal> {
    stage(root, change)?.commit()
}

/// Write every change or none: each is first staged (its directories made, its temporary
/// file written beside it, every check passed), and only when all are staged is each renamed
/// into place. A change that cannot be staged (a file that appeared, a directory that cannot
/// be written) removes what staging made and returns its path and why, with nothing written.
/// Only a rename failing after others were done (the system refusing a rename in a directory
/// it just let harden write in) can leave part of the changes in place.
pub fn write_all<'a>(
    root: &Path,
    changes: impl IntoIterator<Item = &'a FileChange>,
) -> Result<(), (String, Refusal)> {
    let mut staged: Vec<Staged> = Vec::new();
    for change in changes {
        match stage(root, change) {
            Ok(one) => staged.push(one),
            Err(refusal) => {
                // Newest first: a directory staging made is empty again only once the
                // temporary files of later changes in it are gone.
                while let Some(one) = staged.pop() {
                    drop(one);
                }
                return Err((change.path.clone(), refusal));
            }
        }
    }
    for one in staged {
        let path = one.path.clone();
        one.commit().map_err(|refusal| (path, refusal))?;
    }
    Ok(())
}

/// A change written to a temporary file beside its target, not yet in place. Dropped without
/// [`Staged::commit`], it removes its temporary file and the directories it created.
pub struct Staged {
    path: String,
    target: PathBuf,
    /// The text the change was computed from (`None`: no file), and its BOM.
    old: Option<String>,
    bom: bool,
    temp: Option<tempfile::NamedTempFile>,
    /// Directories made for the change, outermost first.
    created: Vec<PathBuf>,
}

impl Staged {
    /// Rename the temporary file over the target, unless the target changed since it was read.
    pub fn commit(mut self) -> Result<(), Refusal> {
        let Some(temp) = self.temp.take() else {
            return Ok(());
        };
        // Whatever happens now, the directories hold (or held) the file: they stay.
        self.created.clear();
        // The last moment to notice a concurrent write before the rename replaces the file.
        if !unchanged_on_disk(&self.target, self.old.as_deref(), self.bom)? {
            return Err(Refusal::Changed(self.path.clone()));
        }
        match self.old {
            Some(_) => temp.persist(&self.target).map(drop).map_err(|e| e.error)?,
            None => temp
                .persist_noclobber(&self.target)
                .map(drop)
                .map_err(|e| {
                    if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                        Refusal::Changed(self.path.clone())
                    } else {
                        Refusal::Io(e.error)
                    }
                })?,
        }
        Ok(())
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        drop(self.temp.take());
        for dir in self.created.iter().rev() {
            // Only an empty directory goes: another change may have put its file there.
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Check `change` ([`check_writable`]), make its directories and write its temporary file.
pub fn stage(root: &Path, change: &FileChange) -> Result<Staged, Refusal> {
    check_writable(root, change)?;
    let target = root.join(&change.path);
    let dir = target.parent().unwrap_or(root).to_path_buf();
    let mut staged = Staged {
        path: change.path.clone(),
        target: target.clone(),
        old: change.old.clone(),
        bom: change.bom,
        temp: None,
        created: dirs_to_create(&dir),
    };
    std::fs::create_dir_all(&dir)?;
    if !dir.canonicalize()?.starts_with(root.canonicalize()?) {
        return Err(Refusal::Outside(change.path.clone()));
    }
    remove_leftovers(&dir);
    let original = std::fs::metadata(&target).ok();
    let prefix = temp_prefix();
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix);
    // NOTE: a new file gets what any program creating it would: 0666 less the umask (open(2)
    // applies it). An existing file's temporary copy stays private (0600) until it carries the
    // original's mode below, so a secret file's new text is never readable by others.
    #[cfg(unix)]
    if original.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut temp = builder.tempfile_in(&dir)?;
    if change.bom {
        temp.write_all(b"\xEF\xBB\xBF")?;
    }
    temp.write_all(change.new.as_bytes())?;
    if let Some(original) = &original {
        keep_owner(temp.as_file(), original);
        std::fs::set_permissions(temp.path(), original.permissions())?;
    }
    temp.as_file().sync_all()?;
    staged.temp = Some(temp);
    Ok(staged)
}

/// The directories `create_dir_all(dir)` would make, outermost first.
fn dirs_to_create(dir: &Path) -> Vec<PathBuf> {
    let mut missing: Vec<PathBuf> = dir
        .ancestors()
        .take_while(|d| !d.as_os_str().is_empty() && std::fs::symlink_metadata(d).is_err())
        .map(Path::to_path_buf)
        .collect();
    missing.reverse();
    missing
}

/// Give the rewritten file the original's owner and group. Only root can give a file away; a
/// user can still keep a group they belong to. Whatever is refused leaves the file as the user
/// who runs harden would create it, as any editor does.
#[cfg(unix)]
fn keep_owner(file: &std::fs::File, original: &std::fs::Metadata) {
    use std::os::unix::fs::MetadataExt;
    let Ok(current) = file.metadata() else {
        return;
    };
    if (current.uid(), current.gid()) == (original.uid(), original.gid()) {
        return;
    }
    if std::os::unix::fs::fchown(file, Some(original.uid()), Some(original.gid())).is_err() {
        let _ = std::os::unix::fs::fchown(file, None, Some(original.gid()));
    }
}

#[cfg(not(unix))]
fn keep_owner(_: &std::fs::File, _: &std::fs::Metadata) {}

/// `.harden-tmp-<pid>-`: the pid tells a later run whether the writer is still alive.
fn temp_prefix() -> String {
    format!("{TEMP_PREFIX}{}-", std::process::id())
}

/// Remove the temporary files a killed run left in `dir`: those whose process is gone (where
/// the system says which processes live, `/proc`), else those older than an hour. Best effort:
/// a file that cannot be removed stays and is tried again next time.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name.to_str().and_then(|n| n.strip_prefix(TEMP_PREFIX)) else {
            continue;
        };
        if entry.file_type().is_ok_and(|t| t.is_file()) && is_abandoned(rest, &entry.path()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn is_abandoned(rest: &str, path: &Path) -> bool {
    let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
    let proc_root = Path::new("/proc/self");
    if let Some(pid) = pid
        && proc_root.exists()
    {
        return pid != std::process::id() && !PathBuf::from(format!("/proc/{pid}")).exists();
    }
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age.as_secs() > 3600)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn creates_nothing_through_a_symlink_out_of_the_root() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), root.path().join("link")).unwrap();
        let change = FileChange {
            path: "link/deep/new.txt".into(),
            old: None,
            new: "x\n".into(),
            bom: false,
        };
        let err = write_change(root.path(), &change).unwrap_err();
        assert!(err.to_string().contains("outside the project"), "{err}");
        assert!(!outside.path().join("deep").exists());
    }

    #[cfg(unix)]
    #[test]
    fn keeps_mode_and_bom() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.txt");
        std::fs::write(&path, "\u{feff}old").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o750)).unwrap();
        let change = FileChange {
            path: "run.txt".into(),
            old: Some("old".into()),
            new: "new\n".into(),
            bom: true,
        };
        write_change(dir.path(), &change).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"\xEF\xBB\xBFnew\n");
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o750
        );
    }

    #[test]
    fn refuses_to_escape() {
        let dir = tempfile::tempdir().unwrap();
        let change = FileChange {
            path: "../x".into(),
            old: None,
            new: String::new(),
            bom: false,
        };
        assert!(write_change(dir.path(), &change).is_err());
    }

    #[test]
    fn leftovers_of_live_processes_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mine = dir.path().join(format!("{}x", temp_prefix()));
        let dead = dir.path().join(format!("{TEMP_PREFIX}4294967295-x"));
        let other = dir.path().join(".tmp-not-ours");
        for path in [&mine, &dead, &other] {
            std::fs::write(path, "").unwrap();
        }
        remove_leftovers(dir.path());
        assert!(mine.exists() && other.exists());
        assert!(!dead.exists() || !Path::new("/proc/self").exists());
    }
}
