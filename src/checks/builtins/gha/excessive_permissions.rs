//! `gha-excessive-permissions`: a workflow whose jobs get the repository's default
//! `GITHUB_TOKEN` permissions (no top-level `permissions:` and none on the job), or that grants
//! `write-all` at the top or to a job. The fix adds a top-level `permissions: contents: read`
//! after the `on:` block (jobs with their own `permissions:` keep them), or replaces
//! `write-all` by `contents: read`. A reusable workflow (`on: workflow_call` only) without
//! `permissions:` runs with what its caller grants and is not reported.

use crate::checks::builtins::gha::files;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::yaml::{Step, Value, YamlFile};

pub const BUILTIN: Builtin = Builtin {
    name: "gha-excessive-permissions",
    vars: &["job", "problem"],
    params: &[],
    run,
};

fn read_only() -> Value {
    let mut map = yaml_serde::Mapping::new();
    map.insert("contents".into(), "read".into());
    Value::Mapping(map)
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for gha in files(ctx.project, false) {
        let Some(workflow) = gha.model.workflow() else {
            continue;
        };
        let path = gha.path();
        let top = [Step::Key("permissions".into())];
        match &workflow.permissions {
            Some(p) if p.is_write_all() => {
                let mut hit = Hit::at(Location::span(
                    path,
                    gha.yaml.value_span(&top).unwrap_or(0..0),
                ))
                .var("job", "")
                .var("problem", "the workflow grants `write-all` to every job");
                if let Some(new) = replace_write_all(gha.yaml, &top) {
                    hit = hit.edits(gha.rewrite(&new));
                }
                hits.push(hit);
            }
            Some(_) => {}
            // A reusable workflow runs with its caller's token: without `permissions:` of
            // its own it can only have what the caller grants (zizmor agrees).
            None if !workflow.events.is_empty()
                && workflow.events.iter().all(|e| e == "workflow_call") => {}
            None => {
                let fix = add_top_level(gha.yaml);
                for job in workflow.jobs.iter().filter(|j| j.permissions.is_none()) {
                    let route = [Step::Key("jobs".into()), Step::Key(job.id.clone())];
                    let span = gha.yaml.key_span(&route).unwrap_or(0..0);
                    let mut hit = Hit::at(Location::span(path, span))
                        .var("job", job.id.as_str())
                        .var(
                            "problem",
                            format!(
                                "job `{}` runs with the repository's default token permissions: neither the workflow nor the job sets `permissions:`",
                                job.id
                            ),
                        );
                    if let Some(new) = &fix {
                        hit = hit.edits(gha.rewrite(new));
                    }
                    hits.push(hit);
                }
            }
        }
        for job in &workflow.jobs {
            if job.permissions.as_ref().is_some_and(|p| p.is_write_all()) {
                let route = [
                    Step::Key("jobs".into()),
                    Step::Key(job.id.clone()),
                    Step::Key("permissions".into()),
                ];
                let mut hit = Hit::at(Location::span(
                    path,
                    gha.yaml.value_span(&route).unwrap_or(0..0),
                ))
                .var("job", job.id.as_str())
                .var(
                    "problem",
                    format!("job `{}` is granted `write-all`", job.id),
                );
                if let Some(new) = replace_write_all(gha.yaml, &route) {
                    hit = hit.edits(gha.rewrite(&new));
                }
                hits.push(hit);
            }
        }
    }
    hits
}

/// `permissions: write-all` becomes `permissions:` with `contents: read` on the next line, in
/// the key's indentation plus two; a comment after the value stays on its line.
fn replace_write_all(yaml: &YamlFile, route: &[Step]) -> Option<String> {
    let text = yaml.source();
    let key = yaml.key_span(route)?;
    let value = yaml.value_span(route)?;
    let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..key.start)?;
    // A block sequence item (`- permissions: write-all`) is not a shape workflows use.
    if !indent.bytes().all(|b| b == b' ') || value.start < key.end {
        return None;
    }
    let mut new = String::with_capacity(text.len() + 32);
    new.push_str(text.get(..key.end)?);
    new.push_str(&format!(":\n{indent}  contents: read"));
    new.push_str(text.get(value.end..)?);
    let mut expected = yaml.value.clone();
    *crate::formats::yaml::value_at_mut(&mut expected, route)? = read_only();
    let parsed: Value = yaml_serde::from_str(&new).ok()?;
    (parsed == expected).then_some(new)
}

/// Insert `permissions:\n  contents: read` as a top-level key right after the `on:` block (or
/// before `jobs:` when there is no `on:`), in the top-level keys' indentation.
fn add_top_level(yaml: &YamlFile) -> Option<String> {
    let text = yaml.source();
    let on = [Step::Key("on".into())];
    let jobs = [Step::Key("jobs".into())];
    let (key, insert_at, prefix) = if let Some(mut value) = yaml.value_span(&on) {
        let key = yaml.key_span(&on)?;
        // The span of a block mapping runs over the comment lines after it: end at its last
        // line of content, so those comments stay above the key they precede.
        let mut offset = value.start;
        let mut content_end = value.start;
        for line in text.get(value.clone())?.split_inclusive('\n') {
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') {
                content_end = offset + line.trim_end().len();
            }
            offset += line.len();
        }
        value.end = content_end.max(value.start);
        // After the line where the `on:` value ends.
        match text.get(value.end..)?.find('\n') {
            _ if text.get(..value.end)?.ends_with('\n') => (key, value.end, ""),
            Some(i) => (key, value.end + i + 1, ""),
            None => (key, text.len(), "\n"),
        }
    } else {
        let key = yaml.key_span(&jobs)?;
        let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
        (key, line_start, "")
    };
    let line_start = text.get(..key.start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = text.get(line_start..key.start)?;
    if !indent.bytes().all(|b| b == b' ') {
        return None;
    }
    let block = format!("{prefix}{indent}permissions:\n{indent}  contents: read\n");
    let mut new = String::with_capacity(text.len() + block.len());
    new.push_str(text.get(..insert_at)?);
    new.push_str(&block);
    new.push_str(text.get(insert_at..)?);
    let mut expected = yaml.value.clone();
    expected
        .as_mapping_mut()?
        .insert("permissions".into(), read_only());
    let parsed: Value = yaml_serde::from_str(&new).ok()?;
    (parsed == expected).then_some(new)
}
