//! The package the project builds: whether it is published to PyPI (and the evidence), and which
//! requirements files are the package's abstract dependencies (read by its build, or shipped
//! inside it as package data) rather than what a deployment installs.
//!
//! Read from file contents only; nothing here runs the build.

use std::collections::{BTreeSet, HashMap};
use std::ops::Range;
use std::str::FromStr;
use std::sync::LazyLock;

use regex::Regex;

use super::scope::{Decision, Scope};
use super::{FileKind, Project, SourceFile};

/// Steps that upload a package to PyPI.
const PYPI_PUBLISH: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "twine upload",
    "uv publish",
    "poetry publish",
    "flit publish",
    "hatch publish",
    "pdm publish",
];

/// Files at the root, outside the walk's kinds, where maintainers keep their release commands.
const RELEASE_SCRIPTS: &[&str] = &["Makefile", "justfile", "Justfile", "noxfile.py", "tox.ini"];

/// Root files read here are small scripts; a larger one is not read.
const MAX_ROOT_FILE: u64 = 1 << 20;

/// The name of the package the project builds: `[project] name` with a build backend in
/// pyproject.toml, `[metadata] name` in setup.cfg, or a literal `name=` in setup.py's `setup()`.
pub fn package_name(project: &Project) -> Option<String> {
    if let Some(doc) = pyproject(project)
        && doc.get("build-system").and_then(|b| b.get("build-backend")).is_some()
        // `[project] name`, or Poetry's own table before PEP 621 (poetry-core as the backend).
        && let Some(name) = doc
            .get("project")
            .and_then(|p| p.get("name"))
            .or_else(|| doc.get("tool").and_then(|t| t.get("poetry")).and_then(|p| p.get("name")))
            .and_then(|n| n.as_str())
    {
        return Some(name.to_string());
    }
    static CFG_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?ms)^\[metadata\]\s*$.*?^name\s*=\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*$")
            .expect("static regex")
    });
    static SETUP_NAME: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?:\bname\s*=|["']name["']\s*:)\s*["']([A-Za-z0-9][A-Za-z0-9._-]*)["']"#)
            .expect("static regex")
    });
    if let Some(name) = root_text(project, "setup.cfg")
        .and_then(|text| CFG_NAME.captures(&text).map(|c| c[1].to_string()))
    {
        return Some(name);
    }
    let setup = project.file("setup.py")?.text().ok()?;
    if !setup.content.contains("setup(") {
        return None;
    }
    SETUP_NAME
        .captures(&setup.content)
        .map(|c| c[1].to_string())
}

/// The evidence that the project publishes its package to PyPI: a package it builds, and a
/// step that uploads it (in a GitHub workflow, GitLab CI, or a release script at the root), or
/// the tree being a source distribution (`PKG-INFO` at the root, which only `sdist` writes).
pub fn published(project: &Project) -> Option<(String, String)> {
    if let Some(text) = root_text(project, "PKG-INFO")
        && text.starts_with("Metadata-Version:")
        && let Some(name) = package_name(project).or_else(|| {
            text.lines()
                .find_map(|l| l.strip_prefix("Name:"))
                .map(|n| n.trim().to_string())
        })
    {
        return Some((
            name.clone(),
            format!(
                "`PKG-INFO` at the root: this tree is a source distribution of `{name}`, built to be installed with pip"
            ),
        ));
    }
    let ci = project
        .files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Workflow | FileKind::GitlabCi))
        .find_map(|file| {
            let text = file.text().ok()?;
            let step = PYPI_PUBLISH.iter().find(|s| text.content.contains(**s))?;
            Some((file.path.clone(), *step))
        });
    let script = || {
        RELEASE_SCRIPTS.iter().find_map(|script| {
            let text = root_text(project, script)?;
            let step = PYPI_PUBLISH.iter().find(|s| text.contains(**s))?;
            Some((script.to_string(), *step))
        })
    };
    let (file, step) = ci.or_else(script)?;
    let name = package_name(project)?;
    Some((
        name.clone(),
        format!(
            "the project builds the package `{name}`, which `{file}` publishes to PyPI (`{step}`)"
        ),
    ))
}

/// The root pyproject.toml as the project parsed it (parsed once per run, shared).
pub fn pyproject(project: &Project) -> Option<&toml_edit::Table> {
    match project.file("pyproject.toml")?.parsed() {
        crate::formats::Parsed::Toml(file) => Some(file.doc.as_table()),
        _ => None,
    }
}

