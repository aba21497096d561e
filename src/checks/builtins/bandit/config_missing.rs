//! `bandit-config-missing`: a Python project with no bandit configuration anywhere (and no
//! other static analysis tool in its place: ruff's S rules, semgrep, CodeQL). The fix
//! adds a minimal `[tool.bandit]` to the root pyproject.toml (appended as text, so the rest of
//! the file keeps its formatting), or creates `.bandit` when there is no pyproject.toml:
//! creating a pyproject.toml would change how pip builds the project.

use crate::checks::builtins::bandit::configs;
use crate::checks::builtins::ci::{Category, Inventory};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::project::{FileKind, Project};

pub const BUILTIN: Builtin = Builtin {
    name: "bandit-config-missing",
    vars: &["path"],
    params: &["exclude-dirs"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let project = ctx.project;
    // bandit reads Python source: a project of requirements files alone has nothing for it.
    if !project.has(FileKind::Python) || !configs(project).is_empty() {
        return Vec::new();
    }
    // A project whose static analysis is another tool (ruff's S rules, semgrep, CodeQL)
    // configures that tool, not bandit.
    let inventory = Inventory::of(project);
    let sast: Vec<&str> = inventory
        .in_ci(Category::Sast)
        .into_iter()
        .chain(inventory.in_precommit(Category::Sast))
        .map(|f| f.tool)
        .collect();
    if !sast.is_empty() && !sast.contains(&"bandit") {
        return Vec::new();
    }
    let dirs = excluded_dirs(project, &ctx.param_strings("exclude-dirs"));
    let quoted: Vec<String> = dirs
        .iter()
        .filter_map(|d| serde_json::to_string(d).ok())
        .collect();
    match project.file("pyproject.toml") {
        Some(file) => {
            let hit =
                Hit::at(Location::file(&file.path)).var("path", "pyproject.toml [tool.bandit]");
            let (Ok(text), Parsed::Toml(_)) = (file.text(), file.parsed()) else {
                return vec![hit];
            };
            let content = &text.content;
            let mut block = String::new();
            if !content.is_empty() && !content.ends_with('\n') {
                block.push('\n');
            }
            if !content.is_empty() {
                block.push('\n');
            }
            block.push_str("[tool.bandit]\n");
            block.push_str("# Directories bandit does not scan: any path containing one of these is skipped.\n");
            block.push_str(&format!("exclude_dirs = [{}]\n", quoted.join(", ")));
            block.push_str(
                "# Tests to skip, each with the reason (prefer `# nosec BXXX` on the one line).\n",
            );
            block.push_str("skips = []\n");
            let new = format!("{content}{block}");
            let valid = toml_edit::Document::parse(new.as_str())
                .ok()
                .is_some_and(|doc| doc.get("tool").and_then(|t| t.get("bandit")).is_some());
            if !valid {
                return vec![hit];
            }
            vec![hit.edits(vec![Edit::insert(&file.path, content.len(), block)])]
        }
        None => {
            let body = format!(
                "# bandit's settings, read by `bandit -r .` (or `bandit --ini .bandit`).\n[bandit]\n# Paths bandit does not scan: any path containing one of these is skipped.\nexclude = {}\n",
                dirs.iter()
                    .map(|d| format!("./{d}"))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            vec![
                Hit::at(Location::file(".bandit"))
                    .var("path", ".bandit")
                    .edits(vec![Edit::create(".bandit", body)]),
            ]
        }
    }
}

/// The `exclude-dirs` parameter's directories that hold Python files, plus virtualenvs (which
/// are usually git-ignored, so not seen, but exist where bandit runs).
fn excluded_dirs(project: &Project, candidates: &[String]) -> Vec<String> {
    let mut out: Vec<String> = candidates
        .iter()
        .filter(|dir| {
            let prefix = format!("{dir}/");
            project
                .files
                .iter()
                .any(|f| f.kind == FileKind::Python && f.path.starts_with(&prefix))
        })
        .cloned()
        .collect();
    for venv in [".venv", "venv"] {
        if !out.iter().any(|d| d == venv) {
            out.push(venv.to_string());
        }
    }
    out
}
