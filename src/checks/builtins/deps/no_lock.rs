//! `deps-no-lock`: an application with neither a lock file nor a fully pinned requirements
//! file, so every build resolves its dependencies afresh.

use crate::checks::builtins::deps::DepsIndex;
use crate::checks::builtins::docker::{has_option, pip_install, program_and_args, run_commands};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::Parsed;
use crate::formats::dockerfile::Dockerfile;
use crate::formats::requirements::{IncludeKind, RequirementsFile, Source};
use crate::project::{FileKind, Scope};

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
    // A Dockerfile is evidence of a deployed Python application when it starts from a Python
    // image or installs Python packages: one that builds a Rust or Go binary resolves none.
    // NOTE: only what ships is evidence: a development image (Modoboa's `Dockerfile.dev`) or
    // an `example_project/manage.py` (HyperKitty) deploys nothing.
    // A published package's image that installs a release by name from an index (Review
    // Board's `pip install ReviewBoard~=$VERSION`) consumes the package like any user: the
    // repository's declarations are not what it resolves, so no lock here would pin it (the
    // Docker checks judge its own pins). It is evidence when it installs from the build
    // context: a requirements file, the source tree, a project manager's sync.
    let published = project.model().published.is_some();
    let ships = |f: &&crate::project::SourceFile| project.scope(&f.path) == Scope::Production;
    let dockerfile = project
        .files_of(FileKind::Dockerfile)
        .filter(ships)
        .find(|f| {
            f.text().is_ok_and(|t| installs_python_packages(&t.content))
                && (!published
                    || matches!(f.parsed(), Parsed::Dockerfile(parsed) if installs_from_context(parsed)))
        });
    let app_file = project
        .files_of(FileKind::Python)
        .filter(ships)
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
    // NOTE: a package published to PyPI (pretalx: a Django application installed with
    // `pip install pretalx`) declares ranges by design, and whoever installs it locks what they
    // deploy: its entry modules say nothing about a lock. A Dockerfile that builds an image
    // from those ranges still does.
    let evidence = match (dockerfile, app_file) {
        (Some(dockerfile), _) if has_python => dockerfile,
        (_, Some(app)) if !declarations.is_empty() && !published => app,
        _ => return Vec::new(),
    };
    let index = DepsIndex::new(project);
    if index
        .requirements
        .iter()
        .any(|(file, parsed)| fully_pinned(&index, file.dir(), parsed, 0))
    {
        return Vec::new();
    }
    // The finding is about what the deployment installs: on a requirements file of that, not
    // on `requirements-dev.txt` (which sorts first, and which baseline does not judge).
    let deployed = |f: &&&crate::project::SourceFile| {
        !matches!(
            project.scope(&f.path),
            crate::project::Scope::Development | crate::project::Scope::Test
        )
    };
    let location = declarations
        .iter()
        .filter(deployed)
        .find(|f| f.kind == FileKind::Requirements)
        .or_else(|| declarations.iter().find(deployed))
        .or_else(|| declarations.first())
        .map_or_else(|| "pyproject.toml".to_string(), |f| f.path.clone());
    vec![Hit::at(Location::file(location)).var("evidence", evidence.path.as_str())]
}

/// Whether a Dockerfile installs Python packages from its build context: a requirements file
/// (`pip install -r`), a path (`pip install .`, `/app`, `-e .`), or a project manager's install
/// or sync (`poetry install`, `uv sync`, `pipenv`, `pdm`, `pip-sync`, `setup.py install`).
fn installs_from_context(parsed: &Dockerfile) -> bool {
    run_commands(parsed).iter().any(|(_, command)| {
        if let Some(install) = pip_install(command) {
            return has_option(install.args, "--requirement", Some("-r"))
                || has_option(install.args, "--editable", Some("-e"))
                || install
                    .requirements()
                    .iter()
                    .any(|w| is_local_path(&w.value));
        }
        let Some((name, args)) = program_and_args(command) else {
            return false;
        };
        let verb = args
            .iter()
            .map(|w| w.value.as_str())
            .find(|w| !w.starts_with('-'));
        match name {
            "poetry" | "pipenv" | "pdm" => matches!(verb, Some("install" | "sync")),
            "uv" => verb == Some("sync"),
            "pip-sync" => true,
            _ => name.starts_with("python") && verb.is_some_and(|v| v.ends_with("setup.py")),
        }
    })
}

/// A pip target naming a directory or file of the build context, not a requirement by name
/// or a URL.
fn is_local_path(target: &str) -> bool {
    !target.contains("://")
        && (target.starts_with('.') || target.starts_with('/') || target.contains('/'))
}

fn installs_python_packages(dockerfile: &str) -> bool {
    static INSTALL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"(?im)\b(pip3?|uv|poetry|pipenv|pdm|pip-sync)\b[^\n]*\b(install|sync|add)\b|^\s*FROM\s+(--\S+\s+)*(\S*/)?python[:@\s]",
        )
            .expect("static regex")
    });
    INSTALL.is_match(dockerfile)
}

/// At least one requirement, and every one pip resolves by version pinned (`==`/`===`), every
/// VCS one at a commit, in the file and in every file it pulls in with `-r` (a pinned
/// requirements-dev.txt that includes an unpinned requirements.txt locks nothing). Editables
/// and local paths are the project's own code.
fn fully_pinned(index: &DepsIndex<'_>, dir: &str, parsed: &RequirementsFile, depth: usize) -> bool {
    // Include cycles and absurd depths end here, as unpinned.
    if depth > 8 {
        return false;
    }
    let mut any = false;
    for include in parsed
        .includes
        .iter()
        .filter(|i| i.kind == IncludeKind::Requirements)
    {
        let Some(path) = include.resolve(dir) else {
            return false;
        };
        let Some(included) = index.requirements_file(&path) else {
            return false;
        };
        let included_dir = path.rsplit_once('/').map_or("", |(d, _)| d);
        if !fully_pinned(index, included_dir, included, depth + 1) {
            return false;
        }
        any |= !included.requirements.is_empty();
    }
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
