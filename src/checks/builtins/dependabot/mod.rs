//! Which Dependabot ecosystems and directories a project needs, and whether a dependabot.yml
//! covers them. Not a builtin itself: `dependabot-missing` renders its new file from
//! [`needs`], and `dependabot-ecosystem-missing` compares [`needs`] with [`Coverage`], so the
//! file harden creates is exactly what the other check asks for.
//!
//! What counts as a need:
//! - Python (`pip`, or `uv` where a `uv.lock` is): every directory holding a requirements or
//!   constraints file (files in a `requirements/` folder count for its parent), a Pipfile, a
//!   `setup.py`, a lock file (poetry, uv, pdm, Pipfile), or a pyproject.toml that declares
//!   dependencies. Dependabot's `pip` ecosystem reads requirements files, Pipfile, setup.py and
//!   pyproject.toml (poetry included); only its `uv` ecosystem updates `uv.lock`.
//! - `docker`: every directory holding a Dockerfile (or Containerfile, `Dockerfile.*`, ...).
//! - `github-actions`: `/` when there are workflows in `.github/workflows`. Composite actions
//!   elsewhere (`.github/actions/x/action.yml`) are not counted: few projects watch them, and
//!   the entry for `/` already covers the workflows that use them.
//!
//! `pip` and `uv` are one family when judging coverage: an entry of either covers a Python
//! directory, since which of the two suits the project is the owner's call.

pub(crate) mod cooldown_missing;
pub(crate) mod ecosystem_missing;
pub(crate) mod missing;

use std::collections::HashMap;

use globset::{GlobBuilder, GlobMatcher, GlobSet, GlobSetBuilder};

use crate::formats::Parsed;
use crate::formats::yaml::{self, Value};
use crate::project::{FileKind, Project, Scope};

pub const PIP: &str = "pip";
pub const UV: &str = "uv";
pub const DOCKER: &str = "docker";
pub const GITHUB_ACTIONS: &str = "github-actions";

/// The cooldown every entry harden writes gets, so the strict cooldown check passes on it.
pub const COOLDOWN_DAYS: i64 = 7;

/// One ecosystem + directory the project needs Dependabot to watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Need {
    pub ecosystem: &'static str,
    /// Dependabot form: `/` or `/svc/api`.
    pub directory: String,
    /// Other directory values that watch the same files (`/requirements` for files in a
    /// `requirements/` folder, `/.github/workflows` for workflows).
    pub alternates: Vec<String>,
    /// A project path that shows the need, for the finding's related location.
    pub evidence: String,
}

impl Need {
    fn accepts(&self, directory: &DirPattern) -> bool {
        std::iter::once(&self.directory)
            .chain(&self.alternates)
            .any(|d| directory.matches(d))
    }
}

