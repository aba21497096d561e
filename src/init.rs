//! What `harden init` writes: the files of a hardened project, rendered from `templates/init/`
//! (and the shared `templates/fix/` ones), as a plan of paths and contents. Deciding what to
//! write in a given directory, asking and writing is `commands::init`.

use crate::cli::Framework;
use crate::templates::security_workflow::{self, BanditConfig, Pins, Shape};
use crate::templates::{Templates, gitlab_security};

/// The Python version the project targets (`requires-python`, the Docker base, CI).
pub const PYTHON_VERSION: &str = "3.12";

/// The digest of the `python:3.12-slim` multi-platform image the Dockerfile pins (with its
/// tag, so people and Dependabot can read what it is). harden cannot ask the registry offline:
/// this one was read off many independent public Dockerfiles that pin `python:3.12-slim` (and
/// `python:3.12.14-slim-trixie`) to it. Dependabot's docker ecosystem proposes newer digests.
pub const PYTHON_DIGEST: &str = "78387bc3881b8273120a12ebe6c1ab22b018ccc2c9adf565ae1ac9b536e184ea";

/// Days Dependabot waits after a release before proposing it (what `dependabot-cooldown-missing`
/// asks for).
const COOLDOWN_DAYS: i64 = 7;

/// What a generated file is to an existing project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Application code and what is tied to it (settings, entry points, the variables they
    /// read, the Dockerfile's CMD, CI's smoke test): written only in a project with no Python
    /// code yet, where it cannot shadow or contradict the code that is there.
    Scaffold,
    /// Repository hardening that fits any project (.gitignore, Dependabot, pre-commit, ...).
    Project,
}

/// One file to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Relative to the project root, `/`-separated.
    pub path: String,
    pub content: String,
    pub role: Role,
}

/// The user's choices.
#[derive(Debug, Clone)]
pub struct Options {
    pub framework: Framework,
    pub docker: bool,
    pub ci_github: bool,
    /// Write a hardened `.gitlab-ci.yml`, and Renovate's configuration instead of Dependabot's.
    pub ci_gitlab: bool,
    /// The Python package name (a valid identifier).
    pub name: String,
    /// The project will have a `[tool.bandit]` section in pyproject.toml (generated, or already
    /// there), so pre-commit's bandit can be pointed at it.
    pub bandit_config: bool,
    /// Otherwise, the project has a `.bandit` INI file bandit should read.
    pub bandit_ini: bool,
    /// Ecosystems Dependabot must watch beyond pip and those implied by the options, because
    /// the project already has them (a Dockerfile, workflows).
    pub has_dockerfile: bool,
    pub has_workflows: bool,
    /// What pip-audit reads in the security workflow: `-r` these requirements files, else the
    /// project in these directories.
    pub audit_requirements: Vec<String>,
    pub audit_projects: Vec<String>,
    /// Directories bandit skips when there is no bandit configuration (tests, environments).
    pub bandit_excludes: Vec<String>,
}

impl Framework {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Django => "django",
            Self::Flask => "flask",
            Self::Fastapi => "fastapi",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Django => "Django",
            Self::Flask => "Flask",
            Self::Fastapi => "FastAPI",
        }
    }
}

/// Names a package must not take: Python keywords and modules it would shadow.
const RESERVED: &[&str] = &[
    "and",
    "as",
    "assert",
    "async",
    "await",
    "break",
    "class",
    "continue",
    "def",
    "del",
    "elif",
    "else",
    "except",
    "false",
    "finally",
    "for",
    "from",
    "global",
    "if",
    "import",
    "in",
    "is",
    "lambda",
    "none",
    "nonlocal",
    "not",
    "or",
    "pass",
    "raise",
    "return",
    "true",
    "try",
    "while",
    "with",
    "yield", // keywords (lowercased)
    "django",
    "flask",
    "fastapi",
    "starlette",
    "gunicorn",
    "uvicorn",
    "axes",
    "csp",
    "test",
    "tests",
    "settings",
    "config",
    "main",
    "manage",
    "site",
    "os",
    "sys",
    "secrets",
    "typing",
];

/// Why `name` cannot be the package name, if it cannot.
pub fn invalid_name(name: &str) -> Option<String> {
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_');
    if !valid_chars || !starts_ok {
        return Some(format!(
            "`{name}` is not a package name: use lowercase letters, digits and `_`, starting with a letter"
        ));
    }
    if RESERVED.contains(&name) {
        return Some(format!(
            "`{name}` would shadow a Python keyword or module the project uses: choose another --name"
        ));
    }
    None
}

/// A package name made from a directory name: lowercased, other characters turned into `_`,
/// made to start with a letter, and moved off reserved names.
pub fn derive_name(dir_name: &str) -> String {
    let mut name: String = dir_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    name = name.trim_matches('_').to_string();
    while name.contains("__") {
        name = name.replace("__", "_");
    }
    if name.is_empty() {
        return "app".to_string();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("app_{name}");
    }
    if invalid_name(&name).is_some() {
        name = format!("{name}_app");
    }
    name
}

