//! Lock files (poetry.lock, uv.lock, pdm.lock, Pipfile.lock): the locked name → version map.
//! Also the versions installed in the project's own virtualenv (`.venv`/`venv` dist-info
//! directories), the other place a pin can come from.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::Deserialize;

use super::ParseError;
use super::requirements::normalize_name;
use crate::formats::FileKind;

#[derive(Debug, Clone, Default)]
pub struct LockFile {
    /// Normalised package name → locked version, for names locked at exactly one version.
    pub versions: BTreeMap<String, String>,
    /// Every normalised name the lock file lists, including ones locked at several versions
    /// (uv's forked resolutions) or by VCS reference without a version.
    pub names: BTreeSet<String>,
    pub errors: Vec<ParseError>,
}

#[derive(Deserialize)]
struct TomlLock {
    #[serde(default)]
    package: Vec<TomlPackage>,
}

#[derive(Deserialize)]
struct TomlPackage {
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
struct PipfileLock {
    #[serde(default)]
    default: BTreeMap<String, PipfileEntry>,
    #[serde(default)]
    develop: BTreeMap<String, PipfileEntry>,
}

#[derive(Deserialize)]
struct PipfileEntry {
    version: Option<String>,
}

impl LockFile {
    pub fn parse(kind: FileKind, text: &str) -> Result<Self, ParseError> {
        let entries: Vec<(String, Option<String>)> = match kind {
            FileKind::PipfileLock => {
                let lock: PipfileLock =
                    serde_json::from_str(text).map_err(|e| json_error(text, &e))?;
                lock.default
                    .into_iter()
                    .chain(lock.develop)
                    .map(|(name, entry)| {
                        let version = entry
                            .version
                            .map(|v| v.trim_start_matches('=').trim().to_string());
                        (name, version)
                    })
                    .collect()
            }
            _ => {
                let lock: TomlLock = toml::from_str(text).map_err(|e| ParseError {
                    message: e.message().to_string(),
                    span: e.span(),
                })?;
                lock.package
                    .into_iter()
                    .filter_map(|p| Some((p.name?, p.version)))
                    .collect()
            }
        };
        let mut file = Self::default();
        let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (name, version) in entries {
            let name = normalize_name(&name);
            file.names.insert(name.clone());
            if let Some(version) = version.filter(|v| !v.is_empty()) {
                seen.entry(name).or_default().insert(version);
            }
        }
        for (name, versions) in seen {
            if versions.len() == 1
                && let Some(version) = versions.into_iter().next()
            {
                file.versions.insert(name, version);
            }
        }
        Ok(file)
    }

    pub fn locks(&self, name: &str) -> bool {
        self.names.contains(name)
    }

    pub fn version(&self, name: &str) -> Option<&str> {
        self.versions.get(name).map(String::as_str)
    }
}

fn json_error(text: &str, error: &serde_json::Error) -> ParseError {
    // serde_json reports a 1-based line and a 1-based byte column.
    let line_start = text
        .split_inclusive('\n')
        .take(error.line().saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let mut at = (line_start + error.column().saturating_sub(1)).min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let end = text[at..].chars().next().map_or(at, |c| at + c.len_utf8());
    ParseError {
        message: error.to_string(),
        span: Some(at..end),
    }
}

/// Virtualenv directories read for installed versions, relative to the project root.
pub const VENV_DIRS: &[&str] = &[".venv", "venv"];

/// More entries than any real site-packages holds: reading stops there.
const MAX_ENTRIES: usize = 100_000;

/// Versions installed in the project's virtualenv (`<root>/.venv` or `<root>/venv`), from the
/// names of `*.dist-info` directories in `lib/python*/site-packages` (or Windows'
/// `Lib/site-packages`): normalised name → version. Read-only; no symbolic link is followed,
/// so nothing outside `root` is read; metadata files are not opened.
pub fn installed_versions(root: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for venv in VENV_DIRS {
        let venv = root.join(venv);
        if !is_real_dir(&venv) {
            continue;
        }
        let mut site_packages = Vec::new();
        for lib in ["lib", "Lib"] {
            let lib = venv.join(lib);
            if !is_real_dir(&lib) {
                continue;
            }
            let direct = lib.join("site-packages");
            if is_real_dir(&direct) {
                site_packages.push(direct);
            }
            for python in sorted_dirs(&lib)
                .into_iter()
                .filter(|name| name.starts_with("python"))
            {
                let dir = lib.join(python).join("site-packages");
                if is_real_dir(&dir) {
                    site_packages.push(dir);
                }
            }
        }
        for dir in site_packages {
            for entry in sorted_dirs(&dir) {
                if let Some((name, version)) = parse_dist_info(&entry) {
                    out.entry(name).or_insert(version);
                }
            }
        }
    }
    out
}

/// `Flask-3.0.3.dist-info` → (`flask`, `3.0.3`). Names are escaped with `_` for `-`, so the
/// version starts after the first `-` followed by a digit.
pub fn parse_dist_info(dir_name: &str) -> Option<(String, String)> {
    let stem = dir_name.strip_suffix(".dist-info")?;
    let split = stem
        .char_indices()
        .find(|(i, c)| *c == '-' && stem[i + 1..].starts_with(|d: char| d.is_ascii_digit()))
        .map(|(i, _)| i)?;
    let (name, version) = (&stem[..split], &stem[split + 1..]);
    if !super::requirements::is_valid_name(name) || version.is_empty() {
        return None;
    }
    Some((normalize_name(name), version.to_string()))
}

fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_dir())
}

