//! File kinds: one sorted table from file name (or name pattern) to the kind harden reads it as.

use serde::Serialize;

/// What a file is to harden. A file of no kind is never read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Gitignore,
    Dockerignore,
    /// requirements*.txt, constraints*.txt, requirements/*.txt, *.in
    Requirements,
    Pyproject,
    Pipfile,
    PoetryLock,
    UvLock,
    PdmLock,
    PipfileLock,
    /// .python-version, runtime.txt
    PythonVersion,
    Dependabot,
    Renovate,
    Workflow,
    /// `.gitlab-ci.yml`, `*.gitlab-ci.yml` and YAML under `.gitlab/ci/` (files it includes)
    GitlabCi,
    /// action.yml / action.yaml of a composite action
    Action,
    Dockerfile,
    /// docker-compose*.yml, compose*.yaml: Docker Compose files
    Compose,
    /// .env, .env.production, .flaskenv, *.env
    EnvFile,
    Python,
    BanditConfig,
    PrecommitConfig,
    HardenConfig,
    /// SECURITY.md and friends: present or absent is all that matters
    SecurityPolicy,
    /// *.pem, *.key, id_rsa...: read only to look for private key blocks
    KeyMaterial,
    /// Other YAML files: scanned for secrets, and read by user checks; never judged for syntax
    /// (Helm charts and Ansible files are often templates that are not valid YAML).
    YamlConfig,
    /// Other TOML files, as YamlConfig.
    TomlConfig,
    /// Other configuration harden scans for secrets: *.ini, *.cfg, *.conf, *.json
    OtherConfig,
}

impl FileKind {
    /// Every kind with the name used in check files.
    pub const ALL: &'static [(&'static str, FileKind)] = &[
        ("action", Self::Action),
        ("bandit-config", Self::BanditConfig),
        ("compose", Self::Compose),
        ("dependabot", Self::Dependabot),
        ("dockerfile", Self::Dockerfile),
        ("dockerignore", Self::Dockerignore),
        ("env-file", Self::EnvFile),
        ("gitignore", Self::Gitignore),
        ("gitlab-ci", Self::GitlabCi),
        ("harden-config", Self::HardenConfig),
        ("key-material", Self::KeyMaterial),
        ("other-config", Self::OtherConfig),
        ("pdm-lock", Self::PdmLock),
        ("pipfile", Self::Pipfile),
        ("pipfile-lock", Self::PipfileLock),
        ("poetry-lock", Self::PoetryLock),
        ("precommit-config", Self::PrecommitConfig),
        ("pyproject", Self::Pyproject),
        ("python", Self::Python),
        ("python-version", Self::PythonVersion),
        ("renovate", Self::Renovate),
        ("requirements", Self::Requirements),
        ("security-policy", Self::SecurityPolicy),
        ("toml-config", Self::TomlConfig),
        ("uv-lock", Self::UvLock),
        ("workflow", Self::Workflow),
        ("yaml-config", Self::YamlConfig),
    ];

    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(_, kind)| *kind == self)
            .map_or("unknown", |(name, _)| name)
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .binary_search_by(|(n, _)| n.cmp(&name))
            .ok()
            .map(|i| Self::ALL[i].1)
    }

    /// Lock files: their presence means dependencies are pinned somewhere.
    pub fn is_lock(self) -> bool {
        matches!(
            self,
            Self::PoetryLock | Self::UvLock | Self::PdmLock | Self::PipfileLock
        )
    }

    /// Generic configuration files harden reads but does not judge as a whole: a syntax error
    /// in one is not a finding.
    pub fn is_generic(self) -> bool {
        matches!(
            self,
            Self::YamlConfig | Self::TomlConfig | Self::OtherConfig | Self::Compose
        )
    }

    /// Kinds whose text uses `#` line comments, so `# harden: ignore[...]` works in them.
    pub fn has_hash_comments(self) -> bool {
        !matches!(
            self,
            Self::PipfileLock | Self::SecurityPolicy | Self::KeyMaterial | Self::Renovate
        )
    }
}

