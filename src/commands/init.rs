//! `harden init`: create a hardened project, or add to an existing one the files it is missing.
//!
//! Every file is a fix of the `harden fix` machinery (an `Edit::create`, or with `--force` an
//! edit replacing an existing file whole): the list is shown first, then each file's diff and
//! a question on a terminal, or one patch with `--diff`, or everything with `--yes`. Fixes are
//! verified (the new file parses in its format) and written atomically, inside PATH only.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use super::Mode;
use crate::cli::{CiProvider, Framework, InitArgs};
use crate::fix::apply::{self, FileChange, Rejection, check_relative};
use crate::fix::prompt::{self, Answer};
use crate::fix::{Applicability, Edit, Fix, diff, write};
use crate::init::{self, Options, Planned, Role};
use crate::project::{Project, SourceFile, kind::classify};
use crate::templates::Templates;
use crate::{Error, Outcome};

pub fn run(args: &InitArgs, color: bool) -> Result<Outcome, Error> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = anstream::AutoStream::auto(std::io::stdout());
    let mode = Mode::from_flags(args.diff, args.yes, "files", &mut input, &mut output)?;
    init_project(args, mode, color)
}

/// Directories of an existing project bandit should not scan when nothing configures it.
const NOT_APP_DIRS: &[&str] = &[
    ".venv",
    "venv",
    "env",
    ".tox",
    "node_modules",
    "tests",
    "test",
];

/// A file init will not write, and why.
struct Skipped {
    path: String,
    reason: String,
}

