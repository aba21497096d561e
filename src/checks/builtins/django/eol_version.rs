//! `django-eol-version`: a Django release series past the end of its security support (the
//! `eol` table: series -> date, from the Django download page's support table), wherever the
//! project fixes its Django:
//! - a pin of a requirements file (`django==3.2.25`, hashed or not);
//! - a version range of a requirements file that admits only ended series
//!   (`django>=2.0,<3.0`): every install is unsupported, whatever the resolver picks;
//! - the Django entry of uv.lock, poetry.lock, pdm.lock, Pipfile.lock or `pylock.toml`;
//! - the Django of pyproject.toml: `[project].dependencies` and `[tool.poetry.dependencies]`
//!   (a pin, or a range that admits only ended series; never edited: the lock must follow);
//! - `pip install django==X.Y.Z` (any installer) in Dockerfiles and workflows;
//! - setup.py's literal `install_requires` (never edited).
//!
//! "Today" is the `today` parameter when set (YYYY-MM-DD), else `HARDEN_TODAY`, else the
//! system clock (UTC). The fix pins the first release of the oldest supported series of the
//! same major version (`5.1.4` -> `5.2`): within a major, Django keeps deprecated features
//! working, so it is the smallest step that is supported. Across a major (4.2 -> 5.2) there
//! is no edit to offer, only the advice; lock files and hashed requirements are never edited
//! (their hashes and resolution must follow).

use std::ops::Range;
use std::str::FromStr;

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};

use crate::checks::builtins::calendar::Calendar;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::lock_entries::{pipfile_entries, toml_entries};
use crate::formats::requirements::normalize_name;
use crate::project::{FileKind, Project};