/// Exact file names, sorted for binary search.
const BY_NAME: &[(&str, FileKind)] = &[
    (".bandit", FileKind::BanditConfig),
    (".dockerignore", FileKind::Dockerignore),
    (".env", FileKind::EnvFile),
    (".flaskenv", FileKind::EnvFile),
    (".gitignore", FileKind::Gitignore),
    (".gitlab-ci.yaml", FileKind::GitlabCi),
    (".gitlab-ci.yml", FileKind::GitlabCi),
    (".pre-commit-config.yaml", FileKind::PrecommitConfig),
    (".python-version", FileKind::PythonVersion),
    (".renovaterc", FileKind::Renovate),
    (".renovaterc.json", FileKind::Renovate),
    ("Containerfile", FileKind::Dockerfile),
    ("Dockerfile", FileKind::Dockerfile),
    ("Pipfile", FileKind::Pipfile),
    ("Pipfile.lock", FileKind::PipfileLock),
    ("SECURITY.md", FileKind::SecurityPolicy),
    ("SECURITY.rst", FileKind::SecurityPolicy),
    ("SECURITY.txt", FileKind::SecurityPolicy),
    ("bandit.yaml", FileKind::BanditConfig),
    ("bandit.yml", FileKind::BanditConfig),
    ("harden.toml", FileKind::HardenConfig),
    ("id_dsa", FileKind::KeyMaterial),
    ("id_ecdsa", FileKind::KeyMaterial),
    ("id_ed25519", FileKind::KeyMaterial),
    ("id_rsa", FileKind::KeyMaterial),
    ("pdm.lock", FileKind::PdmLock),
    ("poetry.lock", FileKind::PoetryLock),
    ("pyproject.toml", FileKind::Pyproject),
    ("renovate.json", FileKind::Renovate),
    ("renovate.json5", FileKind::Renovate),
    ("runtime.txt", FileKind::PythonVersion),
    ("uv.lock", FileKind::UvLock),
];

/// Classify a path relative to the project root (`/`-separated).
pub fn classify(rel_path: &str) -> Option<FileKind> {
    let name = rel_path.rsplit('/').next().unwrap_or(rel_path);
    let parent = rel_path.rsplit_once('/').map_or("", |(dir, _)| dir);

    let is_yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    // GitHub runs every YAML file of `.github/workflows/` as a workflow, whatever its name:
    // moin's `bandit.yml` there runs bandit, it does not configure it.
    if parent == ".github/workflows" && is_yaml {
        return Some(FileKind::Workflow);
    }
    if let Ok(i) = BY_NAME.binary_search_by(|(n, _)| n.cmp(&name)) {
        return Some(BY_NAME[i].1);
    }
    if parent == ".github" && (name == "dependabot.yml" || name == "dependabot.yaml") {
        return Some(FileKind::Dependabot);
    }
    if (parent == ".github" || parent == ".gitlab") && name.starts_with("renovate.json") {
        return Some(FileKind::Renovate);
    }
    if is_yaml
        && (name.ends_with(".gitlab-ci.yml")
            || parent == ".gitlab/ci"
            || parent.starts_with(".gitlab/ci/"))
    {
        return Some(FileKind::GitlabCi);
    }
    if name == "action.yml" || name == "action.yaml" {
        return Some(FileKind::Action);
    }
    if (parent == ".github" || parent == "docs") && name.starts_with("SECURITY.") {
        return Some(FileKind::SecurityPolicy);
    }
    // BuildKit's per-Dockerfile ignore file: `Dockerfile.dockerignore`, `app.Dockerfile.dockerignore`.
    if name.ends_with(".dockerignore") {
        return Some(FileKind::Dockerignore);
    }
    // Templates that render a Dockerfile (`Dockerfile.j2`, `Dockerfile.template`) are not one.
    let template = [
        ".j2",
        ".jinja",
        ".jinja2",
        ".tmpl",
        ".tpl",
        ".template",
        ".in",
        ".erb",
        ".mustache",
    ]
    .iter()
    .any(|ext| name.ends_with(ext));
    if !template
        && (name.starts_with("Dockerfile.")
            || name.starts_with("Containerfile.")
            || name.ends_with(".Dockerfile")
            || name.ends_with(".dockerfile"))
    {
        return Some(FileKind::Dockerfile);
    }
    if name.starts_with(".env.") || name.ends_with(".env") {
        return Some(FileKind::EnvFile);
    }
    if is_requirements(name, parent) {
        return Some(FileKind::Requirements);
    }
    if name.ends_with(".py") {
        return Some(FileKind::Python);
    }
    if name.ends_with(".pem") || name.ends_with(".key") || name.ends_with(".p8") {
        return Some(FileKind::KeyMaterial);
    }
    if is_yaml
        && (name.starts_with("docker-compose")
            || name.starts_with("compose.")
            || name.starts_with("compose-"))
    {
        return Some(FileKind::Compose);
    }
    if is_yaml {
        return Some(FileKind::YamlConfig);
    }
    if name.ends_with(".toml") {
        return Some(FileKind::TomlConfig);
    }
    const CONFIG_EXTENSIONS: &[&str] = &[".cfg", ".conf", ".ini", ".json"];
    if CONFIG_EXTENSIONS.iter().any(|ext| name.ends_with(ext)) {
        return Some(FileKind::OtherConfig);
    }
    None
}

