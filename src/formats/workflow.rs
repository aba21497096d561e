//! GitHub Actions workflows (`.github/workflows/*.yml`) and composite actions (`action.yml`):
//! a typed model read from the YAML value the yaml parser already built. Unknown keys are
//! ignored, and a part that does not have the expected shape is read as absent (the file is
//! still YAML: whether GitHub accepts it is not harden's question). Positions come from the
//! [`YamlFile`] through routes ([`Step`] lists) the model hands out.

pub mod expr;
pub mod taint;

use std::ops::Range;

use serde::Deserialize;
use serde::de::DeserializeOwned;

use super::yaml::{Step, Value, YamlFile};

/// `permissions:` at workflow or job level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Permissions {
    /// `read-all`, `write-all` (or anything else written as one string).
    All(String),
    /// `{}` or `contents: read` and friends, in the file's order.
    Map(Vec<(String, String)>),
    /// Any other shape (an expression, a list): not judged.
    Other,
}

impl Permissions {
    fn from_value(value: &Value) -> Self {
        match value {
            Value::String(s) => Self::All(s.clone()),
            Value::Mapping(map) => Self::Map(
                map.iter()
                    .filter_map(|(k, v)| Some((k.as_str()?.to_string(), v.as_str()?.to_string())))
                    .collect(),
            ),
            // `permissions:` with nothing after it is an empty mapping to GitHub.
            Value::Null => Self::Map(Vec::new()),
            _ => Self::Other,
        }
    }

    pub fn is_write_all(&self) -> bool {
        matches!(self, Self::All(s) if s == "write-all")
    }
}

/// A field of another shape than expected reads as absent, so one odd key does not hide the
/// rest of its step or job.
fn lenient_field<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: DeserializeOwned,
{
    let value = Value::deserialize(deserializer)?;
    Ok(yaml_serde::from_value(value).ok())
}

/// One step of a job or of a composite action.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
pub struct JobStep {
    #[serde(deserialize_with = "lenient_field")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient_field")]
    pub name: Option<String>,
    #[serde(deserialize_with = "lenient_field")]
    pub uses: Option<String>,
    #[serde(deserialize_with = "lenient_field")]
    pub run: Option<String>,
    #[serde(deserialize_with = "lenient_field")]
    pub shell: Option<String>,
    /// `with:` inputs; values are kept raw (strings, booleans, numbers).
    #[serde(deserialize_with = "lenient_field")]
    pub with: Option<yaml_serde::Mapping>,
    /// `env:`: a mapping, or an expression string.
    pub env: Option<Value>,
}

impl JobStep {
    /// A `with:` input as a string (booleans and numbers as written by YAML).
    pub fn input(&self, name: &str) -> Option<String> {
        match self.with.as_ref()?.get(name)? {
            Value::String(s) => Some(s.clone()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) => Some(n.to_string()),
            _ => None,
        }
    }

    /// The action a step uses, without its ref: `actions/checkout`.
    pub fn action(&self) -> Option<ActionRef<'_>> {
        ActionRef::parse(self.uses.as_deref()?)
    }
}