/// Why a plan could not be made: a bug in harden's own templates or pin table.
#[derive(Debug)]
pub struct PlanError(pub String);

impl std::fmt::Display for PlanError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<minijinja::Error> for PlanError {
    fn from(error: minijinja::Error) -> Self {
        Self(format!("cannot render a template: {error}"))
    }
}

/// `owner/name@sha # version` for a `uses:` line, from the pin table the security workflow uses.
fn uses(pins: &Pins, action: &str) -> Result<String, PlanError> {
    let (sha, version) = pins
        .action(action)
        .ok_or_else(|| PlanError(format!("no pinned release of {action} in the pin table")))?;
    Ok(format!("{action}@{sha} # {version}"))
}

/// What the security jobs (GitHub workflow or GitLab CI) cover in the new project.
fn security_shape(options: &Options) -> Shape {
    Shape {
        branches: vec!["main".into()],
        bandit_targets: vec![".".into()],
        bandit_config: if options.bandit_config {
            Some(BanditConfig::Pyproject("pyproject.toml".into()))
        } else if options.bandit_ini {
            Some(BanditConfig::Ini(".bandit".into()))
        } else {
            None
        },
        bandit_excludes: if options.bandit_config || options.bandit_ini {
            Vec::new()
        } else {
            options.bandit_excludes.clone()
        },
        requirements: options.audit_requirements.clone(),
        projects: options.audit_projects.clone(),
        secret_scan: false,
        secrets_baseline: None,
    }
}

/// Every file of the project, in a stable order.
pub fn plan(options: &Options, templates: &Templates) -> Result<Vec<Planned>, PlanError> {
    let name = options.name.as_str();
    let framework = options.framework;
    let pins = Pins::embedded().ok_or_else(|| PlanError("the pin table does not parse".into()))?;
    let actions = minijinja::context! {
        checkout => uses(&pins, "actions/checkout")?,
        setup_python => uses(&pins, "actions/setup-python")?,
    };
    let context = minijinja::context! {
        name => name,
        project => name.replace('_', "-"),
        framework => framework.as_str(),
        framework_title => framework.title(),
        python_version => PYTHON_VERSION,
        python_digest => PYTHON_DIGEST,
        bandit_config => options.bandit_config,
        bandit_ini => options.bandit_ini,
        actions => actions,
        // The shared `fix/` templates say which command wrote them.
        init => true,
    };
    let mut out = Vec::new();
    let mut add = |path: String, template: &str, role: Role| -> Result<(), PlanError> {
        let content = templates.render(template, context.clone())?;
        out.push(Planned {
            path,
            content,
            role,
        });
        Ok(())
    };

    // The application.
    match framework {
        Framework::Django => {
            add(
                "manage.py".into(),
                "init/django/manage.py.j2",
                Role::Scaffold,
            )?;
            for (file, template) in [
                ("__init__.py", "init/django/init.py.j2"),
                ("asgi.py", "init/django/asgi.py.j2"),
                ("health.py", "init/django/health.py.j2"),
                ("urls.py", "init/django/urls.py.j2"),
                ("wsgi.py", "init/django/wsgi.py.j2"),
                ("settings/__init__.py", "init/django/settings_init.py.j2"),
                ("settings/base.py", "init/django/base.py.j2"),
                ("settings/development.py", "init/django/development.py.j2"),
                ("settings/production.py", "init/django/production.py.j2"),
            ] {
                add(format!("{name}/{file}"), template, Role::Scaffold)?;
            }
        }
        Framework::Flask => {
            add(
                format!("{name}/__init__.py"),
                "init/flask/init.py.j2",
                Role::Scaffold,
            )?;
            add(
                format!("{name}/config.py"),
                "init/flask/config.py.j2",
                Role::Scaffold,
            )?;
        }
        Framework::Fastapi => {
            add(
                format!("{name}/__init__.py"),
                "init/fastapi/init.py.j2",
                Role::Scaffold,
            )?;
            add(
                format!("{name}/main.py"),
                "init/fastapi/main.py.j2",
                Role::Scaffold,
            )?;
            add(
                format!("{name}/settings.py"),
                "init/fastapi/settings.py.j2",
                Role::Scaffold,
            )?;
        }
    }
    add(".env.example".into(), "init/env.example.j2", Role::Scaffold)?;
    add(
        "requirements.in".into(),
        "init/requirements.in.j2",
        Role::Scaffold,
    )?;
    add(
        "pyproject.toml".into(),
        "init/pyproject.toml.j2",
        Role::Scaffold,
    )?;

    // Repository hardening.
    add(".gitignore".into(), "init/gitignore.j2", Role::Project)?;
    add(
        ".pre-commit-config.yaml".into(),
        "init/pre-commit-config.yaml.j2",
        Role::Project,
    )?;
    add("SECURITY.md".into(), "fix/SECURITY.md.j2", Role::Project)?;
    if options.docker {
        add("Dockerfile".into(), "init/Dockerfile.j2", Role::Scaffold)?;
    }
    if options.docker || options.has_dockerfile {
        add(".dockerignore".into(), "fix/dockerignore.j2", Role::Project)?;
    }
    if options.ci_github {
        add(
            ".github/workflows/ci.yml".into(),
            "init/ci.yml.j2",
            Role::Scaffold,
        )?;
        let shape = security_shape(options);
        let content = security_workflow::render(templates, &shape)
            .ok_or_else(|| PlanError("cannot render the security workflow".into()))?;
        out.push(Planned {
            path: security_workflow::PATH.into(),
            content,
            role: Role::Project,
        });
    }
    if options.ci_gitlab {
        let placement = gitlab_security::Placement {
            stage: "test".into(),
            mr_rules: false,
            init: true,
        };
        let jobs = gitlab_security::render(templates, &security_shape(options), &placement)
            .ok_or_else(|| PlanError("cannot render the GitLab security jobs".into()))?;
        let content = templates.render(
            "init/gitlab-ci.yml.j2",
            minijinja::context! { security_jobs => jobs.trim_end(), ..context.clone() },
        )?;
        crate::formats::yaml::YamlFile::parse(&content).map_err(|e| {
            PlanError(format!(
                "the generated .gitlab-ci.yml does not parse: {}",
                e.message
            ))
        })?;
        out.push(Planned {
            path: ".gitlab-ci.yml".into(),
            content,
            role: Role::Project,
        });
        if !options.ci_github && !options.has_workflows {
            out.push(Planned {
                path: "renovate.json".into(),
                content: templates.render(
                    "fix/renovate.json.j2",
                    minijinja::context! { cooldown_days => COOLDOWN_DAYS },
                )?,
                role: Role::Project,
            });
            return Ok(out);
        }
    }
    let mut ecosystems = vec!["pip"];
    if options.docker || options.has_dockerfile {
        ecosystems.push("docker");
    }
    if options.ci_github || options.has_workflows {
        ecosystems.push("github-actions");
    }
    out.push(Planned {
        path: ".github/dependabot.yml".into(),
        content: dependabot(templates, &ecosystems)?,
        role: Role::Project,
    });
    Ok(out)
}

