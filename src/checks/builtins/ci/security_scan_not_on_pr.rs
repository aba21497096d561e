//! `ci-security-scan-not-on-pr`: static analysis or the dependency audit runs in CI, but no
//! workflow that runs it is triggered by `pull_request`, so a change is only scanned after it
//! is merged. Reported once per workflow that runs such a tool (at its `on:` key); the fix adds
//! the `pull_request` trigger to that workflow, in whatever form its `on:` is written.
//!
//! A reusable workflow (`on: workflow_call` only) is judged through the local workflows that
//! call it; `pull_request_target` does not count (it runs the base branch's code).

use crate::checks::builtins::ci::{Category, CiSystem, Inventory, has_python};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::yaml::{Step, Value, YamlFile, get};

pub const BUILTIN: Builtin = Builtin {
    name: "ci-security-scan-not-on-pr",
    vars: &["tools", "job"],
    params: &[],
    run,
};

const PR: &str = "pull_request";

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let project = ctx.project;
    if !has_python(project) {
        return Vec::new();
    }
    let inventory = Inventory::of(project);
    // Workflow (index) -> the tools it runs whose category never runs on a pull request.
    let mut offending: Vec<(usize, Vec<&str>)> = Vec::new();
    for category in [Category::Sast, Category::Audit] {
        let running: Vec<usize> = (0..inventory.workflows.len())
            .filter(|&i| {
                inventory
                    .categories(&inventory.workflows[i])
                    .contains(&category)
            })
            .collect();
        if running.is_empty()
            || running
                .iter()
                .any(|&i| inventory.runs_on_pr(&inventory.workflows[i]))
        {
            continue;
        }
        for index in running {
            let workflow = &inventory.workflows[index];
            if workflow.reusable {
                continue;
            }
            let mut tools: Vec<&str> = workflow
                .found
                .iter()
                .filter(|f| f.category == category)
                .map(|f| f.tool)
                .collect();
            if tools.is_empty() {
                tools.push(if workflow.runs_precommit {
                    "pre-commit hooks"
                } else {
                    "a reusable workflow"
                });
            }
            match offending.iter_mut().find(|(i, _)| *i == index) {
                Some((_, existing)) => existing.extend(tools),
                None => offending.push((index, tools)),
            }
        }
    }
    let mut hits = Vec::new();
    for (index, mut tools) in offending {
        tools.dedup();
        let workflow = &inventory.workflows[index];
        let path = workflow.path.as_str();
        let location = match &workflow.on_span {
            Some(span) => Location::span(path, span.clone()),
            None => Location::file(path),
        };
        let job = match &workflow.system {
            CiSystem::Gitlab(Some(job)) => job.as_str(),
            _ => "",
        };
        let hit = Hit::at(location)
            .var("tools", tools.join(", "))
            .var("job", job);
        // Only a GitHub workflow's triggers can be edited this way; a GitLab job's rules are
        // the project's own logic (display-only).
        let edit = (workflow.system == CiSystem::GithubActions)
            .then(|| project.file(path))
            .flatten()
            .and_then(|file| {
                let text = file.text().ok()?;
                let Parsed::Yaml(yaml) = file.parsed() else {
                    return None;
                };
                let new = add_pr_trigger(&text.content, yaml)?;
                Edit::from_rewrite(path, &text.content, &new)
            });
        hits.push(match edit {
            Some(edit) => hit.edits(vec![edit]),
            None => hit,
        });
    }
    hits
}

