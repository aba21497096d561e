//! Scopes: what part a file plays in the project (shipped to production, development only,
//! test, example or documentation, tooling, library source, or repository-wide), each decision
//! with the evidence a person can read. Path rules live here; the evidence from entry points,
//! images and deployment files is gathered in [`super::model`].

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::Serialize;

use super::FileKind;

/// The part a file plays. Profiles choose the scopes they judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// Runs or is served in a deployment.
    Production,
    /// About the whole repository: .gitignore, dependabot, CI workflows, dependency manifests.
    Repository,
    /// Used only while developing: dev containers, local compose files, development settings.
    Development,
    /// Test code, test settings and test images.
    Test,
    /// Examples, documentation and tutorials.
    Example,
    /// Build-time and CI-only material: a settings module used only by a build step.
    Tooling,
    /// The source of a published library package (the project deploys nothing).
    Library,
}

impl Scope {
    pub const ALL: &'static [(&'static str, Scope)] = &[
        ("production", Self::Production),
        ("repository", Self::Repository),
        ("development", Self::Development),
        ("test", Self::Test),
        ("example", Self::Example),
        ("tooling", Self::Tooling),
        ("library", Self::Library),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, scope)| *scope == self)
            .map_or("production", |(name, _)| name)
    }

    /// A non-zero byte for the scope (its place in [`Scope::ALL`], plus one), for a cache
    /// that holds 0 for "not known yet".
    pub fn code(self) -> u8 {
        Self::ALL
            .iter()
            .position(|(_, scope)| *scope == self)
            .map_or(1, |i| i as u8 + 1)
    }

    /// The scope of a [`Scope::code`]; `None` for 0 or an unknown byte.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL
            .get(usize::from(code).checked_sub(1)?)
            .map(|(_, scope)| *scope)
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, scope)| *scope)
    }
}

impl std::fmt::Display for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A file's scope and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub scope: Scope,
    /// One sentence a reviewer can check: "named by wsgi.py (DJANGO_SETTINGS_MODULE)".
    pub evidence: String,
}

impl Decision {
    pub fn new(scope: Scope, evidence: impl Into<String>) -> Self {
        Self {
            scope,
            evidence: evidence.into(),
        }
    }
}

/// The project's own word on scopes: `production = [...]` / `development = [...]` globs (and
/// the older `production-settings` / `development-settings`, which mean the same for settings
/// modules). A glob matches a path relative to the project root.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub production: Vec<String>,
    pub development: Vec<String>,
}

/// [`Overrides`] compiled once.
#[derive(Debug, Clone)]
pub(crate) struct CompiledOverrides {
    production: GlobSet,
    development: GlobSet,
}

impl CompiledOverrides {
    pub fn new(overrides: &Overrides) -> Self {
        Self {
            production: globset(&overrides.production),
            development: globset(&overrides.development),
        }
    }

    /// The configuration's decision about `path`, if it has one; production wins when both
    /// lists match, as `production-settings` always did.
    pub fn decide(&self, path: &str) -> Option<Decision> {
        if self.production.is_match(path) {
            Some(Decision::new(
                Scope::Production,
                "matched by `production` in the harden configuration",
            ))
        } else if self.development.is_match(path) {
            Some(Decision::new(
                Scope::Development,
                "matched by `development` in the harden configuration",
            ))
        } else {
            None
        }
    }
}

fn globset(globs: &[String]) -> GlobSet {
    let mut builder = GlobSetBuilder::new();
    for glob in globs {
        // NOTE: the configuration loader validates globs with a precise error; an invalid one
        // that reaches here (a test) matches nothing.
        if let Ok(glob) = Glob::new(glob) {
            builder.add(glob);
        }
    }
    builder.build().unwrap_or_else(|_| GlobSet::empty())
}

/// Words that mark a file or directory name as development material.
pub const DEV_WORDS: &[&str] = &[
    "dev",
    "develop",
    "devel",
    "development",
    "local",
    "debug",
    "devcontainer",
];

/// Words that mark a name as test material.
pub const TEST_WORDS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "ci",
    "pytest",
    // fides' `docker-compose.integration-postgres.yml` and its `*_example` databases.
    "integration",
    "e2e",
];

/// Words that mark a name as example material.
pub const EXAMPLE_WORDS: &[&str] = &["example", "examples", "sample", "samples"];

/// Directories whose content is test code.
const TEST_DIRS: &[&str] = &[
    // Bitcoin's regression-test network: LNbits' `docker/regtest/` compose stack.
    "regtest",
    "tests",
    "test",
    "testing",
    "testdata",
    "test_data",
    "fixtures",
];

