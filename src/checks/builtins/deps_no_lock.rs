//! `deps-no-lock`: an application with neither a lock file nor a fully pinned requirements
//! file, so every build resolves its dependencies afresh.

use super::deps_index::DepsIndex;
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::requirements::{RequirementsFile, Source};
use crate::project::FileKind;

pub const BUILTIN: Builtin = Builtin {
    name: "deps-no-lock",
    vars: &["evidence"],
    params: &["app-files"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let project = ctx.project;
    if project.files.iter().any(|f| f.kind.is_lock()) {
        return Vec::new();
    }
    let app_files = ctx.param_strings("app-files");
    let dockerfile = project.files_of(FileKind::Dockerfile).next();
    let app_file = project
        .files_of(FileKind::Python)
        .find(|f| app_files.iter().any(|name| name == f.name()));
    let declarations: Vec<_> = project
        .files
        .iter()
        .filter(|f| {
            matches!(
                f.kind,
                FileKind::Requirements | FileKind::Pyproject | FileKind::Pipfile
            )
        })
        .collect();
    let has_python = project.has(FileKind::Python) || !declarations.is_empty();
    // An app module with no dependency declared anywhere has nothing to lock; a Dockerfile
    // that builds Python code installs its dependencies somewhere, so it does.
    let evidence = match (dockerfile, app_file) {
        (Some(dockerfile), _) if has_python => dockerfile,
        (_, Some(app)) if !declarations.is_empty() => app,
        _ => return Vec::new(),
    };
    let index = DepsIndex::new(project);
    if index
        .requirements
        .iter()
        .any(|(_, parsed)| fully_pinned(parsed))
    {
        return Vec::new();
    }
    let location = declarations
        .iter()
        .find(|f| f.kind == FileKind::Requirements)
        .or_else(|| declarations.first())
        .map_or_else(|| "pyproject.toml".to_string(), |f| f.path.clone());
    vec![Hit::at(Location::file(location)).var("evidence", evidence.path.as_str())]
}

/// At least one requirement, and every one pip resolves by version pinned (`==`/`===`), every
/// VCS one at a commit. Editables and local paths are the project's own code.
fn fully_pinned(parsed: &RequirementsFile) -> bool {
    let mut any = false;
    for requirement in parsed.requirements.iter().filter(|r| !r.editable) {
        let pinned = match &requirement.source {
            Source::Index => requirement.pinned.is_some(),
            Source::Url(url) => url.vcs.as_ref().is_none_or(|vcs| vcs.pinned_to_commit()),
            Source::Path(_) => continue,
        };
        if !pinned {
            return false;
        }
        any = true;
    }
    any
}
