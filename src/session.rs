//! A resolved run: the project root, its configuration, the checks and what to run. Built from
//! the command line before any work is done, like ripgrep's HiArgs.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::thread::JoinHandle;

use crate::Error;
use crate::baseline::BaselineFile;
use crate::checks::Registry;
use crate::checks::profile::{Profile, expand_selector};
use crate::cli::SelectionArgs;
use crate::config::ProjectConfig;
use crate::diagnostic::{ConfigError, ConfigErrors};
use crate::engine::{self, RunPlan};
use crate::finding::Finding;
use crate::project::{Project, walk};
use crate::templates::Templates;
use crate::workspace::Workspace;

pub struct Session {
    pub root: PathBuf,
    /// The root, the part of the project the command line asked for, and how paths are shown.
    pub workspace: Workspace,
    pub config: ProjectConfig,
    pub registry: Registry,
    pub plan: RunPlan,
    pub profile_name: String,
    pub templates: Templates,
    pub baseline: Option<BaselineFile>,
    /// What the summary must say besides the findings (a check that could not run).
    pub notes: Vec<String>,
    /// The walk (git's list of the project's files, or the tree), made while the checks load:
    /// `git ls-files` or a walk of the tree takes as long as loading them, and waits on the
    /// disk where loading is work. Taken by the first [`Session::walk`].
    walk: Mutex<Option<JoinHandle<Project>>>,
}

impl Session {
    /// A session on the project rooted exactly at `args.path` (library callers and tests).
    pub fn new(args: &SelectionArgs) -> Result<Self, Error> {
        let root = &args.path;
        if !root.exists() {
            return Err(Error::Usage(format!("{} does not exist", root.display())));
        }
        if !root.is_dir() {
            return Err(Error::Usage(format!(
                "{} is not a directory",
                root.display()
            )));
        }
        Self::in_workspace(args, Workspace::at_root(root))
    }

    /// A session as the command line means it: the project root found upward from the paths
    /// given (files or directories), judged whole, reported for the part asked for.
    pub fn discover(args: &SelectionArgs) -> Result<Self, Error> {
        let paths: Vec<PathBuf> = std::iter::once(args.path.clone())
            .chain(args.more_paths.iter().cloned())
            .collect();
        Self::in_workspace(args, Workspace::discover(&paths)?)
    }

