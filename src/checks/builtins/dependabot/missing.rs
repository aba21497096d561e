//! `dependabot-missing`: no Dependabot and no Renovate configuration. The fix creates
//! `.github/dependabot.yml` from `templates/fix/dependabot.yml.j2`, one entry per ecosystem and
//! directory the project uses; on a project hosted on GitLab (a `.gitlab-ci.yml` and no GitHub
//! workflows), where Dependabot does not run, it creates Renovate's `renovate.json` instead
//! (`templates/fix/renovate.json.j2`, with a minimum release age as the cooldown).

use crate::checks::builtins::dependabot::{self as ecosystems, Need};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::workflow;
use crate::formats::yaml::YamlFile;
use crate::project::{FileKind, Project};
use crate::templates::Templates;

pub const BUILTIN: Builtin = Builtin {
    name: "dependabot-missing",
    vars: &["summary", "file"],
    params: &["ignore-paths"],
    run,
};

/// Where the fix creates the configuration.
pub const PATH: &str = ".github/dependabot.yml";
const TEMPLATE: &str = "fix/dependabot.yml.j2";
/// Where the fix creates Renovate's configuration on a GitLab-hosted project.
pub const RENOVATE_PATH: &str = "renovate.json";
const RENOVATE_TEMPLATE: &str = "fix/renovate.json.j2";

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    if has_update_tool(ctx.project) {
        return Vec::new();
    }
    let needs = ecosystems::needs(
        ctx.project,
        &ecosystems::skip_globs(&ctx.param_strings("ignore-paths")),
    );
    let summary = ecosystems::summary(&needs);
    if crate::checks::builtins::gitlab::is_gitlab_hosted(ctx.project) {
        let hit = Hit::at(Location::file(RENOVATE_PATH))
            .var("summary", summary)
            .var("file", RENOVATE_PATH);
        return match render_renovate(ctx.templates, &needs) {
            Some(content) => vec![hit.edits(vec![Edit::create(RENOVATE_PATH, content)])],
            None => vec![hit],
        };
    }
    let hit = Hit::at(Location::file(PATH))
        .var("summary", summary)
        .var("file", PATH);
    match render(ctx.templates, &needs) {
        Some(content) => vec![hit.edits(vec![Edit::create(PATH, content)])],
        None => vec![hit],
    }
}

/// Dependabot's file, or any of Renovate's: `renovate.json(5)`, `.renovaterc(.json)`,
/// `.github/renovate.json(5)` (all [`FileKind::Renovate`]), a `renovate` key in the root
/// package.json, PyUp's `.pyup.yml`, a scheduled workflow of the project's own that
/// re-compiles its requirements and opens a pull request with them, or OpenStack's
/// requirements process (Zuul's `check-requirements` template).
fn has_update_tool(project: &Project) -> bool {
    if project.has(FileKind::Dependabot) || project.has(FileKind::Renovate) {
        return true;
    }
    // OpenStack's requirements process: a project whose Zuul runs the `check-requirements`
    // template follows openstack/requirements, whose proposal bot sends every project the
    // updated pins as changes to review (Horizon); Dependabot does not run on OpenDev's Gerrit.
    if crate::checks::builtins::ci::zuul_templates(project)
        .iter()
        .any(|t| t == "check-requirements")
    {
        return true;
    }
    if [".pyup.yml", ".pyup.yaml"]
        .iter()
        .any(|p| project.file(p).is_some() || project.root.join(p).is_file())
    {
        return true;
    }
    if project
        .files_of(FileKind::Workflow)
        .any(|file| match file.parsed() {
            Parsed::Yaml(yaml) => workflow::model(file.kind, yaml)
                .and_then(|model| model.workflow().map(updates_dependencies))
                .unwrap_or(false),
            _ => false,
        })
    {
        return true;
    }
    if [".github/dependabot.yml", ".github/dependabot.yaml"]
        .iter()
        .any(|p| project.root.join(p).is_file())
    {
        return true;
    }
    project
        .file("package.json")
        .and_then(|f| f.text().ok())
        .is_some_and(|text| {
            crate::formats::json::has_top_level_key(&text.content, "renovate").unwrap_or(false)
        })
}

/// Commands that re-resolve pinned requirements to their newest versions.
const RECOMPILE: &[&str] = &[
    "pip-compile",
    "uv pip compile",
    "uv lock --upgrade",
    "uv lock -U",
    "poetry update",
    "pdm update",
    "pipenv update",
];

