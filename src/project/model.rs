//! The project model: what ships. Built once per run, before any check, from the files the
//! walk found: which Django settings modules a server loads (and which only a test runner, a
//! development container or a build step does), which Docker images a release workflow,
//! platform file or production compose file ships, whether the project is a library, and the
//! scope of every file with the evidence for it.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{LazyLock, OnceLock};

use rayon::prelude::*;
use regex::Regex;
use serde::Serialize;

use super::build_contexts::BuildContext;
use super::local_files::LocalFiles;
use super::scope::{self, CompiledOverrides, DEV_WORDS, Decision, Overrides, Scope, TEST_WORDS};
use super::{FileKind, Project, SourceFile};
use crate::formats::Parsed;
use crate::formats::python::StmtKind;

/// Application (it deploys something) or library (it publishes a package and deploys nothing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Shape {
    Application,
    Library,
}

/// Where a `DJANGO_SETTINGS_MODULE` names a module, and what that says about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    /// manage.py: the module management commands (and often `runserver`) load.
    Manage,
    /// A server or worker loads it: wsgi.py, asgi.py, a shipped image's ENV/CMD, a Procfile,
    /// a production compose file, gunicorn/uwsgi configuration.
    Server,
    /// Only a build step (`RUN DJANGO_SETTINGS_MODULE=x manage.py collectstatic`).
    Build,
    /// A test runner: pytest, tox, setup.cfg, or a file under a test directory.
    Test,
    /// A development image or compose file.
    Development,
    /// Example or documentation material (an `example_project/`'s wsgi.py).
    Example,
    /// Somewhere that says nothing about the role (a settings package's `__init__.py`).
    Other,
}

/// One mention of a settings module.
#[derive(Debug, Clone)]
struct Mention {
    module: String,
    use_: Use,
    evidence: String,
}

/// A Dockerfile and whether its image ships.
#[derive(Debug, Clone, Serialize)]
pub struct Image {
    pub path: String,
    #[serde(flatten)]
    pub decision: Decision,
    /// The project's Dockerfiles that build `FROM` this one's image: what runs is decided
    /// there (their `USER`, their command).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub base_of: Vec<String>,
}

/// A Django settings module and its role.
#[derive(Debug, Clone, Serialize)]
pub struct SettingsModule {
    pub path: String,
    #[serde(flatten)]
    pub decision: Decision,
    /// Named by manage.py, wsgi.py, asgi.py or a server: judged on its own even when another
    /// module star-imports it.
    pub entry: bool,
    /// Named by some `DJANGO_SETTINGS_MODULE` (not only found by its name or content).
    pub named: bool,
}

/// The model. `Project::model()` builds it once.
#[derive(Debug, Clone)]
pub struct Model {
    pub shape: Shape,
    pub shape_evidence: String,
    /// Whether the file list came from git's index.
    pub in_git: bool,
    pub settings: Vec<SettingsModule>,
    pub images: Vec<Image>,
    /// Compose files read for evidence, with their scope.
    pub compose: Vec<Image>,
    /// The package a library project publishes.
    library: Option<String>,
    /// Set when the project publishes its package to PyPI (a package it builds and a step that
    /// uploads it, or the tree is an sdist): why it is installed with pip rather than deployed
    /// from a lock, even when it has a web entry (manage.py, wsgi.py) as pretalx does.
    pub published: Option<String>,
    /// Directories Python has on `sys.path` when the project runs.
    sys_path: Vec<String>,
    /// The decisions that are not what the path alone says (settings modules, images, compose
    /// files, requirements by what installs them, files of an unusual kind), by path.
    decisions: BTreeMap<String, Decision>,
    overrides: CompiledOverrides,
    /// The local files the project produces, read on first use (one check needs them).
    local_files: OnceLock<LocalFiles>,
    /// The build contexts the project's builds use, by Dockerfile, read on first use.
    build_contexts: OnceLock<BTreeMap<String, Vec<BuildContext>>>,
}

impl Model {
    /// The decision about `path`: the one taken for a file of the project, or, for a path that
    /// is not (yet) a file (a `.dockerignore` a fix would create), its path rules.
    pub fn decision(&self, path: &str) -> Decision {
        if let Some(decision) = self.decisions.get(path) {
            return decision.clone();
        }
        self.overrides.decide(path).unwrap_or_else(|| {
            scope::by_path(path, super::kind::classify(path), self.library.as_deref())
        })
    }

    pub fn scope(&self, path: &str) -> Scope {
        match self.decisions.get(path) {
            Some(decision) => decision.scope,
            None => self.decision(path).scope,
        }
    }

    /// Every file's decision, by path (the files of `project`, the project this model was
    /// built from, and the paths decided for what they are, as a `.dockerignore`).
    pub fn decisions(&self, project: &Project) -> BTreeMap<String, Decision> {
        let mut all = self.decisions.clone();
        for file in &project.files {
            all.entry(file.path.clone())
                .or_insert_with(|| self.decision(&file.path));
        }
        all
    }

    /// Whether the Django settings module at `path` is an entry: named by manage.py, wsgi.py,
    /// asgi.py or a server, so judged on its own even when a test module star-imports it.
    pub fn is_settings_entry(&self, path: &str) -> bool {
        self.settings.iter().any(|s| s.path == path && s.entry)
    }

    /// Directories Python has on `sys.path` when the project runs (manage.py's directory first).
    pub fn sys_path(&self) -> &[String] {
        &self.sys_path
    }

    /// The local files `project` (the project this model was built from) can produce that must
    /// stay out of git, with the evidence for each: read on first use.
    pub fn local_files(&self, project: &Project) -> &LocalFiles {
        self.local_files.get_or_init(|| LocalFiles::read(project))
    }

    /// The build contexts the project's compose files and workflows build each Dockerfile
    /// from (a Dockerfile no build names is absent): read on first use.
    pub fn build_contexts(&self, project: &Project) -> &BTreeMap<String, Vec<BuildContext>> {
        self.build_contexts
            .get_or_init(|| super::build_contexts::read(project))
    }

    /// Settings modules named by a `DJANGO_SETTINGS_MODULE` anywhere.
    pub fn named_settings(&self) -> impl Iterator<Item = &str> {
        self.settings
            .iter()
            .filter(|s| s.named)
            .map(|s| s.path.as_str())
    }