    fn in_workspace(args: &SelectionArgs, workspace: Workspace) -> Result<Self, Error> {
        let root = workspace.root.clone();
        let config = match &args.config {
            Some(file) => ProjectConfig::read_file(file),
            None => ProjectConfig::discover(&root),
        }
        .map_err(|e| Error::Config(ConfigErrors(e)))?;
        let walk = std::thread::spawn({
            let root = root.clone();
            let exclude = config.exclude_set();
            move || walk::walk(&root, &exclude)
        });
        // Directories in a configuration file are relative to the file, as in ruff.
        let config_dir = args
            .config
            .as_ref()
            .and_then(|file| file.parent())
            .map_or_else(|| root.clone(), Path::to_path_buf);
        let extra_dirs: Vec<(String, PathBuf)> = config
            .checks
            .iter()
            .map(|d| (d.clone(), config_dir.join(d)))
            .collect();
        let registry = Registry::load(&extra_dirs).map_err(Error::Config)?;
        let mut errors = config.validate(&registry);

        // Command-line selectors are usage errors when unknown.
        for selector in args
            .select
            .iter()
            .flatten()
            .chain(&args.extend_select)
            .chain(&args.ignore)
        {
            if expand_selector(&registry, selector).is_empty() {
                let hint = suggest(&registry, selector)
                    .map(|near| format!("; did you mean `{near}`?"))
                    .unwrap_or_default();
                return Err(Error::Usage(format!(
                    "unknown check or domain `{selector}`{hint} (see `harden checks`)"
                )));
            }
        }

        let (profile, profile_name) = resolve_profile(
            &root,
            args.profile.as_deref(),
            &config,
            &registry,
            &mut errors,
        )?;
        if !errors.is_empty() {
            return Err(Error::Config(ConfigErrors(errors)));
        }
        let profile_ids = profile.resolve_ids(&registry).map_err(|e| {
            Error::Config(ConfigErrors(vec![ConfigError {
                file: profile.source_path.clone(),
                position: None,
                message: e,
            }]))
        })?;

        let mut enabled: std::collections::BTreeSet<String> = match (&args.select, &config.select) {
            (Some(select), _) => select
                .iter()
                .flat_map(|s| expand_selector(&registry, s))
                .collect(),
            (None, Some(select)) => select
                .iter()
                .flat_map(|s| expand_selector(&registry, &s.value))
                .collect(),
            (None, None) => profile_ids,
        };
        for selector in config
            .extend_select
            .iter()
            .map(|s| s.value.as_str())
            .chain(args.extend_select.iter().map(String::as_str))
        {
            enabled.extend(expand_selector(&registry, selector));
        }
        for selector in config
            .ignore
            .iter()
            .map(|s| s.value.as_str())
            .chain(args.ignore.iter().map(String::as_str))
        {
            for id in expand_selector(&registry, selector) {
                enabled.remove(&id);
            }
        }

        let scopes = profile.resolve_scopes(&registry);
        let (mut severity, mut params) = profile.resolve_overrides(&registry);
        for (id, level) in &config.severity {
            severity.insert(id.value.clone(), *level);
        }
        for (id, values) in &config.params {
            let entry = params.entry(id.value.clone()).or_default();
            for (key, (value, _)) in values {
                entry.insert(key.clone(), value.clone());
            }
        }

        let mut notes = Vec::new();
        if enabled.contains(crate::advisories::CHECK) {
            let default_age = registry
                .get(crate::advisories::CHECK)
                .and_then(|c| c.params.get("max-age-days"))
                .and_then(serde_json::Value::as_i64)
                .unwrap_or(7);
            let mut map: serde_json::Map<String, serde_json::Value> = params
                .remove(crate::advisories::CHECK)
                .unwrap_or_default()
                .into_iter()
                .collect();
            notes =
                crate::advisories::plan(&root, args.advisories.as_deref(), &mut map, default_age);
            params.insert(
                crate::advisories::CHECK.to_string(),
                map.into_iter().collect(),
            );
        }

        let baseline = match &args.baseline {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|e| {
                    Error::Usage(format!("cannot read baseline {}: {e}", path.display()))
                })?;
                Some(
                    BaselineFile::parse(&text)
                        .map_err(|e| Error::Usage(format!("{}: {e}", path.display())))?,
                )
            }
            None => None,
        };

        Ok(Self {
            root,
            workspace,
            config,
            registry,
            plan: RunPlan {
                enabled: enabled.into_iter().collect(),
                severity,
                params,
                scopes,
            },
            profile_name,
            templates: Templates::new(),
            baseline,
            notes,
            walk: Mutex::new(Some(walk)),
        })
    }

    /// The project as git (or, outside git, the tree) lists it, with the configuration's scope
    /// overrides.
    pub fn walk(&self) -> Project {
        let pending = self.walk.lock().ok().and_then(|mut walk| walk.take());
        let mut project = match pending.map(JoinHandle::join) {
            Some(Ok(project)) => project,
            // The first walk was taken (a second one sees the files as they are now), or the
            // walking thread failed: walk again.
            Some(Err(_)) | None => walk::walk(&self.root, &self.config.exclude_set()),
        };
        project.overrides = self.config.scope_overrides();
        project
    }

    /// Run the enabled checks on `project`, with inline and baseline suppressions applied,
    /// keeping the findings in the part of the project the command line asked for.
    pub fn check(&self, project: &Project) -> Vec<Finding> {
        let mut findings = engine::run(project, &self.registry, &self.plan, &self.templates);
        findings.retain(|f| self.workspace.is_selected(&f.primary.path));
        if let Some(baseline) = &self.baseline {
            baseline.apply(&mut findings);
        }
        findings
    }
}

fn resolve_profile(
    root: &Path,
    cli_profile: Option<&str>,
    config: &ProjectConfig,
    registry: &Registry,
    errors: &mut Vec<ConfigError>,
) -> Result<(Profile, String), Error> {
    let (name, base) = match (cli_profile, &config.profile) {
        (Some(name), _) => (name.to_string(), PathBuf::from(".")),
        (None, Some(name)) => (name.value.clone(), root.to_path_buf()),
        (None, None) => ("baseline".to_string(), root.to_path_buf()),
    };
    if let Some(profile) = registry.profiles.get(&name) {
        return Ok((profile.clone(), name));
    }
    let path = base.join(&name);
    let Ok(source) = std::fs::read_to_string(&path) else {
        let known: Vec<&str> = registry.profiles.keys().map(String::as_str).collect();
        return Err(Error::Usage(format!(
            "unknown profile `{name}`: not {} and not a readable file",
            known.join(" or ")
        )));
    };
    let display = path.display().to_string();
    match Profile::parse(&name, &display, &source) {
        Ok(profile) => {
            errors.extend(profile.validate(registry));
            Ok((profile, display))
        }
        Err(mut e) => {
            errors.append(&mut e);
            Err(Error::Config(ConfigErrors(std::mem::take(errors))))
        }
    }
}

/// The known check id or domain closest to a mistyped one, when one is close enough to be what
/// the user meant (ruff and cargo suggest the same way).
fn suggest(registry: &Registry, selector: &str) -> Option<String> {
    let domains = registry.checks.iter().map(|c| c.domain());
    registry
        .checks
        .iter()
        .map(|c| c.id.as_str())
        .chain(domains)
        .map(|candidate| (strsim::jaro_winkler(selector, candidate), candidate))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, candidate)| candidate.to_string())
}