/// Decide, show, ask and write; exposed for tests that drive the questions through a reader.
pub fn init_project(args: &InitArgs, mut mode: Mode<'_>, color: bool) -> Result<Outcome, Error> {
    let root = args.path.as_path();
    if root.exists() && !root.is_dir() {
        return Err(Error::Usage(format!(
            "{} exists and is not a directory",
            root.display()
        )));
    }
    let name = match &args.name {
        Some(name) => {
            if let Some(problem) = init::invalid_name(name) {
                return Err(Error::Usage(problem));
            }
            name.clone()
        }
        None => init::derive_name(&dir_name(root)),
    };
    let has_code = root.is_dir() && has_python_code(root, 0);
    let existing_pyproject = std::fs::read_to_string(root.join("pyproject.toml")).ok();
    let options = Options {
        framework: args.framework,
        docker: args.docker,
        ci_github: args.ci == Some(CiProvider::Github),
        ci_gitlab: args.ci == Some(CiProvider::Gitlab),
        name,
        // pre-commit's bandit reads [tool.bandit] when pyproject.toml will have it.
        bandit_config: match &existing_pyproject {
            None => !has_code,
            Some(text) => (!has_code && args.force) || text.contains("[tool.bandit]"),
        },
        bandit_ini: root.join(".bandit").is_file(),
        has_dockerfile: root.join("Dockerfile").is_file(),
        has_workflows: root.join(".github/workflows").is_dir(),
        audit_requirements: if has_code {
            root_requirements(root)
        } else {
            vec!["requirements.txt".into()]
        },
        bandit_excludes: NOT_APP_DIRS
            .iter()
            .filter(|dir| root.join(dir).is_dir())
            .map(|dir| dir.to_string())
            .collect(),
        audit_projects: if has_code && existing_pyproject.is_some() {
            vec![".".into()]
        } else {
            Vec::new()
        },
    };
    let planned = init::plan(&options, &Templates::new())
        .map_err(|e| Error::Io(format!("internal error, nothing written: {e}")))?;

    // What to write, what to keep.
    let mut skipped: Vec<Skipped> = Vec::new();
    // Application files left out because the project has code: counted, not listed (their
    // paths, named after a package the project does not have, would only confuse).
    let mut left_out = 0usize;
    let mut existing: Vec<SourceFile> = Vec::new();
    let mut fixes: Vec<(Fix, bool)> = Vec::new();
    for file in planned {
        match decide(root, &file, has_code, args.force) {
            Decision::LeaveOut => left_out += 1,
            Decision::Skip(reason) => skipped.push(Skipped {
                path: file.path,
                reason,
            }),
            Decision::Create => fixes.push((
                Fix {
                    title: format!("Create {}", file.path),
                    applicability: Applicability::Safe,
                    edits: vec![Edit::create(&file.path, file.content)],
                },
                false,
            )),
            Decision::Overwrite { old, bom } => {
                let kind = classify(&file.path).unwrap_or(crate::project::FileKind::OtherConfig);
                existing.push(SourceFile::with_text(
                    &file.path,
                    std::sync::Arc::new(root.to_path_buf()),
                    kind,
                    &old,
                    bom,
                ));
                fixes.push((
                    Fix {
                        title: format!("Overwrite {}", file.path),
                        applicability: Applicability::Safe,
                        edits: vec![Edit::replace(&file.path, 0..old.len(), file.content)],
                    },
                    true,
                ));
            }
        }
    }
    let project = Project::from_memory(root, existing);

    let mut stderr = anstream::stderr();
    let _ = show_plan(&mut stderr, root, &fixes, &skipped, left_out);

    // Ask, file by file.
    let mut chosen: Vec<&Fix> = Vec::new();
    let mut accept_all = false;
    for (fix, _) in &fixes {
        let answer = match &mut mode {
            Mode::Interactive { input, output } if !accept_all => {
                ask_about(&project, fix, &mut **input, &mut **output, color)
                    .map_err(|e| Error::Io(e.to_string()))?
            }
            _ => Answer::Yes,
        };
        match answer {
            Answer::Yes => chosen.push(fix),
            Answer::All => {
                accept_all = true;
                chosen.push(fix);
            }
            Answer::No => {}
            Answer::Quit => break,
        }
    }

    let applied = apply::apply(&project, &chosen);
    if let Some((_, rejection)) = applied.rejected.first() {
        let message = match rejection {
            Rejection::Broken(message) => message.clone(),
            Rejection::Conflict => "two generated files conflict".to_string(),
            Rejection::Persists => "the generated file does not do what it is for".to_string(),
        };
        // The templates are harden's own: a file that does not parse is a bug, and nothing is
        // written rather than half a project.
        return Err(Error::Io(format!(
            "internal error, nothing written: {message}"
        )));
    }
    let changes: Vec<&FileChange> = applied.changes.values().collect();
    if let Mode::Diff = mode {
        let patch: String = changes.iter().map(|c| diff::unified(c)).collect();
        super::emit(None, &patch)?;
        return Ok(if patch.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Findings
        });
    }
    let made_root = !changes.is_empty() && !root.exists();
    if made_root {
        std::fs::create_dir_all(root)
            .map_err(|e| Error::Io(format!("cannot create {}: {e}", root.display())))?;
    }
    // Every file or none: a file that cannot be written (one that appeared since, a directory
    // that refuses it) leaves no half-made project behind.
    write::write_all(root, changes.iter().copied()).map_err(|(path, e)| {
        if made_root {
            let _ = std::fs::remove_dir(root);
        }
        Error::Io(format!("cannot write {path}: {e}; nothing was written"))
    })?;
    let _ = writeln!(
        stderr,
        "harden: wrote {} file(s) in {}.",
        changes.len(),
        root.display()
    );
    let wrote = |path: &str| changes.iter().any(|c| c.path == path);
    let _ = write!(stderr, "{}", next_steps(args, &options, root, &wrote));
    Ok(Outcome::Clean)
}

enum Decision {
    LeaveOut,
    Create,
    Overwrite { old: String, bom: bool },
    Skip(String),
}