    /// Build the model of `project`.
    pub fn build(project: &Project, overrides: &Overrides) -> Self {
        let overrides = CompiledOverrides::new(overrides);
        let (shape, shape_evidence, library) = shape(project);
        let compose = compose_files(project, &overrides);
        let images = images(project, &overrides, &compose);
        let published = super::packaging::published(project);
        let settings = settings_modules(
            project,
            &overrides,
            &images,
            &compose,
            published.as_ref().map(|(name, _)| name.as_str()),
        );

        // NOTE: only decisions that differ from what the path alone says are stored; the rest
        // are derived on each question (`Model::decision`): a map of every file's decision
        // grew with the tree (about 160 bytes a file, 30 MB on 200,000 files).
        let mut decisions: BTreeMap<String, Decision> = BTreeMap::new();
        for file in project
            .files
            .iter()
            .filter(|f| super::kind::classify(&f.path) != Some(f.kind))
        {
            let decision = overrides
                .decide(&file.path)
                .unwrap_or_else(|| scope::by_path(&file.path, Some(file.kind), library.as_deref()));
            decisions.insert(file.path.clone(), decision);
        }
        for compose_file in &compose.files {
            decisions.insert(compose_file.path.clone(), compose_file.decision.clone());
        }
        for image in &images {
            decisions.insert(image.path.clone(), image.decision.clone());
        }
        for (path, decision) in dockerignore_decisions(&images) {
            if overrides.decide(&path).is_none() {
                decisions.insert(path, decision);
            }
        }
        for module in &settings {
            decisions.insert(module.path.clone(), module.decision.clone());
        }
        let shipped: Vec<&SourceFile> = images
            .iter()
            .filter(|i| i.decision.scope == Scope::Production)
            .filter_map(|i| project.file(&i.path))
            .collect();
        let platform_deployed = DEPLOY_FILES
            .iter()
            .any(|name| project.file(name).is_some() || project.root.join(name).is_file());
        for (path, decision) in
            super::packaging::abstract_requirements(project, &shipped, platform_deployed)
        {
            if overrides.decide(&path).is_none() {
                decisions.insert(path, decision);
            }
        }
        Self {
            shape,
            shape_evidence,
            in_git: project.git.is_some(),
            settings,
            images,
            compose: compose.files,
            library,
            published: published.map(|(_, evidence)| evidence),
            sys_path: sys_path(project),
            decisions,
            overrides,
            local_files: OnceLock::new(),
            build_contexts: OnceLock::new(),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Library or application

/// Files whose presence says the project deploys something.
const DEPLOY_FILES: &[&str] = &[
    "Procfile",
    "fly.toml",
    "render.yaml",
    "app.yaml",
    "heroku.yml",
    "vercel.json",
    "railway.json",
    "railway.toml",
];

fn shape(project: &Project) -> (Shape, String, Option<String>) {
    let application = |why: String| (Shape::Application, why, None);
    if project.file("pyproject.toml").is_none() {
        return application("no pyproject.toml that publishes a package".into());
    }
    let Some(value) = super::packaging::pyproject(project) else {
        return application("pyproject.toml could not be read or parsed".into());
    };
    let name = value
        .get("project")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str());
    let backend = value
        .get("build-system")
        .and_then(|b| b.get("build-backend"))
        .and_then(|b| b.as_str());
    let (Some(name), Some(backend)) = (name, backend) else {
        return application(
            "pyproject.toml has no `[project]` name with a `[build-system]` build backend".into(),
        );
    };
    if let Some(entry) = web_entry(project) {
        return application(format!(
            "pyproject.toml publishes `{name}`, but {entry} deploys an application"
        ));
    }
    (
        Shape::Library,
        format!(
            "pyproject.toml publishes the package `{name}` (build backend `{backend}`) and nothing deploys it: no manage.py, wsgi.py, asgi.py, Dockerfile, compose or platform file"
        ),
        Some(name.to_string()),
    )
}

/// The first file that says the project deploys a web application.
fn web_entry(project: &Project) -> Option<String> {
    for file in &project.files {
        if matches!(
            scope::by_path(&file.path, Some(file.kind), None).scope,
            Scope::Test | Scope::Example | Scope::Tooling
        ) {
            continue;
        }
        let web = match file.kind {
            FileKind::Dockerfile => true,
            FileKind::Python => matches!(file.name(), "manage.py" | "wsgi.py" | "asgi.py"),
            // `.github/workflows/test.yml` is a workflow, not cookiecutter-django's compose
            // file of that name (django-cms).
            FileKind::Workflow => false,
            _ => DEPLOY_FILES.contains(&file.name()) || is_compose_name(file.name()),
        };
        if web {
            return Some(format!("`{}`", file.path));
        }
    }
    DEPLOY_FILES
        .iter()
        .find(|name| project.root.join(name).is_file())
        .map(|name| format!("`{name}`"))
}

/// The `.dockerignore` beside Dockerfiles that do not ship (present or not: a finding may ask
/// for one) speaks for those images: development, test or example like them. Where any image
/// of the directory ships, it stays repository-wide.
fn dockerignore_decisions(images: &[Image]) -> Vec<(String, Decision)> {
    let mut by_dir: BTreeMap<&str, Vec<&Image>> = BTreeMap::new();
    for image in images {
        let dir = image.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        by_dir.entry(dir).or_default().push(image);
    }
    by_dir
        .into_iter()
        .filter(|(_, images)| {
            images
                .iter()
                .all(|i| !matches!(i.decision.scope, Scope::Production | Scope::Repository))
        })
        .map(|(dir, images)| {
            let path = if dir.is_empty() {
                ".dockerignore".to_string()
            } else {
                format!("{dir}/.dockerignore")
            };
            let image = images[0];
            let decision = Decision::new(
                image.decision.scope,
                format!(
                    "the build context of `{}`, a {} image ({})",
                    image.path, image.decision.scope, image.decision.evidence
                ),
            );
            (path, decision)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Compose files

fn is_compose_name(name: &str) -> bool {
    static RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"^(?:docker-)?compose(?:[.-][A-Za-z0-9_.-]+)?\.ya?ml$|^(?:local|production|prod|dev|development|staging|test)\.ya?ml$").ok()
    });
    RE.as_ref().is_some_and(|re| re.is_match(name))
}

/// One service of a compose file.
#[derive(Debug, Clone)]
struct Service {
    name: String,
    /// The Dockerfile it builds, relative to the project root.
    dockerfile: Option<String>,
    command: String,
}

#[derive(Debug, Default)]
struct ComposeFiles {
    files: Vec<Image>,
    services: Vec<(String, Service)>,
}

impl ComposeFiles {
    fn scope_of(&self, path: &str) -> Option<&Decision> {
        self.files
            .iter()
            .find(|f| f.path == path)
            .map(|f| &f.decision)
    }
}

const DEV_SERVERS: &[&str] = &[
    "runserver",
    "flask run",
    "--reload",
    "--debug",
    "npm run dev",
];

fn compose_files(project: &Project, overrides: &CompiledOverrides) -> ComposeFiles {
    let mut out = ComposeFiles::default();
    // CI workflows that do not release anything, with their text (read once, borrowed).
    let ci_users: Vec<(&str, &str)> = project
        .files_of(FileKind::Workflow)
        .filter(|w| {
            !scope::has_word(
                &w.name().to_ascii_lowercase(),
                &["release", "deploy", "publish", "cd", "prod", "production"],
            )
        })
        .filter_map(|w| w.text().ok().map(|t| (w.path.as_str(), &t.content[..])))
        .collect();
    for file in project.files.iter().filter(|f| {
        matches!(f.kind, FileKind::YamlConfig | FileKind::Compose) && is_compose_name(f.name())
    }) {
        let Ok(text) = file.text() else { continue };
        let Ok(yaml) = crate::formats::yaml::YamlFile::parse(&text.content) else {
            continue;
        };
        let Some(services) =
            crate::formats::yaml::get(&yaml.value, "services").and_then(|s| s.as_mapping())
        else {
            continue;
        };
        let mut parsed = Vec::new();
        for (name, service) in services {
            let Some(name) = name.as_str() else { continue };
            parsed.push(Service {
                name: name.to_string(),
                dockerfile: compose_dockerfile(project, file.dir(), service),
                command: compose_command(service),
            });
        }
        let stem = file.name();
        let decision = if let Some(decision) = overrides.decide(&file.path) {
            decision
        } else if let Some(decision) = path_marks(&file.path) {
            decision
        } else if let Some((service, server)) = parsed.iter().find_map(|s| {
            DEV_SERVERS
                .iter()
                .find(|d| s.command.contains(**d))
                .map(|d| (s, d))
        }) {
            Decision::new(
                Scope::Development,
                format!(
                    "service `{}` runs `{server}`, a development server",
                    service.name
                ),
            )
        } else if scope::has_word(stem, &["prod", "production", "staging", "deploy"]) {
            Decision::new(
                Scope::Production,
                format!("`{stem}` is named for production"),
            )
        } else if let Some(workflow) = ci_users.iter().find(|w| w.1.contains(file.path.as_str())) {
            // NOTE: a stack a CI job starts (Modoboa's redis-sentinel compose file in its
            // test workflow) is test infrastructure unless its name says it deploys.
            Decision::new(
                Scope::Test,
                format!("started by the CI workflow {}: a test stack", workflow.0),
            )
        } else {
            Decision::new(
                Scope::Production,
                "a compose file with no development marks: judged as deployed",
            )
        };
        out.files.push(Image {
            path: file.path.clone(),
            decision,
            base_of: Vec::new(),
        });
        out.services
            .extend(parsed.into_iter().map(|s| (file.path.clone(), s)));
    }
    out
}

/// Development or test marks in a path's file name or directories.
fn path_marks(path: &str) -> Option<Decision> {
    let decision = scope::by_path(path, None, None);
    if matches!(
        decision.scope,
        Scope::Development | Scope::Test | Scope::Example
    ) {
        return Some(decision);
    }
    let name = path.rsplit('/').next().unwrap_or(path);
    if scope::has_word(name, TEST_WORDS) {
        return Some(Decision::new(
            Scope::Test,
            format!("`{name}` is named for tests"),
        ));
    }
    if scope::has_word(name, DEV_WORDS) || scope::has_word(name, &["override"]) {
        return Some(Decision::new(
            Scope::Development,
            format!("`{name}` is named for development"),
        ));
    }
    None
}

fn compose_dockerfile(project: &Project, dir: &str, service: &yaml_serde::Value) -> Option<String> {
    let build = crate::formats::yaml::get(service, "build")?;
    let (context, dockerfile) = match build.as_str() {
        Some(context) => (context.to_string(), "Dockerfile".to_string()),
        None => (
            crate::formats::yaml::get(build, "context")
                .and_then(|c| c.as_str())
                .unwrap_or(".")
                .to_string(),
            crate::formats::yaml::get(build, "dockerfile")
                .and_then(|d| d.as_str())
                .unwrap_or("Dockerfile")
                .to_string(),
        ),
    };
    let context = join(dir, &context)?;
    let path = join(&context, &dockerfile)?;
    project.file(&path).map(|f| f.path.clone())
}

fn compose_command(service: &yaml_serde::Value) -> String {
    let mut out = String::new();
    for key in ["command", "entrypoint"] {
        match crate::formats::yaml::get(service, key) {
            Some(yaml_serde::Value::String(s)) => out.push_str(s),
            Some(yaml_serde::Value::Sequence(items)) => {
                for item in items.iter().filter_map(|i| i.as_str()) {
                    out.push_str(item);
                    out.push(' ');
                }
            }
            _ => {}
        }
        out.push(' ');
    }
    out
}

/// `base` joined with a relative `path`, `.` and `..` resolved; `None` above the root.
fn join(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

// ---------------------------------------------------------------------------------------
// Images

/// Dockerfiles that a release/deploy workflow builds or pushes, with the workflow's path.
fn released_images(project: &Project) -> Vec<(String, String)> {
    static FILE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r##"(?m)(?:\s(?:-f|--file)[ =]|^\s*-?\s*file:\s*)['"]?([^\s'"#]+)"##).ok()
    });
    static CONTEXT_RE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r##"(?m)^\s*-?\s*context:\s*['"]?([^\s'"#]+)"##).ok());
    let mut out = Vec::new();
    let ci_files = project.files.iter().filter(|f| {
        f.kind == FileKind::Workflow
            || matches!(
                f.name(),
                ".gitlab-ci.yml" | "cloudbuild.yaml" | "cloudbuild.yml"
            )
    });
    for file in ci_files {
        let Ok(text) = file.text() else { continue };
        let content = &text.content;
        let builds = content.contains("docker/build-push-action")
            || content.contains("docker build")
            || content.contains("docker buildx build")
            || content.contains("docker push");
        if !builds {
            continue;
        }
        let name = file.name().to_ascii_lowercase();
        let release_name = [
            "release", "deploy", "publish", "docker", "image", "cd", "prod",
        ]
        .iter()
        .any(|w| scope::has_word(&name, &[w]) || name.starts_with(w));
        let releases = release_name
            || content.contains("push: true")
            || content.contains("docker push")
            || content.contains("--push")
            || content.contains("\n  release:")
            || content.contains("tags:");
        if !releases {
            continue;
        }
        let mut refs: Vec<String> = FILE_RE
            .as_ref()
            .map(|re| {
                re.captures_iter(content)
                    .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if refs.is_empty() {
            let contexts: Vec<String> = CONTEXT_RE
                .as_ref()
                .map(|re| {
                    re.captures_iter(content)
                        .filter_map(|c| c.get(1).map(|m| format!("{}/Dockerfile", m.as_str())))
                        .collect()
                })
                .unwrap_or_default();
            refs = if contexts.is_empty() {
                vec!["Dockerfile".to_string()]
            } else {
                contexts
            };
        }
        for reference in refs {
            let reference = reference
                .trim_start_matches("${{ github.workspace }}/")
                .trim_start_matches("$CI_PROJECT_DIR/");
            if let Some(path) = join("", reference)
                && project
                    .file(&path)
                    .is_some_and(|f| f.kind == FileKind::Dockerfile)
            {
                out.push((path, file.path.clone()));
            }
        }
    }
    out
}

/// Dockerfiles a platform file deploys: fly.toml, render.yaml, heroku.yml, app.yaml.
fn platform_images(project: &Project) -> Vec<(String, String)> {
    static FLY_RE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r#"(?m)^\s*dockerfile\s*=\s*["']([^"']+)["']"#).ok());
    static RENDER_RE: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r##"(?m)dockerfilePath:\s*['"]?([^\s'"#]+)"##).ok());
    static HEROKU_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r##"(?m)^\s+\w+:\s*['"]?([^\s'"#]*Dockerfile[^\s'"#]*)"##).ok()
    });
    let mut out = Vec::new();
    let read = |name: &str| -> Option<String> {
        match project.file(name) {
            Some(file) => file.text().ok().map(|t| t.content.to_string()),
            None => std::fs::read_to_string(project.root.join(name)).ok(),
        }
    };
    let mut found = |platform: &str, re: &Option<Regex>, default: Option<&str>| {
        let Some(text) = read(platform) else { return };
        let mut refs: Vec<String> = re
            .as_ref()
            .map(|re| {
                re.captures_iter(&text)
                    .filter_map(|c| c.get(1).map(|m| m.as_str().to_string()))
                    .collect()
            })
            .unwrap_or_default();
        if refs.is_empty()
            && let Some(default) = default
        {
            refs.push(default.to_string());
        }
        for reference in refs {
            if let Some(path) = join("", &reference)
                && project
                    .file(&path)
                    .is_some_and(|f| f.kind == FileKind::Dockerfile)
            {
                out.push((path, platform.to_string()));
            }
        }
    };
    found("fly.toml", &FLY_RE, Some("Dockerfile"));
    found("render.yaml", &RENDER_RE, None);
    found("heroku.yml", &HEROKU_RE, None);
    if read("app.yaml").is_some_and(|t| t.contains("runtime: custom")) {
        found("app.yaml", &None, Some("Dockerfile"));
    }
    out
}

/// The evidence of an image judged as shipped for want of any other evidence: the one decision
/// the images built on it may overrule.
const NO_EVIDENCE: &str = "no evidence that it is development-only: judged as shipped";

fn images(project: &Project, overrides: &CompiledOverrides, compose: &ComposeFiles) -> Vec<Image> {
    let mut images = own_images(project, overrides, compose);
    judge_base_images(project, &mut images);
    images
}

fn own_images(
    project: &Project,
    overrides: &CompiledOverrides,
    compose: &ComposeFiles,
) -> Vec<Image> {
    let dockerfiles: Vec<&SourceFile> = project.files_of(FileKind::Dockerfile).collect();
    let released = released_images(project);
    let platform = platform_images(project);
    let only = dockerfiles.len() == 1;
    dockerfiles
        .iter()
        .map(|file| {
            let path = file.path.as_str();
            let users: Vec<(&str, &Service, &Decision)> = compose
                .services
                .iter()
                .filter(|(_, s)| s.dockerfile.as_deref() == Some(path))
                .filter_map(|(c, s)| compose.scope_of(c).map(|d| (c.as_str(), s, d)))
                .collect();
            let decision = if let Some(decision) = overrides.decide(path) {
                decision
            } else if let Some((_, workflow)) = released.iter().find(|(p, _)| p == path) {
                Decision::new(
                    Scope::Production,
                    format!("built or pushed by the release workflow `{workflow}`"),
                )
            } else if let Some((_, platform)) = platform.iter().find(|(p, _)| p == path) {
                Decision::new(Scope::Production, format!("deployed by `{platform}`"))
            } else if let Some((compose_path, service, _)) = users.iter().find(|(_, s, d)| {
                d.scope == Scope::Production && !scope::has_word(&s.name, TEST_WORDS)
            }) && users
                .iter()
                .any(|(c, _, _)| path_marks(c).is_none())
                && scope::has_word(
                    compose_path.rsplit('/').next().unwrap_or(compose_path),
                    &["prod", "production", "staging", "deploy"],
                )
            {
                Decision::new(
                    Scope::Production,
                    format!(
                        "built for service `{}` of the production compose file `{compose_path}`",
                        service.name
                    ),
                )
            } else if let Some(decision) = path_marks(path) {
                decision
            } else if !users.is_empty()
                && users
                    .iter()
                    .all(|(_, s, _)| scope::has_word(&s.name, TEST_WORDS))
            {
                Decision::new(
                    Scope::Test,
                    format!("built only for the test service `{}`", users[0].1.name),
                )
            } else if !users.is_empty()
                && users.iter().all(|(_, _, d)| d.scope == Scope::Development)
            {
                let (compose_path, _, why) = users[0];
                Decision::new(
                    Scope::Development,
                    format!(
                        "built only by `{compose_path}`, a development compose file ({})",
                        why.evidence
                    ),
                )
            } else if only {
                Decision::new(Scope::Production, "the project's only Dockerfile")
            } else if let Some((compose_path, service, _)) = users.first() {
                Decision::new(
                    Scope::Production,
                    format!(
                        "built for service `{}` of `{compose_path}`, a compose file with no development marks",
                        service.name
                    ),
                )
            } else {
                Decision::new(Scope::Production, NO_EVIDENCE)
            };
            Image {
                path: file.path.clone(),
                decision,
                base_of: Vec::new(),
            }
        })
        .collect()
}

/// A Dockerfile that builds a base image for the project's other Dockerfiles (wger's
/// `extras/docker/base/Dockerfile`, tagged `wger/base`, which its development and demo images
/// build `FROM`) ships only inside the images built on it: with no evidence of its own, it
/// takes their scope. Its name is read from the `docker build -t NAME` its comments document,
/// or from its directory (`base/Dockerfile`) or suffix (`Dockerfile.base`), matched against the
/// last part of a namespaced `FROM` (`wger/base:2.1-dev`); a bare `FROM base` could be anyone's.
fn judge_base_images(project: &Project, images: &mut [Image]) {
    // The names each image builds FROM, by the image's index. NOTE: in parallel: this parses
    // every Dockerfile, one core's work for 2,000 of them otherwise.
    let froms: Vec<Vec<String>> = images
        .par_iter()
        .map(|image| {
            let Some(Parsed::Dockerfile(parsed)) = project.file(&image.path).map(|f| f.parsed())
            else {
                return Vec::new();
            };
            parsed
                .stages
                .iter()
                .filter(|stage| stage.parent.is_none())
                .filter_map(|stage| stage.image.as_ref())
                .filter(|image| !image.unresolved && !image.is_scratch())
                .map(|image| image.name.to_ascii_lowercase())
                .collect()
        })
        .collect();
    // NOTE: indexed by name, so that finding the images built on one is not a scan of every
    // image's FROMs (cubic: 2,000 service Dockerfiles took 14 s).
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut by_last_part: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, names) in froms.iter().enumerate() {
        for name in names {
            by_name.entry(name).or_default().push(index);
            if let Some((namespace, last)) = name.rsplit_once('/')
                && namespace != "library"
            {
                by_last_part.entry(last).or_default().push(index);
            }
        }
    }
    let consumers_of = |path: &str| -> Vec<(usize, String)> {
        let Some(file) = project.file(path) else {
            return Vec::new();
        };
        let tags = documented_tags(file);
        let word = base_word(path);
        let candidates: BTreeSet<usize> = tags
            .iter()
            .filter_map(|tag| by_name.get(tag.as_str()))
            .chain(word.as_deref().and_then(|word| by_last_part.get(word)))
            .flatten()
            .copied()
            .filter(|&index| images[index].path != path)
            .collect();
        candidates
            .into_iter()
            .filter_map(|index| {
                let name = froms[index].iter().find(|name| {
                    tags.iter().any(|tag| tag == *name)
                        || word.as_deref().is_some_and(|word| {
                            name.rsplit_once('/').is_some_and(|(namespace, last)| {
                                last == word && namespace != "library"
                            })
                        })
                })?;
                Some((index, name.clone()))
            })
            .collect()
    };
    let linked: Vec<(usize, Vec<(usize, String)>)> = images
        .par_iter()
        .enumerate()
        .map(|(index, image)| (index, consumers_of(&image.path)))
        .filter(|(_, consumers)| !consumers.is_empty())
        .collect();
    for (index, consumers) in linked {
        images[index].base_of = consumers
            .iter()
            .map(|(c, _)| images[*c].path.clone())
            .collect();
        let Some((first, name)) = consumers.first() else {
            continue;
        };
        if images[index].decision.evidence != NO_EVIDENCE {
            continue;
        }
        let shipped = consumers
            .iter()
            .find(|(c, _)| images[*c].decision.scope == Scope::Production);
        images[index].decision = match shipped {
            Some((c, name)) => Decision::new(
                Scope::Production,
                format!(
                    "the base image of the shipped image `{}` (`FROM {name}`)",
                    images[*c].path
                ),
            ),
            None => Decision::new(
                images[*first].decision.scope,
                format!(
                    "the base image of `{}` (`FROM {name}`), and no image built on it ships",
                    images[*first].path
                ),
            ),
        };
    }
}

