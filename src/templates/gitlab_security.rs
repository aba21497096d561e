//! The GitLab CI security jobs `harden fix` adds to `.gitlab-ci.yml`
//! (`templates/fix/gitlab-security.yml.j2`): bandit, pip-audit and detect-secrets with the same
//! pinned versions and commands as the GitHub security workflow, in a digest-pinned Python image.

use super::Templates;
use super::security_workflow::{Pins, Shape, ToolCommands};
use crate::formats::yaml::{Value, YamlFile};

pub const PATH: &str = ".gitlab-ci.yml";
pub const TEMPLATE: &str = "fix/gitlab-security.yml.j2";

/// How the jobs fit the pipeline they join.
#[derive(Debug, Clone)]
pub struct Placement {
    /// The stage to run in (`test`, which GitLab has by default).
    pub stage: String,
    /// The pipeline runs no branch pipelines (its `workflow: rules:` create merge request
    /// pipelines only): the jobs need rules that put them in merge request pipelines.
    pub mr_rules: bool,
    /// Written by `harden init` (the comments then do not say `harden fix` added the jobs).
    pub init: bool,
}

/// The jobs for `shape` as one YAML document (each job a top-level key), parsed back before it
/// is returned; `None` when a value cannot be written safely.
pub fn render(templates: &Templates, shape: &Shape, placement: &Placement) -> Option<String> {
    let pins = Pins::embedded()?;
    let commands = ToolCommands::of(&pins, shape)?;
    let quote = |s: &str| serde_json::to_string(s).ok();
    let audit = (!commands.audit_commands.is_empty()).then(|| {
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
                stage => quote(&placement.stage)?,
                image => quote(pins.tool("python-image")?)?,
                mr_rules => placement.mr_rules,
                init => placement.init,
                bandit => minijinja::context! { install => commands.bandit_install, args => commands.bandit_args },
                audit => audit,
                secret_scan => secret_scan,
            },
        )
        .ok()?;
    let parsed = YamlFile::parse(&content).ok()?;
    let has = |job: &str| parsed.value.get(job).is_some();
    let wants_audit = !commands.audit_commands.is_empty();
    let complete = has("bandit")
        && has("pip-audit") == wants_audit
        && has("detect-secrets") == shape.secret_scan;
    complete.then_some(content)
}

/// The comment lines and lines of top-level job `job` in a document [`render`] made.
fn job_block(rendered: &str, job: &str) -> Option<String> {
    let lines: Vec<&str> = rendered.lines().collect();
    let header = format!("{job}:");
    let at = lines.iter().position(|l| *l == header)?;
    // The comment lines right above the job belong to it.
    let mut start = at;
    while start > 0 && lines[start - 1].starts_with('#') {
        start -= 1;
    }
    let mut end = at + 1;
    while end < lines.len() && (lines[end].starts_with(' ') || lines[end].is_empty()) {
        end += 1;
    }
    while end > at + 1 && lines[end - 1].is_empty() {
        end -= 1;
    }
    Some(lines[start..end].join("\n") + "\n")
}

/// `existing` (a `.gitlab-ci.yml`) with job `job` of `rendered` appended at the end, after a
/// blank line; every existing line and comment stays as it is. `None` when the file has that
/// key already, or the result is not exactly the old document plus the job.
pub fn add_job(existing: &str, job: &str, rendered: &str) -> Option<String> {
    let file = YamlFile::parse(existing).ok()?;
    let Value::Mapping(map) = &file.value else {
        return None;
    };
    if map.contains_key(job) {
        return None;
    }
    let block = job_block(rendered, job)?;
    let mut new = existing.to_string();
    if !new.is_empty() && !new.ends_with('\n') {
        new.push('\n');
    }
    if !new.is_empty() {
        new.push('\n');
    }
    new.push_str(&block);
    let rendered_value = YamlFile::parse(rendered).ok()?.value;
    let mut expected = map.clone();
    expected.insert(job.into(), rendered_value.get(job)?.clone());
    let parsed = YamlFile::parse(&new).ok()?;
    (parsed.value == Value::Mapping(expected)).then_some(new)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape() -> Shape {
        Shape {
            branches: vec!["main".into()],
            bandit_targets: vec![".".into()],
            bandit_excludes: vec!["tests".into()],
            requirements: vec!["requirements.txt".into()],
            secret_scan: true,
            ..Shape::default()
        }
    }

    #[test]
    fn renders_pinned_jobs() {
        let placement = Placement {
            stage: "test".into(),
            mr_rules: false,
            init: false,
        };
        let content = render(&Templates::new(), &shape(), &placement).unwrap();
        assert!(content.contains("bandit -r . -x ./tests"), "{content}");
        assert!(
            content.contains("pip-audit -r requirements.txt"),
            "{content}"
        );
        assert!(content.contains("@sha256:"), "{content}");
        assert!(!content.contains("rules:"), "{content}");
        let with_rules = Placement {
            mr_rules: true,
            ..placement
        };
        let content = render(&Templates::new(), &shape(), &with_rules).unwrap();
        assert!(content.contains("merge_request_event"), "{content}");
    }

    #[test]
    fn adds_a_job_keeping_the_file() {
        let rendered = render(
            &Templates::new(),
            &shape(),
            &Placement {
                stage: "test".into(),
                mr_rules: false,
                init: false,
            },
        )
        .unwrap();
        let existing = "# CI\ntest:\n  script: [pytest] # run\n";
        let new = add_job(existing, "bandit", &rendered).unwrap();
        assert!(new.starts_with(existing), "{new}");
        assert!(new.contains("\n\n# Static analysis"), "{new}");
        assert!(!new.contains("pip-audit:"), "{new}");
        assert_eq!(add_job(&new, "bandit", &rendered), None);
        let no_newline = add_job("test:\n  script: [pytest]", "bandit", &rendered).unwrap();
        assert!(no_newline.starts_with("test:\n  script: [pytest]\n\n"));
    }
}