/// Kinds of tests a `<kind>_tests/` directory holds (`integration_tests/`, moin's
/// `_ui_tests/`). NOTE: not every `*_tests` name: `ab_tests/` can be an A/B-testing app.
const TEST_KINDS: &[&str] = &[
    "unit",
    "integration",
    "functional",
    "acceptance",
    "e2e",
    "end2end",
    "ui",
    "browser",
    "selenium",
    "system",
    "smoke",
    "regression",
    "api",
];

/// Whether a directory holds test code: a name of [`TEST_DIRS`], also with underscores around
/// it as private packages write it (moin's `src/moin/_tests/`, `__tests__/`), or
/// `<kind>_tests` / `<kind>-tests` for a kind of [`TEST_KINDS`].
fn is_test_dir(dir: &str) -> bool {
    let bare = dir.trim_matches('_');
    TEST_DIRS.contains(&bare)
        || [bare.strip_suffix("_tests"), bare.strip_suffix("-tests")]
            .into_iter()
            .flatten()
            .any(|kind| TEST_KINDS.contains(&kind))
}

/// Directories whose content is example or documentation material.
const EXAMPLE_DIRS: &[&str] = &[
    "examples",
    "example",
    "docs",
    "doc",
    "documentation",
    // OpenStack's API reference (Sphinx sources and the requirements of their build).
    "api-ref",
    "tutorial",
    "tutorials",
    "samples",
    "sample",
    "demo",
    "demos",
    "cookbook",
];

/// The purpose word of a stand-in project directory: `example_project` and `demoapp` give
/// `example` and `demo`, `test_project` gives `test` (HyperKitty and Postorius ship an
/// `example_project/`, Modoboa a `test_project/`, beside the package they publish).
fn stand_in_project(dir: &str) -> Option<&str> {
    let lower = dir.to_ascii_lowercase();
    [
        "_project", "-project", "project", "_site", "-site", "site", "_app", "-app", "app",
    ]
    .iter()
    .find_map(|suffix| lower.strip_suffix(suffix))
    .and_then(|word| {
        ["example", "sample", "demo", "test", "tests", "testing"]
            .into_iter()
            .find(|w| *w == word)
    })
}

/// Whether a file sits in a directory of templates new projects or files are generated from
/// (`project_template/`, `arches-templates/`, `{{cookiecutter.project_slug}}/`).
pub fn in_template_dir(path: &str) -> bool {
    path.rsplit_once('/')
        .is_some_and(|(dirs, _)| dirs.split('/').any(is_template_dir))
}

/// Whether a directory holds templates new projects or files are generated from.
fn is_template_dir(dir: &str) -> bool {
    let lower = dir.to_ascii_lowercase();
    let stem = lower.strip_suffix('s').unwrap_or(&lower);
    stem == "template"
        || stem.ends_with("_template")
        || stem.ends_with("-template")
        || dir.contains("{{")
}

/// Whether `name`, split at `_ - .`, has one of `words` as a part.
pub fn has_word(name: &str, words: &[&str]) -> bool {
    name.split(['_', '-', '.'])
        .any(|w| words.contains(&w.to_ascii_lowercase().as_str()))
}

/// Kinds that speak for the whole repository wherever they are.
fn is_repository_wide(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Gitignore
            | FileKind::Dockerignore
            | FileKind::Dependabot
            | FileKind::Renovate
            | FileKind::Workflow
            | FileKind::Action
            | FileKind::PrecommitConfig
            | FileKind::HardenConfig
            | FileKind::SecurityPolicy
            | FileKind::BanditConfig
    )
}

fn is_manifest(kind: FileKind) -> bool {
    matches!(
        kind,
        FileKind::Requirements
            | FileKind::Pyproject
            | FileKind::Pipfile
            | FileKind::PoetryLock
            | FileKind::UvLock
            | FileKind::PdmLock
            | FileKind::PipfileLock
            | FileKind::PythonVersion
    )
}