/// A `uses:` reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionRef<'a> {
    /// `./path`: an action of the same repository.
    Local(&'a str),
    /// `docker://image[:tag][@digest]`.
    Docker(&'a str),
    /// `owner/repo[/path]@ref` (ref may be absent, which GitHub refuses).
    Repo {
        /// `owner/repo[/path]`, as written.
        name: &'a str,
        git_ref: Option<&'a str>,
    },
}

impl<'a> ActionRef<'a> {
    pub fn parse(uses: &'a str) -> Option<Self> {
        let uses = uses.trim();
        if uses.is_empty() {
            return None;
        }
        if uses.starts_with("./") || uses.starts_with("../") || uses == "." {
            return Some(Self::Local(uses));
        }
        if let Some(image) = uses.strip_prefix("docker://") {
            return Some(Self::Docker(image));
        }
        let (name, git_ref) = match uses.split_once('@') {
            Some((name, r)) => (name, Some(r)),
            None => (uses, None),
        };
        Some(Self::Repo { name, git_ref })
    }

    /// `owner/repo` (lower-cased), without a sub-path, for repository references.
    pub fn repository(&self) -> Option<String> {
        match self {
            Self::Repo { name, .. } => {
                let mut parts = name.splitn(3, '/');
                let owner = parts.next()?;
                let repo = parts.next()?;
                Some(format!("{owner}/{repo}").to_ascii_lowercase())
            }
            _ => None,
        }
    }
}

/// A job: a normal one with steps, or a reusable-workflow call (`uses:` at job level).
#[derive(Debug, Clone, Default)]
pub struct Job {
    pub id: String,
    pub permissions: Option<Permissions>,
    pub runs_on: Option<Value>,
    /// `uses:` of a job that calls a reusable workflow.
    pub uses: Option<String>,
    pub env: Option<Value>,
    pub strategy: Option<Value>,
    /// `defaults: run: shell:`.
    pub default_shell: Option<String>,
    /// `outputs:`: a mapping of names to (usually) expressions.
    pub outputs: Option<Value>,
    pub steps: Vec<JobStep>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawJob {
    runs_on: Option<Value>,
    #[serde(deserialize_with = "lenient_field")]
    uses: Option<String>,
    env: Option<Value>,
    strategy: Option<Value>,
    defaults: Option<Value>,
    outputs: Option<Value>,
}

/// A workflow file.
#[derive(Debug, Clone, Default)]
pub struct Workflow {
    /// Event names of `on:` (string, list or mapping forms).
    pub events: Vec<String>,
    /// `on:` as written, for the inputs of `workflow_dispatch` and `workflow_call`.
    pub on: Option<Value>,
    pub permissions: Option<Permissions>,
    pub env: Option<Value>,
    pub default_shell: Option<String>,
    pub jobs: Vec<Job>,
}

/// A composite (or other) action's `action.yml`.
#[derive(Debug, Clone, Default)]
pub struct Action {
    /// `runs.using`: `composite`, `node20`, `docker`.
    pub using: Option<String>,
    /// `inputs:` names.
    pub inputs: Vec<String>,
    pub steps: Vec<JobStep>,
}

/// Deserialize `value` as `T`, or `T::default()` when it has another shape.
fn lenient<T: DeserializeOwned + Default>(value: &Value) -> T {
    yaml_serde::from_value(value.clone()).unwrap_or_default()
}

fn steps_of(value: Option<&Value>) -> Vec<JobStep> {
    value
        .and_then(Value::as_sequence)
        .map(|steps| steps.iter().map(lenient).collect())
        .unwrap_or_default()
}

fn default_shell(defaults: Option<&Value>) -> Option<String> {
    let shell = defaults?.get("run")?.get("shell")?;
    shell.as_str().map(str::to_string)
}

/// Event names of an `on:` value in any of its forms: a string, a list, or a map.
pub fn events(on: Option<&Value>) -> Vec<String> {
    match on {
        Some(Value::String(event)) => vec![event.clone()],
        Some(Value::Sequence(events)) => events
            .iter()
            .filter_map(|e| e.as_str().map(str::to_string))
            .collect(),
        Some(Value::Mapping(events)) => events
            .keys()
            .filter_map(|e| e.as_str().map(str::to_string))
            .collect(),
        _ => Vec::new(),
    }
}

impl Workflow {
    pub fn from_yaml(value: &Value) -> Self {
        let events = events(value.get("on"));
        let jobs = value
            .get("jobs")
            .and_then(Value::as_mapping)
            .map(|jobs| {
                jobs.iter()
                    .filter_map(|(id, job)| {
                        let id = id.as_str()?.to_string();
                        let raw: RawJob = lenient(job);
                        Some(Job {
                            id,
                            permissions: job.get("permissions").map(Permissions::from_value),
                            runs_on: raw.runs_on,
                            uses: raw.uses,
                            env: raw.env,
                            strategy: raw.strategy,
                            default_shell: default_shell(raw.defaults.as_ref()),
                            outputs: raw.outputs,
                            steps: steps_of(job.get("steps")),
                        })
                    })
                    .collect()
            })
            .unwrap_or_default();
        Self {
            events,
            on: value.get("on").cloned(),
            permissions: value.get("permissions").map(Permissions::from_value),
            env: value.get("env").cloned(),
            default_shell: default_shell(value.get("defaults")),
            jobs,
        }
    }

    pub fn triggered_by(&self, event: &str) -> bool {
        self.events.iter().any(|e| e == event)
    }

    /// The `type:` of input `name` of a `workflow_dispatch` or `workflow_call` trigger, in
    /// that order: `Some("")` when the input is declared without a type, `None` when no
    /// trigger declares it.
    pub fn input_type(&self, name: &str) -> Option<String> {
        ["workflow_dispatch", "workflow_call"]
            .iter()
            .find_map(|event| {
                let inputs = self.on.as_ref()?.get(*event)?.get("inputs")?.as_mapping()?;
                let (_, input) = inputs
                    .iter()
                    .find(|(k, _)| k.as_str().is_some_and(|k| k.eq_ignore_ascii_case(name)))?;
                Some(
                    input
                        .get("type")
                        .and_then(Value::as_str)
                        .unwrap_or("")
                        .to_ascii_lowercase(),
                )
            })
    }

    pub fn job(&self, id: &str) -> Option<&Job> {
        self.jobs.iter().find(|j| j.id.eq_ignore_ascii_case(id))
    }
}

impl Action {
    pub fn from_yaml(value: &Value) -> Self {
        let runs = value.get("runs");
        Self {
            using: runs
                .and_then(|r| r.get("using"))
                .and_then(Value::as_str)
                .map(str::to_string),
            inputs: value
                .get("inputs")
                .and_then(Value::as_mapping)
                .map(|m| {
                    m.keys()
                        .filter_map(|k| k.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            steps: steps_of(runs.and_then(|r| r.get("steps"))),
        }
    }
}

/// Every value `matrix.<key>` takes in a job's `strategy:` as text: the key's list (or single
/// value) and the values `include:` entries give it; nested values give their scalars. An
/// expression (`${{ fromJSON(...) }}`) is returned as written, for the caller to judge.
/// `None` when no part of the matrix sets the key, or the matrix is one expression.
pub fn matrix_values(strategy: &Value, key: &str) -> Option<Vec<String>> {
    fn scalars(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::String(s) => out.push(s.clone()),
            Value::Number(n) => out.push(n.to_string()),
            Value::Bool(b) => out.push(b.to_string()),
            Value::Sequence(items) => items.iter().for_each(|v| scalars(v, out)),
            Value::Mapping(map) => map.values().for_each(|v| scalars(v, out)),
            _ => {}
        }
    }
    let matrix = strategy.get("matrix")?;
    if let Value::String(expression) = matrix {
        return Some(vec![expression.clone()]).filter(|_| expression.contains("${{"));
    }
    let matrix = matrix.as_mapping()?;
    let mut out = Vec::new();
    let mut set = false;
    for (name, value) in matrix {
        match name.as_str() {
            Some("include") => match value {
                Value::Sequence(entries) => {
                    for entry in entries {
                        match entry {
                            Value::String(expression) => out.push(expression.clone()),
                            _ => {
                                if let Some(v) = entry.get(key) {
                                    set = true;
                                    scalars(v, &mut out);
                                }
                            }
                        }
                    }
                }
                Value::String(expression) => out.push(expression.clone()),
                _ => {}
            },
            Some("exclude") => {}
            Some(name) if name == key => {
                set = true;
                scalars(value, &mut out);
            }
            _ => {}
        }
    }
    set.then_some(out)
}

/// A step's `with:` (or any mapping) with each `${{ matrix.KEY }}` expression of its string
/// values replaced by the values the job's static matrix gives KEY, joined by `,`:
/// CodeQL's generated workflow sets `languages: ${{ matrix.language }}`. Expressions the
/// matrix cannot resolve stay as written.
pub fn with_matrix(with: &Value, strategy: Option<&Value>) -> Value {
    let Some(strategy) = strategy else {
        return with.clone();
    };
    let resolve = |text: &str| -> String {
        let mut out = text.to_string();
        for found in expr::find(text).iter().rev() {
            let Some(key) = found.body.strip_prefix("matrix.") else {
                continue;
            };
            let Some(values) = matrix_values(strategy, key) else {
                continue;
            };
            if values.iter().any(|v| v.contains("${{")) {
                continue;
            }
            out.replace_range(found.range.clone(), &values.join(","));
        }
        out
    };
    match with {
        Value::Mapping(map) => Value::Mapping(
            map.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => (k.clone(), Value::String(resolve(s))),
                    _ => (k.clone(), v.clone()),
                })
                .collect(),
        ),
        _ => with.clone(),
    }
}

/// A workflow or an action, with its source.
#[derive(Debug)]
pub enum Model {
    Workflow(Workflow),
    Action(Action),
}

/// One step with where it is and what surrounds it.
#[derive(Debug, Clone, Copy)]
pub struct StepAt<'a> {
    pub step: &'a JobStep,
    /// The job, for workflow steps.
    pub job: Option<&'a Job>,
    pub index: usize,
}

impl StepAt<'_> {
    /// The route to the step's mapping.
    pub fn route(&self) -> Vec<Step> {
        match self.job {
            Some(job) => vec![
                Step::Key("jobs".into()),
                Step::Key(job.id.clone()),
                Step::Key("steps".into()),
                Step::Index(self.index),
            ],
            None => vec![
                Step::Key("runs".into()),
                Step::Key("steps".into()),
                Step::Index(self.index),
            ],
        }
    }

    /// The route to one of the step's keys.
    pub fn key(&self, key: &str) -> Vec<Step> {
        let mut route = self.route();
        route.push(Step::Key(key.into()));
        route
    }
}