/// Files whose presence marks a directory as needing an update entry; `skip` (globs over
/// project paths, e.g. test fixtures) leaves files out. Sorted by ecosystem then directory.
pub fn needs(project: &Project, skip: &GlobSet) -> Vec<Need> {
    let mut python = Needs::default();
    let mut uv_dirs: Vec<String> = Vec::new();
    let mut docker = Needs::default();
    let mut actions: Option<Need> = None;

    let workspaces = uv_workspaces(project);
    // NOTE: example and template material (`examples/`, wagtail's `project_template/`) is not
    // what the repository keeps up to date: a project generated from it gets its own updates.
    for file in project
        .files
        .iter()
        // Only the kinds matched below (and of Python modules, setup.py) are judged further.
        .filter(|f| match f.kind {
            FileKind::Python => crate::project::packaging::is_setup_script(f),
            kind => matches!(
                kind,
                FileKind::Pyproject
                    | FileKind::Requirements
                    | FileKind::Pipfile
                    | FileKind::PipfileLock
                    | FileKind::PoetryLock
                    | FileKind::PdmLock
                    | FileKind::UvLock
                    | FileKind::Dockerfile
                    | FileKind::Workflow
            ),
        })
        .filter(|f| !skip.is_match(&f.path) && project.scope(&f.path) != Scope::Example)
    {
        match file.kind {
            // A uv workspace member is locked by the root's uv.lock, which Dependabot's `uv`
            // entry for the root updates: the member's directory is an alternate of the root.
            FileKind::Pyproject
                if let Some(root) = workspaces.iter().find(|w| w.has_member(file.dir())) =>
            {
                add(&mut python, PIP, &root.dir, Some(file.dir()), &file.path);
            }
            // The package's abstract dependencies (package data, or a file its build reads):
            // the package's own manifest beside its setup.py or pyproject.toml is the need.
            FileKind::Requirements if project.scope(&file.path) == Scope::Library => {}
            FileKind::Requirements => {
                let dir = file.dir();
                let (owner, alternate) = match dir.rsplit_once('/') {
                    Some((parent, "requirements")) => (parent, Some(dir)),
                    None if dir == "requirements" => ("", Some(dir)),
                    _ => (dir, None),
                };
                add(&mut python, PIP, owner, alternate, &file.path);
            }
            FileKind::Pipfile
            | FileKind::PipfileLock
            | FileKind::PoetryLock
            | FileKind::PdmLock => {
                add(&mut python, PIP, file.dir(), None, &file.path);
            }
            FileKind::UvLock => {
                add(&mut python, PIP, file.dir(), None, &file.path);
                uv_dirs.push(dependabot_dir(file.dir()));
            }
            FileKind::Pyproject if declares_dependencies(file.parsed()) => {
                add(&mut python, PIP, file.dir(), None, &file.path);
            }
            FileKind::Python => {
                add(&mut python, PIP, file.dir(), None, &file.path);
            }
            FileKind::Dockerfile => add(&mut docker, DOCKER, file.dir(), None, &file.path),
            FileKind::Workflow if actions.is_none() => {
                actions = Some(Need {
                    ecosystem: GITHUB_ACTIONS,
                    directory: "/".to_string(),
                    alternates: vec!["/.github/workflows".to_string()],
                    evidence: file.path.clone(),
                });
            }
            _ => {}
        }
    }
    let mut out = python.list;
    for need in &mut out {
        if uv_dirs.contains(&need.directory) {
            need.ecosystem = UV;
        }
    }
    out.extend(docker.list);
    out.extend(actions);
    out.sort_by(|a, b| (rank(a.ecosystem), &a.directory).cmp(&(rank(b.ecosystem), &b.directory)));
    out
}

/// Needs by directory, in the order first found.
#[derive(Default)]
struct Needs {
    list: Vec<Need>,
    /// Directory → index in `list` (a monorepo has thousands of directories).
    at: HashMap<String, usize>,
}

fn add(
    needs: &mut Needs,
    ecosystem: &'static str,
    dir: &str,
    alternate: Option<&str>,
    evidence: &str,
) {
    let directory = dependabot_dir(dir);
    let index = match needs.at.get(&directory) {
        Some(&i) => i,
        None => {
            needs.at.insert(directory.clone(), needs.list.len());
            needs.list.push(Need {
                ecosystem,
                directory,
                alternates: Vec::new(),
                evidence: evidence.to_string(),
            });
            needs.list.len() - 1
        }
    };
    let need = &mut needs.list[index];
    if let Some(alternate) = alternate.map(dependabot_dir)
        && !need.alternates.contains(&alternate)
    {
        need.alternates.push(alternate);
    }
}

/// A uv workspace: the root directory (holding `uv.lock` and `[tool.uv.workspace]`) and the
/// globs of its members, relative to it.
struct UvWorkspace {
    dir: String,
    members: GlobSet,
    exclude: GlobSet,
}

impl UvWorkspace {
    fn has_member(&self, dir: &str) -> bool {
        if dir == self.dir {
            return false;
        }
        let rel = if self.dir.is_empty() {
            Some(dir)
        } else {
            dir.strip_prefix(&self.dir)
                .and_then(|r| r.strip_prefix('/'))
        };
        rel.is_some_and(|rel| self.members.is_match(rel) && !self.exclude.is_match(rel))
    }
}

/// The uv workspaces of the project: a pyproject.toml with `[tool.uv.workspace] members` and
/// a uv.lock beside it.
fn uv_workspaces(project: &Project) -> Vec<UvWorkspace> {
    let globs = |toml: &crate::formats::toml::TomlFile, key: &str| {
        let patterns: Vec<String> = toml
            .get(&["tool", "uv", "workspace", key])
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .map(|p| p.trim_start_matches("./").trim_end_matches('/').to_string())
                    .collect()
            })
            .unwrap_or_default();
        skip_globs(&patterns)
    };
    project
        .files_of(FileKind::Pyproject)
        .filter_map(|file| {
            let Parsed::Toml(toml) = file.parsed() else {
                return None;
            };
            toml.get(&["tool", "uv", "workspace", "members"])?;
            let lock = if file.dir().is_empty() {
                "uv.lock".to_string()
            } else {
                format!("{}/uv.lock", file.dir())
            };
            project.file(&lock)?;
            Some(UvWorkspace {
                dir: file.dir().to_string(),
                members: globs(toml, "members"),
                exclude: globs(toml, "exclude"),
            })
        })
        .collect()
}