/// The workflow with `pull_request` added to its `on:`: `on: push` becomes
/// `on: [push, pull_request]`, a flow list gets one more item, a block list one more line, a
/// mapping one more key. `None` when the result would not be the old document plus the
/// trigger.
pub fn add_pr_trigger(text: &str, yaml: &YamlFile) -> Option<String> {
    let on_route = [Step::Key("on".into())];
    let on = get(&yaml.value, "on")?;
    let span = yaml.value_span(&on_route)?;
    let written = text.get(span.clone())?;
    let mut expected = yaml.value.clone();
    let new = match on {
        Value::String(event) => {
            let list = Value::Sequence(vec![Value::String(event.clone()), PR.into()]);
            *crate::formats::yaml::value_at_mut(&mut expected, &on_route)? = list;
            let event = plain(event)?;
            splice(text, span, &format!("[{event}, {PR}]"))?
        }
        Value::Sequence(events) if written.starts_with('[') => {
            let mut names = events
                .iter()
                .map(|e| e.as_str().and_then(plain))
                .collect::<Option<Vec<_>>>()?;
            names.push(PR);
            if let Value::Sequence(items) =
                crate::formats::yaml::value_at_mut(&mut expected, &on_route)?
            {
                items.push(PR.into());
            }
            splice(text, span, &format!("[{}]", names.join(", ")))?
        }
        Value::Sequence(_) => return yaml.append(&on_route, &PR.into()),
        Value::Mapping(events) if !written.starts_with('{') => {
            let first = events.keys().next()?.as_str()?;
            let key_span = yaml.key_span(&[Step::Key("on".into()), Step::Key(first.into())])?;
            let line_start = text.get(..key_span.start)?.rfind('\n').map_or(0, |i| i + 1);
            let indent = text.get(line_start..key_span.start)?;
            if indent.is_empty() || !indent.chars().all(|c| c == ' ') {
                return None;
            }
            if let Value::Mapping(map) =
                crate::formats::yaml::value_at_mut(&mut expected, &on_route)?
            {
                map.insert(PR.into(), Value::Null);
            }
            let end = span.end;
            let insert_at = if text.get(..end)?.ends_with('\n') {
                end
            } else {
                match text.get(end..)?.find('\n') {
                    Some(i) => end + i + 1,
                    None => {
                        let mut new = text.to_string();
                        new.push('\n');
                        new.push_str(indent);
                        new.push_str("pull_request:\n");
                        return YamlFile::parse(&new)
                            .ok()
                            .filter(|p| p.value == expected)
                            .map(|_| new);
                    }
                }
            };
            let mut new = String::with_capacity(text.len() + 20);
            new.push_str(text.get(..insert_at)?);
            new.push_str(indent);
            new.push_str("pull_request:\n");
            new.push_str(text.get(insert_at..)?);
            new
        }
        _ => return None,
    };
    YamlFile::parse(&new)
        .ok()
        .filter(|p| p.value == expected)
        .map(|_| new)
}

/// An event name that needs no quoting in a flow list.
fn plain(event: &str) -> Option<&str> {
    (!event.is_empty() && event.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then_some(event)
}

fn splice(text: &str, span: std::ops::Range<usize>, with: &str) -> Option<String> {
    Some(format!(
        "{}{with}{}",
        text.get(..span.start)?,
        text.get(span.end..)?
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> Option<String> {
        add_pr_trigger(text, &YamlFile::parse(text).unwrap())
    }

    #[test]
    fn every_form_of_on_gets_the_trigger() {
        let jobs = "jobs:\n  a:\n    runs-on: x\n";
        let cases = [
            ("on: push # why\n", "on: [push, pull_request] # why\n"),
            ("on: \"push\"\n", "on: [push, pull_request]\n"),
            (
                "on: [push, workflow_dispatch]\n",
                "on: [push, workflow_dispatch, pull_request]\n",
            ),
            ("on:\n  - push\n", "on:\n  - push\n  - pull_request\n"),
            (
                "on:\n  push:\n    branches: [main] # only main\n  schedule:\n    - cron: '0 3 * * 1'\n",
                "on:\n  push:\n    branches: [main] # only main\n  schedule:\n    - cron: '0 3 * * 1'\n  pull_request:\n",
            ),
            (
                "on:\n    workflow_dispatch:\n",
                "on:\n    workflow_dispatch:\n    pull_request:\n",
            ),
        ];
        for (on, expected) in cases {
            let text = format!("name: x\n{on}{jobs}");
            assert_eq!(
                fixed(&text).as_deref(),
                Some(format!("name: x\n{expected}{jobs}").as_str()),
                "{on}"
            );
        }
    }

    #[test]
    fn last_key_without_final_newline() {
        let text = "jobs:\n  a:\n    runs-on: x\non:\n  push:";
        assert_eq!(
            fixed(text).as_deref(),
            Some("jobs:\n  a:\n    runs-on: x\non:\n  push:\n  pull_request:\n")
        );
    }

    #[test]
    fn flow_mappings_are_left_alone() {
        assert_eq!(fixed("on: {push: {branches: [main]}}\njobs: {}\n"), None);
    }
}