fn is_requirements(name: &str, parent: &str) -> bool {
    let in_requirements_dir = parent == "requirements" || parent.ends_with("/requirements");
    let stem_match = name.starts_with("requirements") || name.starts_with("constraints");
    (name.ends_with(".txt") || name.ends_with(".in")) && (stem_match || in_requirements_dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_are_sorted() {
        assert!(BY_NAME.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(FileKind::ALL.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn classifies() {
        let cases = [
            (".gitignore", Some(FileKind::Gitignore)),
            ("svc/.gitignore", Some(FileKind::Gitignore)),
            ("requirements.txt", Some(FileKind::Requirements)),
            ("requirements-dev.txt", Some(FileKind::Requirements)),
            ("requirements/base.txt", Some(FileKind::Requirements)),
            ("constraints.txt", Some(FileKind::Requirements)),
            ("notes.txt", None),
            (".github/dependabot.yml", Some(FileKind::Dependabot)),
            ("dependabot.yml", Some(FileKind::YamlConfig)),
            ("setup.cfg", Some(FileKind::OtherConfig)),
            ("config/app.toml", Some(FileKind::TomlConfig)),
            (".github/workflows/ci.yaml", Some(FileKind::Workflow)),
            (".github/workflows/bandit.yml", Some(FileKind::Workflow)),
            (
                ".github/workflows/docker-compose.yml",
                Some(FileKind::Workflow),
            ),
            ("bandit.yml", Some(FileKind::BanditConfig)),
            (".gitlab-ci.yml", Some(FileKind::GitlabCi)),
            (".gitlab/ci/lint.yml", Some(FileKind::GitlabCi)),
            ("ci/test.gitlab-ci.yml", Some(FileKind::GitlabCi)),
            ("docker/Dockerfile.prod", Some(FileKind::Dockerfile)),
            ("app.Dockerfile", Some(FileKind::Dockerfile)),
            ("Dockerfile.dockerignore", Some(FileKind::Dockerignore)),
            ("Dockerfile.j2", None),
            (".env", Some(FileKind::EnvFile)),
            ("docker-compose.yml", Some(FileKind::Compose)),
            ("deploy/compose.prod.yaml", Some(FileKind::Compose)),
            ("docs/compose-notes.md", None),
            (".env.production", Some(FileKind::EnvFile)),
            ("config/prod.env", Some(FileKind::EnvFile)),
            ("certs/server.pem", Some(FileKind::KeyMaterial)),
            (".github/SECURITY.md", Some(FileKind::SecurityPolicy)),
            ("app/settings.py", Some(FileKind::Python)),
            ("README.md", None),
        ];
        for (path, kind) in cases {
            assert_eq!(classify(path), kind, "{path}");
        }
    }

    #[test]
    fn kind_names_round_trip() {
        for (name, kind) in FileKind::ALL {
            assert_eq!(FileKind::from_name(name), Some(*kind));
            assert_eq!(kind.name(), *name);
        }
    }
}