/// A pyproject.toml that only configures tools gives Dependabot nothing to update.
fn declares_dependencies(parsed: &Parsed) -> bool {
    let Parsed::Toml(toml) = parsed else {
        return false;
    };
    const TABLES: &[&[&str]] = &[
        &["project", "dependencies"],
        &["project", "optional-dependencies"],
        &["dependency-groups"],
        &["tool", "poetry", "dependencies"],
        &["tool", "poetry", "group"],
        &["tool", "pdm", "dev-dependencies"],
        &["tool", "uv", "dev-dependencies"],
    ];
    TABLES.iter().any(|path| toml.get(path).is_some())
}

/// Python first, then containers, then CI: the order entries are written in.
fn rank(ecosystem: &str) -> u8 {
    match ecosystem {
        PIP | UV => 0,
        DOCKER => 1,
        _ => 2,
    }
}

/// Python ecosystems are one family for coverage.
fn family(ecosystem: &str) -> &str {
    match ecosystem {
        PIP | UV => PIP,
        other => other,
    }
}

/// A project-relative directory (`""`, `svc/api`) in Dependabot's form (`/`, `/svc/api`).
pub fn dependabot_dir(dir: &str) -> String {
    format!("/{}", dir.trim_matches('/'))
}

/// A `directory` value as written in dependabot.yml, in one canonical form: a leading `/`, no
/// trailing `/`, no `./`, no doubled slashes. `"."`, `""` and `"./"` are the root.
pub fn normalise(dir: &str) -> String {
    let dir = dir.trim();
    let dir = dir
        .strip_prefix('.')
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .unwrap_or(dir);
    let parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    format!("/{}", parts.join("/"))
}

/// One `directory` or `directories` item of an update entry.
#[derive(Debug)]
enum DirPattern {
    Exact(String),
    /// A glob; `prefix` is set for `/x/**`, which also covers `/x` itself.
    Glob {
        matcher: GlobMatcher,
        prefix: Option<String>,
    },
}

impl DirPattern {
    fn new(raw: &str) -> Self {
        let normal = normalise(raw);
        // NOTE: `{{ cookiecutter.project_slug }}` in a template repository is a directory
        // name with literal braces, not an alternation: braces are globs only without `{{`/`}}`.
        let template_braces = normal.contains("{{") || normal.contains("}}");
        let glob_chars: &[char] = if template_braces {
            &['*', '?', '[']
        } else {
            &['*', '?', '[', '{']
        };
        if !normal.contains(glob_chars) {
            return Self::Exact(normal);
        }
        let pattern = if template_braces {
            normal.replace('{', "[{]").replace('}', "[}]")
        } else {
            normal.clone()
        };
        match GlobBuilder::new(&pattern).literal_separator(true).build() {
            Ok(glob) => {
                let prefix = normal.strip_suffix("/**").map(|p| {
                    if p.is_empty() {
                        "/".to_string()
                    } else {
                        p.to_string()
                    }
                });
                Self::Glob {
                    matcher: glob.compile_matcher(),
                    prefix,
                }
            }
            // Dependabot would reject a broken glob too; treat it as the literal text.
            Err(_) => Self::Exact(normal),
        }
    }

    fn matches(&self, directory: &str) -> bool {
        match self {
            Self::Exact(exact) => exact == directory,
            Self::Glob { matcher, prefix } => {
                matcher.is_match(directory) || prefix.as_deref() == Some(directory)
            }
        }
    }
}

/// The ecosystems and directories a dependabot.yml's `updates` watch.
#[derive(Debug, Default)]
pub struct Coverage {
    entries: Vec<(String, Vec<DirPattern>)>,
}