/// Image names a Dockerfile's comments say it is built as: `# docker build --tag wger/base .`.
fn documented_tags(file: &SourceFile) -> Vec<String> {
    static TAG_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
        Regex::new(r"(?m)^\s*#.*\bdocker\s+(?:image\s+)?build\b.*?\s(?:-t|--tag)[=\s]+([^\s:@]+)")
            .ok()
    });
    let (Some(re), Ok(text)) = (TAG_RE.as_ref(), file.text()) else {
        return Vec::new();
    };
    re.captures_iter(&text.content)
        .filter_map(|c| c.get(1))
        .map(|m| m.as_str().to_ascii_lowercase())
        .collect()
}

/// The word a base Dockerfile's place names it by: `base/Dockerfile`, `Dockerfile.base`,
/// `base.Dockerfile`.
fn base_word(path: &str) -> Option<String> {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    let lower = name.to_ascii_lowercase();
    let word = if lower == "dockerfile" {
        dir.rsplit('/').next()?
    } else if let Some(suffix) = lower.strip_prefix("dockerfile.") {
        &name[name.len() - suffix.len()..]
    } else if let Some(prefix) = lower.strip_suffix(".dockerfile") {
        &name[..prefix.len()]
    } else {
        return None;
    };
    (!word.is_empty()).then(|| word.to_ascii_lowercase())
}