/// Whether the Django the project declares may be `min` (a `(major, minor)` series) or newer:
/// some declaration of Django (a requirements file, `[project].dependencies`, a literal
/// `install_requires` of setup.py) admits such a version, or none bounds it, or the project
/// declares no Django at all. `false` only when every declaration stops below `min`
/// (OpenREM 0.10's `django>=1.8,<1.9`: settings added in Django 1.9 do not exist for it).
pub fn django_admits(project: &Project, min: (u64, u64)) -> bool {
    let mut declarations: Vec<String> = Vec::new();
    for file in project.files_of(FileKind::Requirements) {
        if let crate::formats::Parsed::Requirements(parsed) = file.parsed() {
            declarations.extend(
                parsed
                    .requirements
                    .iter()
                    .filter(|r| r.name.as_deref() == Some("django"))
                    .map(|r| {
                        r.specifiers
                            .as_ref()
                            .map(ToString::to_string)
                            .unwrap_or_default()
                    }),
            );
        }
    }
    let mut texts: Vec<String> = Vec::new();
    if let Some(dependencies) = pyproject(project)
        .and_then(|doc| doc.get("project"))
        .and_then(|p| p.get("dependencies"))
        .and_then(|d| d.as_array())
    {
        texts.extend(
            dependencies
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string)),
        );
    }
    if let Some(setup) = root_text(project, "setup.py") {
        texts.extend(
            install_requires_literals(&setup)
                .into_iter()
                .map(|(text, _)| text),
        );
    }
    for text in texts {
        let parsed = crate::formats::requirements::RequirementsFile::parse(&text);
        if let Some(requirement) = parsed.requirements.first()
            && requirement.name.as_deref() == Some("django")
        {
            declarations.push(
                requirement
                    .specifiers
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
            );
        }
    }
    if declarations.is_empty() {
        return true;
    }
    declarations.iter().any(|spec| {
        let Ok(range) = pep508_rs::pep440_rs::VersionSpecifiers::from_str(spec) else {
            return true;
        };
        // Every series from `min` on, probed at its first and a late patch release.
        (min.0..=min.0 + 20).any(|major| {
            (0..=12)
                .filter(|minor| (major, *minor) >= min)
                .flat_map(|minor| [format!("{major}.{minor}"), format!("{major}.{minor}.9999")])
                .filter_map(|v| pep508_rs::pep440_rs::Version::from_str(&v).ok())
                .any(|v| range.contains(&v))
        })
    })
}

/// Whether `file` is a packaging script: a `setup.py` that setuptools or distutils runs, not a
/// module of that name inside a package (django-cms's `cms/utils/setup.py` sets the CMS up).
pub fn is_setup_script(file: &SourceFile) -> bool {
    file.name() == "setup.py"
        && file.text().is_ok_and(|text| {
            ["setuptools", "distutils", "install_requires"]
                .iter()
                .any(|word| text.content.contains(word))
        })
}

/// The string literals of setup.py's `install_requires=[...]` list, or of the module-level
/// list it names (`install_requires=requires`, OpenREM); a list built otherwise gives none.
pub fn install_requires_literals(setup: &str) -> Vec<(String, Range<usize>)> {
    static ARGUMENT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"install_requires\s*=\s*(?:(\[)|([A-Za-z_][A-Za-z0-9_]*))")
            .expect("static regex")
    });
    static LITERAL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r#""([^"\n]*)"|'([^'\n]*)'"#).expect("static regex"));
    let Some(argument) = ARGUMENT.captures(setup) else {
        return Vec::new();
    };
    let start = match (argument.get(1), argument.get(2)) {
        (Some(bracket), _) => bracket.end(),
        (None, Some(name)) => {
            let Ok(assignment) =
                Regex::new(&format!(r"(?m)^{}\s*=\s*\[", regex::escape(name.as_str())))
            else {
                return Vec::new();
            };
            match assignment.find(setup) {
                Some(found) => found.end(),
                None => return Vec::new(),
            }
        }
        _ => return Vec::new(),
    };
    // The list ends at the `]` that closes it: brackets inside string literals (extras,
    // `celery[redis]`) are skipped with the literals.
    let rest = &setup[start..];
    let mut end = rest.len();
    let mut at = 0;
    while let Some(offset) = rest[at..].find(['"', '\'', ']', '#']) {
        let index = at + offset;
        match rest.as_bytes()[index] {
            b']' => {
                end = index;
                break;
            }
            b'#' => {
                at = rest[index..].find('\n').map_or(rest.len(), |n| index + n);
            }
            quote => {
                at = rest[index + 1..]
                    .find(quote as char)
                    .map_or(rest.len(), |n| index + 1 + n + 1);
            }
        }
    }
    LITERAL
        .captures_iter(&rest[..end])
        .filter_map(|c| c.get(1).or_else(|| c.get(2)))
        .map(|m| (m.as_str().to_string(), start + m.start()..start + m.end()))
        .collect()
}