/// Whether a file name is a Python test module: pytest's `test_*.py`, `*_test.py` and
/// `conftest.py`, and `tests.py`, the module `manage.py startapp` writes into every Django app
/// (Review Board's `reviewboard/ssh/tests.py` holds the keys its tests use; Django's runner
/// collects `test*.py`, `test.py` included).
pub fn is_test_module(name: &str) -> bool {
    matches!(name, "conftest.py" | "tests.py" | "test.py")
        || (name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py")))
}

/// The decision from a file's path alone, for files no entry point, image or deployment file
/// speaks about. `library` names the package a library project publishes.
pub fn by_path(path: &str, kind: Option<FileKind>, library: Option<&str>) -> Decision {
    if let Some(kind) = kind
        && is_repository_wide(kind)
    {
        return Decision::new(Scope::Repository, "repository-wide configuration");
    }
    let mut parts: Vec<&str> = path.split('/').collect();
    let name = parts.pop().unwrap_or(path);
    let dirs = parts;
    if let Some(dir) = dirs.iter().find(|d| **d == ".devcontainer") {
        return Decision::new(
            Scope::Development,
            format!("under `{dir}/`: a development container"),
        );
    }
    // An action's or a workflow's own image or script (ClusterFuzzLite's Dockerfile under
    // `.github/actions/`): CI tooling, never deployed.
    if dirs.first() == Some(&".github") {
        return Decision::new(Scope::Tooling, "under `.github/`: CI tooling");
    }
    if let Some(dir) = dirs.iter().find(|d| is_test_dir(d)) {
        return Decision::new(Scope::Test, format!("under `{dir}/`: test material"));
    }
    if let Some(dir) = dirs
        .iter()
        .find(|d| stand_in_project(d).is_some_and(|w| ["test", "tests", "testing"].contains(&w)))
    {
        return Decision::new(
            Scope::Test,
            format!("under `{dir}/`: a project that exists to run the tests"),
        );
    }
    if is_test_module(name) {
        return Decision::new(Scope::Test, format!("`{name}` is test code"));
    }
    if let Some(dir) = dirs.iter().find(|d| {
        EXAMPLE_DIRS.contains(d)
            || stand_in_project(d).is_some_and(|w| ["example", "sample", "demo"].contains(&w))
    }) {
        return Decision::new(
            Scope::Example,
            format!("under `{dir}/`: example or documentation material"),
        );
    }
    // A scaffold new projects are generated from: Django's `startproject --template`
    // convention (`project_template/`, `app_template/`: wagtail ships one for `wagtail start`),
    // any `templates/` or `*_templates/` directory (askbot's `setup_templates/manage.py`;
    // Django's HTML templates hold nothing harden reads), or a directory named by a template
    // variable (`{{cookiecutter.project_slug}}/`). What it holds is the generated project's
    // starting point, not something this repository deploys.
    if let Some(dir) = dirs.iter().find(|d| is_template_dir(d)) {
        return Decision::new(
            Scope::Example,
            format!("under `{dir}/`: a template new projects are generated from"),
        );
    }
    if let Some(window) = dirs
        .windows(2)
        .find(|w| w[0] == "compose" && has_word(w[1], DEV_WORDS))
    {
        return Decision::new(
            Scope::Development,
            format!("under `{}/{}/`: local development", window[0], window[1]),
        );
    }
    if let Some(dir) = dirs
        .iter()
        // `devstack/`: the plugin of OpenStack's development environment (Keystone's
        // `devstack/tools/oidc/docker-compose.yaml` runs a Keycloak for local tests).
        .find(|d| has_word(d, &["dev", "devel", "local", "development", "devstack"]))
    {
        return Decision::new(
            Scope::Development,
            format!("under `{dir}/`: development material"),
        );
    }
    if kind == Some(FileKind::Requirements) {
        // `requirements-dev.txt`, `requirements/test.txt`, `docs-requirements.txt`: what a
        // developer, the test suite or the documentation build installs, not the deployment.
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        // The directory counts as the name does: django-cms's `test_requirements/`.
        if has_word(stem, TEST_WORDS) || dirs.iter().any(|d| has_word(d, TEST_WORDS)) {
            return Decision::new(
                Scope::Test,
                format!("`{name}` lists what the tests install"),
            );
        }
        if has_word(stem, DEV_WORDS)
            || has_word(
                stem,
                &[
                    "docs",
                    "doc",
                    "readthedocs",
                    "rtd",
                    "sphinx",
                    "lint",
                    "typing",
                ],
            )
        {
            return Decision::new(
                Scope::Development,
                format!("`{name}` lists development tools, not what the deployment installs"),
            );
        }
    }
    if let Some(kind) = kind
        && is_manifest(kind)
    {
        return Decision::new(
            Scope::Repository,
            "dependency manifest: what the project installs",
        );
    }
    if let Some(package) = library
        && kind == Some(FileKind::Python)
    {
        return Decision::new(
            Scope::Library,
            format!("source of the library `{package}`, which the project publishes"),
        );
    }
    Decision::new(
        Scope::Production,
        "no development, test or example marks: judged as shipped",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_rules() {
        let scope = |p: &str| by_path(p, crate::formats::kind::classify(p), None).scope;
        assert_eq!(scope(".gitignore"), Scope::Repository);
        // Templates new projects are generated from.
        for template in [
            "wagtail/project_template/Dockerfile",
            "askbot/setup_templates/manage.py",
            "{{cookiecutter.project_slug}}/config/settings/production.py",
            "templates/django/Dockerfile",
        ] {
            assert_eq!(scope(template), Scope::Example, "{template}");
        }
        assert_eq!(scope("templateapp/settings.py"), Scope::Production);
        assert_eq!(scope(".github/workflows/ci.yml"), Scope::Repository);
        assert_eq!(scope(".devcontainer/Dockerfile"), Scope::Development);
        assert_eq!(scope("tests/settings.py"), Scope::Test);
        assert_eq!(scope("app/conftest.py"), Scope::Test);
        assert_eq!(scope("app/test_views.py"), Scope::Test);
        assert_eq!(scope("reviewboard/ssh/tests.py"), Scope::Test);
        assert_eq!(scope("docs/conf.py"), Scope::Example);
        assert_eq!(scope("examples/tutorial/app.py"), Scope::Example);
        assert_eq!(scope("compose/local/django/Dockerfile"), Scope::Development);
        assert_eq!(
            scope("compose/production/django/Dockerfile"),
            Scope::Production
        );
        assert_eq!(scope("requirements.txt"), Scope::Repository);
        assert_eq!(scope("requirements/base.txt"), Scope::Repository);
        assert_eq!(scope("requirements/production.txt"), Scope::Repository);
        assert_eq!(scope("requirements-dev.txt"), Scope::Development);
        assert_eq!(scope("requirements-dev.in"), Scope::Development);
        assert_eq!(scope("requirements/local.txt"), Scope::Development);
        assert_eq!(scope("requirements_docs.txt"), Scope::Development);
        assert_eq!(scope("requirements/devel.txt"), Scope::Development);
        assert_eq!(scope("dev-docker/Dockerfile"), Scope::Development);
        assert_eq!(scope("devices/Dockerfile"), Scope::Production);
        assert_eq!(scope(".github/actions/fuzz/Dockerfile"), Scope::Tooling);
        assert_eq!(scope("requirements/readthedocs.txt"), Scope::Development);
        assert_eq!(scope("requirements-test.txt"), Scope::Test);
        assert_eq!(scope("requirements/ci.txt"), Scope::Test);
        assert_eq!(scope("requirements/devices.txt"), Scope::Repository);
        assert_eq!(scope("app/settings.py"), Scope::Production);
        // Private test packages beside the code (moin), kinds of tests.
        assert_eq!(scope("src/moin/_tests/ldap_testbase.py"), Scope::Test);
        assert_eq!(scope("web/__tests__/helpers.py"), Scope::Test);
        assert_eq!(scope("_ui_tests/config.py"), Scope::Test);
        assert_eq!(scope("integration_tests/settings.py"), Scope::Test);
        assert_eq!(scope("ab_tests/models.py"), Scope::Production);
        // OpenStack's layout: the development environment's plugin, the API reference's build.
        assert_eq!(
            scope("devstack/tools/oidc/docker-compose.yaml"),
            Scope::Development
        );
        assert_eq!(scope("api-ref/requirements.txt"), Scope::Example);
        assert_eq!(scope("docker/regtest/docker-compose.yml"), Scope::Test);
        assert_eq!(
            scope("test_requirements/requirements_base.txt"),
            Scope::Test
        );
        assert_eq!(
            by_path("src/lib/core.py", Some(FileKind::Python), Some("lib")).scope,
            Scope::Library
        );
    }

    #[test]
    fn overrides_production_wins() {
        let compiled = CompiledOverrides::new(&Overrides {
            production: vec!["deploy/**".into()],
            development: vec!["deploy/**".into(), "dev/**".into()],
        });
        assert_eq!(
            compiled.decide("deploy/settings.py").map(|d| d.scope),
            Some(Scope::Production)
        );
        assert_eq!(
            compiled.decide("dev/x.py").map(|d| d.scope),
            Some(Scope::Development)
        );
        assert_eq!(compiled.decide("app.py"), None);
    }
}