// ---------------------------------------------------------------------------------------
// Django settings modules

/// `DJANGO_SETTINGS_MODULE` set to a dotted name, in any syntax harden meets: Python's
/// `setdefault("DJANGO_SETTINGS_MODULE", "x")` / `environ["DJANGO_SETTINGS_MODULE"] = "x"`, a
/// shell or Dockerfile `DJANGO_SETTINGS_MODULE=x`, YAML `DJANGO_SETTINGS_MODULE: x`, INI/TOML
/// `DJANGO_SETTINGS_MODULE = x`.
static MODULE_RE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"DJANGO_SETTINGS_MODULE['"]?\s*\]?\s*[,=:]?\s*['"]?([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)"#,
    )
    .ok()
});

fn mentions_in(text: &str, python: bool) -> Vec<(String, usize)> {
    let Some(re) = MODULE_RE.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter_map(|c| c.get(1))
        // NOTE: in Python a module name is a string; `setdefault("DJANGO_SETTINGS_MODULE",
        // default)` passes a variable (Weblate's manage.py), which names nothing harden knows.
        .filter(|m| !python || matches!(text[..m.start()].chars().next_back(), Some('"' | '\'')))
        // NOTE: a commented-out line names nothing (nautobot's wsgi.py keeps the setdefault
        // it replaced as a comment); `#` starts a comment in every syntax read here.
        .filter(|m| {
            let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            !text[line_start..m.start()].trim_start().starts_with('#')
        })
        .map(|m| (m.as_str().to_string(), m.start()))
        // NOTE: `os.environ.get("DJANGO_SETTINGS_MODULE")` names no module; neither do
        // variables (`$DJANGO_SETTINGS_MODULE`) that the regex cannot see past.
        .filter(|(name, _)| name != "os" && name != "environ")
        .collect()
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn mentions(project: &Project, images: &[Image], compose: &ComposeFiles) -> Vec<Mention> {
    let mut out = Vec::new();
    let image_scope = |path: &str| {
        images
            .iter()
            .find(|i| i.path == path)
            .map_or(Scope::Production, |i| i.decision.scope)
    };
    // NOTE: this is the first read of most files of the run: done in parallel (the order of
    // the files is kept), as a sequential loop leaves a core idle while the walk's files load.
    let mentioning: Vec<&SourceFile> = project
        .files
        .par_iter()
        .filter(|file| {
            !project.text_dropped(file)
                && file
                    .text()
                    .is_ok_and(|text| text.content.contains("DJANGO_SETTINGS_MODULE"))
        })
        .collect();
    for file in mentioning {
        let Ok(text) = file.text() else { continue };
        let name = file.name();
        let path_scope = scope::by_path(&file.path, Some(file.kind), None).scope;
        let mut push = |module: String, use_: Use, what: String| {
            out.push(Mention {
                module,
                use_,
                evidence: what,
            });
        };
        if file.kind == FileKind::Dockerfile {
            let Parsed::Dockerfile(dockerfile) = file.parsed() else {
                continue;
            };
            let scope = image_scope(&file.path);
            for instruction in &dockerfile.instructions {
                let Some(source) = text.content.get(instruction.span.clone()) else {
                    continue;
                };
                for (module, offset) in mentions_in(source, false) {
                    let line = line_of(&text.content, instruction.span.start + offset);
                    let at = format!("{}:{line}", file.path);
                    let (use_, what) = match (instruction.keyword.as_str(), scope) {
                        ("RUN", _) => (Use::Build, format!("a build step (`RUN`) at {at}")),
                        (_, Scope::Production) => (
                            Use::Server,
                            format!("`{}` of a shipped image at {at}", instruction.keyword),
                        ),
                        (_, Scope::Test) => (Use::Test, format!("a test image at {at}")),
                        _ => (Use::Development, format!("a development image at {at}")),
                    };
                    push(module, use_, what);
                }
            }
            continue;
        }
        let use_ = match file.kind {
            // Under `.github/` (tooling), a manage.py is CI's: django-cms's
            // `.github/upgrade-test/` is the project its upgrade workflow tests.
            _ if matches!(path_scope, Scope::Test | Scope::Tooling) => Use::Test,
            _ if matches!(path_scope, Scope::Example) => Use::Example,
            FileKind::Python if name == "manage.py" => Use::Manage,
            FileKind::Python
                if matches!(name, "wsgi.py" | "asgi.py" | "celery.py")
                    || name.starts_with("gunicorn") =>
            {
                Use::Server
            }
            // NOTE: a workflow may be a test run or a deployment (`manage.py migrate` with the
            // production settings): it says nothing about the role on its own.
            FileKind::Workflow => Use::Other,
            FileKind::OtherConfig | FileKind::Pyproject
                if matches!(
                    name,
                    "pytest.ini" | "tox.ini" | "setup.cfg" | "pyproject.toml"
                ) =>
            {
                Use::Test
            }
            FileKind::OtherConfig if name.contains("uwsgi") || name.contains("gunicorn") => {
                Use::Server
            }
            FileKind::YamlConfig | FileKind::Compose => {
                match compose.scope_of(&file.path).map(|d| d.scope) {
                    Some(Scope::Production) => Use::Server,
                    Some(Scope::Test) => Use::Test,
                    Some(_) => Use::Development,
                    None => Use::Other,
                }
            }
            FileKind::EnvFile => {
                if scope::has_word(&file.path.replace('/', "."), &["prod", "production"]) {
                    Use::Server
                } else if path_marks(&file.path).is_some() {
                    Use::Development
                } else {
                    Use::Other
                }
            }
            _ if matches!(path_scope, Scope::Development) => Use::Development,
            _ => Use::Other,
        };
        // NOTE: in pyproject.toml only the pytest table names the test settings; django-stubs'
        // `django_settings_module` is for type checking and matches no `DJANGO_SETTINGS_MODULE`.
        for (module, offset) in mentions_in(&text.content, file.kind == FileKind::Python) {
            let line = line_of(&text.content, offset);
            let what = match use_ {
                Use::Manage => format!("named by manage.py ({}:{line})", file.path),
                Use::Server => format!("named by a server entry ({}:{line})", file.path),
                Use::Test => format!("named by test or CI configuration ({}:{line})", file.path),
                Use::Development => {
                    format!("named by development configuration ({}:{line})", file.path)
                }
                Use::Example => format!("named by example material ({}:{line})", file.path),
                Use::Build | Use::Other => format!("named in {}:{line}", file.path),
            };
            push(module, use_, what);
        }
    }
    for (platform, use_) in [("Procfile", Use::Server)] {
        if let Ok(text) = std::fs::read_to_string(project.root.join(platform)) {
            for (module, offset) in mentions_in(&text, false) {
                let line = line_of(&text, offset);
                out.push(Mention {
                    module,
                    use_,
                    evidence: format!("named by the {platform} ({platform}:{line})"),
                });
            }
        }
    }
    out
}

/// Directories Python would have on `sys.path` when the project runs: each directory holding
/// a manage.py (Python puts the script's directory first), the root, and `src/`.
fn sys_path(project: &Project) -> Vec<String> {
    let mut roots: Vec<String> = project
        .files
        .iter()
        .filter(|f| {
            f.name() == "manage.py" && scope::by_path(&f.path, None, None).scope != Scope::Test
        })
        .map(|f| f.dir().to_string())
        .collect();
    roots.push(String::new());
    roots.push("src".to_string());
    roots.dedup();
    roots
}

/// The file of dotted module `name` as Python would find it: first under each `sys.path`
/// directory, then (for layouts harden cannot see the path of) by path suffix, shortest first.
/// A bare name (`settings`) is only looked up on `sys.path`: by suffix it would match any
/// `settings.py` in the tree (wger's wsgi.py names a `settings` its installer writes, and a
/// development image's `extras/docker/development/settings.py` is not it).
pub fn resolve_module<'p>(project: &'p Project, roots: &[String], name: &str) -> Option<&'p str> {
    let rel = name.replace('.', "/");
    for root in roots {
        let base = if root.is_empty() {
            rel.clone()
        } else {
            format!("{root}/{rel}")
        };
        for candidate in [format!("{base}.py"), format!("{base}/__init__.py")] {
            if let Some(file) = project.file(&candidate) {
                return Some(file.path.as_str());
            }
        }
    }
    if !name.contains('.') {
        return None;
    }
    let as_file = format!("/{rel}.py");
    let as_package = format!("/{rel}/__init__.py");
    project
        .files
        .iter()
        .map(|f| f.path.as_str())
        .filter(|p| p.ends_with(&as_file) || p.ends_with(&as_package))
        .min_by_key(|p| (p.len(), *p))
}