impl Model {
    /// Every step of every job (workflow) or of `runs.steps` (action), in file order.
    pub fn steps(&self) -> Vec<StepAt<'_>> {
        match self {
            Self::Workflow(workflow) => workflow
                .jobs
                .iter()
                .flat_map(|job| {
                    job.steps
                        .iter()
                        .enumerate()
                        .map(move |(index, step)| StepAt {
                            step,
                            job: Some(job),
                            index,
                        })
                })
                .collect(),
            Self::Action(action) => action
                .steps
                .iter()
                .enumerate()
                .map(|(index, step)| StepAt {
                    step,
                    job: None,
                    index,
                })
                .collect(),
        }
    }

    pub fn workflow(&self) -> Option<&Workflow> {
        match self {
            Self::Workflow(workflow) => Some(workflow),
            Self::Action(_) => None,
        }
    }

    /// The shell a `run:` step runs under: the step's `shell:`, the job's and then the
    /// workflow's `defaults.run.shell`, else the runner's default (`pwsh` on Windows, `bash`
    /// elsewhere). `None` when the runner is not known (an expression in `runs-on`).
    pub fn shell_of(&self, at: &StepAt<'_>) -> Option<String> {
        if let Some(shell) = &at.step.shell {
            return Some(shell.clone());
        }
        let Self::Workflow(workflow) = self else {
            return None;
        };
        let job = at.job?;
        if let Some(shell) = job
            .default_shell
            .as_ref()
            .or(workflow.default_shell.as_ref())
        {
            return Some(shell.clone());
        }
        let labels: Vec<&str> = match job.runs_on.as_ref()? {
            Value::String(s) => vec![s.as_str()],
            Value::Sequence(items) => items.iter().filter_map(Value::as_str).collect(),
            _ => return None,
        };
        if labels.iter().any(|l| l.contains("${{")) {
            return None;
        }
        if labels
            .iter()
            .any(|l| l.to_ascii_lowercase().contains("windows"))
        {
            Some("pwsh".into())
        } else {
            Some("bash".into())
        }
    }
}

