//! `ci-tool-missing`: no security tool of one category (`category` param: `sast`, `audit` or
//! `secrets`) runs for a Python project. Behind `ci-sast-missing`,
//! `ci-dependency-audit-missing` and `ci-secret-scan-missing`.
//!
//! The fix writes `.github/workflows/security.yml` from `templates/fix/security.yml.j2`. Every
//! one of the three renders the same complete file for the project (bandit, plus pip-audit when
//! there are dependencies to audit, plus detect-secrets for the secrets check), so when two of
//! them fire the first creates the file, the second conflicts with it, and on the next round
//! the file satisfies both. When the file exists already the missing job is added at the end
//! of its `jobs`; when neither can be done the finding is display-only. On a project hosted on
//! GitLab (a `.gitlab-ci.yml` and no GitHub workflows) the job is added at the end of
//! `.gitlab-ci.yml` instead (`templates/fix/gitlab-security.yml.j2`), comments and layout kept.

use globset::GlobSet;

use crate::checks::builtins::ci::{Category, Inventory, has_python};
use crate::checks::builtins::dependabot::skip_globs;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::gitlab_ci::rules::Source;
use crate::project::{FileKind, Project};
use crate::templates::gitlab_security;
use crate::templates::security_workflow::{self as workflow, BanditConfig, Shape};

pub const BUILTIN: Builtin = Builtin {
    name: "ci-tool-missing",
    vars: &["tools", "precommit", "target"],
    params: &["category", "ignore-paths"],
    run,
};

/// Top-level directories bandit skips when the project has no bandit configuration.
const NOT_APP_DIRS: &[&str] = &[
    ".venv",
    "venv",
    "env",
    ".tox",
    "node_modules",
    "tests",
    "test",
    "docs",
];

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let category = match ctx.param_str("category") {
        Some("sast") => Category::Sast,
        Some("audit") => Category::Audit,
        Some("secrets") => Category::Secrets,
        _ => return Vec::new(),
    };
    let project = ctx.project;
    // Static analysis needs Python source; auditing and secret scanning apply to any Python
    // project, requirements files alone included.
    let applies = match category {
        Category::Sast => project.has(FileKind::Python),
        Category::Audit | Category::Secrets => has_python(project),
    };
    if !applies {
        return Vec::new();
    }
    let skip = skip_globs(&ctx.param_strings("ignore-paths"));
    let mut shape = shape(project, &skip, category == Category::Secrets);
    if category == Category::Audit && shape.requirements.is_empty() && !declares_deps(project) {
        // Nothing declared, nothing to audit.
        return Vec::new();
    }
    let inventory = Inventory::of(project);
    if category != Category::Audit && !inventory.in_ci(Category::Audit).is_empty() {
        // Dependencies are audited elsewhere already: no second audit job.
        shape.requirements.clear();
        shape.projects.clear();
    }
    let in_ci = inventory.in_ci(category);
    let precommit_only = inventory.in_precommit(category);
    let satisfied =
        !in_ci.is_empty() || (category == Category::Secrets && !precommit_only.is_empty());
    if satisfied {
        return Vec::new();
    }
    let tools = match category {
        Category::Sast => "bandit, ruff with the S rules, semgrep or CodeQL",
        Category::Audit => "pip-audit, safety, osv-scanner or dependency-review",
        Category::Secrets => "gitleaks, trufflehog, detect-secrets or ggshield",
    };
    let mut precommit_tools: Vec<&str> = precommit_only.iter().map(|f| f.tool).collect();
    precommit_tools.dedup();
    let gitlab = gitlab_ci_file(project);
    let target = existing_workflow(project);
    // A project whose CI is Zuul alone (OpenDev, no GitHub workflow, no GitLab CI) is told
    // where its jobs are; a GitHub workflow there would never run, so no fix is offered.
    let zuul = (gitlab.is_none() && !project.has(FileKind::Workflow))
        .then(|| zuul_project_file(project))
        .flatten();
    let path = zuul.unwrap_or(gitlab.unwrap_or(target.unwrap_or(workflow::PATH)));
    let mut hit = Hit::at(Location::file(path))
        .var("tools", tools)
        .var("precommit", precommit_tools.join(", "))
        .var("target", path);
    for found in &precommit_only {
        let location = match &found.span {
            Some(span) => Location::span(&found.path, span.clone()),
            None => Location::file(&found.path),
        };
        hit = hit.related(
            location,
            format!(
                "{} runs as a pre-commit hook, which can be skipped and which no workflow runs",
                found.tool
            ),
        );
    }
    let edit = match (zuul, gitlab) {
        (Some(_), _) => None,
        (None, Some(path)) => gitlab_fix(ctx, project, &shape, category, path),
        (None, None) => fix(ctx, project, &shape, category, target),
    };
    match edit {
        Some(edit) => vec![hit.edits(vec![edit])],
        None => vec![hit],
    }
}

