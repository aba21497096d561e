//! The security workflow `harden fix` writes (`templates/fix/security.yml.j2`) and the pinned
//! versions it uses (`templates/fix/actions.toml`): bandit and pip-audit jobs, optionally a
//! detect-secrets job, on push to the default branch and on every pull request.

use std::collections::BTreeMap;

use serde::Deserialize;

use super::{TEMPLATES, Templates};
use crate::formats::yaml::YamlFile;

/// Where the fix creates the workflow.
pub const PATH: &str = ".github/workflows/security.yml";
pub const TEMPLATE: &str = "fix/security.yml.j2";
pub const PINS: &str = "fix/actions.toml";

/// `templates/fix/actions.toml`: pinned action SHAs and tool versions.
#[derive(Debug, Clone, Deserialize)]
pub struct Pins {
    pub actions: BTreeMap<String, ActionPins>,
    pub tools: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ActionPins {
    /// The release new workflows use.
    pub pin: String,
    /// Release tag -> full commit SHA.
    pub versions: BTreeMap<String, String>,
}

impl Pins {
    /// The embedded table; `None` only if the file shipped broken (a unit test prevents that).
    pub fn embedded() -> Option<Self> {
        let text = TEMPLATES.get_file(PINS)?.contents_utf8()?;
        toml::from_str(text).ok()
    }

    /// `(sha, version)` of the release new workflows pin `action` to.
    pub fn action(&self, action: &str) -> Option<(&str, &str)> {
        let pins = self.actions.get(action)?;
        let sha = pins.versions.get(&pins.pin)?;
        Some((sha.as_str(), pins.pin.as_str()))
    }

    pub fn tool(&self, name: &str) -> Option<&str> {
        self.tools.get(name).map(String::as_str)
    }
}

/// Where bandit reads its configuration from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BanditConfig {
    /// `[tool.bandit]` in this pyproject.toml (`-c`, needs the `toml` extra on old Pythons).
    Pyproject(String),
    /// A bandit YAML file (`-c`).
    Yaml(String),
    /// A `.bandit` INI file (`--ini`).
    Ini(String),
}

/// What the workflow must cover in this project.
#[derive(Debug, Clone, Default)]
pub struct Shape {
    /// Branches whose pushes run the workflow (the default branch).
    pub branches: Vec<String>,
    /// Directories bandit scans recursively (`.` for the whole project).
    pub bandit_targets: Vec<String>,
    pub bandit_config: Option<BanditConfig>,
    /// Paths bandit skips (`-x`), for projects without a bandit configuration.
    pub bandit_excludes: Vec<String>,
    /// Requirements files pip-audit reads (`-r`).
    pub requirements: Vec<String>,
    /// Directories whose pyproject.toml declares dependencies (`pip-audit <dir>`), used when
    /// there is no requirements file.
    pub projects: Vec<String>,
    /// Add the detect-secrets job.
    pub secret_scan: bool,
    /// A detect-secrets baseline to compare against.
    pub secrets_baseline: Option<String>,
}

/// One shell word: plain when it is only safe characters, else single-quoted. `None` for
/// text a workflow must not carry (line breaks, NUL, `${{` expressions).
pub fn sh_word(text: &str) -> Option<String> {
    if text.is_empty() || text.contains(['\n', '\r', '\0']) || text.contains("${{") {
        return None;
    }
    // A path that starts with `-` would read as an option.
    let text = if text.starts_with('-') {
        format!("./{text}")
    } else {
        text.to_string()
    };
    let plain = text
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "._/-+=:@,".contains(c));
    if plain {
        Some(text)
    } else {
        Some(format!("'{}'", text.replace('\'', r"'\''")))
    }
}

/// A YAML double-quoted scalar.
fn yaml_str(text: &str) -> Option<String> {
    if text.contains("${{") {
        return None;
    }
    serde_json::to_string(text).ok()
}