/// The workflow or action model of a parsed file of kind `workflow` or `action`.
pub fn model(kind: crate::formats::FileKind, file: &YamlFile) -> Option<Model> {
    use crate::formats::FileKind;
    match kind {
        FileKind::Workflow => Some(Model::Workflow(Workflow::from_yaml(&file.value))),
        FileKind::Action => Some(Model::Action(Action::from_yaml(&file.value))),
        _ => None,
    }
}

/// Maps byte offsets of a string scalar's value to the file: exact for plain, quoted (without
/// escapes) and literal block (`|`) scalars; `None` for folded or escaped ones.
#[derive(Debug, Clone)]
pub struct ScalarMap {
    /// The value as decoded (what GitHub sees), rebuilt from the pieces.
    pub text: String,
    /// For every byte of `text`, its offset in the file.
    offsets: Vec<usize>,
    /// The scalar's whole span, for positions the map cannot give.
    pub span: Range<usize>,
}

impl ScalarMap {
    /// Build the map of the scalar at `span` of `source`, whose decoded value is `value`.
    pub fn new(source: &str, span: Range<usize>, value: &str) -> Option<Self> {
        let raw = source.get(span.clone())?;
        let mut map = Self {
            text: String::new(),
            offsets: Vec::new(),
            span: span.clone(),
        };
        let first = raw.chars().next()?;
        match first {
            '|' => {
                let body_start = raw.find('\n')? + 1;
                let header = raw.get(..body_start)?.trim_end();
                let explicit = header
                    .chars()
                    .find(|c| c.is_ascii_digit())
                    .and_then(|c| c.to_digit(10));
                let body = raw.get(body_start..)?;
                // NOTE: an explicit indentation indicator counts from the parent's indentation,
                // which the span does not show: such scalars are not mapped.
                let indent = match explicit {
                    Some(_) => None,
                    None => body
                        .split_inclusive('\n')
                        .find(|l| !l.trim().is_empty())
                        .map(|l| l.len() - l.trim_start_matches(' ').len()),
                };
                let indent = indent?;
                let mut at = span.start + body_start;
                for line in body.split_inclusive('\n') {
                    let skip = indent.min(line.len() - line.trim_start_matches(' ').len());
                    let content = line.get(skip..)?;
                    match content.strip_suffix("\r\n") {
                        Some(content) => {
                            map.push(content, at + skip);
                            map.push("\n", at + line.len() - 1);
                        }
                        None => map.push(content, at + skip),
                    }
                    at += line.len();
                }
            }
            '>' => return None,
            '"' | '\'' => {
                let inner = raw.get(1..raw.len().checked_sub(1)?)?;
                if inner.contains(['\\', '\n']) || (first == '\'' && inner.contains("''")) {
                    return None;
                }
                map.push(inner, span.start + 1);
            }
            _ => {
                if raw.contains('\n') {
                    return None;
                }
                map.push(raw, span.start);
            }
        }
        // Chomping and trailing blank lines differ only at the end.
        if map.text.trim_end() != value.trim_end() {
            return None;
        }
        Some(map)
    }

