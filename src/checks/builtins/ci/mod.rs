//! Which security tools a project runs, and where: the shared inventory behind the ci-* checks
//! and `repo-precommit-security-hooks-missing`. Not a builtin itself.
//!
//! Read from every GitHub Actions workflow (`.github/workflows/*.yml`) and from
//! `.pre-commit-config.yaml`. A tool counts when it is
//! - the action of a step (`uses: github/codeql-action/analyze@...`) or of a job calling a
//!   reusable workflow (`uses: google/osv-scanner-action/.github/workflows/...`);
//! - a command word in a step's `run:` script (`bandit -r src`, `python -m pip_audit`,
//!   `uvx semgrep scan`): whole words only, and not in an install command (`pip install
//!   bandit` installs it, it does not run it);
//! - a pre-commit hook, by id, or by the command of a local hook's `entry`.
//!
//! Ruff counts as static analysis only when its `S` (flake8-bandit) rules are on: `--select`
//! or `--extend-select` on the command line or in the hook's `args`, or `select` /
//! `extend-select` in `[tool.ruff]`, `[tool.ruff.lint]` of the root pyproject.toml or in a
//! root `ruff.toml` / `.ruff.toml` (`S`, `S1xx`-style codes or `ALL`).
//!
//! Pre-commit hooks run on developers' machines, where they can be skipped; they count as CI
//! only when a workflow runs pre-commit (`pre-commit run`, `pre-commit/action`) or the config
//! has a `ci:` section (pre-commit.ci).
//!
//! GitLab CI is the second CI: every job of every pipeline (`.gitlab-ci.yml` with its local
//! includes, `extends:`, anchors and `!reference`s resolved) is read like a workflow, its
//! `before_script`/`script`/`after_script` lines scanned as `run:` scripts; it "runs on pull
//! requests" when its rules let it run in merge request pipelines or in branch pipelines before
//! merge. GitLab's own security templates (`Security/SAST.gitlab-ci.yml`, `Jobs/...`) and CI/CD
//! components count as their tools. CircleCI (`.circleci/config.yml`) and Azure Pipelines
//! (`azure-pipelines.yml`) commands are scanned too, and so are the tox environments of the
//! jobs a Zuul project runs before merge (`.zuul.yaml`, `zuul.d/`). A command that runs a
//! `make` target, a tox environment or a nox session counts with the commands of that target,
//! environment or session (read from the root Makefile, tox.ini and noxfile.py, never run).

pub(crate) mod security_scan_not_on_pr;
pub(crate) mod tool_missing;

use std::ops::Range;

use crate::checks::builtins::gitlab;
use crate::formats::Parsed;
use crate::formats::gitlab_ci::IncludeKind;
use crate::formats::yaml::{Step, Value, YamlFile, get};
use crate::project::{FileKind, Project};

/// Which CI system runs a [`Workflow`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CiSystem {
    GithubActions,
    /// A GitLab CI job (its name), or `None` for GitLab's own templates and components.
    Gitlab(Option<String>),
    /// CircleCI or Azure Pipelines.
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Category {
    /// Static analysis of the Python code.
    Sast,
    /// Known vulnerabilities in dependencies.
    Audit,
    /// Committed credentials.
    Secrets,
}

/// One security tool found in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub category: Category,
    pub tool: &'static str,
    pub path: String,
    pub span: Option<Range<usize>>,
}

/// A workflow and what it runs.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub path: String,
    /// Triggered by `pull_request` (not `pull_request_target`, which runs the base branch's
    /// code and so never scans the change).
    pub on_pr: bool,
    /// Only callable from other workflows (`on: workflow_call` and nothing else).
    pub reusable: bool,
    /// Span of the `on` key, where a missing trigger is reported.
    pub on_span: Option<Range<usize>>,
    /// Runs the pre-commit hooks.
    pub runs_precommit: bool,
    /// Local reusable workflows its jobs call (`./.github/workflows/x.yml`), as project paths.
    pub calls: Vec<String>,
    pub found: Vec<Found>,
    pub system: CiSystem,
}

#[derive(Debug, Clone)]
pub struct Precommit {
    pub path: String,
    /// Has a `ci:` section: pre-commit.ci runs it on pull requests.
    pub ci_section: bool,
    /// Span of the `repos` key, where missing hooks are reported.
    pub repos_span: Option<Range<usize>>,
    pub found: Vec<Found>,
}

#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub workflows: Vec<Workflow>,
    pub precommit: Option<Precommit>,
}

impl Inventory {
    pub fn of(project: &Project) -> Self {
        let ruff_s = ruff_config_selects_s(project);
        let targets = Targets::read(project);
        let mut workflows: Vec<Workflow> = project
            .files_of(FileKind::Workflow)
            .filter_map(|file| match file.parsed() {
                Parsed::Yaml(yaml) => Some(read_workflow(&file.path, yaml, ruff_s, &targets)),
                _ => None,
            })
            .collect();
        workflows.sort_by(|a, b| a.path.cmp(&b.path));
        workflows.extend(read_gitlab(project, ruff_s, &targets));
        workflows.extend(read_other_ci(project, ruff_s, &targets));
        workflows.extend(read_zuul(project, ruff_s, &targets));
        let precommit = project
            .files_of(FileKind::PrecommitConfig)
            .filter(|f| f.path == ".pre-commit-config.yaml")
            .find_map(|file| match file.parsed() {
                Parsed::Yaml(yaml) => Some(read_precommit(&file.path, yaml, ruff_s)),
                _ => None,
            });
        Self {
            workflows,
            precommit,
        }
    }

    /// Whether the pre-commit hooks run in CI.
    pub fn precommit_in_ci(&self) -> bool {
        self.precommit.as_ref().is_some_and(|p| p.ci_section)
            || self.workflows.iter().any(|w| w.runs_precommit)
    }