/// The default branch named by `.git/refs/remotes/origin/HEAD`, else `main` and `master`.
pub fn default_branches(root: &std::path::Path) -> Vec<String> {
    let head = std::fs::read_to_string(root.join(".git/refs/remotes/origin/HEAD")).ok();
    let named = head.as_deref().and_then(|h| {
        h.trim()
            .strip_prefix("ref: refs/remotes/origin/")
            .filter(|b| !b.is_empty())
            .map(str::to_string)
    });
    match named {
        Some(branch) => vec![branch],
        None => vec!["main".to_string(), "master".to_string()],
    }
}

/// The install and run commands of the security tools for a project's [`Shape`], as shell
/// words ready to paste: shared by the GitHub workflow and the GitLab CI jobs harden writes.
#[derive(Debug, Clone)]
pub struct ToolCommands {
    pub bandit_install: String,
    /// bandit's arguments (`-r . -x ./tests`).
    pub bandit_args: String,
    pub audit_install: String,
    /// One `pip-audit` argument list per requirements file or project; empty: no audit.
    pub audit_commands: Vec<String>,
    pub secrets_install: String,
    pub secrets_baseline: Option<String>,
}

impl ToolCommands {
    pub fn of(pins: &Pins, shape: &Shape) -> Option<Self> {
        let bandit_version = pins.tool("bandit")?;
        let mut bandit_args = vec!["-r".to_string()];
        for target in &shape.bandit_targets {
            bandit_args.push(sh_word(target)?);
        }
        if shape.bandit_targets.is_empty() {
            bandit_args.push(".".to_string());
        }
        let mut bandit_install = format!("bandit=={bandit_version}");
        match &shape.bandit_config {
            Some(BanditConfig::Pyproject(path)) => {
                bandit_install = format!("'bandit[toml]=={bandit_version}'");
                bandit_args.extend(["-c".to_string(), sh_word(path)?]);
            }
            Some(BanditConfig::Yaml(path)) => {
                bandit_args.extend(["-c".to_string(), sh_word(path)?])
            }
            Some(BanditConfig::Ini(path)) => {
                bandit_args.extend(["--ini".to_string(), sh_word(path)?])
            }
            None => {}
        }
        if !shape.bandit_excludes.is_empty() {
            let excludes: Vec<String> = shape
                .bandit_excludes
                .iter()
                .map(|e| format!("./{}", e.trim_start_matches("./")))
                .collect();
            bandit_args.extend(["-x".to_string(), sh_word(&excludes.join(","))?]);
        }
        let mut audit_commands = Vec::new();
        for requirements in &shape.requirements {
            audit_commands.push(format!("-r {}", sh_word(requirements)?));
        }
        if audit_commands.is_empty() {
            for project in &shape.projects {
                audit_commands.push(sh_word(project)?);
            }
        }
        let secrets_baseline = match &shape.secrets_baseline {
            Some(path) => Some(sh_word(path)?),
            None => None,
        };
        Some(Self {
            bandit_install,
            bandit_args: bandit_args.join(" "),
            audit_install: format!("pip-audit=={}", pins.tool("pip-audit")?),
            audit_commands,
            secrets_install: format!("detect-secrets=={}", pins.tool("detect-secrets")?),
            secrets_baseline,
        })
    }
}

