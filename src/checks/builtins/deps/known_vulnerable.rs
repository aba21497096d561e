//! `deps-known-vulnerable`: a pinned version that an OSV advisory affects. Pins come from
//! requirements files (`==`/`===`, hashed or not; included files are requirements files of
//! the project too), uv.lock, poetry.lock, pdm.lock, Pipfile.lock, PEP 751 `pylock.toml`, and
//! `pip install NAME==V` (any installer `docker-pip-unpinned` knows) in Dockerfiles and
//! workflows. The database is the `database` parameter, which the session sets from
//! `--advisories`, `HARDEN_ADVISORIES`, the project's configuration or the cache of
//! `harden advisories update`; without one the check does not run, and the summary says so.
//!
//! One finding per pin, naming every advisory family (aliases grouped) that affects it: one
//! pin has one fix, the smallest version that clears them all. A plain `==` pin is rewritten
//! to it; a hashed requirement or a lock entry cannot be bumped by editing one version (the
//! hashes and the rest of the resolution must follow), so there the fix shows the command.

use std::collections::BTreeSet;
use std::ops::Range;
use std::path::Path;
use std::str::FromStr;

use pep508_rs::pep440_rs::Version;

use crate::advisories::{Database, Verdict, judge};
use crate::checks::builtins::docker::{
    dockerfiles, is_named_requirement, is_pinned, pip_install, requirement_name, requirement_text,
    run_commands,
};
use crate::checks::builtins::gha::{files, scripts, shell_script_commands};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::{Location, Severity};
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::lock_entries::{LockedEntry, pipfile_entries, toml_entries};
use crate::formats::requirements::normalize_name;
use crate::project::{FileKind, Project, SourceFile};

pub const BUILTIN: Builtin = Builtin {
    name: "deps-known-vulnerable",
    vars: &[
        "package",
        "version",
        "advisories",
        "ids",
        "fixed",
        "command",
        "source",
    ],
    params: &["database", "max-age-days"],
    run,
};

/// One pinned version found in the project.
pub(crate) struct Pin {
    pub(crate) path: String,
    /// PEP 503 normalised.
    pub(crate) name: String,
    pub(crate) version: String,
    /// What the finding points at.
    pub(crate) span: Range<usize>,
    /// The version text, for the edit.
    pub(crate) version_span: Range<usize>,
    /// The command that bumps it where an edit cannot (hashes, lock files).
    pub(crate) command: Option<String>,
    pub(crate) source: &'static str,
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(path) = ctx.param_str("database").filter(|p| !p.is_empty()) else {
        return Vec::new();
    };
    // The session has opened it already and reported any error in the summary.
    let Ok(database) = Database::open_shared(Path::new(path)) else {
        return Vec::new();
    };
    let mut pins = Vec::new();
    requirements(ctx.project, &mut pins);
    locks(ctx.project, &mut pins);
    installs(ctx.project, &mut pins);
    pins.iter()
        .filter_map(|pin| {
            let version = Version::from_str(&pin.version).ok()?;
            let advisories = database.advisories(&pin.name);
            let verdict = judge(&advisories, &version)?;
            Some(hit(pin, &verdict))
        })
        .collect()
}

fn hit(pin: &Pin, verdict: &Verdict) -> Hit {
    let described: Vec<String> = verdict
        .vulnerabilities
        .iter()
        .map(|v| {
            let (first, rest) = v
                .ids
                .split_first()
                .map_or(("", &[][..]), |(f, r)| (f.as_str(), r));
            let mut text = first.to_string();
            if !rest.is_empty() {
                text.push_str(&format!(" ({})", rest.join(", ")));
            }
            if let Some(summary) = &v.summary {
                text.push_str(&format!(": {}", one_line(summary)));
            }
            match &v.fixed {
                Some(fixed) => text.push_str(&format!(" [fixed in {fixed}]")),
                None => text.push_str(" [no fixed version]"),
            }
            text
        })
        .collect();
    let ids: Vec<String> = verdict
        .vulnerabilities
        .iter()
        .flat_map(|v| v.ids.iter().cloned())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let fixed = verdict.fix.as_ref().map(ToString::to_string);
    let command = match (&pin.command, &fixed) {
        (Some(command), Some(fixed)) => command.replace("{fixed}", fixed),
        _ => String::new(),
    };
    let mut hit = Hit::at(Location::span(&pin.path, pin.span.clone()))
        .var("package", pin.name.as_str())
        .var("version", pin.version.as_str())
        .var("advisories", described.join("; "))
        .var("ids", ids.join(", "))
        .var("fixed", fixed.clone().unwrap_or_default())
        .var("command", command)
        .var("source", pin.source)
        .tags(ids);
    if verdict.vulnerabilities.iter().any(|v| v.critical) {
        hit = hit.severity(Severity::Critical);
    }
    if let (None, Some(fixed)) = (&pin.command, fixed) {
        hit = hit.edits(vec![Edit::replace(
            &pin.path,
            pin.version_span.clone(),
            fixed,
        )]);
    }
    hit
}

/// An advisory summary on one line, at most 120 characters.
fn one_line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() <= 120 {
        return joined;
    }
    let cut: String = joined.chars().take(117).collect();
    format!("{cut}...")
}