/// The target of a `from <dots><name> import *` in `file`.
fn star_target<'p>(
    project: &'p Project,
    roots: &[String],
    file: &SourceFile,
    name: &str,
    level: usize,
) -> Option<&'p str> {
    if level == 0 {
        return resolve_module(project, roots, name);
    }
    let mut dir: Vec<&str> = file.dir().split('/').filter(|p| !p.is_empty()).collect();
    for _ in 1..level {
        dir.pop()?;
    }
    let rel = name.replace('.', "/");
    let base = [dir.join("/"), rel]
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    [format!("{base}.py"), format!("{base}/__init__.py")]
        .into_iter()
        .find_map(|p| project.file(&p).map(|f| f.path.as_str()))
}

/// Whether a module is a Django settings module by what it does at the top level: it assigns
/// a setting only a settings module holds (`INSTALLED_APPS`, `MIDDLEWARE`, `ROOT_URLCONF`,
/// `SECRET_KEY`), or, named `settings` (or inside a `settings/` package), it assigns upper-case
/// names or star-imports another module. A view or model that reads `settings.INSTALLED_APPS`
/// is not one.
fn is_settings_like(file: &SourceFile) -> bool {
    if file.kind != FileKind::Python {
        return false;
    }
    let named = file.named_as_settings();
    // NOTE: a cheap byte test first: most Python files of a project are neither. A module of
    // hundreds of KB not named as settings is not parsed to find out (a test suite's
    // `override_settings(SECRET_KEY=...)`); a DJANGO_SETTINGS_MODULE naming it still counts.
    let Ok(text) = file.text() else { return false };
    let core = ["INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF", "SECRET_KEY"];
    // NOTE: no module is known for settings yet: the model is what finds them (a module a
    // DJANGO_SETTINGS_MODULE names is taken without this test).
    if file.too_large_unless_named(text, &BTreeSet::new())
        || (!named && !core.iter().any(|n| text.content.contains(n)))
    {
        return false;
    }
    let Parsed::Python(module) = file.parsed() else {
        return false;
    };
    module.stmts.iter().any(|s| match &s.kind {
        StmtKind::Assign { name, .. } => {
            core.contains(&name.as_str())
                || (named
                    && name
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit()))
        }
        StmtKind::StarImport { .. } => named,
        _ => false,
    })
}