    /// Every tool of `category` that runs in CI: in workflows, and in the pre-commit hooks when
    /// those run in CI.
    pub fn in_ci(&self, category: Category) -> Vec<&Found> {
        let mut out: Vec<&Found> = self
            .workflows
            .iter()
            .flat_map(|w| &w.found)
            .filter(|f| f.category == category)
            .collect();
        if self.precommit_in_ci()
            && let Some(precommit) = &self.precommit
        {
            out.extend(precommit.found.iter().filter(|f| f.category == category));
        }
        out
    }

    /// Tools of `category` configured as pre-commit hooks.
    pub fn in_precommit(&self, category: Category) -> Vec<&Found> {
        self.precommit
            .iter()
            .flat_map(|p| &p.found)
            .filter(|f| f.category == category)
            .collect()
    }

    /// Whether `workflow` runs on pull requests, itself or through a local workflow that calls
    /// it.
    pub fn runs_on_pr(&self, workflow: &Workflow) -> bool {
        workflow.on_pr
            || self
                .workflows
                .iter()
                .any(|caller| caller.on_pr && caller.calls.contains(&workflow.path))
    }

    /// What `workflow` runs, itself and through the local workflows it calls.
    pub fn categories(&self, workflow: &Workflow) -> Vec<Category> {
        let mut out: Vec<Category> = workflow.found.iter().map(|f| f.category).collect();
        for callee in self
            .workflows
            .iter()
            .filter(|w| workflow.calls.contains(&w.path))
        {
            out.extend(callee.found.iter().map(|f| f.category));
        }
        if workflow.runs_precommit
            && let Some(precommit) = &self.precommit
        {
            out.extend(precommit.found.iter().map(|f| f.category));
        }
        out.sort();
        out.dedup();
        out
    }
}

/// Python code, a Python project file or a requirements file: what makes the ci-* checks
/// apply at all.
pub fn has_python(project: &Project) -> bool {
    project.files.iter().any(|f| {
        matches!(
            f.kind,
            FileKind::Python
                | FileKind::Pyproject
                | FileKind::Requirements
                | FileKind::Pipfile
                | FileKind::PoetryLock
                | FileKind::UvLock
                | FileKind::PdmLock
                | FileKind::PipfileLock
        )
    })
}

fn key(name: &str) -> Step {
    Step::Key(name.to_string())
}

fn read_workflow(path: &str, yaml: &YamlFile, ruff_s: bool, targets: &Targets) -> Workflow {
    let triggers = triggers(get(&yaml.value, "on"));
    let mut workflow = Workflow {
        path: path.to_string(),
        on_pr: triggers.iter().any(|t| t == "pull_request"),
        reusable: !triggers.is_empty() && triggers.iter().all(|t| t == "workflow_call"),
        on_span: yaml.key_span(&[key("on")]),
        runs_precommit: false,
        calls: Vec::new(),
        found: Vec::new(),
        system: CiSystem::GithubActions,
    };
    let Some(jobs) = get(&yaml.value, "jobs").and_then(Value::as_mapping) else {
        return workflow;
    };
    for (job_name, job) in jobs {
        let Some(job_name) = job_name.as_str() else {
            continue;
        };
        if let Some(uses) = get(job, "uses").and_then(Value::as_str) {
            let span = yaml.value_span(&[key("jobs"), key(job_name), key("uses")]);
            if let Some(local) = uses.strip_prefix("./") {
                workflow.calls.push(local.to_string());
            } else if let Some((category, tool)) = action_tool(uses, get(job, "with"), ruff_s) {
                workflow.found.push(found(category, tool, path, span));
            }
        }
        let Some(steps) = get(job, "steps").and_then(Value::as_sequence) else {
            continue;
        };
        for (index, step) in steps.iter().enumerate() {
            let route = |leaf: &str| {
                [
                    key("jobs"),
                    key(job_name),
                    key("steps"),
                    Step::Index(index),
                    key(leaf),
                ]
            };
            if let Some(uses) = get(step, "uses").and_then(Value::as_str) {
                let action = action_name(uses);
                if action == "pre-commit/action" || action == "pre-commit-ci/lite-action" {
                    workflow.runs_precommit = true;
                }
                // `languages: ${{ matrix.language }}` is read through the job's matrix.
                let with = get(step, "with")
                    .map(|w| crate::formats::workflow::with_matrix(w, get(job, "strategy")));
                if let Some((category, tool)) = action_tool(uses, with.as_ref(), ruff_s) {
                    let span = yaml.value_span(&route("uses"));
                    workflow.found.push(found(category, tool, path, span));
                }
            }
            if let Some(run) = get(step, "run").and_then(Value::as_str) {
                let script = targets.scan(run, ruff_s);
                workflow.runs_precommit |= script.precommit;
                let span = yaml.value_span(&route("run"));
                for (category, tool) in script.tools {
                    workflow
                        .found
                        .push(found(category, tool, path, span.clone()));
                }
            }
        }
    }
    workflow
}

fn found(category: Category, tool: &'static str, path: &str, span: Option<Range<usize>>) -> Found {
    Found {
        category,
        tool,
        path: path.to_string(),
        span,
    }
}

/// Event names of an `on:` value in any of its forms: a string, a list, or a map.
pub fn triggers(on: Option<&Value>) -> Vec<String> {
    crate::formats::workflow::events(on)
}

/// `owner/repo[/path]` of a `uses:` value, lowercased, without its `@ref`.
fn action_name(uses: &str) -> String {
    uses.split('@').next().unwrap_or(uses).to_ascii_lowercase()
}