/// Files that do the job of a generated one under another name: when one exists, init does
/// not add a second (two Dependabot configurations, or Dependabot next to Renovate, are an
/// error or a conflict; one security policy is enough).
fn equivalents(path: &str) -> &'static [&'static str] {
    match path {
        ".github/dependabot.yml" => &[
            ".github/dependabot.yaml",
            "renovate.json",
            "renovate.json5",
            ".renovaterc",
            ".renovaterc.json",
            ".github/renovate.json",
            ".github/renovate.json5",
        ],
        "SECURITY.md" => &[
            "SECURITY.rst",
            "SECURITY.txt",
            "SECURITY.markdown",
            ".github/SECURITY.md",
            ".github/SECURITY.rst",
            ".github/SECURITY.txt",
            ".github/SECURITY.markdown",
            "docs/SECURITY.md",
            "docs/SECURITY.rst",
            "docs/SECURITY.txt",
            "docs/SECURITY.markdown",
        ],
        ".pre-commit-config.yaml" => &[".pre-commit-config.yml"],
        ".github/workflows/ci.yml" => &[".github/workflows/ci.yaml"],
        ".github/workflows/security.yml" => &[".github/workflows/security.yaml"],
        _ => &[],
    }
}

fn decide(root: &Path, file: &Planned, has_code: bool, force: bool) -> Decision {
    if file.role == Role::Scaffold && has_code {
        return Decision::LeaveOut;
    }
    if check_relative(&file.path).is_err() {
        return Decision::Skip("not a plain path inside the project".into());
    }
    if let Some(problem) = blocked_parent(root, &file.path) {
        return Decision::Skip(problem);
    }
    if let Some(other) = equivalents(&file.path)
        .iter()
        .find(|other| std::fs::symlink_metadata(root.join(other)).is_ok())
    {
        return Decision::Skip(format!("the project has {other}"));
    }
    let target = root.join(&file.path);
    let Ok(metadata) = std::fs::symlink_metadata(&target) else {
        return Decision::Create;
    };
    if !force {
        return Decision::Skip("exists (--force overwrites)".into());
    }
    if !metadata.is_file() {
        return Decision::Skip("exists and is not a regular file".into());
    }
    let Ok(bytes) = std::fs::read(&target) else {
        return Decision::Skip("exists and cannot be read".into());
    };
    let (bytes, bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest.to_vec(), true),
        None => (bytes, false),
    };
    let Ok(old) = String::from_utf8(bytes) else {
        return Decision::Skip("exists and is not UTF-8".into());
    };
    if old.replace("\r\n", "\n") == file.content {
        return Decision::Skip("exists, already as init writes it".into());
    }
    Decision::Overwrite { old, bom }
}

/// Why a directory on the way to `path` (inside root) cannot hold it: a symbolic link (init
/// never writes through one, so it cannot write outside the project) or something that is not
/// a directory (checked before anything is written, so a run never stops half-way).
fn blocked_parent(root: &Path, path: &str) -> Option<String> {
    let mut dir = root.to_path_buf();
    let parts: Vec<&str> = path.split('/').collect();
    let (_, dirs) = parts.split_last()?;
    for (depth, part) in dirs.iter().enumerate() {
        dir.push(part);
        let Ok(metadata) = std::fs::symlink_metadata(&dir) else {
            return None;
        };
        let shown = dirs.get(..=depth).map(|d| d.join("/")).unwrap_or_default();
        if metadata.file_type().is_symlink() {
            return Some(format!("{shown} is a symbolic link"));
        }
        if !metadata.is_dir() {
            return Some(format!("{shown} is not a directory"));
        }
    }
    None
}

/// The pinned requirements files at the root of an existing project (requirements*.txt), for
/// pip-audit; `requirements.in` and friends are not pinned, so they are left out.
fn root_requirements(root: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(root) else {
        return Vec::new();
    };
    let mut out: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("requirements") && n.ends_with(".txt"))
        .collect();
    out.sort();
    out
}