/// The workflow for `shape`, parsed back before it is returned; `None` when a value cannot be
/// written safely or the result is not the workflow it should be.
pub fn render(templates: &Templates, shape: &Shape) -> Option<String> {
    let pins = Pins::embedded()?;
    let (checkout_sha, checkout_version) = pins.action("actions/checkout")?;
    let (setup_sha, setup_version) = pins.action("actions/setup-python")?;

    let branches: Vec<String> = shape
        .branches
        .iter()
        .map(|b| yaml_str(b))
        .collect::<Option<_>>()?;
    if branches.is_empty() {
        return None;
    }

    let commands = ToolCommands::of(&pins, shape)?;
    let wants_audit = !commands.audit_commands.is_empty();
    let audit = wants_audit.then(|| {
        minijinja::context! {
            install => commands.audit_install.clone(),
            commands => commands.audit_commands.clone(),
        }
    });
    let secret_scan = shape.secret_scan.then(|| {
        minijinja::context! {
            install => commands.secrets_install.clone(),
            baseline => commands.secrets_baseline.clone(),
        }
    });

    let content = templates
        .render(
            TEMPLATE,
            minijinja::context! {
                branches => branches,
                python_version => yaml_str(pins.tool("python")?)?,
                checkout => minijinja::context! { sha => checkout_sha, version => checkout_version },
                setup_python => minijinja::context! { sha => setup_sha, version => setup_version },
                bandit => minijinja::context! { install => commands.bandit_install, args => commands.bandit_args },
                audit => audit,
                secret_scan => secret_scan,
            },
        )
        .ok()?;
    let parsed = YamlFile::parse(&content).ok()?;
    let jobs = crate::formats::yaml::get(&parsed.value, "jobs")?;
    let has_job = |name: &str| crate::formats::yaml::get(jobs, name).is_some();
    let complete = has_job("bandit")
        && has_job("pip-audit") == wants_audit
        && has_job("detect-secrets") == shape.secret_scan;
    complete.then_some(content)
}

/// The lines of job `job` in a workflow this module rendered (2-space indentation).
fn job_block(rendered: &str, job: &str) -> Option<String> {
    let header = format!("  {job}:");
    let mut lines = rendered.lines().skip_while(|l| *l != header);
    let first = lines.next()?;
    let mut block = vec![first];
    block.extend(lines.take_while(|l| l.is_empty() || l.starts_with("   ")));
    while block.last().is_some_and(|l| l.is_empty()) {
        block.pop();
    }
    Some(block.join("\n") + "\n")
}

