//! `deps-unpinned-requirement`: a requirement that lets pip pick any matching version, and
//! that no lock file, constraints file or pip-tools output pins.

use std::collections::BTreeMap;
use std::str::FromStr;
use std::sync::OnceLock;

use pep508_rs::pep440_rs::Version;

use crate::checks::builtins::deps::{DepsIndex, globs};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::lockfile::installed_versions;
use crate::formats::requirements::{Requirement, Source};

pub const BUILTIN: Builtin = Builtin {
    name: "deps-unpinned-requirement",
    vars: &["name", "requirement", "version", "source"],
    params: &["ignore-files"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let ignored = globs(&ctx.param_strings("ignore-files"));
    let index = DepsIndex::new(ctx.project);
    let installed: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    let mut hits = Vec::new();
    for (file, parsed) in &index.requirements {
        if index.is_constraints(file) || ignored.is_match(&file.path) {
            continue;
        }
        let Ok(text) = file.text() else { continue };
        let constrained = index.constraint_pins(file);
        let compiled = index.compiled_pins(file);
        for requirement in &parsed.requirements {
            // Editables, local paths and URLs are not judged by version here (VCS URLs are
            // `deps-vcs-unpinned`'s business).
            if requirement.editable
                || requirement.source != Source::Index
                || requirement.pinned.is_some()
            {
                continue;
            }
            let Some(name) = requirement.name.as_deref() else {
                continue;
            };
            if constrained.contains_key(name)
                || compiled.contains_key(name)
                || index.covering_lock(file.dir(), name).is_some()
            {
                continue;
            }
            let span = requirement.name_and_version_span();
            let written = requirement
                .name_span
                .clone()
                .and_then(|s| text.content.get(s))
                .unwrap_or(name);
            let found = index
                .lock_version(file.dir(), name)
                .map(|(version, lock)| (version.to_string(), lock.path.clone()))
                .or_else(|| {
                    let installed = installed.get_or_init(|| installed_versions(&ctx.project.root));
                    installed
                        .get(name)
                        .map(|v| (v.clone(), "the project's virtualenv".to_string()))
                })
                .filter(|(version, _)| satisfies(requirement, version));
            let mut hit = Hit::at(Location::span(&file.path, span.clone()))
                .var("name", written)
                .var("requirement", text.content.get(span).unwrap_or(name))
                .var("version", found.as_ref().map_or("", |(v, _)| v.as_str()))
                .var("source", found.as_ref().map_or("", |(_, s)| s.as_str()));
            if let Some((version, _)) = &found {
                hit = hit.edits(vec![Edit::replace(
                    &file.path,
                    requirement.version_span.clone(),
                    format!("=={version}"),
                )]);
            }
            hits.push(hit);
        }
    }
    hits
}

/// A pin must keep what the requirement already allows: a version outside its specifiers
/// (or one that is not a valid version) is not offered.
fn satisfies(requirement: &Requirement, version: &str) -> bool {
    let Ok(version) = Version::from_str(version) else {
        return false;
    };
    requirement
        .specifiers
        .as_ref()
        .is_none_or(|s| s.contains(&version))
}