/// Development or test marks in a settings module's own name.
fn settings_name_marks(path: &str) -> Option<Decision> {
    let stem = path
        .rsplit('/')
        .next()
        .unwrap_or(path)
        .trim_end_matches(".py");
    if let Some(decision) = path_marks(path)
        && decision.scope != Scope::Development
    {
        return Some(decision);
    }
    if scope::has_word(stem, TEST_WORDS) {
        return Some(Decision::new(
            Scope::Test,
            format!("`{stem}` is named for tests"),
        ));
    }
    if scope::has_word(stem, DEV_WORDS) {
        return Some(Decision::new(
            Scope::Development,
            format!("`{stem}` is named for development"),
        ));
    }
    if scope::has_word(stem, scope::EXAMPLE_WORDS) {
        return Some(Decision::new(
            Scope::Example,
            format!("`{stem}` is named as an example"),
        ));
    }
    path_marks(path)
}

fn settings_modules(
    project: &Project,
    overrides: &CompiledOverrides,
    images: &[Image],
    compose: &ComposeFiles,
    published: Option<&str>,
) -> Vec<SettingsModule> {
    let roots = sys_path(project);
    let mut uses: BTreeMap<&str, Vec<Mention>> = BTreeMap::new();
    // Entries named by manage.py or a server whose module is not in the repository (a
    // deployment creates it from an example, as Weblate's `settings.py`).
    let mut missing_entries: BTreeSet<String> = BTreeSet::new();
    for mention in mentions(project, images, compose) {
        if let Some(path) = resolve_module(project, &roots, &mention.module) {
            uses.entry(path).or_default().push(mention);
        } else if matches!(mention.use_, Use::Manage | Use::Server) {
            missing_entries.insert(format!("`{}` (not in the repository)", mention.module));
        }
    }
    let mut paths: BTreeSet<&str> = uses.keys().copied().collect();
    paths.extend(
        project
            .files
            .iter()
            .filter(|f| !project.text_dropped(f) && is_settings_like(f))
            .map(|f| f.path.as_str()),
    );

    // First pass: what each module's own name and mentions say.
    let mut first: BTreeMap<&str, (Decision, bool)> = BTreeMap::new();
    for path in &paths {
        let mentions = uses.get(path).map(Vec::as_slice).unwrap_or_default();
        let mut decision = decide_settings(path, mentions, overrides);
        // NOTE: an application framework published to PyPI (nautobot) ships a base settings
        // module in its package for its users' configuration to star-import; nothing of this
        // repository serves it as it is.
        if let Some(package) = published
            && mentions.is_empty()
            && decision.0.scope == Scope::Production
            && overrides.decide(path).is_none()
            && in_package(path, package)
        {
            decision.0 = Decision::new(
                Scope::Library,
                format!(
                    "a base settings module shipped in the published package `{package}` for its users' settings to import; no DJANGO_SETTINGS_MODULE names it"
                ),
            );
        }
        first.insert(path, decision);
    }
    // Second pass: a module that star-imports a development module is development.
    let mut modules: Vec<SettingsModule> = paths
        .iter()
        .map(|path| {
            let (mut decision, entry) = first[path].clone();
            let overridden = overrides.decide(path).is_some();
            let served = uses
                .get(path)
                .is_some_and(|m| m.iter().any(|m| m.use_ == Use::Server));
            if decision.scope == Scope::Production
                && !overridden
                && !served
                && let Some(file) = project.file(path)
                && let Parsed::Python(module) = file.parsed()
            {
                for stmt in module.stmts.iter().filter(|s| !s.maybe) {
                    if let StmtKind::StarImport { module, level } = &stmt.kind
                        && let Some(target) = star_target(project, &roots, file, module, *level)
                        && let Some((target_decision, _)) = first.get(target)
                        && target_decision.scope == Scope::Development
                    {
                        decision = Decision::new(
                            Scope::Development,
                            format!(
                                "star-imports `{target}`, a development module ({})",
                                target_decision.evidence
                            ),
                        );
                        break;
                    }
                }
            }
            SettingsModule {
                path: (*path).to_string(),
                decision,
                entry,
                named: uses.contains_key(path),
            }
        })
        .collect();
    set_aside_unreached(project, &roots, &mut modules, &missing_entries, overrides);
    modules
}

