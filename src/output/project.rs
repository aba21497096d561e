//! `harden project` output: the project model as text for people and as versioned JSON.

use std::collections::BTreeMap;
use std::fmt::Write;

use serde::Serialize;

use crate::project::local_files::LocalFiles;
use crate::project::model::{Image, SettingsModule, Shape};
use crate::project::{Decision, Project, Scope};

/// The schema version of `harden project --format json`.
pub const VERSION: u32 = 1;

/// How many paths of one set-aside group the text output lists.
const SHOWN_PER_GROUP: usize = 5;

fn shape_name(shape: Shape) -> &'static str {
    match shape {
        Shape::Application => "application",
        Shape::Library => "library",
    }
}

/// The model for people: production settings, images and compose files with their evidence,
/// then what was set aside, grouped by reason.
pub fn text(project: &Project) -> String {
    let model = project.model();
    let mut out = String::new();
    let source = match &project.git {
        Some(git) => format!(
            "git work tree: {} tracked files; untracked ignored files are local and not read",
            git.tracked_count()
        ),
        None => "not a git work tree: the files the walk finds, .gitignore honoured".to_string(),
    };
    let _ = writeln!(out, "{} ({source})", project.root.display());
    let _ = writeln!(
        out,
        "shape: {} ({})",
        shape_name(model.shape),
        model.shape_evidence
    );
    if let Some(published) = &model.published {
        let _ = writeln!(out, "published: {published}");
    }
    let local = model.local_files(project);
    let produced: Vec<String> = [
        ("`.env`", local.dotenv.as_ref()),
        ("Flask `instance/`", local.flask_instance.as_ref()),
        ("`local_settings.py`", local.imported.get("local_settings")),
        ("SQLite databases", local.sqlite.as_ref()),
    ]
    .into_iter()
    .filter_map(|(what, evidence)| evidence.map(|e| format!("{what}: {e}")))
    .collect();
    if !produced.is_empty() {
        let _ = writeln!(out, "local files it produces: {}", produced.join("; "));
    }
    section(
        &mut out,
        "Django settings modules",
        &model.settings,
        |s: &SettingsModule| {
            let entry = if s.entry { ", entry" } else { "" };
            (s.path.as_str(), &s.decision, entry)
        },
    );
    section(&mut out, "Docker images", &model.images, |i: &Image| {
        (i.path.as_str(), &i.decision, "")
    });
    section(&mut out, "Compose files", &model.compose, |i: &Image| {
        (i.path.as_str(), &i.decision, "")
    });

    // Set aside: every file not judged as production or repository-wide, grouped by reason.
    let mut groups: BTreeMap<(Scope, &str), Vec<&str>> = BTreeMap::new();
    let mut counts: BTreeMap<Scope, usize> = BTreeMap::new();
    let decisions = model.decisions(project);
    for (path, decision) in &decisions {
        *counts.entry(decision.scope).or_default() += 1;
        if !matches!(decision.scope, Scope::Production | Scope::Repository) {
            groups
                .entry((decision.scope, decision.evidence.as_str()))
                .or_default()
                .push(path);
        }
    }
    if !groups.is_empty() {
        let _ = writeln!(out, "\nSet aside (not judged as production)");
        for ((scope, evidence), paths) in &groups {
            let shown: Vec<&str> = paths.iter().take(SHOWN_PER_GROUP).copied().collect();
            let more = paths.len().saturating_sub(SHOWN_PER_GROUP);
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "  {:<12} {}{more}: {evidence}",
                scope.name(),
                shown.join(", ")
            );
        }
    }
    let counts: Vec<String> = counts
        .iter()
        .map(|(scope, n)| format!("{scope} {n}"))
        .collect();
    let _ = writeln!(out, "\nFiles by scope: {}", counts.join(", "));
    out
}

fn section<T>(
    out: &mut String,
    title: &str,
    items: &[T],
    row: impl Fn(&T) -> (&str, &Decision, &'static str),
) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{title}");
    for item in items {
        let (path, decision, note) = row(item);
        let _ = writeln!(
            out,
            "  {:<12} {path}{note}: {}",
            decision.scope.name(),
            decision.evidence
        );
    }
}

#[derive(Serialize)]
struct JsonModel<'a> {
    version: u32,
    root: String,
    git: bool,
    shape: &'static str,
    shape_evidence: &'a str,
    /// Why the project's package is installed from PyPI, when it is published there.
    published: Option<&'a str>,
    /// The local files it can produce that must stay out of git, with their evidence.
    local_files: &'a LocalFiles,
    settings: &'a [SettingsModule],
    images: &'a [Image],
    compose: &'a [Image],
    files: Vec<JsonFile<'a>>,
}

#[derive(Serialize)]
struct JsonFile<'a> {
    path: &'a str,
    scope: Scope,
    evidence: &'a str,
    /// `true`/`false` in a git work tree, `null` outside one.
    tracked: Option<bool>,
}

/// The model as JSON: every file with its scope and evidence.
pub fn json(project: &Project) -> String {
    let model = project.model();
    let decisions = model.decisions(project);
    let json = JsonModel {
        version: VERSION,
        root: project.root.display().to_string(),
        git: project.git.is_some(),
        shape: shape_name(model.shape),
        shape_evidence: &model.shape_evidence,
        published: model.published.as_deref(),
        local_files: model.local_files(project),
        settings: &model.settings,
        images: &model.images,
        compose: &model.compose,
        files: decisions
            .iter()
            .map(|(path, decision)| JsonFile {
                path,
                scope: decision.scope,
                evidence: &decision.evidence,
                tracked: project.is_tracked(path),
            })
            .collect(),
    };
    // NOTE: only strings, booleans and vectors: serializing cannot fail.
    let mut out = serde_json::to_string_pretty(&json).unwrap_or_default();
    out.push('\n');
    out
}
