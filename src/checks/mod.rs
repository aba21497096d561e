//! Checks: TOML definitions (embedded from `checks/`, or a user's directory), validated into
//! [`Check`] values; each runs one matcher from a closed set.

pub mod builtins;
pub mod definition;
pub mod matchers;
pub mod path_rules;
pub mod profile;

use std::borrow::Cow;
use std::collections::BTreeMap;

use include_dir::{Dir, include_dir};
use rayon::prelude::*;

use crate::diagnostic::{ConfigError, ConfigErrors};
use crate::finding::{Confidence, Severity};
use crate::fix::Applicability;
use crate::project::FileKind;

pub use definition::Check;
pub use matchers::Matcher;

/// The built-in check and profile files, embedded at build time.
pub static BUILTIN_CHECKS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/checks");

/// Documentation of a check, shown by `harden explain`.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    pub why: String,
    pub fix: Option<String>,
    pub references: Vec<String>,
}

/// Example files of a check: written to a scratch project, the `bad` set must make the check
/// fire and the `good` set must not. They double as test cases.
#[derive(Debug, Clone, Default)]
pub struct Examples {
    pub bad: BTreeMap<String, String>,
    pub good: BTreeMap<String, String>,
}

/// The fix a check offers: its most permissive applicability and a title template.
#[derive(Debug, Clone)]
pub struct FixSpec {
    pub applicability: Applicability,
    pub title: String,
}

/// Every check known to this run, sorted by id, with the built-in profiles.
#[derive(Debug)]
pub struct Registry {
    pub checks: Vec<Check>,
    pub profiles: BTreeMap<String, profile::Profile>,
}

impl Registry {
    /// Load the embedded checks and profiles, then each extra directory (a user's checks).
    pub fn load(extra_dirs: &[(String, std::path::PathBuf)]) -> Result<Self, ConfigErrors> {
        // Every source first, in a fixed order, then parsed on all cores (parsing and
        // validating the built-in files is most of the start-up of a run), then gathered in
        // that order so errors read the same every run.
        let mut sources: Vec<(String, String, Result<Cow<'static, str>, String>)> = Vec::new();
        for file in embedded_files(&BUILTIN_CHECKS) {
            let path = format!("checks/{}", file.path().display());
            let rel = file.path().to_string_lossy().replace('\\', "/");
            let source = file
                .contents_utf8()
                .map(Cow::Borrowed)
                .ok_or_else(|| "not valid UTF-8".to_string());
            sources.push((rel, path, source));
        }
        let mut errors = Vec::new();
        for (display_dir, dir) in extra_dirs {
            match read_dir_recursive(dir) {
                Ok(files) => sources.extend(files.into_iter().map(|(rel, source)| {
                    let path = format!("{display_dir}/{rel}");
                    (rel, path, Ok(Cow::Owned(source)))
                })),
                Err(e) => errors.push(ConfigError::new(
                    display_dir,
                    "",
                    None,
                    format!("cannot read checks directory: {e}"),
                )),
            }
        }
        let loaded: Vec<Loaded> = sources
            .par_iter()
            .map(|(rel, path, source)| match source {
                Ok(source) => load_one(rel, path, source),
                Err(message) => Loaded::Errors(vec![ConfigError::new(path, "", None, message)]),
            })
            .collect();
        let mut checks = Vec::new();
        let mut profiles = BTreeMap::new();
        for one in loaded {
            match one {
                Loaded::Check(check) => checks.push(*check),
                Loaded::Profile(profile) => {
                    profiles.insert(profile.name.clone(), *profile);
                }
                Loaded::Errors(mut e) => errors.append(&mut e),
                Loaded::Nothing => {}
            }
        }

        checks.sort_by(|a: &Check, b: &Check| a.id.cmp(&b.id));
        for pair in checks.windows(2) {
            if pair[0].id == pair[1].id {
                errors.push(ConfigError {
                    file: pair[1].source_path.clone(),
                    position: None,
                    message: format!(
                        "duplicate check id `{}` (also defined in {})",
                        pair[1].id, pair[0].source_path
                    ),
                });
            }
        }
        let registry = Self { checks, profiles };
        errors.extend(registry.validate_profiles());
        if errors.is_empty() {
            Ok(registry)
        } else {
            Err(ConfigErrors(errors))
        }
    }

    pub fn get(&self, id: &str) -> Option<&Check> {
        self.checks
            .binary_search_by(|c| c.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.checks[i])
    }

    /// The domains (`deps`, `gitignore`, ...) that have checks.
    pub fn domains(&self) -> Vec<&str> {
        let mut domains: Vec<&str> = self.checks.iter().map(|c| c.domain()).collect();
        domains.dedup();
        domains.sort_unstable();
        domains.dedup();
        domains
    }

    fn validate_profiles(&self) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        for profile in self.profiles.values() {
            errors.extend(profile.validate(self));
        }
        errors
    }

    /// The built-in profiles a check belongs to.
    pub fn profiles_of(&self, id: &str) -> Vec<&str> {
        self.profiles
            .values()
            .filter(|p| p.resolve_ids(self).is_ok_and(|ids| ids.contains(id)))
            .map(|p| p.name.as_str())
            .collect()
    }
}

/// What one file of check definitions holds.
enum Loaded {
    Check(Box<Check>),
    Profile(Box<profile::Profile>),
    Errors(Vec<ConfigError>),
    /// Not a `.toml` file.
    Nothing,
}

fn load_one(rel: &str, display_path: &str, source: &str) -> Loaded {
    if !rel.ends_with(".toml") {
        return Loaded::Nothing;
    }
    if let Some(name) = rel.strip_prefix("profiles/") {
        let name = name.trim_end_matches(".toml");
        return match profile::Profile::parse(name, display_path, source) {
            Ok(profile) => Loaded::Profile(Box::new(profile)),
            Err(e) => Loaded::Errors(e),
        };
    }
    match definition::parse_check(rel, display_path, source) {
        Ok(check) => Loaded::Check(Box::new(check)),
        Err(e) => Loaded::Errors(e),
    }
}

fn embedded_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut out: Vec<_> = dir.files().collect();
    for sub in dir.dirs() {
        out.extend(embedded_files(sub));
    }
    out.sort_by_key(|f| f.path());
    out
}

fn read_dir_recursive(dir: &std::path::Path) -> std::io::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), String::new())];
    while let Some((path, prefix)) = stack.pop() {
        for entry in std::fs::read_dir(&path)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let rel = if prefix.is_empty() {
                name.clone()
            } else {
                format!("{prefix}/{name}")
            };
            let file_type = entry.file_type()?;
            if file_type.is_dir() {
                stack.push((entry.path(), rel));
            } else if file_type.is_file() && name.ends_with(".toml") {
                out.push((rel, std::fs::read_to_string(entry.path())?));
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Parse helpers shared by the definition and profile loaders.
pub(crate) fn parse_severity(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| {
        format!("unknown severity `{text}` (expected low, medium, high or critical)")
    })
}

pub(crate) fn parse_confidence(text: &str) -> Result<Confidence, String> {
    Confidence::parse(text)
        .ok_or_else(|| format!("unknown confidence `{text}` (expected low, medium or high)"))
}

pub(crate) fn parse_kind(text: &str) -> Result<FileKind, String> {
    FileKind::from_name(text).ok_or_else(|| {
        let names: Vec<&str> = FileKind::ALL.iter().map(|(n, _)| *n).collect();
        format!(
            "unknown file kind `{text}` (expected one of: {})",
            names.join(", ")
        )
    })
}