/// A security tool run by an action (or reusable workflow) reference.
fn action_tool(uses: &str, with: Option<&Value>, ruff_s: bool) -> Option<(Category, &'static str)> {
    let name = action_name(uses);
    let with_str = |k: &str| with.and_then(|w| get(w, k)).and_then(Value::as_str);
    let starts = |prefix: &str| name == prefix || name.starts_with(&format!("{prefix}/"));
    if starts("github/codeql-action") {
        // `init` decides the languages; a CodeQL set up for other languages only does not
        // look at the Python code.
        let python =
            with_str("languages").is_none_or(|l| l.to_ascii_lowercase().contains("python"));
        return (name.ends_with("/init") && python).then_some((Category::Sast, "CodeQL"));
    }
    const BY_PREFIX: &[(&str, Category, &str)] = &[
        ("pycqa/bandit-action", Category::Sast, "bandit"),
        ("semgrep/semgrep-action", Category::Sast, "semgrep"),
        ("returntocorp/semgrep-action", Category::Sast, "semgrep"),
        ("pypa/gh-action-pip-audit", Category::Audit, "pip-audit"),
        (
            "actions/dependency-review-action",
            Category::Audit,
            "dependency-review",
        ),
        ("google/osv-scanner-action", Category::Audit, "osv-scanner"),
        ("pyupio/safety-action", Category::Audit, "safety"),
        ("gitleaks/gitleaks-action", Category::Secrets, "gitleaks"),
        ("zricethezav/gitleaks-action", Category::Secrets, "gitleaks"),
        (
            "trufflesecurity/trufflehog",
            Category::Secrets,
            "trufflehog",
        ),
        ("gitguardian/ggshield-action", Category::Secrets, "ggshield"),
        ("gitguardian/ggshield", Category::Secrets, "ggshield"),
    ];
    if let Some((_, category, tool)) = BY_PREFIX.iter().find(|(prefix, _, _)| starts(prefix)) {
        return Some((*category, tool));
    }
    if starts("astral-sh/ruff-action") || starts("chartboost/ruff-action") {
        let args: Vec<String> = with_str("args")
            .map(|a| a.split_whitespace().map(unquote).collect())
            .unwrap_or_default();
        if ruff_args_select_s(&args) || (ruff_s && !args.iter().any(|a| a == "format")) {
            return Some((Category::Sast, "ruff"));
        }
    }
    None
}

/// What a shell script runs.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Script {
    pub tools: Vec<(Category, &'static str)>,
    /// Runs `pre-commit run` (or `prek run`).
    pub precommit: bool,
}

/// The commands of a `run:` script or a hook's `entry`, word by word.
pub fn scan_script(script: &str, ruff_s: bool) -> Script {
    let mut out = Script::default();
    let joined = script.replace("\\\r\n", " ").replace("\\\n", " ");
    let mut segment = String::new();
    let mut segments = Vec::new();
    for c in joined.chars() {
        if matches!(c, '\n' | ';' | '&' | '|' | '(' | ')' | '`') {
            segments.push(std::mem::take(&mut segment));
        } else {
            segment.push(c);
        }
    }
    segments.push(segment);
    for segment in segments {
        // Comments end the line's commands.
        let segment = segment
            .split_once(" #")
            .map_or(segment.as_str(), |(code, _)| code);
        if segment.trim_start().starts_with('#') {
            continue;
        }
        let words: Vec<String> = segment.split_whitespace().map(unquote).collect();
        // Installing a tool is not running it.
        if words.iter().any(|w| w == "install" || w == "add") {
            continue;
        }
        for (i, word) in words.iter().enumerate() {
            let base = word.rsplit('/').next().unwrap_or(word);
            let next = words.get(i + 1).map(String::as_str);
            let tool = match base {
                // bandit-baseline (bandit's own script) runs bandit on the change and its
                // parent (Horizon's Zuul job).
                "bandit" | "bandit-baseline" => Some((Category::Sast, "bandit")),
                "semgrep" => Some((Category::Sast, "semgrep")),
                "codeql" => Some((Category::Sast, "CodeQL")),
                "ruff" if next != Some("format") => {
                    let rest = words.get(i + 1..).unwrap_or_default();
                    (ruff_args_select_s(rest) || ruff_s).then_some((Category::Sast, "ruff"))
                }
                "pip-audit" | "pip_audit" => Some((Category::Audit, "pip-audit")),
                "safety" if matches!(next, Some("check" | "scan")) => {
                    Some((Category::Audit, "safety"))
                }
                "osv-scanner" => Some((Category::Audit, "osv-scanner")),
                "gitleaks" => Some((Category::Secrets, "gitleaks")),
                "trufflehog" => Some((Category::Secrets, "trufflehog")),
                "detect-secrets" | "detect-secrets-hook" | "detect_secrets" => {
                    Some((Category::Secrets, "detect-secrets"))
                }
                "ggshield" => Some((Category::Secrets, "ggshield")),
                "pre-commit" | "prek" | "pre_commit" if next == Some("run") => {
                    out.precommit = true;
                    None
                }
                _ => None,
            };
            if let Some(tool) = tool
                && !out.tools.contains(&tool)
            {
                out.tools.push(tool);
            }
        }
    }
    out
}

fn unquote(word: &str) -> String {
    word.trim_matches(|c| c == '"' || c == '\'').to_string()
}

/// `--select S`, `--select=E,S`, `--extend-select S101` among ruff's arguments.
fn ruff_args_select_s(args: &[String]) -> bool {
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = match arg.split_once('=') {
            Some(("--select" | "--extend-select", value)) => Some(value.to_string()),
            None if arg == "--select" || arg == "--extend-select" => iter.next().cloned(),
            _ => None,
        };
        if value.is_some_and(|v| v.split(',').any(selects_s)) {
            return true;
        }
    }
    false
}