/// The directory's own name (of the current directory for `.`).
fn dir_name(root: &Path) -> String {
    let absolute: PathBuf = root
        .canonicalize()
        .ok()
        .or_else(|| std::env::current_dir().ok().map(|cwd| cwd.join(root)))
        .unwrap_or_else(|| root.to_path_buf());
    absolute
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether the project has Python code already (a `.py` file a few levels down, outside
/// hidden and environment directories).
fn has_python_code(dir: &Path, depth: usize) -> bool {
    if depth > 3 {
        return false;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_file() && name.ends_with(".py") {
            return true;
        }
        let skip = name.starts_with('.')
            || matches!(
                name.as_str(),
                "venv" | "env" | "node_modules" | "build" | "dist" | "__pycache__"
            );
        if kind.is_dir() && !skip && has_python_code(&entry.path(), depth + 1) {
            return true;
        }
    }
    false
}

fn show_plan(
    out: &mut dyn Write,
    root: &Path,
    fixes: &[(Fix, bool)],
    skipped: &[Skipped],
    left_out: usize,
) -> std::io::Result<()> {
    if fixes.is_empty() {
        writeln!(out, "harden: nothing to write in {}.", root.display())?;
    } else {
        writeln!(
            out,
            "harden: {} file(s) to write in {}:",
            fixes.len(),
            root.display()
        )?;
        for (fix, overwrite) in fixes {
            let path = fix.edits.first().map_or("", Edit::path);
            let action = if *overwrite { "overwrite" } else { "create" };
            writeln!(out, "  {action:<9} {path}")?;
        }
    }
    if !skipped.is_empty() {
        writeln!(out, "kept as they are:")?;
        for skip in skipped {
            writeln!(out, "  {:<30} {}", skip.path, skip.reason)?;
        }
    }
    if left_out > 0 {
        writeln!(
            out,
            "The project already has Python code, so {left_out} application file(s) are not written: the settings and entry points, pyproject.toml, requirements.in, .env.example, the Dockerfile and the CI workflow are for new projects."
        )?;
    }
    Ok(())
}

fn ask_about(
    project: &Project,
    fix: &Fix,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    color: bool,
) -> std::io::Result<Answer> {
    let preview = apply::apply(project, &[fix]);
    let patch: String = preview.changes.values().map(diff::unified).collect();
    let patch = if color { diff::colorize(&patch) } else { patch };
    writeln!(output, "\n{}", fix.title)?;
    write!(output, "{patch}")?;
    prompt::ask(input, output, "Write this file")
}

/// What a newcomer does next, in order, for what was just written.
fn next_steps(
    args: &InitArgs,
    options: &Options,
    root: &Path,
    wrote: &dyn Fn(&str) -> bool,
) -> String {
    let mut steps: Vec<String> = Vec::new();
    if root != Path::new(".") {
        steps.push(format!("cd {}", root.display()));
    }
    if wrote(".env.example") && !root.join(".env").exists() {
        steps.push(
            "cp .env.example .env    # then fill in the secrets; .gitignore keeps .env out of git"
                .to_string(),
        );
    }
    if wrote("requirements.in") && !root.join("requirements.txt").exists() {
        steps.push(
            "uv pip compile --generate-hashes requirements.in -o requirements.txt    # the pinned, hashed lock the Dockerfile and CI install (or pip-compile --generate-hashes)"
                .to_string(),
        );
    }
    let name = &options.name;
    if wrote("pyproject.toml") {
        steps.push(match args.framework {
            Framework::Django => format!(
                "DJANGO_SETTINGS_MODULE={name}.settings.development python manage.py runserver    # manage.py defaults to production settings"
            ),
            Framework::Flask => format!(
                "FLASK_CONFIG={name}.config.DevelopmentConfig flask --app {name} run --debug    # the factory defaults to ProductionConfig"
            ),
            Framework::Fastapi => format!(
                "APP_ENV=development uvicorn {name}.main:app --reload    # production settings unless APP_ENV=development"
            ),
        });
    }
    steps.push("harden check --profile strict".to_string());
    if args.ci.is_none() && !root.join(".github/workflows").is_dir() {
        steps.push(
            "# no CI workflow was written: pass --ci github for tests, bandit and pip-audit on every push and pull request, or let `harden fix` add the security jobs later"
                .to_string(),
        );
    }
    let mut out = String::from("Next steps:\n");
    for step in steps {
        out.push_str("  ");
        out.push_str(&step);
        out.push('\n');
    }
    out
}