/// `existing` (a workflow) with job `job` of `rendered` added at the end of its `jobs`, in the
/// existing jobs' indentation; `None` when the workflow has that job already, or the result
/// would not be exactly the old document plus the job.
pub fn add_job(existing: &str, job: &str, rendered: &str) -> Option<String> {
    use crate::formats::yaml::{Step, get, value_at_mut};
    let file = YamlFile::parse(existing).ok()?;
    let jobs = get(&file.value, "jobs")?.as_mapping()?;
    if jobs.contains_key(job) {
        return None;
    }
    let first = jobs.keys().next()?.as_str()?;
    let key_span = file.key_span(&[Step::Key("jobs".into()), Step::Key(first.into())])?;
    let line_start = existing
        .get(..key_span.start)?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let indent = existing.get(line_start..key_span.start)?;
    if indent.is_empty() || !indent.chars().all(|c| c == ' ') {
        return None;
    }
    let jobs_end = file.value_span(&[Step::Key("jobs".into())])?.end;
    let ends_line = existing.get(..jobs_end)?.ends_with('\n');
    let (insert_at, prefix) = match existing.get(jobs_end..)?.find('\n') {
        _ if ends_line => (jobs_end, "\n"),
        Some(i) => (jobs_end + i + 1, "\n"),
        None => (existing.len(), "\n\n"),
    };
    // The rendered job sits 2 spaces in: shift it to the existing jobs' column (its own
    // nesting stays 2-space, which YAML allows under any parent indentation).
    let mut block = String::from(prefix);
    for line in job_block(rendered, job)?.lines() {
        if !line.is_empty() {
            block.push_str(indent);
            block.push_str(line.get(2..)?);
        }
        block.push('\n');
    }
    let mut new = String::with_capacity(existing.len() + block.len());
    new.push_str(existing.get(..insert_at)?);
    new.push_str(&block);
    new.push_str(existing.get(insert_at..)?);

    let rendered_value = YamlFile::parse(rendered).ok()?.value;
    let job_value = get(get(&rendered_value, "jobs")?, job)?.clone();
    let mut expected = file.value.clone();
    value_at_mut(&mut expected, &[Step::Key("jobs".into())])?
        .as_mapping_mut()?
        .insert(job.into(), job_value);
    let parsed = YamlFile::parse(&new).ok()?;
    (parsed.value == expected).then_some(new)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::yaml::{Value, get};

    fn job_runs(content: &str, job: &str) -> Vec<String> {
        let parsed = YamlFile::parse(content).unwrap();
        let steps = get(
            get(get(&parsed.value, "jobs").unwrap(), job).unwrap(),
            "steps",
        )
        .and_then(Value::as_sequence)
        .unwrap();
        steps
            .iter()
            .filter_map(|s| get(s, "run").and_then(Value::as_str).map(str::to_string))
            .collect()
    }

    #[test]
    fn pins_are_full_shas_and_every_pin_is_listed() {
        let pins = Pins::embedded().unwrap();
        for (action, entry) in &pins.actions {
            assert!(entry.versions.contains_key(&entry.pin), "{action}");
            for (version, sha) in &entry.versions {
                assert!(version.starts_with('v'), "{action} {version}");
                assert!(
                    sha.len() == 40 && sha.bytes().all(|b| b.is_ascii_hexdigit()),
                    "{action} {version} {sha}"
                );
            }
        }
        for tool in ["python", "bandit", "pip-audit", "detect-secrets"] {
            assert!(pins.tool(tool).is_some(), "{tool}");
        }
    }

    #[test]
    fn minimal_project() {
        let shape = Shape {
            branches: vec!["main".into()],
            ..Shape::default()
        };
        let content = render(&Templates::new(), &shape).unwrap();
        assert_eq!(job_runs(&content, "bandit")[1], "bandit -r .");
        assert!(!content.contains("pip-audit"));
        assert!(!content.contains("detect-secrets"));
        assert!(!content.contains("{#") && !content.contains("{%"));
        assert!(content.contains("persist-credentials: false"));
        let parsed = YamlFile::parse(&content).unwrap();
        let on = get(&parsed.value, "on").unwrap();
        assert!(get(on, "pull_request").is_some());
        let permissions = get(&parsed.value, "permissions").unwrap();
        assert_eq!(
            get(permissions, "contents").and_then(Value::as_str),
            Some("read")
        );
    }

    #[test]
    fn full_project_with_odd_paths() {
        let shape = Shape {
            branches: vec!["main".into(), "release: 1 #x".into()],
            bandit_targets: vec!["src".into(), "my app".into()],
            bandit_config: Some(BanditConfig::Pyproject("pyproject.toml".into())),
            bandit_excludes: Vec::new(),
            requirements: vec!["requirements.txt".into(), "svc/it's.txt".into()],
            projects: vec![".".into()],
            secret_scan: true,
            secrets_baseline: Some(".secrets.baseline".into()),
        };
        let content = render(&Templates::new(), &shape).unwrap();
        assert_eq!(
            job_runs(&content, "bandit"),
            [
                "python -m pip install 'bandit[toml]==1.9.4'",
                "bandit -r src 'my app' -c pyproject.toml"
            ]
        );
        assert_eq!(
            job_runs(&content, "pip-audit")[1],
            "pip-audit -r requirements.txt\npip-audit -r 'svc/it'\\''s.txt'\n"
        );
        assert_eq!(
            job_runs(&content, "detect-secrets")[1],
            "git ls-files -z | xargs -0 detect-secrets-hook --baseline .secrets.baseline\n"
        );
        let parsed = YamlFile::parse(&content).unwrap();
        let branches = get(
            get(get(&parsed.value, "on").unwrap(), "push").unwrap(),
            "branches",
        )
        .and_then(Value::as_sequence)
        .unwrap();
        assert_eq!(branches[1].as_str(), Some("release: 1 #x"));
        // Every `uses:` is pinned to a full SHA with its release in a comment.
        for line in content.lines().filter(|l| l.contains("uses:")) {
            let (_, rest) = line.split_once('@').unwrap();
            let (sha, comment) = rest.split_once(" # v").unwrap();
            assert_eq!(sha.len(), 40, "{line}");
            assert!(!comment.is_empty());
        }
    }

    #[test]
    fn pyproject_only_and_other_configs() {
        let shape = Shape {
            branches: vec!["trunk".into()],
            bandit_config: Some(BanditConfig::Ini(".bandit".into())),
            projects: vec![".".into(), "-odd".into()],
            ..Shape::default()
        };
        let content = render(&Templates::new(), &shape).unwrap();
        assert_eq!(job_runs(&content, "bandit")[1], "bandit -r . --ini .bandit");
        assert_eq!(
            job_runs(&content, "pip-audit")[1],
            "pip-audit .\npip-audit ./-odd\n"
        );
        let yaml = Shape {
            bandit_config: Some(BanditConfig::Yaml("ci/bandit.yaml".into())),
            ..shape
        };
        let content = render(&Templates::new(), &yaml).unwrap();
        assert_eq!(
            job_runs(&content, "bandit")[1],
            "bandit -r . -c ci/bandit.yaml"
        );
    }

    #[test]
    fn unsafe_values_render_nothing() {
        let base = Shape {
            branches: vec!["main".into()],
            ..Shape::default()
        };
        for shape in [
            Shape {
                bandit_targets: vec!["a\nb".into()],
                ..base.clone()
            },
            Shape {
                requirements: vec!["${{ github.event.issue.title }}".into()],
                ..base.clone()
            },
            Shape {
                branches: vec![],
                ..base.clone()
            },
        ] {
            assert_eq!(render(&Templates::new(), &shape), None, "{shape:?}");
        }
    }

    #[test]
    fn jobs_are_added_in_the_existing_indentation() {
        let shape = Shape {
            branches: vec!["main".into()],
            requirements: vec!["requirements.txt".into()],
            secret_scan: true,
            ..Shape::default()
        };
        let rendered = render(&Templates::new(), &shape).unwrap();
        let existing = "on: [push]\njobs:\n    test:\n        runs-on: ubuntu-latest\n        steps:\n            - run: |\n                pytest\npermissions: {}\n";
        let new = add_job(existing, "pip-audit", &rendered).unwrap();
        assert!(new.starts_with(&existing[..existing.find("permissions").unwrap()]));
        assert!(
            new.contains("\n\n    pip-audit:\n      name: pip-audit\n"),
            "{new}"
        );
        assert!(new.contains("# v6"), "{new}");
        assert!(new.ends_with("permissions: {}\n"));
        // Already there, or no jobs at all: nothing to add.
        assert_eq!(add_job(&new, "pip-audit", &rendered), None);
        assert_eq!(add_job("on: push\n", "bandit", &rendered), None);
        // No final newline.
        let bare = "on: push\njobs:\n  a:\n    steps:\n      - run: make";
        let new = add_job(bare, "detect-secrets", &rendered).unwrap();
        assert!(new.contains("make\n\n  detect-secrets:\n"), "{new}");
    }

    #[test]
    fn shell_words() {
        assert_eq!(sh_word("src/app").as_deref(), Some("src/app"));
        assert_eq!(sh_word("a b").as_deref(), Some("'a b'"));
        assert_eq!(sh_word("$HOME").as_deref(), Some("'$HOME'"));
        assert_eq!(sh_word("-x").as_deref(), Some("./-x"));
        assert_eq!(sh_word(""), None);
    }

    #[test]
    fn default_branch_from_origin_head() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(default_branches(dir.path()), ["main", "master"]);
        std::fs::create_dir_all(dir.path().join(".git/refs/remotes/origin")).unwrap();
        std::fs::write(
            dir.path().join(".git/refs/remotes/origin/HEAD"),
            "ref: refs/remotes/origin/trunk\n",
        )
        .unwrap();
        assert_eq!(default_branches(dir.path()), ["trunk"]);
    }
}