/// A ruff rule selector that turns on flake8-bandit rules.
fn selects_s(selector: &str) -> bool {
    let selector = selector.trim();
    selector == "ALL"
        || selector
            .strip_prefix('S')
            .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

/// `select` / `extend-select` with an `S` selector in the root ruff configuration.
pub fn ruff_config_selects_s(project: &Project) -> bool {
    let tables: [(&str, &[&[&str]]); 3] = [
        (
            "pyproject.toml",
            &[&["tool", "ruff"], &["tool", "ruff", "lint"]],
        ),
        ("ruff.toml", &[&[], &["lint"]]),
        (".ruff.toml", &[&[], &["lint"]]),
    ];
    tables.iter().any(|(path, tables)| {
        let Some(Parsed::Toml(toml)) = project.file(path).map(|f| f.parsed()) else {
            return false;
        };
        tables.iter().any(|table| {
            ["select", "extend-select"].iter().any(|k| {
                let mut route = table.to_vec();
                route.push(k);
                toml.get(&route)
                    .and_then(|item| item.as_array())
                    .is_some_and(|a| a.iter().any(|v| v.as_str().is_some_and(selects_s)))
            })
        })
    })
}

fn read_precommit(path: &str, yaml: &YamlFile, ruff_s: bool) -> Precommit {
    let mut precommit = Precommit {
        path: path.to_string(),
        ci_section: get(&yaml.value, "ci").is_some(),
        repos_span: yaml.key_span(&[key("repos")]),
        found: Vec::new(),
    };
    let repos = get(&yaml.value, "repos").and_then(Value::as_sequence);
    for (r, repo) in repos.into_iter().flatten().enumerate() {
        let hooks = get(repo, "hooks").and_then(Value::as_sequence);
        for (h, hook) in hooks.into_iter().flatten().enumerate() {
            let Some(id) = get(hook, "id").and_then(Value::as_str) else {
                continue;
            };
            let args: Vec<String> = get(hook, "args")
                .and_then(Value::as_sequence)
                .map(|a| {
                    a.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            let span = yaml.value_span(&[
                key("repos"),
                Step::Index(r),
                key("hooks"),
                Step::Index(h),
                key("id"),
            ]);
            let mut tools = hook_tools(id, &args, ruff_s);
            if tools.is_empty()
                && let Some(entry) = get(hook, "entry").and_then(Value::as_str)
            {
                let line = format!("{entry} {}", args.join(" "));
                tools = scan_script(&line, ruff_s).tools;
            }
            for (category, tool) in tools {
                precommit
                    .found
                    .push(found(category, tool, path, span.clone()));
            }
        }
    }
    precommit
}

/// Security tools of a pre-commit hook id.
fn hook_tools(id: &str, args: &[String], ruff_s: bool) -> Vec<(Category, &'static str)> {
    let tool = match id {
        "bandit" | "python-bandit-vulnerability-check" => Some((Category::Sast, "bandit")),
        "semgrep" | "semgrep-ci" => Some((Category::Sast, "semgrep")),
        "ruff" | "ruff-check" if ruff_s || ruff_args_select_s(args) => {
            Some((Category::Sast, "ruff"))
        }
        "pip-audit" => Some((Category::Audit, "pip-audit")),
        "python-safety-dependencies-check" | "safety" => Some((Category::Audit, "safety")),
        "osv-scanner" => Some((Category::Audit, "osv-scanner")),
        "gitleaks" | "gitleaks-docker" | "gitleaks-system" => Some((Category::Secrets, "gitleaks")),
        "trufflehog" => Some((Category::Secrets, "trufflehog")),
        "detect-secrets" => Some((Category::Secrets, "detect-secrets")),
        "ggshield" => Some((Category::Secrets, "ggshield")),
        _ => None,
    };
    tool.into_iter().collect()
}

/// Every GitLab CI job as a workflow of its own, and GitLab's security templates and
/// components as workflows that run on every pipeline.
fn read_gitlab(project: &Project, ruff_s: bool, targets: &Targets) -> Vec<Workflow> {
    let mut out = Vec::new();
    for pipeline in gitlab::pipelines(project) {
        for include in &pipeline.includes {
            let tools = match &include.kind {
                IncludeKind::Template(name) => template_tools(name),
                IncludeKind::Component(name) => component_tools(name),
                _ => Vec::new(),
            };
            if tools.is_empty() {
                continue;
            }
            let path = pipeline.path(&include.at).to_string();
            let span = pipeline.span(&include.at);
            out.push(Workflow {
                found: tools
                    .into_iter()
                    .map(|(category, tool)| found(category, tool, &path, span.clone()))
                    .collect(),
                path,
                // GitLab's templates run their jobs in branch pipelines of every branch (and
                // in merge request pipelines where those are configured).
                on_pr: true,
                reusable: false,
                on_span: span,
                runs_precommit: false,
                calls: Vec::new(),
                system: CiSystem::Gitlab(None),
            });
        }
        for job in &pipeline.pipeline.jobs {
            let mut workflow = Workflow {
                path: pipeline.path(&job.at).to_string(),
                on_pr: pipeline.pipeline.runs_before_merge(job),
                reusable: false,
                on_span: pipeline
                    .yamls
                    .get(job.at.source)
                    .and_then(|y| y.key_span(&job.at.route)),
                runs_precommit: false,
                calls: Vec::new(),
                found: Vec::new(),
                system: CiSystem::Gitlab(Some(job.name.clone())),
            };
            for line in job.script_lines() {
                let Some(text) = line.as_str() else { continue };
                let script = targets.scan(text, ruff_s);
                workflow.runs_precommit |= script.precommit;
                for (category, tool) in script.tools {
                    let location = pipeline.location(line.at());
                    workflow
                        .found
                        .push(found(category, tool, &location.path, location.span));
                }
            }
            out.push(workflow);
        }
    }
    out
}

/// Security tools of one of GitLab's own CI templates (`template:`), by its path.
pub fn template_tools(name: &str) -> Vec<(Category, &'static str)> {
    let name = name.to_ascii_lowercase();
    let file = name.rsplit('/').next().unwrap_or(&name);
    let stem = file
        .trim_end_matches(".gitlab-ci.yml")
        .trim_end_matches(".latest");
    match stem {
        "sast" | "sast-iac" => vec![(Category::Sast, "GitLab SAST")],
        "dependency-scanning" => vec![(Category::Audit, "GitLab Dependency Scanning")],
        "secret-detection" => vec![(Category::Secrets, "GitLab Secret Detection")],
        // Auto DevOps includes all three.
        "auto-devops" => vec![
            (Category::Sast, "GitLab SAST"),
            (Category::Audit, "GitLab Dependency Scanning"),
            (Category::Secrets, "GitLab Secret Detection"),
        ],
        _ => Vec::new(),
    }
}

/// Security tools of a GitLab CI/CD component (`gitlab.com/components/sast/sast@2`).
fn component_tools(name: &str) -> Vec<(Category, &'static str)> {
    let path = name.split('@').next().unwrap_or(name).to_ascii_lowercase();
    let component = path.rsplit('/').next().unwrap_or(&path);
    match component {
        "sast" => vec![(Category::Sast, "GitLab SAST")],
        "dependency-scanning" | "dependency-scanning-python" => {
            vec![(Category::Audit, "GitLab Dependency Scanning")]
        }
        "secret-detection" => vec![(Category::Secrets, "GitLab Secret Detection")],
        _ => Vec::new(),
    }
}

/// Commands of CircleCI and Azure Pipelines files: every string under `run`, `command`,
/// `script`, `bash`, `pwsh` or `powershell`. Both run on pull requests by default.
fn read_other_ci(project: &Project, ruff_s: bool, targets: &Targets) -> Vec<Workflow> {
    let is_other = |path: &str| {
        path == ".circleci/config.yml"
            || path == ".circleci/config.yaml"
            || path == "azure-pipelines.yml"
            || path == "azure-pipelines.yaml"
            || path.starts_with(".azure-pipelines/")
            || path.starts_with(".azure/pipelines/")
    };
    let mut out = Vec::new();
    for file in project.files.iter().filter(|f| is_other(&f.path)) {
        let Parsed::Yaml(yaml) = file.parsed() else {
            continue;
        };
        let mut workflow = Workflow {
            path: file.path.clone(),
            on_pr: true,
            reusable: false,
            on_span: None,
            runs_precommit: false,
            calls: Vec::new(),
            found: Vec::new(),
            system: CiSystem::Other,
        };
        let mut commands = Vec::new();
        command_strings(&yaml.value, false, &mut commands, 0);
        for command in commands {
            let script = targets.scan(command, ruff_s);
            workflow.runs_precommit |= script.precommit;
            for (category, tool) in script.tools {
                workflow.found.push(found(category, tool, &file.path, None));
            }
        }
        out.push(workflow);
    }
    out
}

/// Whether `path` is a Zuul configuration file of the project root: `.zuul.yaml`, `zuul.yaml`,
/// or a YAML file under `.zuul.d/` or `zuul.d/`.
pub fn is_zuul_config(path: &str) -> bool {
    matches!(path, ".zuul.yaml" | "zuul.yaml")
        || [".zuul.d/", "zuul.d/"].iter().any(|dir| {
            path.strip_prefix(dir).is_some_and(|rest| {
                !rest.contains('/') && (rest.ends_with(".yaml") || rest.ends_with(".yml"))
            })
        })
}

/// The job templates the project's Zuul `project:` entries list (`openstack-python3-jobs`,
/// `check-requirements`, ...).
pub fn zuul_templates(project: &Project) -> Vec<String> {
    let mut out = Vec::new();
    for file in project.files.iter().filter(|f| is_zuul_config(&f.path)) {
        let Parsed::Yaml(yaml) = file.parsed() else {
            continue;
        };
        let Value::Sequence(items) = &yaml.value else {
            continue;
        };
        for entry in items.iter().filter_map(|item| get(item, "project")) {
            if let Some(Value::Sequence(templates)) = get(entry, "templates") {
                out.extend(
                    templates
                        .iter()
                        .filter_map(Value::as_str)
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

/// Zuul, OpenDev's CI (OpenStack's projects, Horizon among them): the jobs a `project:` entry
/// runs in its `check` and `gate` pipelines, which Zuul runs on every proposed change before it
/// merges, each read as the tox environment it runs: `vars.tox_envlist` of the job or of a
/// parent defined in the same files (Horizon's `horizon-tox-bandit-baseline`, parent
/// `openstack-tox`, `tox_envlist: bandit-baseline`), else the `tox-<env>` at the end of its name
/// (`openstack-tox-pep8` runs `tox -e pep8`). Jobs defined in other repositories are read by
/// their names only; of the templates, OpenStack's Python template (see
/// [`zuul_template_jobs`]), which nearly every OpenStack project lists.
fn read_zuul(project: &Project, ruff_s: bool, targets: &Targets) -> Vec<Workflow> {
    let files: Vec<(&str, &YamlFile)> = project
        .files
        .iter()
        .filter(|f| is_zuul_config(&f.path))
        .filter_map(|f| match f.parsed() {
            Parsed::Yaml(yaml) => Some((f.path.as_str(), yaml)),
            _ => None,
        })
        .collect();
    // Every job defined here: name -> (parent, tox_envlist).
    let mut jobs: std::collections::HashMap<&str, (Option<&str>, Option<&str>)> =
        std::collections::HashMap::new();
    for (_, yaml) in &files {
        let Value::Sequence(items) = &yaml.value else {
            continue;
        };
        for job in items.iter().filter_map(|item| get(item, "job")) {
            let Some(name) = get(job, "name").and_then(Value::as_str) else {
                continue;
            };
            let parent = get(job, "parent").and_then(Value::as_str);
            let envlist = get(job, "vars")
                .and_then(|vars| get(vars, "tox_envlist"))
                .and_then(Value::as_str);
            jobs.insert(name, (parent, envlist));
        }
    }
    let tox_env = |name: &str| -> Option<String> {
        let mut current = name;
        for _ in 0..16 {
            match jobs.get(current) {
                Some((_, Some(envlist))) => return Some((*envlist).to_string()),
                Some((Some(parent), None)) => current = parent,
                _ => break,
            }
        }
        name.rsplit_once("tox-")
            .map(|(_, env)| env.to_string())
            .filter(|env| !env.is_empty())
    };
    let mut out = Vec::new();
    for (path, yaml) in &files {
        let Value::Sequence(items) = &yaml.value else {
            continue;
        };
        let mut workflow = Workflow {
            path: (*path).to_string(),
            on_pr: true,
            reusable: false,
            on_span: None,
            runs_precommit: false,
            calls: Vec::new(),
            found: Vec::new(),
            system: CiSystem::Other,
        };
        // The jobs run before merge: those the templates bring, those listed in `check`/`gate`.
        let mut jobs: Vec<&str> = Vec::new();
        for entry in items.iter().filter_map(|item| get(item, "project")) {
            if let Some(Value::Sequence(templates)) = get(entry, "templates") {
                for job in templates
                    .iter()
                    .filter_map(Value::as_str)
                    .flat_map(zuul_template_jobs)
                {
                    jobs.push(job);
                }
            }
            for pipeline in ["check", "gate"] {
                if let Some(Value::Sequence(listed)) =
                    get(entry, pipeline).and_then(|p| get(p, "jobs"))
                {
                    jobs.extend(listed.iter().filter_map(|job| match job {
                        Value::String(name) => Some(name.as_str()),
                        Value::Mapping(map) => map.keys().next().and_then(Value::as_str),
                        _ => None,
                    }));
                }
            }
        }
        for env in jobs.into_iter().filter_map(tox_env) {
            let script = targets.scan(&format!("tox -e {env}"), ruff_s);
            workflow.runs_precommit |= script.precommit;
            for (category, tool) in script.tools {
                workflow.found.push(found(category, tool, path, None));
            }
        }
        out.push(workflow);
    }
    out
}

/// The `check` and `gate` jobs of an OpenDev project template defined outside the tree, where
/// harden knows them: `openstack-python3-jobs` (and its per-series forms,
/// `openstack-python3-zed-jobs`) runs `openstack-tox-pep8` on every change, with the unit
/// tests (openstack-zuul-jobs' `zuul.d/project-templates.yaml`); Keystone's `tox -e pep8` runs
/// pre-commit, bandit among its hooks. The `-arm64` forms run unit tests only.
fn zuul_template_jobs(template: &str) -> &'static [&'static str] {
    let python3 = template
        .strip_prefix("openstack-python3-")
        .is_some_and(|rest| rest.ends_with("jobs") && !rest.contains("arm64"));
    if python3 {
        &["openstack-tox-pep8"]
    } else {
        &[]
    }
}

fn command_strings<'v>(value: &'v Value, command: bool, out: &mut Vec<&'v str>, depth: usize) {
    if depth > 32 {
        return;
    }
    const COMMAND_KEYS: &[&str] = &["run", "command", "script", "bash", "pwsh", "powershell"];
    match value {
        Value::String(s) if command => out.push(s),
        Value::Sequence(items) => {
            for item in items {
                command_strings(item, command, out, depth + 1);
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map {
                let is_command = key.as_str().is_some_and(|k| COMMAND_KEYS.contains(&k));
                command_strings(item, is_command, out, depth + 1);
            }
        }
        Value::Tagged(tagged) => command_strings(&tagged.value, command, out, depth + 1),
        _ => {}
    }
}

/// Make targets, tox environments and nox sessions of the project root, with their commands:
/// what `make security`, `tox -e lint` or `nox -s audit` in a CI script really runs.
#[derive(Debug, Default)]
pub struct Targets {
    make: Vec<(String, Vec<String>, String)>,
    tox: Vec<(String, String)>,
    nox: Vec<(String, String)>,
}

/// Larger task files are not read.
const MAX_TASK_FILE: u64 = 1024 * 1024;

fn read_root_file(project: &Project, name: &str) -> Option<String> {
    let path = project.root.join(name);
    let size = std::fs::metadata(&path).ok()?.len();
    if size > MAX_TASK_FILE {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

impl Targets {
    pub fn read(project: &Project) -> Self {
        let mut targets = Self::default();
        if let Some(text) = ["Makefile", "makefile", "GNUmakefile"]
            .iter()
            .find_map(|n| read_root_file(project, n))
        {
            targets.make = make_targets(&text);
        }
        if let Some(text) = read_root_file(project, "tox.ini") {
            targets.tox = tox_envs(&text);
        }
        let noxfile = project
            .file("noxfile.py")
            .and_then(|f| f.text().ok())
            .map(|t| t.content.to_string());
        if let Some(text) = noxfile {
            targets.nox = nox_sessions(&text);
        }
        targets
    }

    /// What a script runs, with the commands of the make targets, tox environments and nox
    /// sessions it calls.
    pub fn scan(&self, script: &str, ruff_s: bool) -> Script {
        let mut out = scan_script(script, ruff_s);
        for commands in self.called(script) {
            let inner = scan_script(&commands, ruff_s);
            out.precommit |= inner.precommit;
            for tool in inner.tools {
                if !out.tools.contains(&tool) {
                    out.tools.push(tool);
                }
            }
        }
        out
    }

    /// The command texts of every target a script calls.
    fn called(&self, script: &str) -> Vec<String> {
        if self.make.is_empty() && self.tox.is_empty() && self.nox.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for line in script.split(['\n', ';', '&', '|']) {
            let words: Vec<String> = line.split_whitespace().map(unquote).collect();
            let Some(at) = words
                .iter()
                .position(|w| matches!(w.rsplit('/').next(), Some("make" | "tox" | "nox")))
            else {
                continue;
            };
            let tool = words[at].rsplit('/').next().unwrap_or_default();
            let args = &words[at + 1..];
            match tool {
                "make" => {
                    let names: Vec<&str> = args
                        .iter()
                        .filter(|a| !a.starts_with('-') && !a.contains('='))
                        .map(String::as_str)
                        .collect();
                    let names = if names.is_empty() {
                        self.make
                            .first()
                            .map(|(n, _, _)| n.as_str())
                            .into_iter()
                            .collect()
                    } else {
                        names
                    };
                    for name in names {
                        self.make_recipe(name, 0, &mut out);
                    }
                }
                "tox" | "nox" => {
                    let list = if tool == "tox" { &self.tox } else { &self.nox };
                    let names = option_list(args, if tool == "tox" { "-e" } else { "-s" });
                    for (name, commands) in list {
                        if names.is_empty() || names.iter().any(|n| n == name) {
                            out.push(commands.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        out
    }

    fn make_recipe(&self, name: &str, depth: usize, out: &mut Vec<String>) {
        if depth > 4 || out.len() > 64 {
            return;
        }
        if let Some((_, deps, recipe)) = self.make.iter().find(|(n, _, _)| n == name) {
            out.push(recipe.clone());
            for dep in deps {
                self.make_recipe(dep, depth + 1, out);
            }
        }
    }
}

/// The values of `-e a,b` / `-ea` / `--env a` (tox) or `-s a` / `--session a` (nox).
fn option_list(args: &[String], short: &str) -> Vec<String> {
    let long = if short == "-e" { "--env" } else { "--session" };
    let mut out = Vec::new();
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let value = if arg == short || arg == long || (short == "-s" && arg == "-e") {
            iter.next().cloned()
        } else if let Some(v) = arg.strip_prefix(&format!("{long}=")) {
            Some(v.to_string())
        } else {
            arg.strip_prefix(short)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        if let Some(value) = value {
            out.extend(value.split(',').map(str::to_string));
        }
    }
    out
}

/// `target: deps` rules of a Makefile with their tab-indented recipes.
fn make_targets(text: &str) -> Vec<(String, Vec<String>, String)> {
    let mut out: Vec<(String, Vec<String>, String)> = Vec::new();
    for line in text.lines() {
        if let Some(recipe) = line.strip_prefix('\t') {
            if let Some((_, _, commands)) = out.last_mut() {
                commands.push_str(recipe.trim_start_matches(['@', '-', '+']));
                commands.push('\n');
            }
            continue;
        }
        if line.starts_with(['#', ' ', '.']) || line.contains(":=") || line.contains("::") {
            continue;
        }
        if let Some((names, deps)) = line.split_once(':') {
            let deps: Vec<String> = deps
                .split('#')
                .next()
                .unwrap_or_default()
                .split_whitespace()
                .map(str::to_string)
                .collect();
            for name in names.split_whitespace() {
                out.push((name.to_string(), deps.clone(), String::new()));
            }
        }
    }
    out
}

/// `[testenv:name]` sections of tox.ini with their `commands`.
fn tox_envs(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    let mut in_commands = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(section) = trimmed.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            in_commands = false;
            if let Some(name) = section.strip_prefix("testenv:") {
                out.push((name.trim().to_string(), String::new()));
            } else {
                // Keep later keys from landing in the previous environment.
                out.push((String::new(), String::new()));
            }
            continue;
        }
        let Some((_, commands)) = out.last_mut() else {
            continue;
        };
        if let Some((key, value)) = trimmed.split_once('=')
            && !line.starts_with([' ', '\t'])
        {
            in_commands = key.trim() == "commands";
            if in_commands {
                commands.push_str(value.trim());
                commands.push('\n');
            }
        } else if in_commands && line.starts_with([' ', '\t']) {
            commands.push_str(trimmed);
            commands.push('\n');
        }
    }
    out.retain(|(name, _)| !name.is_empty());
    out
}

/// `@nox.session` functions of a noxfile with their `session.run(...)` commands, each written
/// as one line of its string arguments.
fn nox_sessions(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("def ") {
            let name = rest
                .split('(')
                .next()
                .unwrap_or_default()
                .trim()
                .to_string();
            out.push((name, String::new()));
            continue;
        }
        let Some((_, commands)) = out.last_mut() else {
            continue;
        };
        let Some(at) = line.find("session.run(") else {
            continue;
        };
        let args = &line[at + "session.run(".len()..];
        let words: Vec<&str> = args
            .split(',')
            .map(|a| a.trim().trim_end_matches(')').trim())
            .filter_map(|a| {
                a.strip_prefix('"')
                    .and_then(|a| a.strip_suffix('"'))
                    .or_else(|| a.strip_prefix('\'').and_then(|a| a.strip_suffix('\'')))
            })
            .collect();
        commands.push_str(&words.join(" "));
        commands.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tools(script: &str) -> Vec<&'static str> {
        scan_script(script, false)
            .tools
            .into_iter()
            .map(|(_, t)| t)
            .collect()
    }

    #[test]
    fn scripts_run_tools_word_by_word() {
        assert_eq!(tools("bandit -r src"), ["bandit"]);
        assert_eq!(
            tools("python -m pip install bandit==1.9.4"),
            Vec::<&str>::new()
        );
        assert_eq!(
            tools("pip install pip-audit && pip-audit -r requirements.txt"),
            ["pip-audit"]
        );
        assert_eq!(
            tools("echo banditry; ./bandit-report.sh"),
            Vec::<&str>::new()
        );
        assert_eq!(tools("uvx semgrep scan --config auto"), ["semgrep"]);
        assert_eq!(tools(".venv/bin/bandit -q -r ."), ["bandit"]);
        assert_eq!(tools("ruff check ."), Vec::<&str>::new());
        assert_eq!(tools("ruff check --select S ."), ["ruff"]);
        assert_eq!(tools("ruff check --extend-select=E,S101 ."), ["ruff"]);
        assert_eq!(tools("ruff format --select S"), Vec::<&str>::new());
        assert_eq!(tools("safety check -r r.txt"), ["safety"]);
        assert_eq!(tools("echo safety first"), Vec::<&str>::new());
        assert_eq!(
            tools("git ls-files -z | xargs -0 detect-secrets-hook"),
            ["detect-secrets"]
        );
        assert_eq!(tools("# bandit -r .\nmake test"), Vec::<&str>::new());
        assert_eq!(tools("make lint \\\n  && bandit -r app"), ["bandit"]);
        assert!(scan_script("pre-commit run --all-files", false).precommit);
        assert!(!scan_script("pip install pre-commit", false).precommit);
        assert_eq!(
            scan_script("ruff check .", true).tools,
            [(Category::Sast, "ruff")]
        );
    }

    #[test]
    fn actions_by_name() {
        let codeql = action_tool("github/codeql-action/init@abc", None, false);
        assert_eq!(codeql, Some((Category::Sast, "CodeQL")));
        let js_only: Value = yaml_serde::from_str("languages: javascript").unwrap();
        assert_eq!(
            action_tool("github/codeql-action/init@v3", Some(&js_only), false),
            None
        );
        assert_eq!(
            action_tool(
                "google/osv-scanner-action/.github/workflows/osv-scanner-reusable.yml@v2",
                None,
                false
            ),
            Some((Category::Audit, "osv-scanner"))
        );
        assert_eq!(
            action_tool("Gitleaks/gitleaks-action@v2", None, false),
            Some((Category::Secrets, "gitleaks"))
        );
        assert_eq!(action_tool("actions/checkout@v5", None, false), None);
        let select: Value = yaml_serde::from_str("args: check --select S").unwrap();
        assert_eq!(
            action_tool("astral-sh/ruff-action@v3", Some(&select), false),
            Some((Category::Sast, "ruff"))
        );
        assert_eq!(action_tool("astral-sh/ruff-action@v3", None, false), None);
    }

    #[test]
    fn trigger_forms() {
        let forms = [
            ("on: pull_request", vec!["pull_request"]),
            ("on: [push, pull_request]", vec!["push", "pull_request"]),
            (
                "on:\n  push:\n  pull_request:\n    branches: [main]",
                vec!["push", "pull_request"],
            ),
        ];
        for (text, expected) in forms {
            let value: Value = yaml_serde::from_str(text).unwrap();
            assert_eq!(triggers(get(&value, "on")), expected, "{text}");
        }
    }

    #[test]
    fn make_tox_and_nox_targets_count() {
        let targets = Targets {
            make: make_targets(
                "# lint\nlint: security\n\truff check .\nsecurity:\n\t@bandit -r src\naudit:\n\tpip-audit\n",
            ),
            tox: tox_envs(
                "[tox]\nenv_list = py312\n[testenv:audit]\ndeps = pip-audit\ncommands =\n    pip-audit -r requirements.txt\n[testenv:docs]\ncommands = sphinx-build docs out\n",
            ),
            nox: nox_sessions(
                "import nox\n@nox.session\ndef secrets(session):\n    session.install(\"detect-secrets\")\n    session.run(\"detect-secrets\", \"scan\")\n",
            ),
        };
        let tools = |script: &str| -> Vec<&'static str> {
            targets
                .scan(script, false)
                .tools
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        };
        assert_eq!(tools("make lint"), ["bandit"]);
        assert_eq!(tools("make audit"), ["pip-audit"]);
        assert_eq!(tools("tox -e docs"), Vec::<&str>::new());
        assert_eq!(tools("uv run tox -e audit,docs"), ["pip-audit"]);
        assert_eq!(tools("nox -s secrets"), ["detect-secrets"]);
        assert_eq!(tools("make docs"), Vec::<&str>::new());
    }

    #[test]
    fn gitlab_jobs_templates_and_other_ci() {
        let project = Project::from_texts(&[
            (
                ".gitlab-ci.yml",
                "include:\n  - template: Jobs/Secret-Detection.gitlab-ci.yml\n.sec:\n  script:\n    - bandit -r .\nsast:\n  extends: .sec\naudit:\n  script: [pip-audit]\n  rules:\n    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH\n",
            ),
            (
                ".circleci/config.yml",
                "jobs:\n  a:\n    steps:\n      - run:\n          command: semgrep ci\n",
            ),
            ("app.py", "x = 1\n"),
        ]);
        let inventory = Inventory::of(&project);
        let tools: Vec<&str> = inventory
            .in_ci(Category::Sast)
            .iter()
            .map(|f| f.tool)
            .collect();
        assert_eq!(tools, ["bandit", "semgrep"]);
        assert_eq!(
            inventory.in_ci(Category::Secrets)[0].tool,
            "GitLab Secret Detection"
        );
        let audit = inventory
            .workflows
            .iter()
            .find(|w| w.system == CiSystem::Gitlab(Some("audit".into())))
            .unwrap();
        assert!(!inventory.runs_on_pr(audit));
        let sast = inventory
            .workflows
            .iter()
            .find(|w| w.system == CiSystem::Gitlab(Some("sast".into())))
            .unwrap();
        assert!(inventory.runs_on_pr(sast));
    }

    #[test]
    fn ruff_selectors() {
        assert!(selects_s("S"));
        assert!(selects_s("S608"));
        assert!(selects_s("ALL"));
        assert!(!selects_s("SIM"));
        assert!(!selects_s("E"));
    }

    #[test]
    fn inventory_reads_workflows_and_hooks() {
        let project = Project::from_texts(&[
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  lint:\n    steps:\n      - run: pre-commit run --all-files\n  sec:\n    uses: ./.github/workflows/sec.yml\n",
            ),
            (
                ".github/workflows/sec.yml",
                "on: workflow_call\njobs:\n  a:\n    steps:\n      - uses: pypa/gh-action-pip-audit@v1.1.0\n",
            ),
            (
                ".pre-commit-config.yaml",
                "repos:\n  - repo: https://github.com/PyCQA/bandit\n    rev: 1.9.4\n    hooks:\n      - id: bandit\n",
            ),
            ("pyproject.toml", "[tool.ruff.lint]\nselect = [\"E\"]\n"),
        ]);
        let inventory = Inventory::of(&project);
        assert!(inventory.precommit_in_ci());
        assert_eq!(inventory.in_ci(Category::Sast).len(), 1);
        assert_eq!(inventory.in_ci(Category::Audit).len(), 1);
        assert!(inventory.in_ci(Category::Secrets).is_empty());
        let ci = &inventory.workflows[0];
        assert_eq!(ci.calls, [".github/workflows/sec.yml"]);
        assert_eq!(inventory.categories(ci), [Category::Sast, Category::Audit]);
        assert!(inventory.workflows[1].reusable);
        assert!(!inventory.runs_on_pr(&inventory.workflows[1]));
        assert!(!ruff_config_selects_s(&project));
    }
}