impl Coverage {
    pub fn of(config: &Value) -> Self {
        let mut entries = Vec::new();
        let Some(Value::Sequence(updates)) = yaml::get(config, "updates") else {
            return Self { entries };
        };
        for update in updates {
            let Some(ecosystem) = yaml::get(update, "package-ecosystem").and_then(Value::as_str)
            else {
                continue;
            };
            let mut dirs: Vec<DirPattern> = Vec::new();
            if let Some(dir) = yaml::get(update, "directory").and_then(Value::as_str) {
                dirs.push(DirPattern::new(dir));
            }
            if let Some(Value::Sequence(items)) = yaml::get(update, "directories") {
                dirs.extend(items.iter().filter_map(Value::as_str).map(DirPattern::new));
            }
            entries.push((ecosystem.to_string(), dirs));
        }
        Self { entries }
    }

    pub fn covers(&self, need: &Need) -> bool {
        self.entries.iter().any(|(ecosystem, dirs)| {
            family(ecosystem) == family(need.ecosystem) && dirs.iter().any(|d| need.accepts(d))
        })
    }
}

/// The update entry harden adds for a need: the same shape as the template's entries.
pub fn update_entry(need: &Need) -> Value {
    let mut schedule = yaml_serde::Mapping::new();
    schedule.insert("interval".into(), "weekly".into());
    let mut cooldown = yaml_serde::Mapping::new();
    cooldown.insert("default-days".into(), Value::Number(COOLDOWN_DAYS.into()));
    let mut entry = yaml_serde::Mapping::new();
    entry.insert("package-ecosystem".into(), need.ecosystem.into());
    entry.insert("directory".into(), need.directory.as_str().into());
    entry.insert("schedule".into(), Value::Mapping(schedule));
    entry.insert("cooldown".into(), Value::Mapping(cooldown));
    Value::Mapping(entry)
}