/// Words that say a settings module is for a deployment, entry or not.
const DEPLOY_WORDS: &[&str] = &[
    "prod",
    "production",
    "live",
    "deploy",
    "deployment",
    "staging",
    "stage",
    "docker",
    "heroku",
    "k8s",
    "kubernetes",
    "server",
    "cloud",
    "release",
];

/// When the project names its settings entries (manage.py, wsgi.py, asgi.py, a server), a
/// settings module that no entry loads (it is neither named by one nor star-imported, directly
/// or through others, by one; being named elsewhere, in a build command, says nothing) and whose name does not say deployment is not what the project
/// serves: a build step's settings (`_build_settings.py` set by a setuptools command), a
/// management command's minimal settings, a test utility's. Set aside as tooling, with the
/// entries named in the evidence.
fn set_aside_unreached(
    project: &Project,
    roots: &[String],
    modules: &mut [SettingsModule],
    missing_entries: &BTreeSet<String>,
    overrides: &CompiledOverrides,
) {
    let entries: Vec<String> = modules
        .iter()
        .filter(|m| m.entry && m.decision.scope == Scope::Production)
        .map(|m| m.path.clone())
        .collect();
    if entries.is_empty() && missing_entries.is_empty() {
        return;
    }
    // Everything an entry may load through star imports (conditional ones included).
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut stack = entries.clone();
    while let Some(path) = stack.pop() {
        if !reached.insert(path.clone()) {
            continue;
        }
        let Some(file) = project.file(&path) else {
            continue;
        };
        let Parsed::Python(module) = file.parsed() else {
            continue;
        };
        for stmt in &module.stmts {
            if let StmtKind::StarImport { module, level } = &stmt.kind
                && let Some(target) = star_target(project, roots, file, module, *level)
                && !reached.contains(target)
            {
                stack.push(target.to_string());
            }
        }
    }
    let listed = entries
        .iter()
        .cloned()
        .chain(missing_entries.iter().cloned())
        .collect::<Vec<_>>()
        .join(", ");
    for module in modules.iter_mut() {
        let stem = module
            .path
            .rsplit('/')
            .next()
            .unwrap_or(&module.path)
            .trim_end_matches(".py");
        if module.decision.scope != Scope::Production
            || module.entry
            || reached.contains(&module.path)
            || overrides.decide(&module.path).is_some()
            || scope::has_word(stem, DEPLOY_WORDS)
        {
            continue;
        }
        module.decision = Decision::new(
            Scope::Tooling,
            format!("no entry loads it (entries: {listed}): not what the project serves"),
        );
    }
}