/// The Zuul file that holds the project's `project:` entry (its pipelines), else its first
/// Zuul file, when the project has any.
fn zuul_project_file(project: &Project) -> Option<&str> {
    let zuul: Vec<&crate::project::SourceFile> = project
        .files
        .iter()
        .filter(|f| super::is_zuul_config(&f.path))
        .collect();
    zuul.iter()
        .find(|f| {
            f.text()
                .is_ok_and(|t| t.content.lines().any(|l| l.trim_start() == "- project:"))
        })
        .or(zuul.first())
        .map(|f| f.path.as_str())
}

/// The root `.gitlab-ci.yml` of a project hosted on GitLab: where the fix adds its job.
fn gitlab_ci_file(project: &Project) -> Option<&'static str> {
    if !crate::checks::builtins::gitlab::is_gitlab_hosted(project) {
        return None;
    }
    [".gitlab-ci.yml", ".gitlab-ci.yaml"]
        .into_iter()
        .find(|p| project.file(p).is_some())
}

/// The missing job added at the end of `.gitlab-ci.yml`, in the `test` stage (GitLab's
/// default). Not offered when the pipeline declares `stages:` without `test`, since which stage
/// a scan belongs to is then the project's choice.
fn gitlab_fix(
    ctx: &Ctx<'_>,
    project: &Project,
    shape: &Shape,
    category: Category,
    path: &str,
) -> Option<Edit> {
    let file = project.file(path)?;
    let text = file.text().ok()?;
    let Parsed::Yaml(yaml) = file.parsed() else {
        return None;
    };
    if let Some(stages) = yaml.value.get("stages") {
        let stages = stages.as_sequence()?;
        if !stages.iter().any(|s| s.as_str() == Some("test")) {
            return None;
        }
    }
    let pipeline = crate::checks::builtins::gitlab::pipelines(project)
        .into_iter()
        .find(|p| p.files.last().is_some_and(|f| f.path == path))?;
    let placement = gitlab_security::Placement {
        stage: "test".to_string(),
        mr_rules: pipeline.pipeline.creates(Source::BranchPush) == Some(false),
        init: false,
    };
    let rendered = gitlab_security::render(ctx.templates, shape, &placement)?;
    let job = match category {
        Category::Sast => "bandit",
        Category::Audit => "pip-audit",
        Category::Secrets => "detect-secrets",
    };
    let new = gitlab_security::add_job(&text.content, job, &rendered)?;
    Edit::from_rewrite(path, &text.content, &new)
}

/// The security workflow already in the project, if there is one.
fn existing_workflow(project: &Project) -> Option<&'static str> {
    [workflow::PATH, ".github/workflows/security.yaml"]
        .into_iter()
        .find(|p| project.file(p).is_some() || project.root.join(p).is_file())
}