/// Names of the real (not symlinked) directories in `dir`, sorted.
fn sorted_dirs(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .take(MAX_ENTRIES)
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_locks() {
        let poetry = "[[package]]\nname = \"Flask\"\nversion = \"3.0.3\"\n\n[[package]]\nname = \"zope.interface\"\nversion = \"6.4\"\n\n[metadata]\nlock-version = \"2.0\"\n";
        let lock = LockFile::parse(FileKind::PoetryLock, poetry).unwrap();
        assert_eq!(lock.version("flask"), Some("3.0.3"));
        assert_eq!(lock.version("zope-interface"), Some("6.4"));
        let uv = "version = 1\n[[package]]\nname = \"numpy\"\nversion = \"1.26.4\"\n[[package]]\nname = \"numpy\"\nversion = \"2.0.0\"\n[[package]]\nname = \"app\"\nsource = { virtual = \".\" }\n";
        let lock = LockFile::parse(FileKind::UvLock, uv).unwrap();
        assert!(lock.locks("numpy") && lock.version("numpy").is_none());
        assert!(lock.locks("app"));
        let error = LockFile::parse(FileKind::PdmLock, "[[package]\nname = 1\n").unwrap_err();
        assert!(error.span.is_some());
        let error = LockFile::parse(FileKind::PdmLock, "package = 3\n").unwrap_err();
        assert!(error.span.is_some(), "{error:?}");
    }

    #[test]
    fn pipfile_lock() {
        let text = r#"{"_meta": {}, "default": {"Django": {"version": "==5.0.6", "hashes": []}, "lib": {"git": "https://x/lib.git", "ref": "abc"}}, "develop": {"pytest": {"version": "==8.2.0"}}}"#;
        let lock = LockFile::parse(FileKind::PipfileLock, text).unwrap();
        assert_eq!(lock.version("django"), Some("5.0.6"));
        assert_eq!(lock.version("pytest"), Some("8.2.0"));
        assert!(lock.locks("lib"));
        let text = "{\n  \"default\": {\n    \"x\": [}\n}";
        let error = LockFile::parse(FileKind::PipfileLock, text).unwrap_err();
        assert_eq!(&text[error.span.unwrap()], "}");
    }

    #[test]
    fn dist_info_names() {
        assert_eq!(
            parse_dist_info("Flask-3.0.3.dist-info"),
            Some(("flask".into(), "3.0.3".into()))
        );
        assert_eq!(
            parse_dist_info("python_dateutil-2.9.0.post0.dist-info"),
            Some(("python-dateutil".into(), "2.9.0.post0".into()))
        );
        assert_eq!(
            parse_dist_info("python-dateutil-2.9.0.dist-info"),
            Some(("python-dateutil".into(), "2.9.0".into()))
        );
        assert_eq!(parse_dist_info("pkg.egg-info"), None);
        assert_eq!(parse_dist_info("-1.0.dist-info"), None);
    }

    #[test]
    fn reads_a_venv_without_following_links() {
        let root = tempfile::tempdir().unwrap();
        let site = root.path().join(".venv/lib/python3.12/site-packages");
        std::fs::create_dir_all(site.join("flask-3.0.3.dist-info")).unwrap();
        std::fs::create_dir_all(site.join("__pycache__")).unwrap();
        std::fs::create_dir_all(
            root.path()
                .join("venv/Lib/site-packages/Django-5.0.6.dist-info"),
        )
        .unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(outside.path().join("requests-2.32.3.dist-info")).unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(
            outside.path().join("requests-2.32.3.dist-info"),
            site.join("requests-2.32.3.dist-info"),
        )
        .unwrap();
        let versions = installed_versions(root.path());
        assert_eq!(versions.get("flask").map(String::as_str), Some("3.0.3"));
        assert_eq!(versions.get("django").map(String::as_str), Some("5.0.6"));
        assert!(!versions.contains_key("requests"));
    }
}