/// The skip globs of a check's `ignore-paths` parameter; broken globs are left out.
pub fn skip_globs(patterns: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        if let Ok(glob) = GlobBuilder::new(pattern).literal_separator(true).build() {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// `pip (/, /services/api), docker (/services/api)`: what a set of needs amounts to; empty
/// when there are none.
pub fn summary(needs: &[Need]) -> String {
    let mut parts: Vec<(&str, Vec<&str>)> = Vec::new();
    for need in needs {
        match parts.iter_mut().find(|(e, _)| *e == need.ecosystem) {
            Some((_, dirs)) => dirs.push(&need.directory),
            None => parts.push((need.ecosystem, vec![&need.directory])),
        }
    }
    parts
        .iter()
        .map(|(ecosystem, dirs)| format!("{ecosystem} ({})", dirs.join(", ")))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[(&str, &str)]) -> Project {
        Project::from_texts(files)
    }

    fn pairs(needs: &[Need]) -> Vec<(&str, &str)> {
        needs
            .iter()
            .map(|n| (n.ecosystem, n.directory.as_str()))
            .collect()
    }

    fn default_skip() -> GlobSet {
        skip_globs(&["**/tests/**".to_string(), "**/fixtures/**".to_string()])
    }

    #[test]
    fn finds_every_ecosystem_and_directory() {
        let p = project(&[
            ("requirements.txt", "flask==3.0.0\n"),
            ("services/api/requirements/base.txt", "django==5.0\n"),
            ("services/api/Dockerfile", "FROM python:3.12\n"),
            (
                "services/worker/pyproject.toml",
                "[project]\nname = \"w\"\ndependencies = [\"celery\"]\n",
            ),
            ("services/worker/uv.lock", "version = 1\n"),
            ("tools/pyproject.toml", "[tool.ruff]\nline-length = 100\n"),
            ("tests/fixtures/app/requirements.txt", "x\n"),
            (".github/workflows/ci.yml", "on: push\n"),
            (".github/workflows/release.yml", "on: push\n"),
        ]);
        let needs = needs(&p, &default_skip());
        assert_eq!(
            pairs(&needs),
            vec![
                ("pip", "/"),
                ("pip", "/services/api"),
                ("uv", "/services/worker"),
                ("docker", "/services/api"),
                ("github-actions", "/"),
            ]
        );
        assert_eq!(
            needs[1].alternates,
            vec!["/services/api/requirements".to_string()]
        );
        assert_eq!(needs[1].evidence, "services/api/requirements/base.txt");
        assert_eq!(
            summary(&needs),
            "pip (/, /services/api), uv (/services/worker), docker (/services/api), github-actions (/)"
        );
    }

    #[test]
    fn requirements_folder_at_the_root_belongs_to_the_root() {
        let p = project(&[("requirements/prod.txt", "flask==3.0.0\n")]);
        let needs = needs(&p, &GlobSet::empty());
        assert_eq!(pairs(&needs), vec![("pip", "/")]);
        assert_eq!(needs[0].alternates, vec!["/requirements".to_string()]);
    }

    #[test]
    fn normalises_directories() {
        for (raw, want) in [
            ("/", "/"),
            ("", "/"),
            (".", "/"),
            ("./", "/"),
            ("/app/", "/app"),
            ("app", "/app"),
            ("./app//api/", "/app/api"),
            (" /app ", "/app"),
            (".github", "/.github"),
        ] {
            assert_eq!(normalise(raw), want, "{raw:?}");
        }
    }

    fn coverage(text: &str) -> Coverage {
        let file = yaml::YamlFile::parse(text).unwrap();
        Coverage::of(&file.value)
    }

    fn need(ecosystem: &'static str, directory: &str) -> Need {
        Need {
            ecosystem,
            directory: directory.to_string(),
            alternates: Vec::new(),
            evidence: String::new(),
        }
    }

    #[test]
    fn coverage_by_directory_directories_and_globs() {
        let c = coverage(
            "version: 2\nupdates:\n  - package-ecosystem: pip\n    directory: /app/\n  - package-ecosystem: docker\n    directories: [\"/services/*\", \"/base\"]\n  - package-ecosystem: uv\n    directories:\n      - \"/libs/**\"\n",
        );
        assert!(c.covers(&need(PIP, "/app")));
        assert!(!c.covers(&need(PIP, "/")));
        assert!(c.covers(&need(UV, "/app")), "pip and uv are one family");
        assert!(c.covers(&need(DOCKER, "/services/api")));
        assert!(
            !c.covers(&need(DOCKER, "/services/api/v2")),
            "`*` stays within one directory"
        );
        assert!(!c.covers(&need(DOCKER, "/services")));
        assert!(c.covers(&need(DOCKER, "/base")));
        assert!(!c.covers(&need(GITHUB_ACTIONS, "/")));
        assert!(c.covers(&need(PIP, "/libs")));
        assert!(c.covers(&need(PIP, "/libs/a/b")));
        assert!(!c.covers(&need(DOCKER, "/libs")));
    }

    #[test]
    fn template_braces_are_literal_directory_names() {
        // A cookiecutter template's dependabot.yml (issue 9).
        let c = coverage(
            "updates:\n  - package-ecosystem: pip\n    directory: \"/{{cookiecutter.project_slug}}\"\n  - package-ecosystem: docker\n    directories:\n      - \"/{{ cookiecutter.project_slug }}/compose/*\"\n",
        );
        assert!(c.covers(&need(PIP, "/{{cookiecutter.project_slug}}")));
        assert!(!c.covers(&need(PIP, "/")));
        assert!(c.covers(&need(
            DOCKER,
            "/{{ cookiecutter.project_slug }}/compose/django"
        )));
        assert!(!c.covers(&need(DOCKER, "/ cookiecutter.project_slug /compose/django")));
        // One pair of braces is still an alternation.
        let c =
            coverage("updates:\n  - package-ecosystem: pip\n    directories: [\"/{api,web}\"]\n");
        assert!(c.covers(&need(PIP, "/api")) && c.covers(&need(PIP, "/web")));
    }

    #[test]
    fn root_glob_covers_everything() {
        let c = coverage("updates:\n  - package-ecosystem: docker\n    directories: [\"/**\"]\n");
        assert!(c.covers(&need(DOCKER, "/")));
        assert!(c.covers(&need(DOCKER, "/a/b")));
    }

    #[test]
    fn alternates_count() {
        let c = coverage(
            "updates:\n  - package-ecosystem: github-actions\n    directory: /.github/workflows\n",
        );
        let p = project(&[(".github/workflows/ci.yml", "on: push\n")]);
        let needs = needs(&p, &GlobSet::empty());
        assert!(c.covers(&needs[0]));
    }

    #[test]
    fn entry_has_the_template_shape() {
        let entry = update_entry(&need(PIP, "/svc"));
        let text = yaml_serde::to_string(&entry).unwrap();
        assert_eq!(
            text,
            "package-ecosystem: pip\ndirectory: /svc\nschedule:\n  interval: weekly\ncooldown:\n  default-days: 7\n"
        );
    }
}