/// Whether `path` is inside the import package of the distribution `name` (`nautobot/...`,
/// `src/nautobot/...`; `django-foo` imports as `django_foo`).
fn in_package(path: &str, name: &str) -> bool {
    let import = name.to_ascii_lowercase().replace(['-', '.'], "_");
    let path = path.strip_prefix("src/").unwrap_or(path);
    path.split_once('/')
        .is_some_and(|(top, _)| top.to_ascii_lowercase() == import)
}

/// A settings module's decision from its mentions and name, and whether it is an entry.
fn decide_settings(
    path: &str,
    mentions: &[Mention],
    overrides: &CompiledOverrides,
) -> (Decision, bool) {
    let entry = mentions
        .iter()
        .any(|m| matches!(m.use_, Use::Manage | Use::Server));
    if let Some(decision) = overrides.decide(path) {
        return (decision, entry);
    }
    let first = |use_: Use| mentions.iter().find(|m| m.use_ == use_);
    if let Some(server) = first(Use::Server) {
        return (
            Decision::new(Scope::Production, server.evidence.clone()),
            entry,
        );
    }
    let only = |allowed: &[Use]| {
        !mentions.is_empty()
            && mentions
                .iter()
                .filter(|m| m.use_ != Use::Other)
                .all(|m| allowed.contains(&m.use_))
            && mentions.iter().any(|m| m.use_ != Use::Other)
    };
    if only(&[Use::Test]) {
        return (
            Decision::new(Scope::Test, mentions_evidence(mentions, Use::Test)),
            entry,
        );
    }
    if only(&[Use::Example]) || only(&[Use::Example, Use::Test]) {
        return (
            Decision::new(Scope::Example, mentions_evidence(mentions, Use::Example)),
            entry,
        );
    }
    if only(&[Use::Development]) || only(&[Use::Development, Use::Test]) {
        return (
            Decision::new(
                Scope::Development,
                mentions_evidence(mentions, Use::Development),
            ),
            entry,
        );
    }
    if only(&[Use::Build]) {
        return (
            Decision::new(
                Scope::Tooling,
                format!(
                    "used only by {}: build-time, not a server",
                    mentions_evidence(mentions, Use::Build)
                ),
            ),
            entry,
        );
    }
    if let Some(decision) = settings_name_marks(path) {
        return (decision, entry);
    }
    let decision = match first(Use::Manage) {
        Some(manage) => Decision::new(Scope::Production, manage.evidence.clone()),
        None => Decision::new(
            Scope::Production,
            "a settings module with no development, test or example marks",
        ),
    };
    (decision, entry)
}

fn mentions_evidence(mentions: &[Mention], use_: Use) -> String {
    mentions
        .iter()
        .find(|m| m.use_ == use_)
        .map_or_else(String::new, |m| m.evidence.clone())
}