pub const BUILTIN: Builtin = Builtin {
    name: "django-eol-version",
    vars: &[
        "version",
        "series",
        "ended",
        "target",
        "source",
        "supported",
        "action",
    ],
    params: &["eol", "today"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(calendar) = Calendar::from(ctx) else {
        return Vec::new();
    };
    let supported = calendar
        .supported()
        .iter()
        .map(|(a, b)| format!("{a}.{b}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut hits = Vec::new();
    requirements(ctx.project, &calendar, &supported, &mut hits);
    locks(ctx.project, &calendar, &supported, &mut hits);
    pyprojects(ctx.project, &calendar, &supported, &mut hits);
    setup_py(ctx.project, &calendar, &supported, &mut hits);
    installs(ctx.project, &calendar, &supported, &mut hits);
    hits
}

/// `pip install django==X.Y.Z` (any installer) in Dockerfiles and workflows: a plain pin, so
/// the fix rewrites it as in a requirements file.
fn installs(project: &Project, calendar: &Calendar, supported: &str, hits: &mut Vec<Hit>) {
    let mut pins = Vec::new();
    crate::checks::builtins::deps::known_vulnerable::installs(project, &mut pins);
    for pin in pins.into_iter().filter(|p| p.name == "django") {
        let Some((major, minor)) = series(&pin.version) else {
            continue;
        };
        let Some(ended) = calendar.ended(major, minor) else {
            continue;
        };
        let target = calendar.oldest_supported(Some(major));
        let action = match &target {
            Some(target) => format!("Pin Django {target}"),
            None => ACROSS_MAJOR.to_string(),
        };
        let source = match pin.source {
            "Dockerfile" => "a Dockerfile's pip install",
            _ => "a workflow's pip install",
        };
        let mut hit = Hit::at(Location::span(&pin.path, pin.span.clone()))
            .var("version", pin.version.as_str())
            .var("series", format!("{major}.{minor}"))
            .var("ended", ended)
            .var("target", target.clone().unwrap_or_default())
            .var("source", source)
            .var("supported", supported)
            .var("action", action);
        if let Some(target) = target {
            hit = hit.edits(vec![Edit::replace(
                &pin.path,
                pin.version_span.clone(),
                target,
            )]);
        }
        hits.push(hit);
    }
}

/// The Django a pyproject.toml declares: `[project].dependencies` (PEP 508 strings) and
/// `[tool.poetry.dependencies]` (Poetry constraints). Judged as a requirements line is (a
/// pin by its series, a range when it admits only ended series) but never edited: the lock
/// file that follows the declaration must be re-resolved with it.
fn pyprojects(project: &Project, calendar: &Calendar, supported: &str, hits: &mut Vec<Hit>) {
    for file in project.files_of(FileKind::Pyproject) {
        let Parsed::Toml(toml) = file.parsed() else {
            continue;
        };
        // (PEP 440 specifiers, as written, where, what).
        let mut declared: Vec<(String, String, Range<usize>, &'static str)> = Vec::new();
        if let Some(dependencies) = toml
            .get(&["project", "dependencies"])
            .and_then(|item| item.as_array())
        {
            for value in dependencies {
                let (Some(text), Some(span)) = (value.as_str(), value.span()) else {
                    continue;
                };
                let parsed = crate::formats::requirements::RequirementsFile::parse(text);
                let Some(requirement) = parsed.requirements.first() else {
                    continue;
                };
                if requirement.name.as_deref().map(normalize_name).as_deref() != Some("django") {
                    continue;
                }
                let Some(specifiers) = &requirement.specifiers else {
                    continue;
                };
                let written = specifiers.to_string();
                declared.push((written.clone(), written, span, "pyproject.toml"));
            }
        }
        if let Some(table) = toml
            .get(&["tool", "poetry", "dependencies"])
            .and_then(|item| item.as_table_like())
        {
            for (key, item) in table.iter() {
                if normalize_name(key) != "django" {
                    continue;
                }
                let constraint = item.as_str().map(|s| (s, item.span())).or_else(|| {
                    let version = item.as_table_like()?.get("version")?;
                    Some((version.as_str()?, version.span()))
                });
                let Some((constraint, Some(span))) = constraint else {
                    continue;
                };
                if let Some(specifiers) = poetry_constraint(constraint) {
                    declared.push((
                        specifiers,
                        constraint.to_string(),
                        span,
                        "Poetry dependencies of pyproject.toml",
                    ));
                }
            }
        }
        for (specifiers, written, span, source) in declared {
            let Ok(range) = VersionSpecifiers::from_str(&specifiers) else {
                continue;
            };
            let location = Location::span(&file.path, span);
            // One `==X.Y.Z` is a pin; anything else is a range.
            let pinned = (range.len() == 1)
                .then(|| range.iter().next())
                .flatten()
                .filter(|s| {
                    *s.operator() == pep508_rs::pep440_rs::Operator::Equal
                        || *s.operator() == pep508_rs::pep440_rs::Operator::ExactEqual
                })
                .map(|s| s.version().to_string());
            if let Some(pinned) = pinned {
                let Some((major, minor)) = series(&pinned) else {
                    continue;
                };
                let Some(ended) = calendar.ended(major, minor) else {
                    continue;
                };
                let target = calendar.oldest_supported(Some(major));
                let action = match &target {
                    Some(target) => {
                        format!("Require django=={target} (or newer), then relock")
                    }
                    None => ACROSS_MAJOR.to_string(),
                };
                hits.push(
                    Hit::at(location)
                        .var("version", pinned.as_str())
                        .var("series", format!("{major}.{minor}"))
                        .var("ended", ended)
                        .var("target", target.unwrap_or_default())
                        .var("source", source)
                        .var("supported", supported)
                        .var("action", action),
                );
            } else if !range.is_empty()
                && !admits_supported(calendar, &range)
                && let Some((major, minor, date)) = admitted_ended(calendar, &range)
            {
                hits.push(
                    Hit::at(location)
                        .var("version", written.as_str())
                        .var("series", format!("{major}.{minor}"))
                        .var("ended", format!("on {date}"))
                        .var("target", "")
                        .var("source", format!("{source} range"))
                        .var("supported", supported)
                        .var(
                            "action",
                            "Change the range to admit a supported series (and test it)",
                        ),
                );
            }
        }
    }
}

/// A Poetry version constraint as PEP 440 specifiers: `^3.2` -> `>=3.2,<4.0`, `~3.2` ->
/// `>=3.2,<3.3`, `3.2.1` -> `==3.2.1`, `3.2.*` -> `==3.2.*`; PEP 440 text (`>=2.0,<3.0`) as
/// it is. `None` for `*`, alternatives (`||`) and what is not a constraint.
fn poetry_constraint(constraint: &str) -> Option<String> {
    let constraint = constraint.trim();
    if constraint.is_empty() || constraint == "*" || constraint.contains("||") {
        return None;
    }
    let bounds = |version: &str, caret: bool| -> Option<String> {
        let parts: Vec<u64> = version
            .split('.')
            .map(|p| p.parse().ok())
            .collect::<Option<_>>()?;
        let upper = if caret {
            // The first non-zero part is the one that may not change.
            let at = parts
                .iter()
                .position(|p| *p != 0)
                .unwrap_or(parts.len() - 1);
            let mut upper = parts[..=at].to_vec();
            upper[at] += 1;
            upper
        } else if parts.len() == 1 {
            vec![parts[0] + 1]
        } else {
            vec![parts[0], parts[1] + 1]
        };
        let text = |v: &[u64]| v.iter().map(u64::to_string).collect::<Vec<_>>().join(".");
        Some(format!(">={version},<{}", text(&upper)))
    };
    if let Some(version) = constraint.strip_prefix('^') {
        return bounds(version.trim(), true);
    }
    if let Some(version) = constraint.strip_prefix('~').filter(|v| !v.starts_with('=')) {
        return bounds(version.trim(), false);
    }
    if constraint.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("=={constraint}"));
    }
    Some(constraint.to_string())
}

/// Major and minor of a version text (`3.2.25` -> 3, 2).
fn series(version: &str) -> Option<(u64, u64)> {
    let version = Version::from_str(version.trim()).ok()?;
    let release = version.release();
    Some((*release.first()?, release.get(1).copied().unwrap_or(0)))
}

fn requirements(project: &Project, calendar: &Calendar, supported: &str, hits: &mut Vec<Hit>) {
    for file in project.files_of(FileKind::Requirements) {
        let Parsed::Requirements(parsed) = file.parsed() else {
            continue;
        };
        let Ok(text) = file.text() else { continue };
        let hashed = parsed.has_hashes();
        for requirement in &parsed.requirements {
            if requirement
                .name
                .as_deref()
                .is_none_or(|n| normalize_name(n) != "django")
            {
                continue;
            }
            let location = Location::span(&file.path, requirement.name_and_version_span());
            if let Some(pinned) = &requirement.pinned {
                let Some((major, minor)) = series(pinned) else {
                    continue;
                };
                let Some(ended) = calendar.ended(major, minor) else {
                    continue;
                };
                let target = calendar.oldest_supported(Some(major));
                let action = match (&target, hashed) {
                    (Some(target), false) => format!("Pin Django {target}"),
                    (Some(target), true) => format!(
                        "Pin Django {target} and regenerate the hashes \
                         (`uv pip compile --upgrade-package django=={target} --generate-hashes ...`)"
                    ),
                    (None, _) => ACROSS_MAJOR.to_string(),
                };
                let mut hit = Hit::at(location)
                    .var("version", pinned.as_str())
                    .var("series", format!("{major}.{minor}"))
                    .var("ended", ended)
                    .var("target", target.clone().unwrap_or_default())
                    .var("source", "requirements")
                    .var("supported", supported)
                    .var("action", action);
                let version_span = find_in(&text.content, &requirement.version_span, pinned);
                if let (Some(target), Some(span), false) = (target, version_span, hashed) {
                    hit = hit.edits(vec![Edit::replace(&file.path, span, target)]);
                }
                hits.push(hit);
            } else if let Some(range) = &requirement.specifiers
                && !range.is_empty()
                && !admits_supported(calendar, range)
                && let Some((major, minor, date)) = admitted_ended(calendar, range)
            {
                hits.push(
                    Hit::at(location)
                        .var("version", range.to_string())
                        .var("series", format!("{major}.{minor}"))
                        .var("ended", format!("on {date}"))
                        .var("target", "")
                        .var("source", "requirements range")
                        .var("supported", supported)
                        .var(
                            "action",
                            "Change the range to admit a supported series (and test it)",
                        ),
                );
            }
        }
    }
}

/// The advice where the next supported series is of another major version.
const ACROSS_MAJOR: &str =
    "Upgrade Django to a supported series, reading the release notes of each version on the way";

/// The command that re-resolves a lock file.
fn relock(kind: FileKind) -> &'static str {
    match kind {
        FileKind::PoetryLock => "`poetry update django`",
        FileKind::PdmLock => "`pdm update django`",
        FileKind::PipfileLock => "`pipenv update django`",
        _ => "`uv lock --upgrade-package django`",
    }
}

/// The span of `needle` within `span` of `text`.
fn find_in(text: &str, span: &Range<usize>, needle: &str) -> Option<Range<usize>> {
    let at = text.get(span.clone())?.find(needle)? + span.start;
    Some(at..at + needle.len())
}

fn locks(project: &Project, calendar: &Calendar, supported: &str, hits: &mut Vec<Hit>) {
    for file in &project.files {
        let source = match file.kind {
            FileKind::UvLock => "uv.lock",
            FileKind::PoetryLock => "poetry.lock",
            FileKind::PdmLock => "pdm.lock",
            FileKind::PipfileLock => "Pipfile.lock",
            FileKind::TomlConfig
                if file.name().starts_with("pylock.") && file.name().ends_with(".toml") =>
            {
                "pylock.toml"
            }
            _ => continue,
        };
        let Ok(text) = file.text() else { continue };
        let entries = if file.kind == FileKind::PipfileLock {
            pipfile_entries(&text.content)
        } else {
            toml_entries(&text.content)
        }
        .unwrap_or_default();
        for entry in entries.into_iter().filter(|e| e.name == "django") {
            let Some((major, minor)) = series(&entry.version) else {
                continue;
            };
            let Some(ended) = calendar.ended(major, minor) else {
                continue;
            };
            let target = calendar.oldest_supported(Some(major));
            let action = match &target {
                Some(target) => format!(
                    "Require django>={target} where the project declares it, then relock ({})",
                    relock(file.kind)
                ),
                None => ACROSS_MAJOR.to_string(),
            };
            hits.push(
                Hit::at(Location::span(&file.path, entry.version_span))
                    .var("version", entry.version.as_str())
                    .var("series", format!("{major}.{minor}"))
                    .var("ended", ended)
                    .var("target", target.unwrap_or_default())
                    .var("source", source)
                    .var("supported", supported)
                    .var("action", action),
            );
        }
    }
}

/// The Django of setup.py's `install_requires` (a literal list, or the module-level list it
/// names): a pin or a range that admits only ended series. Never edited: the package's
/// declared range is the maintainers' decision, and the lock or deployment must follow.
fn setup_py(project: &Project, calendar: &Calendar, supported: &str, hits: &mut Vec<Hit>) {
    let Some(file) = project.file("setup.py") else {
        return;
    };
    let Ok(text) = file.text() else { return };
    for (literal, span) in crate::project::packaging::install_requires_literals(&text.content) {
        let parsed = crate::formats::requirements::RequirementsFile::parse(&literal);
        let Some(requirement) = parsed.requirements.first() else {
            continue;
        };
        if requirement.name.as_deref().map(normalize_name).as_deref() != Some("django") {
            continue;
        }
        let Some(range) = &requirement.specifiers else {
            continue;
        };
        if range.is_empty() || admits_supported(calendar, range) {
            continue;
        }
        let Some((major, minor, date)) = admitted_ended(calendar, range) else {
            continue;
        };
        hits.push(
            Hit::at(Location::span(&file.path, span))
                .var("version", range.to_string())
                .var("series", format!("{major}.{minor}"))
                .var("ended", format!("on {date}"))
                .var("target", "")
                .var("source", "setup.py install_requires range")
                .var("supported", supported)
                .var(
                    "action",
                    "Change the range to admit a supported series (and test it)",
                ),
        );
    }
}

/// Whether a range admits some version of a supported series, or of a series newer than the
/// table knows. Each series is probed at its first release and at a late patch release, which
/// covers `>=`, `<`, `~=` and `==X.Y.*` bounds on patch versions.
fn admits_supported(calendar: &Calendar, range: &VersionSpecifiers) -> bool {
    let newest = calendar.table.last().map_or(0, |(a, _, _)| *a);
    let mut series = calendar.supported();
    series.push((newest + 1, 0));
    series.iter().any(|(a, b)| admits_series(range, *a, *b))
}

/// An ended series the range admits (the newest one), to name in the message, with its end
/// date.
fn admitted_ended(calendar: &Calendar, range: &VersionSpecifiers) -> Option<(u64, u64, String)> {
    calendar
        .table
        .iter()
        .rev()
        .filter(|(_, _, date)| *date <= calendar.today)
        .find(|(a, b, _)| admits_series(range, *a, *b))
        .cloned()
}

/// Whether `range` admits series `a.b`, probed at its first and a late patch release.
fn admits_series(range: &VersionSpecifiers, a: u64, b: u64) -> bool {
    [format!("{a}.{b}"), format!("{a}.{b}.9999")]
        .iter()
        .filter_map(|v| Version::from_str(v).ok())
        .any(|v| range.contains(&v))
}

#[cfg(test)]
mod tests {
    use super::poetry_constraint;

    #[test]
    fn poetry_constraints_as_pep440() {
        let c = |s: &str| poetry_constraint(s);
        assert_eq!(c("^3.2").as_deref(), Some(">=3.2,<4"));
        assert_eq!(c("^0.9.1").as_deref(), Some(">=0.9.1,<0.10"));
        assert_eq!(c("~3.2").as_deref(), Some(">=3.2,<3.3"));
        assert_eq!(c("~3").as_deref(), Some(">=3,<4"));
        assert_eq!(c("3.2.1").as_deref(), Some("==3.2.1"));
        assert_eq!(c("3.2.*").as_deref(), Some("==3.2.*"));
        assert_eq!(c("~=3.2").as_deref(), Some("~=3.2"));
        assert_eq!(c(">=2.0,<3.0").as_deref(), Some(">=2.0,<3.0"));
        assert_eq!(c("*"), None);
        assert_eq!(c("^2.2 || ^3.2"), None);
    }
}