/// `.github/dependabot.yml` from the template `harden fix` uses, one root entry per ecosystem.
fn dependabot(templates: &Templates, ecosystems: &[&str]) -> Result<String, minijinja::Error> {
    let quote = |s: &str| format!("\"{s}\"");
    let updates: Vec<minijinja::Value> = ecosystems
        .iter()
        .map(|e| minijinja::context! { ecosystem => quote(e), directory => quote("/") })
        .collect();
    templates.render(
        "fix/dependabot.yml.j2",
        minijinja::context! { updates => updates, cooldown_days => COOLDOWN_DAYS, init => true },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_derived_and_validated() {
        assert_eq!(derive_name("My Shop"), "my_shop");
        assert_eq!(derive_name("2fa-service"), "app_2fa_service");
        assert_eq!(derive_name("flask"), "flask_app");
        assert_eq!(derive_name("--"), "app");
        assert_eq!(derive_name("été"), "t");
        assert!(invalid_name("shop").is_none());
        assert!(invalid_name("Shop").is_some());
        assert!(invalid_name("django").is_some());
        assert!(invalid_name("a-b").is_some());
        assert!(invalid_name("").is_some());
    }

    #[test]
    fn every_combination_renders() {
        let templates = Templates::new();
        for framework in [Framework::Django, Framework::Flask, Framework::Fastapi] {
            for (docker, ci_github, ci_gitlab) in [(false, false, true), (true, true, false)] {
                let options = Options {
                    framework,
                    docker,
                    ci_github,
                    ci_gitlab,
                    name: "shop".into(),
                    bandit_config: true,
                    bandit_ini: false,
                    has_dockerfile: false,
                    has_workflows: false,
                    audit_requirements: vec!["requirements.txt".into()],
                    audit_projects: Vec::new(),
                    bandit_excludes: Vec::new(),
                };
                let files = plan(&options, &templates).unwrap();
                assert!(files.iter().any(|f| f.path == "pyproject.toml"));
                assert_eq!(files.iter().any(|f| f.path == "Dockerfile"), docker);
                assert_eq!(
                    files
                        .iter()
                        .any(|f| f.path == ".github/workflows/security.yml"),
                    ci_github
                );
                assert_eq!(files.iter().any(|f| f.path == ".gitlab-ci.yml"), ci_gitlab);
                assert_eq!(files.iter().any(|f| f.path == "renovate.json"), ci_gitlab);
                // GitHub's own `${{ }}` expressions aside, nothing is left unrendered.
                assert!(files.iter().all(|f| {
                    !f.content.replace("${{", "").contains("{{") && !f.content.contains("{%")
                }));
            }
        }
    }
}
