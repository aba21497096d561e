//! Writing fixed files: atomically (a temporary file in the same directory, then a rename),
//! keeping the BOM and the file mode; never outside the project root.

use std::io::Write;
use std::path::Path;

use super::apply::{FileChange, check_relative};

pub fn write_change(root: &Path, change: &FileChange) -> std::io::Result<()> {
    check_relative(&change.path).map_err(std::io::Error::other)?;
    let target = root.join(&change.path);
    let dir = target.parent().unwrap_or(root);
    // NOTE: the walk never follows symlinks, but a fix names a path; refuse one that resolves
    // outside the root through a symlinked directory — checked on the deepest directory that
    // exists before any is created, so nothing is made outside either, and again after.
    let real_root = root.canonicalize()?;
    let outside = || {
        std::io::Error::other(format!(
            "refusing to write {}: outside the project",
            change.path
        ))
    };
    let mut existing = dir;
    while !existing.exists() {
        existing = existing.parent().unwrap_or(root);
    }
    if !existing.canonicalize()?.starts_with(&real_root) {
        return Err(outside());
    }
    std::fs::create_dir_all(dir)?;
    if !dir.canonicalize()?.starts_with(&real_root) {
        return Err(outside());
    }
    let permissions = std::fs::metadata(&target).ok().map(|m| m.permissions());
    let mut temp = tempfile::NamedTempFile::new_in(dir)?;
    if change.bom {
        temp.write_all(b"\xEF\xBB\xBF")?;
    }
    temp.write_all(change.new.as_bytes())?;
    temp.as_file().sync_all()?;
    if let Some(permissions) = permissions {
        std::fs::set_permissions(temp.path(), permissions)?;
    }
    temp.persist(&target).map_err(|e| e.error)?;
    Ok(())
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
        std::fs::write(&path, "old").unwrap();
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
}