/// A root file outside the walk's kinds, when it is small and UTF-8.
fn root_text(project: &Project, name: &str) -> Option<String> {
    if let Some(file) = project.file(name) {
        return file.text().ok().map(|t| t.content.to_string());
    }
    let path = project.root.join(name);
    let meta = std::fs::symlink_metadata(&path).ok()?;
    if !meta.is_file() || meta.len() > MAX_ROOT_FILE {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

/// Requirements files that are the package's abstract dependencies, each with the decision
/// (library scope) and its evidence: ranges there are by design, since whoever installs the
/// package resolves them. A file a shipped image installs is what a deployment runs, whatever
/// else reads it, and is left out; so is a root `requirements.txt` a platform file's buildpack
/// installs.
pub fn abstract_requirements(
    project: &Project,
    shipped_images: &[&SourceFile],
    platform_deployed: bool,
) -> Vec<(String, Decision)> {
    let read_by_build = build_requirement_files(project);
    let mut out = Vec::new();
    // Whether a shipped image names a file depends on the name alone: asked once per name (a
    // monorepo's 4,000 requirements files searched its 2,000 Dockerfiles each).
    let mut named_by_image: HashMap<&str, bool> = HashMap::new();
    for file in project.files_of(FileKind::Requirements) {
        let name = file.name();
        let installed_by_image = *named_by_image.entry(name).or_insert_with(|| {
            shipped_images
                .iter()
                .any(|image| image.text().is_ok_and(|t| t.content.contains(name)))
        });
        if installed_by_image || (platform_deployed && file.path == "requirements.txt") {
            continue;
        }
        let evidence = if let Some(reader) = read_by_build
            .iter()
            .find(|(path, _)| *path == file.path)
            .map(|(_, reader)| reader)
        {
            format!(
                "{reader} reads it into the package's dependencies, which pip resolves where the package is installed"
            )
        } else if let Some(package) = enclosing_package(project, file) {
            format!(
                "package data of `{package}` (beside its `__init__.py`), not a list a deployment installs"
            )
        } else {
            continue;
        };
        out.push((file.path.clone(), Decision::new(Scope::Library, evidence)));
    }
    out
}

/// The package directory a file sits in (its directory has an `__init__.py`), if any.
fn enclosing_package(project: &Project, file: &SourceFile) -> Option<String> {
    let dir = file.dir();
    if dir.is_empty() {
        return None;
    }
    project.file(&format!("{dir}/__init__.py"))?;
    Some(dir.rsplit('/').next().unwrap_or(dir).to_string())
}

/// Requirements files the package build reads (path, the file that says so): setup.py naming
/// them in a string literal, `install_requires = file: ...` in setup.cfg,
/// `[tool.setuptools.dynamic]` `file =` entries and hatch's requirements_txt hook in
/// pyproject.toml, and the root requirements.txt of a pbr build.
fn build_requirement_files(project: &Project) -> Vec<(String, String)> {
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    let requirements: Vec<&SourceFile> = project.files_of(FileKind::Requirements).collect();
    // setup.py (at the root or in a package's own directory): a quoted file name or path.
    for setup in project.files.iter().filter(|f| f.name() == "setup.py") {
        let Ok(text) = setup.text() else { continue };
        for file in &requirements {
            let relative = relative_to(setup.dir(), &file.path);
            let quoted = |s: &str| {
                text.content.contains(&format!("\"{s}\""))
                    || text.content.contains(&format!("'{s}'"))
            };
            // NOTE: a helper that joins a directory and a name (django-sql-explorer's
            // `requirements("base.txt")` over `os.path.join(..., "requirements", fname)`)
            // quotes the two parts apart.
            let joined = |relative: &str| {
                relative
                    .match_indices('/')
                    .any(|(at, _)| quoted(&relative[..at]) && quoted(&relative[at + 1..]))
            };
            if relative.as_deref().is_some_and(|r| quoted(r) || joined(r))
                || (file.dir() == setup.dir() && quoted(file.name()))
            {
                out.insert((file.path.clone(), format!("`{}`", setup.path)));
            }
        }
    }
    // setup.cfg: `install_requires = file: requirements.txt` (setuptools ≥ 62.6 syntax).
    static CFG_FILE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*(?:install_requires|[A-Za-z0-9_-]+)\s*=\s*file:\s*([^\s#;,]+)")
            .expect("static regex")
    });
    if let Some(text) = root_text(project, "setup.cfg") {
        for capture in CFG_FILE.captures_iter(&text) {
            out.insert((normalize(&capture[1]), "`setup.cfg`".to_string()));
        }
    }
    // pbr (OpenStack's build): `build-backend = "pbr.build"`, or `pbr=True` in setup.py,
    // reads the root requirements.txt into the package's dependencies (Horizon keeps its
    // ranges there and pins them with OpenStack's upper-constraints at install time).
    let pbr_backend = pyproject(project).is_some_and(|doc| {
        doc.get("build-system")
            .and_then(|b| b.get("build-backend"))
            .and_then(|b| b.as_str())
            .is_some_and(|b| b == "pbr.build" || b.starts_with("pbr."))
    });
    let pbr_setup = project.file("setup.py").is_some_and(|setup| {
        setup.text().is_ok_and(|t| {
            t.content.contains("pbr")
                && t.content
                    .split(|c: char| c.is_whitespace())
                    .collect::<String>()
                    .contains("pbr=True")
        })
    });
    if (pbr_backend || pbr_setup) && project.file("requirements.txt").is_some() {
        let reader = if pbr_backend {
            "pbr, `pyproject.toml`'s build backend,"
        } else {
            "pbr (`pbr=True` in `setup.py`)"
        };
        out.insert(("requirements.txt".to_string(), reader.to_string()));
    }
    if let Some(tool) = pyproject(project).and_then(|doc| doc.get("tool")) {
        let mut files = Vec::new();
        if let Some(dynamic) = tool.get("setuptools").and_then(|s| s.get("dynamic")) {
            collect_file_entries(dynamic, &mut files, 0);
        }
        if let Some(hook) = tool
            .get("hatch")
            .and_then(|h| h.get("metadata"))
            .and_then(|m| m.get("hooks"))
            .and_then(|h| h.get("requirements_txt"))
        {
            collect_file_entries(hook, &mut files, 0);
        }
        for path in files {
            out.insert((normalize(&path), "`pyproject.toml`".to_string()));
        }
    }
    out.into_iter().collect()
}

/// Every string under a `file` or `files` key (a string or a list), at any depth up to a few
/// tables down: `dependencies = {file = ["requirements.txt"]}`,
/// `optional-dependencies.dev = {file = "dev.txt"}`, `files = ["requirements.txt"]`.
fn collect_file_entries(item: &toml_edit::Item, out: &mut Vec<String>, depth: usize) {
    let Some(table) = item.as_table_like() else {
        return;
    };
    if depth > 4 {
        return;
    }
    for (key, value) in table.iter() {
        if key == "file" || key == "files" {
            if let Some(s) = value.as_str() {
                out.push(s.to_string());
            } else if let Some(items) = value.as_array() {
                out.extend(items.iter().filter_map(|i| i.as_str().map(str::to_string)));
            }
        } else {
            collect_file_entries(value, out, depth + 1);
        }
    }
}

/// `./requirements/base.txt` → `requirements/base.txt`.
fn normalize(path: &str) -> String {
    path.trim_start_matches("./").to_string()
}

/// `path` relative to `dir` when it is under it.
fn relative_to(dir: &str, path: &str) -> Option<String> {
    if dir.is_empty() {
        return Some(path.to_string());
    }
    path.strip_prefix(dir)
        .and_then(|rest| rest.strip_prefix('/'))
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    #[test]
    fn install_requires_literals_are_read_past_extras_and_comments() {
        let setup = "setup(\n    name='x',\n    install_requires=[\n        'django>=1.8,<1.9',  # the LTS [sic]\n        \"celery[redis]>=4\",\n    ],\n    extras_require={'a': ['b']},\n)\n";
        let texts = |setup: &str| -> Vec<String> {
            super::install_requires_literals(setup)
                .into_iter()
                .map(|(text, span)| {
                    assert_eq!(&setup[span], text);
                    text
                })
                .collect()
        };
        assert_eq!(
            texts(setup),
            vec![
                "django>=1.8,<1.9".to_string(),
                "celery[redis]>=4".to_string()
            ]
        );
        assert!(super::install_requires_literals("setup(name='x')").is_empty());
        let named =
            "requires = [\n    'django>=1.8,<1.9',\n]\nsetup(install_requires = requires)\n";
        assert_eq!(texts(named), vec!["django>=1.8,<1.9".to_string()]);
    }
}