/// A workflow that runs on a schedule, re-compiles requirements or a lock file, and opens a
/// pull request with the result (peter-evans/create-pull-request, `gh pr create`): a
/// dependency-update tool of the project's own, as Dependabot is one.
fn updates_dependencies(workflow: &workflow::Workflow) -> bool {
    if !workflow.triggered_by("schedule") {
        return false;
    }
    workflow.jobs.iter().any(|job| {
        let runs = |needles: &[&str]| {
            job.steps.iter().any(|step| {
                step.run
                    .as_deref()
                    .is_some_and(|run| needles.iter().any(|n| run.contains(n)))
            })
        };
        let opens_pr = runs(&["gh pr create"])
            || job.steps.iter().any(|step| {
                step.uses
                    .as_deref()
                    .is_some_and(|uses| uses.starts_with("peter-evans/create-pull-request"))
            });
        opens_pr && runs(RECOMPILE)
    })
}

/// The new file, parsed back before it is offered; `None` when there is nothing to watch or
/// the rendered text is not the YAML it should be.
fn render(templates: &Templates, needs: &[Need]) -> Option<String> {
    if needs.is_empty() {
        return None;
    }
    // NOTE: values reach the template already quoted (a JSON string is a YAML double-quoted
    // scalar), so a directory name with `:` or `#` in it cannot change the document.
    let quote = |s: &str| serde_json::to_string(s).ok();
    let updates: Vec<minijinja::Value> = needs
        .iter()
        .map(|n| Some(minijinja::context! { ecosystem => quote(n.ecosystem)?, directory => quote(&n.directory)? }))
        .collect::<Option<_>>()?;
    let content = templates
        .render(
            TEMPLATE,
            minijinja::context! { updates => updates, cooldown_days => ecosystems::COOLDOWN_DAYS },
        )
        .ok()?;
    let parsed = YamlFile::parse(&content).ok()?;
    let coverage = ecosystems::Coverage::of(&parsed.value);
    needs.iter().all(|n| coverage.covers(n)).then_some(content)
}

/// Renovate's configuration, parsed back as JSON before it is offered. Renovate finds every
/// manager by itself, so the file names none; `None` when there is nothing to watch.
fn render_renovate(templates: &Templates, needs: &[Need]) -> Option<String> {
    if needs.is_empty() {
        return None;
    }
    let content = templates
        .render(
            RENOVATE_TEMPLATE,
            minijinja::context! { cooldown_days => ecosystems::COOLDOWN_DAYS },
        )
        .ok()?;
    let parsed: serde_json::Value = serde_json::from_str(&content).ok()?;
    parsed.get("minimumReleaseAge")?;
    Some(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn need(ecosystem: &'static str, directory: &str) -> Need {
        Need {
            ecosystem,
            directory: directory.to_string(),
            alternates: Vec::new(),
            evidence: String::new(),
        }
    }

    #[test]
    fn rendered_file_parses_and_covers_every_need() {
        let needs = [
            need(ecosystems::PIP, "/"),
            need(ecosystems::UV, "/svc/we: ird #dir"),
            need(ecosystems::DOCKER, "/svc/\"quoted\""),
            need(ecosystems::GITHUB_ACTIONS, "/"),
        ];
        let content = render(&Templates::new(), &needs).unwrap();
        let parsed = YamlFile::parse(&content).unwrap();
        let updates = crate::formats::yaml::get(&parsed.value, "updates")
            .and_then(|u| u.as_sequence())
            .unwrap();
        assert_eq!(updates.len(), 4);
        let second = &updates[1];
        assert_eq!(
            crate::formats::yaml::get(second, "directory").and_then(|d| d.as_str()),
            Some("/svc/we: ird #dir")
        );
        assert!(content.ends_with("default-days: 7\n"));
        assert!(!content.contains("{#"));
    }

    #[test]
    fn gitlab_projects_get_renovate() {
        let content = render_renovate(&Templates::new(), &[need(ecosystems::PIP, "/")]).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&content).unwrap();
        assert_eq!(parsed["minimumReleaseAge"], "7 days");
    }

    #[test]
    fn nothing_to_watch_renders_nothing() {
        assert_eq!(render(&Templates::new(), &[]), None);
    }
}