fn fix(
    ctx: &Ctx<'_>,
    project: &Project,
    shape: &Shape,
    category: Category,
    target: Option<&str>,
) -> Option<Edit> {
    let rendered = workflow::render(ctx.templates, shape)?;
    let job = match category {
        Category::Sast => "bandit",
        Category::Audit => "pip-audit",
        Category::Secrets => "detect-secrets",
    };
    if !rendered.contains(&format!("\n  {job}:\n")) {
        return None;
    }
    match target {
        None => Some(Edit::create(workflow::PATH, rendered)),
        Some(path) => {
            let text = project.file(path)?.text().ok()?;
            let new = workflow::add_job(&text.content, job, &rendered)?;
            Edit::from_rewrite(path, &text.content, &new)
        }
    }
}

/// What the security workflow must cover in this project.
pub fn shape(project: &Project, skip: &GlobSet, secret_scan: bool) -> Shape {
    let config = bandit_config(project);
    let bandit_excludes = if config.is_none() {
        NOT_APP_DIRS
            .iter()
            .filter(|dir| {
                // The files are sorted by path: those under `dir/` are one run of the list.
                let prefix = format!("{dir}/");
                let start = project
                    .files
                    .partition_point(|f| f.path.as_str() < prefix.as_str());
                project.files[start..]
                    .iter()
                    .take_while(|f| f.path.starts_with(&prefix))
                    .any(|f| f.kind == FileKind::Python)
            })
            .map(|d| d.to_string())
            .collect()
    } else {
        Vec::new()
    };
    let requirement_files: Vec<&str> = project
        .files_of(FileKind::Requirements)
        .map(|f| f.path.as_str())
        .filter(|p| !skip.is_match(p))
        .collect();
    let txt: Vec<String> = requirement_files
        .iter()
        .filter(|p| p.ends_with(".txt"))
        .map(|p| p.to_string())
        .collect();
    let requirements = if txt.is_empty() {
        requirement_files.iter().map(|p| p.to_string()).collect()
    } else {
        txt
    };
    let projects = project
        .files_of(FileKind::Pyproject)
        .filter(|f| !skip.is_match(&f.path))
        .filter(|f| match f.parsed() {
            Parsed::Toml(toml) => toml.get(&["project", "dependencies"]).is_some(),
            _ => false,
        })
        .map(|f| {
            let dir = f.dir();
            if dir.is_empty() {
                ".".to_string()
            } else {
                dir.to_string()
            }
        })
        .collect();
    let secrets_baseline = project
        .root
        .join(".secrets.baseline")
        .is_file()
        .then(|| ".secrets.baseline".to_string());
    Shape {
        branches: workflow::default_branches(&project.root),
        bandit_targets: vec![".".to_string()],
        bandit_config: config,
        bandit_excludes,
        requirements,
        projects,
        secret_scan,
        secrets_baseline,
    }
}

/// Any dependency declaration at all (what `pip-audit` would have to read).
fn declares_deps(project: &Project) -> bool {
    project.files.iter().any(|f| {
        f.kind.is_lock()
            || f.kind == FileKind::Pipfile
            || (f.kind == FileKind::Pyproject
                && matches!(f.parsed(), Parsed::Toml(toml)
                    if toml.get(&["project", "dependencies"]).is_some()
                        || toml.get(&["tool", "poetry", "dependencies"]).is_some()))
    })
}

/// The root bandit configuration: `[tool.bandit]` in pyproject.toml, else bandit.yaml/.yml,
/// else `.bandit`.
pub fn bandit_config(project: &Project) -> Option<BanditConfig> {
    if let Some(Parsed::Toml(toml)) = project.file("pyproject.toml").map(|f| f.parsed())
        && toml.get(&["tool", "bandit"]).is_some()
    {
        return Some(BanditConfig::Pyproject("pyproject.toml".to_string()));
    }
    for path in ["bandit.yaml", "bandit.yml"] {
        if project.file(path).is_some() {
            return Some(BanditConfig::Yaml(path.to_string()));
        }
    }
    project
        .file(".bandit")
        .map(|_| BanditConfig::Ini(".bandit".to_string()))
}