fn requirements(project: &Project, pins: &mut Vec<Pin>) {
    for file in project.files_of(FileKind::Requirements) {
        let Parsed::Requirements(parsed) = file.parsed() else {
            continue;
        };
        let Ok(text) = file.text() else { continue };
        let hashed = parsed.has_hashes();
        for requirement in &parsed.requirements {
            let (Some(name), Some(version)) = (&requirement.name, &requirement.pinned) else {
                continue;
            };
            let Some(version_span) = find_in(&text.content, &requirement.version_span, version)
            else {
                continue;
            };
            let command = hashed.then(|| compile_command(project, file, name));
            pins.push(Pin {
                path: file.path.clone(),
                name: name.clone(),
                version: version.clone(),
                span: requirement.name_and_version_span(),
                version_span,
                command,
                source: "requirements",
            });
        }
    }
}

/// `uv pip compile --upgrade-package NAME==V --generate-hashes SOURCE -o FILE`, the source
/// being the `.in` file beside it, else the pyproject.toml beside it.
fn compile_command(project: &Project, file: &SourceFile, name: &str) -> String {
    let stem = file.path.strip_suffix(".txt").unwrap_or(&file.path);
    let dir = file.dir();
    let sibling = |name: &str| {
        if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        }
    };
    let input = [format!("{stem}.in"), sibling("pyproject.toml")]
        .into_iter()
        .find(|p| project.file(p).is_some())
        .unwrap_or_else(|| format!("{stem}.in"));
    format!(
        "uv pip compile --upgrade-package {name}=={{fixed}} --generate-hashes {input} -o {}",
        file.path
    )
}

/// The span of `needle` within `span` of `text`.
fn find_in(text: &str, span: &Range<usize>, needle: &str) -> Option<Range<usize>> {
    let at = text.get(span.clone())?.find(needle)? + span.start;
    Some(at..at + needle.len())
}

/// PEP 751 lock files: `pylock.toml` and `pylock.NAME.toml`.
fn is_pylock(file: &SourceFile) -> bool {
    let name = file.name();
    name.starts_with("pylock.") && name.ends_with(".toml")
}

fn locks(project: &Project, pins: &mut Vec<Pin>) {
    for file in &project.files {
        let (source, command): (&'static str, fn(&str) -> String) = match file.kind {
            FileKind::UvLock => ("uv.lock", |n| format!("uv lock --upgrade-package {n}")),
            FileKind::PoetryLock => ("poetry.lock", |n| format!("poetry update {n}")),
            FileKind::PdmLock => ("pdm.lock", |n| format!("pdm update {n}")),
            FileKind::PipfileLock => ("Pipfile.lock", |n| format!("pipenv update {n}")),
            FileKind::TomlConfig if is_pylock(file) => ("pylock.toml", |n| {
                format!(
                    "uv lock --upgrade-package {n} && uv export --format pylock.toml -o pylock.toml"
                )
            }),
            _ => continue,
        };
        let Ok(text) = file.text() else { continue };
        let entries: Vec<LockedEntry> = if file.kind == FileKind::PipfileLock {
            pipfile_entries(&text.content)
        } else {
            toml_entries(&text.content)
        }
        .unwrap_or_default();
        for entry in entries {
            pins.push(Pin {
                path: file.path.clone(),
                command: Some(command(&entry.name)),
                name: entry.name,
                version: entry.version,
                span: entry.version_span.clone(),
                version_span: entry.version_span,
                source,
            });
        }
    }
}

/// The `pip install NAME==V` pins of Dockerfiles and workflows (`django-eol-version` reads
/// them too).
pub(crate) fn installs(project: &Project, pins: &mut Vec<Pin>) {
    for (file, parsed) in dockerfiles(project) {
        let Ok(text) = file.text() else { continue };
        for (_, command) in run_commands(parsed) {
            install_pins(&file.path, &text.content, &command, "Dockerfile", pins);
        }
    }
    for gha in files(project, true) {
        let Some(text) = project.file(gha.path()).and_then(|f| f.text().ok()) else {
            continue;
        };
        for script in scripts(&gha) {
            for command in shell_script_commands(&script) {
                install_pins(gha.path(), &text.content, &command, "workflow", pins);
            }
        }
    }
}

fn install_pins(
    path: &str,
    content: &str,
    command: &crate::formats::dockerfile::Command,
    source: &'static str,
    pins: &mut Vec<Pin>,
) {
    let Some(install) = pip_install(command) else {
        return;
    };
    for target in install.requirements() {
        let requirement = requirement_text(target);
        if !is_named_requirement(requirement) || !is_pinned(requirement) {
            continue;
        }
        let name = requirement_name(requirement);
        let spec = requirement.split(';').next().unwrap_or_default();
        let Some((_, version)) = spec.split_once("==") else {
            continue;
        };
        let version = version.trim_start_matches('=').trim();
        // The version as written in the file (the word may be quoted), after its `==`.
        let Some(version_span) = content
            .get(target.span.clone())
            .and_then(|written| written.find("=="))
            .and_then(|at| find_in(content, &(target.span.start + at..target.span.end), version))
        else {
            continue;
        };
        pins.push(Pin {
            path: path.to_string(),
            name: normalize_name(name),
            version: version.to_string(),
            span: target.span.clone(),
            version_span,
            command: None,
            source,
        });
    }
}