    fn push(&mut self, text: &str, at: usize) {
        self.text.push_str(text);
        self.offsets.extend(at..at + text.len());
    }

    /// The value as a [`Logical`] text, to split as a shell script with file spans.
    pub fn logical(&self) -> Option<super::dockerfile::Logical> {
        super::dockerfile::Logical::mapped(self.text.clone(), self.offsets.clone(), self.span.end)
    }

    /// The file span of `range` of the decoded text (the whole scalar when unknown).
    pub fn span_of(&self, range: Range<usize>) -> Range<usize> {
        let start = self.offsets.get(range.start).copied();
        let end = range
            .end
            .checked_sub(1)
            .and_then(|last| self.offsets.get(last))
            .map(|o| o + 1);
        match (start, end) {
            (Some(start), Some(end)) if end >= start => start..end,
            _ => self.span.clone(),
        }
    }
}

/// The string value at `route` with its map to the file, if the value is a mappable string.
pub fn scalar(file: &YamlFile, route: &[Step], value: &str) -> Option<ScalarMap> {
    let span = file.value_span(route)?;
    ScalarMap::new(file.source(), span, value)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (YamlFile, Model) {
        let file = YamlFile::parse(text).unwrap();
        let model = Model::Workflow(Workflow::from_yaml(&file.value));
        (file, model)
    }

    #[test]
    fn reads_triggers_permissions_jobs_steps() {
        let text = "on: [push, pull_request_target]\npermissions: write-all\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo hi\n  b:\n    uses: org/repo/.github/workflows/x.yml@main\n    permissions:\n      contents: read\n";
        let (_, model) = parse(text);
        let workflow = model.workflow().unwrap();
        assert_eq!(workflow.events, ["push", "pull_request_target"]);
        assert!(workflow.permissions.as_ref().unwrap().is_write_all());
        assert_eq!(workflow.jobs.len(), 2);
        assert_eq!(
            workflow.jobs[1].permissions,
            Some(Permissions::Map(vec![("contents".into(), "read".into())]))
        );
        let steps = model.steps();
        assert_eq!(steps.len(), 2);
        assert_eq!(model.shell_of(&steps[1]).as_deref(), Some("pwsh"));
        assert_eq!(
            steps[0].step.action(),
            Some(ActionRef::Repo {
                name: "actions/checkout",
                git_ref: Some("v4")
            })
        );
        for on in ["on: push\n", "on:\n  push:\n    branches: [main]\n"] {
            let (_, model) = parse(on);
            assert_eq!(model.workflow().unwrap().events, ["push"]);
        }
    }

    #[test]
    fn odd_shapes_do_not_panic() {
        for text in [
            "jobs: 3\n",
            "jobs:\n  a: [1]\n",
            "jobs:\n  a:\n    steps: {x: 1}\n",
            "jobs:\n  a:\n    steps:\n      - run: [1]\n      - 7\n",
            "jobs:\n  a:\n    uses: [1]\n    steps:\n      - {with: [1], uses: a/b@v1, name: 3}\n",
            "on: 5\npermissions: [1]\n",
            "[]\n",
        ] {
            let (_, model) = parse(text);
            let _ = model.steps();
        }
        let (_, model) = parse("jobs:\n  a:\n    steps:\n      - {with: [1], uses: a/b@v1}\n");
        assert_eq!(model.steps()[0].step.uses.as_deref(), Some("a/b@v1"));
    }

    #[test]
    fn matrix_values_resolve() {
        let (_, model) = parse(
            "jobs:\n  a:\n    strategy:\n      matrix:\n        language: [python, javascript]\n        include:\n          - language: go\n    steps:\n      - uses: github/codeql-action/init@v3\n        with:\n          languages: ${{ matrix.language }}\n          other: ${{ matrix.nope }}\n",
        );
        let job = &model.workflow().unwrap().jobs[0];
        let with = Value::Mapping(job.steps[0].with.clone().unwrap());
        let resolved = with_matrix(&with, job.strategy.as_ref());
        assert_eq!(
            resolved.get("languages").and_then(Value::as_str),
            Some("python,javascript,go")
        );
        assert_eq!(
            resolved.get("other").and_then(Value::as_str),
            Some("${{ matrix.nope }}")
        );
        let computed = YamlFile::parse("matrix: ${{ fromJSON(x) }}\n").unwrap();
        assert_eq!(
            matrix_values(&computed.value, "a"),
            Some(vec!["${{ fromJSON(x) }}".to_string()])
        );
    }

    #[test]
    fn scalar_maps_point_into_the_file() {
        let text = "jobs:\n  a:\n    steps:\n      - run: |\n          echo one\n            two ${{ x }}\n      - run: echo ${{ y }}\n      - run: \"a ${{ z }}\"\n      - run: >\n          folded\n";
        let (file, model) = parse(text);
        let steps = model.steps();
        for (at, needle) in [(0, "${{ x }}"), (1, "${{ y }}"), (2, "${{ z }}")] {
            let run = steps[at].step.run.as_deref().unwrap();
            let map = scalar(&file, &steps[at].key("run"), run).unwrap();
            let i = map.text.find(needle).unwrap();
            assert_eq!(&text[map.span_of(i..i + needle.len())], needle);
        }
        let run = steps[3].step.run.as_deref().unwrap();
        assert!(scalar(&file, &steps[3].key("run"), run).is_none());
        let crlf = text.replace('\n', "\r\n");
        let (file, model) = parse(&crlf);
        let steps = model.steps();
        let run = steps[0].step.run.as_deref().unwrap();
        let map = scalar(&file, &steps[0].key("run"), run).unwrap();
        let i = map.text.find("${{ x }}").unwrap();
        assert_eq!(&crlf[map.span_of(i..i + 8)], "${{ x }}");
    }
}
