//! Where the value of a `${{ }}` context comes from, and whether someone outside the
//! repository's maintainers chooses it.
//!
//! The model follows GitHub's documentation of the `github` context and of each webhook
//! payload: a field is attacker-controlled when whoever triggers the workflow writes it freely
//! (an issue or pull request title and body, a comment, a commit message or author, a branch or
//! tag name, a fork's default branch, a dispatcher's string input), and only for the triggers
//! whose payload carries it (a `push`-only workflow has no pull request title). A pushed
//! branch or tag name (`github.ref_name`) is the pusher's choice, who has write access: a
//! lesser taint of its own. Values GitHub restricts (numbers, SHAs,
//! URLs, logins and repository names, which allow no shell metacharacters) and values the
//! repository's admins set (the base repository's `default_branch`, `vars`, `secrets`) are not.
//!
//! A context that only relays another value is followed to where the value is set: `env.X` to
//! the workflow's, job's or step's `env:` (or an earlier step's `X=...` written to
//! `$GITHUB_ENV`), `steps.s.outputs.o` to the `o=...` line step `s` writes to
//! `$GITHUB_OUTPUT`, `needs.j.outputs.k` to job `j`'s `outputs:`, `matrix.k` to the job's
//! static matrix. A relay whose source cannot be read (an action's output, a matrix computed
//! by an expression) is [`Taint::Unknown`].

use std::cell::Cell;

use super::expr;
use super::{Action, Job, JobStep, Workflow};
use crate::formats::yaml::Value;

/// How far an outsider controls a value. Ordered: the worst source of an expression wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Taint {
    /// Fixed, restricted or set by the repository's maintainers.
    Safe,
    /// Chosen only by someone with write access to the repository (or an automation acting
    /// for one): a pushed branch or tag name, a release's tag and name, a manual run's string
    /// input, a repository_dispatch payload (its sender needs a token that can write).
    Writer,
    /// Relayed from somewhere harden cannot read (an action's output, a computed matrix).
    Unknown,
    /// Written freely by whoever triggers the workflow.
    Attacker,
}

/// The verdict on a context, with where its value comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub taint: Taint,
    /// The context the value originates in (`github.head_ref`), or the relay that could not
    /// be followed (`steps.meta.outputs.tags`).
    pub origin: String,
    /// The relays it went through, outermost first (`env.BRANCH`, `steps.s.outputs.b`).
    pub via: Vec<String>,
}

impl Source {
    fn new(taint: Taint, origin: &str) -> Self {
        Self {
            taint,
            origin: origin.to_string(),
            via: Vec::new(),
        }
    }

    fn safe() -> Self {
        Self::new(Taint::Safe, "")
    }

    fn through(mut self, relay: &str) -> Self {
        self.via.insert(0, relay.to_string());
        self
    }

    /// `github.head_ref`, or `github.head_ref (through env.BRANCH)`.
    pub fn describe(&self) -> String {
        if self.via.is_empty() {
            self.origin.clone()
        } else {
            format!("{} (through {})", self.origin, self.via.join(", "))
        }
    }
}

/// The worse of two sources (the first on a tie).
fn worst(a: Source, b: Source) -> Source {
    if b.taint > a.taint { b } else { a }
}

/// Where an expression is evaluated: the workflow (or action), the job and the step.
#[derive(Debug, Clone, Copy)]
pub struct Scope<'a> {
    pub workflow: Option<&'a Workflow>,
    pub action: Option<&'a Action>,
    pub job: Option<&'a Job>,
    /// Index of the step being judged among its job's (or action's) steps; steps before it
    /// can have set outputs and `$GITHUB_ENV` variables.
    pub step: usize,
}

impl<'a> Scope<'a> {
    fn steps(&self) -> &'a [JobStep] {
        match (self.job, self.action) {
            (Some(job), _) => &job.steps,
            (None, Some(action)) => &action.steps,
            _ => &[],
        }
    }

    fn current(&self) -> Option<&'a JobStep> {
        self.steps().get(self.step)
    }

    /// The workflow's triggers, or `None` when any event may run the code: a composite
    /// action, a reusable workflow (its caller's event), or a workflow without `on:`.
    fn events(&self) -> Option<&'a [String]> {
        let workflow = self.workflow?;
        if workflow.events.is_empty() || workflow.triggered_by("workflow_call") {
            return None;
        }
        Some(&workflow.events)
    }

    fn may_run_on(&self, events: &[&str]) -> bool {
        self.events()
            .is_none_or(|mine| mine.iter().any(|e| events.contains(&e.as_str())))
    }
}

/// Past this many relays a value is [`Taint::Unknown`] (a job's output of a step's output of
/// an `env:` ... ; also what stops a cycle).
const MAX_DEPTH: usize = 8;

/// How many contexts one verdict may look at. Relays fan out (an `env:` value reading several
/// outputs, each written from several variables), so depth alone does not bound the work a
/// hostile workflow can ask for; past the budget a value is [`Taint::Unknown`].
const BUDGET: usize = 20_000;

thread_local! {
    static REMAINING: Cell<usize> = const { Cell::new(BUDGET) };
}

/// Run `verdict` with a fresh budget.
fn budgeted(verdict: impl FnOnce() -> Source) -> Source {
    REMAINING.with(|r| r.set(BUDGET));
    verdict()
}

/// The worst source among the contexts whose value flows into expression `body`.
pub fn expression(body: &str, scope: &Scope<'_>) -> Source {
    budgeted(|| expression_at(body, scope, 0))
}

fn expression_at(body: &str, scope: &Scope<'_>, depth: usize) -> Source {
    expr::flowing_contexts(body)
        .iter()
        .map(|c| context_at(c, scope, depth))
        .fold(Source::safe(), worst)
}

/// The worst source among every expression of a string (an `env:` value, a job output).
fn text_at(text: &str, scope: &Scope<'_>, depth: usize) -> Source {
    expr::find(text)
        .iter()
        .map(|e| expression_at(e.body, scope, depth))
        .fold(Source::safe(), worst)
}

/// The source of one normalised context (see [`expr::contexts`]).
pub fn context(context: &str, scope: &Scope<'_>) -> Source {
    budgeted(|| context_at(context, scope, 0))
}

fn context_at(context: &str, scope: &Scope<'_>, depth: usize) -> Source {
    let exhausted = REMAINING.with(|r| {
        let left = r.get();
        r.set(left.saturating_sub(1));
        left == 0
    });
    if depth > MAX_DEPTH || exhausted {
        return Source::new(Taint::Unknown, context);
    }
    let parts: Vec<&str> = context.split('.').collect();
    match parts.as_slice() {
        ["github", "event", rest @ ..] => Source::new(event_field(rest, scope), context),
        ["github", field] => Source::new(github_field(field, scope), context),
        ["inputs", name] => Source::new(input(name, scope), context),
        ["env", name] => env(name, scope, depth).through(context),
        ["steps", id, "outputs", name, ..] => step_output(id, name, scope, depth).through(context),
        ["needs", job, "outputs", name, ..] => job_output(job, name, scope, depth).through(context),
        ["matrix", key, ..] => matrix(key, scope, depth).through(context),
        _ => Source::new(Taint::Safe, context),
    }
    .normalised()
}

impl Source {
    /// A safe value's relays do not matter; an unknown or attacker one keeps them.
    fn normalised(self) -> Self {
        if self.taint == Taint::Safe {
            Self::safe()
        } else {
            self
        }
    }
}

/// Events whose `github.ref` is fixed by GitHub rather than named by whoever triggers them:
/// `refs/pull/N/merge` for pull requests, the default branch for the rest.
const FIXED_REF_EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_review",
    "pull_request_review_comment",
    "schedule",
    "issues",
    "issue_comment",
    "discussion",
    "discussion_comment",
    "label",
    "milestone",
    "watch",
    "fork",
    "gollum",
    "page_build",
    "project",
    "project_card",
    "project_column",
    "public",
    "status",
    "workflow_run",
    "repository_dispatch",
    "branch_protection_rule",
];

const PULL_REQUEST_EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
];

/// Top-level fields of the `github` context.
fn github_field(field: &str, scope: &Scope<'_>) -> Taint {
    match field {
        // The pull request's branches: the head one is the fork author's, the base one any
        // writer's (a branch named `$(...)` is valid git).
        "head_ref" | "base_ref" if scope.may_run_on(PULL_REQUEST_EVENTS) => Taint::Attacker,
        // The pushed (or dispatched, or released) branch or tag, which the pusher names: a
        // branch called `$(...)` is valid git, but creating it takes write access. A fork's
        // branch never becomes `github.ref` (pull requests run on `refs/pull/N/merge`).
        "ref" | "ref_name" | "workflow_ref" => {
            let fixed = scope.events().is_some_and(|events| {
                events
                    .iter()
                    .all(|e| FIXED_REF_EVENTS.contains(&e.as_str()))
            });
            if fixed { Taint::Safe } else { Taint::Writer }
        }
        // actor, triggering_actor, repository, repository_owner: logins and repository names
        // allow only letters, digits, `-`, `_` and `.`; sha, run ids, event_name, job,
        // workflow (the file's own name), server URLs: fixed.
        _ => Taint::Safe,
    }
}

/// Which events carry a payload root (`github.event.<root>`); roots not listed may come
/// with any event.
fn root_events(root: &str) -> Option<&'static [&'static str]> {
    Some(match root {
        "pull_request" => PULL_REQUEST_EVENTS,
        "issue" => &["issues", "issue_comment"],
        "comment" => &[
            "issue_comment",
            "commit_comment",
            "pull_request_review_comment",
            "discussion_comment",
        ],
        "review" => &["pull_request_review"],
        "discussion" | "answer" => &["discussion", "discussion_comment"],
        "head_commit" | "commits" | "pusher" => &["push"],
        "release" => &["release"],
        "workflow_run" => &["workflow_run"],
        "pages" => &["gollum"],
        "inputs" => &["workflow_dispatch"],
        "client_payload" => &["repository_dispatch"],
        "ref" | "base_ref" => &["push", "create", "delete"],
        _ => return None,
    })
}

/// Leaf fields of payloads that their author writes freely.
const FREE_TEXT: &[&str] = &[
    "title",
    "body",
    "message",
    "page_name",
    "head_ref",
    "head_branch",
    "display_title",
];

/// A field of `github.event` (`parts` after `event`).
fn event_field(parts: &[&str], scope: &Scope<'_>) -> Taint {
    let Some(&root) = parts.first() else {
        return Taint::Safe;
    };
    if let Some(events) = root_events(root)
        && !scope.may_run_on(events)
    {
        // The workflow never runs with this payload: the field is empty.
        return Taint::Safe;
    }
    match root {
        // A repository_dispatch's payload is whatever its sender posts, with a token that can
        // write to the repository (slash-command relays check the commenter's permission).
        "client_payload" => return Taint::Writer,
        // Creating or editing a release takes write access.
        "release" if parts.len() > 1 => {
            let leaf = parts[parts.len() - 1];
            return if matches!(leaf, "tag_name" | "name" | "body" | "target_commitish") {
                Taint::Writer
            } else {
                Taint::Safe
            };
        }
        "inputs" => {
            return parts.get(1).map_or(Taint::Safe, |name| input(name, scope));
        }
        // The pushed, created or deleted ref's name: the pusher's.
        "ref" | "base_ref" if parts.len() == 1 => return Taint::Writer,
        _ => {}
    }
    let Some(&leaf) = parts.last() else {
        return Taint::Safe;
    };
    let parent = parts
        .len()
        .checked_sub(2)
        .and_then(|i| parts.get(i))
        .copied();
    let under = |name: &str| parts.contains(&name);
    let attacker = FREE_TEXT.contains(&leaf)
        || match leaf {
            // Git lets a commit's author and committer write any name and email.
            "name" | "email" => {
                matches!(parent, Some("author" | "committer"))
                    || (leaf == "email" && parent == Some("pusher"))
                    // Label names (anyone who may label, or a fork's own labels).
                    || parent == Some("label")
                    || (parent == Some("*") && under("labels"))
            }
            // A pull request's head (a fork's branch) and base branch names; `label` is
            // `owner:branch`.
            "ref" | "label" => matches!(parent, Some("head" | "base")),
            // Only a fork's default branch is chosen outside the repository.
            "default_branch" => under("head") || under("head_repository"),
            // `changes.title.from`, `changes.body.from` of edited issues and pull requests.
            "from" => parent.is_some_and(|p| FREE_TEXT.contains(&p)),
            _ => false,
        };
    if attacker {
        Taint::Attacker
    } else {
        Taint::Safe
    }
}

/// `inputs.<name>`: a boolean, number, choice or environment input cannot carry code. A
/// string input of a manual run is its dispatcher's, who has write access; one of a reusable
/// workflow or a composite action is whatever its caller passes, which harden does not follow
/// from here (a caller may pass a pull request title).
fn input(name: &str, scope: &Scope<'_>) -> Taint {
    if scope.action.is_some() {
        return Taint::Unknown;
    }
    let Some(workflow) = scope.workflow else {
        return Taint::Unknown;
    };
    match workflow.input_type(name).as_deref() {
        Some("boolean" | "number" | "choice" | "environment") => Taint::Safe,
        Some(_) if workflow.triggered_by("workflow_call") => Taint::Unknown,
        Some(_) => Taint::Writer,
        None => Taint::Unknown,
    }
}

/// The value an `env:` mapping gives `name`: the `env` context ignores case (contexts are
/// normalised to lower case), a shell variable does not.
fn env_value<'v>(env: Option<&'v Value>, name: &str, exact: bool) -> Option<&'v Value> {
    let map = env?.as_mapping()?;
    map.iter()
        .find(|(k, _)| {
            k.as_str().is_some_and(|k| {
                if exact {
                    k == name
                } else {
                    k.eq_ignore_ascii_case(name)
                }
            })
        })
        .map(|(_, v)| v)
}

/// `env.<name>`: the innermost `env:` that sets it (step, job, workflow), else an earlier
/// step's `$GITHUB_ENV` write, else unknown.
fn env(name: &str, scope: &Scope<'_>, depth: usize) -> Source {
    let levels = [
        scope.current().and_then(|s| s.env.as_ref()),
        scope.job.and_then(|j| j.env.as_ref()),
        scope.workflow.and_then(|w| w.env.as_ref()),
    ];
    for env in levels {
        if env.is_some_and(|e| matches!(e, Value::String(_))) {
            // `env: ${{ fromJSON(...) }}`: the names it sets are not known.
            return Source::new(Taint::Unknown, &format!("env.{name}"));
        }
        if let Some(value) = env_value(env, name, false) {
            return match value {
                Value::String(text) => text_at(text, scope, depth + 1),
                _ => Source::safe(),
            };
        }
    }
    // Written to $GITHUB_ENV by an earlier step of the job.
    let steps = scope.steps();
    for index in (0..scope.step.min(steps.len())).rev() {
        let earlier = Scope {
            step: index,
            ..*scope
        };
        if let Some(found) = written(&earlier, name, "GITHUB_ENV", depth + 1) {
            return found;
        }
    }
    Source::new(Taint::Unknown, &format!("env.{name}"))
}

/// `steps.<id>.outputs.<name>`: the `name=...` line the step writes to `$GITHUB_OUTPUT`; an
/// action's outputs are unknown.
fn step_output(id: &str, name: &str, scope: &Scope<'_>, depth: usize) -> Source {
    let steps = scope.steps();
    let Some(index) = steps
        .iter()
        .position(|s| s.id.as_deref().is_some_and(|s| s.eq_ignore_ascii_case(id)))
    else {
        return Source::new(Taint::Unknown, &format!("steps.{id}.outputs.{name}"));
    };
    let at = Scope {
        step: index,
        ..*scope
    };
    written(&at, name, "GITHUB_OUTPUT", depth + 1)
        .unwrap_or_else(|| Source::new(Taint::Unknown, &format!("steps.{id}.outputs.{name}")))
}

/// `needs.<job>.outputs.<name>`: the expression of the job's `outputs:`, evaluated in that
/// job after its last step.
fn job_output(job: &str, name: &str, scope: &Scope<'_>, depth: usize) -> Source {
    let unknown = || Source::new(Taint::Unknown, &format!("needs.{job}.outputs.{name}"));
    let Some(workflow) = scope.workflow else {
        return unknown();
    };
    let Some(producer) = workflow.job(job) else {
        return unknown();
    };
    let value = producer
        .outputs
        .as_ref()
        .and_then(Value::as_mapping)
        .and_then(|m| m.iter().find(|(k, _)| k.as_str() == Some(name)))
        .map(|(_, v)| v);
    match value {
        Some(Value::String(text)) => {
            let at = Scope {
                workflow: Some(workflow),
                action: None,
                job: Some(producer),
                step: producer.steps.len(),
            };
            text_at(text, &at, depth + 1)
        }
        Some(_) => Source::safe(),
        None => unknown(),
    }
}

/// `matrix.<key>`: the values the job's static matrix gives it (its list, its `include:`
/// entries); a matrix computed by an expression is unknown.
fn matrix(key: &str, scope: &Scope<'_>, depth: usize) -> Source {
    let unknown = || Source::new(Taint::Unknown, &format!("matrix.{key}"));
    let Some(strategy) = scope.job.and_then(|j| j.strategy.as_ref()) else {
        return unknown();
    };
    match super::matrix_values(strategy, key) {
        Some(values) => values
            .iter()
            .map(|v| text_at(v, scope, depth + 1))
            .fold(Source::safe(), worst),
        None => unknown(),
    }
}

/// What step `scope.step` writes as `name` into the file named by `$<file>`
/// (`GITHUB_OUTPUT`, `GITHUB_ENV`): `None` when it does not write it (or is not a `run:`
/// step).
fn written(scope: &Scope<'_>, name: &str, file: &str, depth: usize) -> Option<Source> {
    let step = scope.current()?;
    let script = step.run.as_deref()?;
    let legacy = file == "GITHUB_OUTPUT" && script.contains("::set-output");
    if !script.contains(file) && !legacy {
        return None;
    }
    let lines: Vec<&str> = script.lines().collect();
    // Shell variables assigned so far, with their sources.
    let mut shell: Vec<(String, Source)> = Vec::new();
    let mut index = 0;
    while let Some(line) = lines.get(index) {
        let sources = line_sources(line, scope, &shell, depth);
        // Output and `$GITHUB_ENV` names are matched as the contexts read them: ignoring case.
        if let Some(delimiter) = write_of(&line.to_ascii_lowercase(), name, legacy) {
            // `name<<EOF` takes the lines up to the delimiter.
            let mut found = sources;
            if let Some(delimiter) = delimiter {
                for next in lines.iter().skip(index + 1) {
                    if next.to_ascii_lowercase().contains(delimiter.as_str()) {
                        break;
                    }
                    found = worst(found, line_sources(next, scope, &shell, depth));
                }
            }
            return Some(found);
        }
        if let Some(var) = assigned(line) {
            shell.retain(|(n, _)| *n != var);
            shell.push((var, sources));
        }
        index += 1;
    }
    None
}

/// The worst source of a script line: its expressions and the variables it reads.
fn line_sources(line: &str, scope: &Scope<'_>, shell: &[(String, Source)], depth: usize) -> Source {
    let mut found = text_at(line, scope, depth);
    for var in variables(line) {
        let source = match shell.iter().rev().find(|(n, _)| *n == var) {
            Some((_, source)) => source.clone(),
            None => {
                let in_env = [
                    scope.current().and_then(|s| s.env.as_ref()),
                    scope.job.and_then(|j| j.env.as_ref()),
                    scope.workflow.and_then(|w| w.env.as_ref()),
                ]
                .into_iter()
                .find_map(|env| env_value(env, &var, true));
                match in_env {
                    Some(Value::String(text)) => {
                        text_at(text, scope, depth + 1).through(&format!("env.{var}"))
                    }
                    _ => Source::safe(),
                }
            }
        };
        found = worst(found, source);
    }
    found
}

/// The shell variables a line reads (`$NAME`, `${NAME}`, `${NAME:-x}`).
fn variables(line: &str) -> Vec<String> {
    let bytes = line.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = line.get(at..).and_then(|r| r.find('$')) {
        let mut start = at + found + 1;
        if bytes.get(start) == Some(&b'{') {
            start += 1;
        }
        let mut end = start;
        while bytes
            .get(end)
            .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
        {
            end += 1;
        }
        if end > start
            && let Some(name) = line.get(start..end)
            && !name.as_bytes()[0].is_ascii_digit()
        {
            out.push(name.to_string());
        }
        at = end.max(at + found + 1);
    }
    out
}

/// The variable a line assigns: `NAME=...`, `export NAME=...`, `local NAME=...`.
fn assigned(line: &str) -> Option<String> {
    let mut text = line.trim_start();
    for keyword in ["export ", "local ", "declare ", "readonly "] {
        if let Some(rest) = text.strip_prefix(keyword) {
            text = rest.trim_start();
        }
    }
    let end = text.find('=')?;
    let name = text.get(..end)?;
    let valid = !name.is_empty()
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    valid.then(|| name.to_string())
}

/// Whether a line writes output `name` (`echo "name=..."`, `echo 'name<<EOF'`,
/// `::set-output name=name::`): `Some(None)` for a one-line value, `Some(Some(delimiter))`
/// for a multi-line one.
fn write_of(line: &str, name: &str, legacy: bool) -> Option<Option<String>> {
    if legacy && line.contains(&format!("name={name}::")) {
        return Some(None);
    }
    let mut at = 0;
    while let Some(found) = line.get(at..).and_then(|r| r.find(name)) {
        let start = at + found;
        let end = start + name.len();
        at = end;
        let before = line.get(..start).unwrap_or("");
        let boundary = before
            .chars()
            .last()
            .is_none_or(|c| !(c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '$'));
        // A plain assignment at the start of the line sets a shell variable, not an output.
        if !boundary || before.trim().is_empty() || before.trim_end().ends_with("export") {
            continue;
        }
        let rest = line.get(end..).unwrap_or("");
        if rest.starts_with('=') {
            return Some(None);
        }
        if let Some(delimiter) = rest.strip_prefix("<<") {
            let delimiter: String = delimiter
                .trim_start_matches(['\'', '"'])
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
                .collect();
            return Some((!delimiter.is_empty()).then_some(delimiter));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::workflow::{Model, Workflow};
    use crate::formats::yaml::YamlFile;

    fn workflow(text: &str) -> Workflow {
        let file = YamlFile::parse(text).unwrap();
        match Model::Workflow(Workflow::from_yaml(&file.value)) {
            Model::Workflow(w) => w,
            Model::Action(_) => unreachable!(),
        }
    }

    /// The taint of expression `body` in job `job`, step `step`.
    fn taint(w: &Workflow, job: &str, step: usize, body: &str) -> Taint {
        let scope = Scope {
            workflow: Some(w),
            action: None,
            job: w.job(job),
            step,
        };
        expression(body, &scope).taint
    }

    #[test]
    fn github_fields_by_trigger() {
        let push = workflow("on: push\njobs:\n  a:\n    steps:\n      - run: x\n");
        assert_eq!(taint(&push, "a", 0, "github.ref_name"), Taint::Writer);
        assert_eq!(taint(&push, "a", 0, "github.actor"), Taint::Safe);
        assert_eq!(
            taint(&push, "a", 0, "github.event.head_commit.message"),
            Taint::Attacker
        );
        assert_eq!(
            taint(&push, "a", 0, "github.event.pull_request.title"),
            Taint::Safe
        );
        assert_eq!(taint(&push, "a", 0, "github.head_ref"), Taint::Safe);
        let pr = workflow("on: pull_request\njobs:\n  a:\n    steps:\n      - run: x\n");
        assert_eq!(taint(&pr, "a", 0, "github.ref_name"), Taint::Safe);
        assert_eq!(taint(&pr, "a", 0, "github.head_ref"), Taint::Attacker);
        assert_eq!(
            taint(&pr, "a", 0, "github.event.pull_request.head.ref"),
            Taint::Attacker
        );
        assert_eq!(
            taint(&pr, "a", 0, "github.event.pull_request.head.label"),
            Taint::Attacker
        );
        assert_eq!(
            taint(&pr, "a", 0, "github.event.pull_request.body"),
            Taint::Attacker
        );
        assert_eq!(
            taint(&pr, "a", 0, "github.event.pull_request.number"),
            Taint::Safe
        );
        assert_eq!(
            taint(&pr, "a", 0, "github.event.pull_request.user.login"),
            Taint::Safe
        );
        assert_eq!(
            taint(&pr, "a", 0, "github.event.repository.default_branch"),
            Taint::Safe
        );
        assert_eq!(
            taint(
                &pr,
                "a",
                0,
                "github.event.pull_request.head.repo.default_branch"
            ),
            Taint::Attacker
        );
        assert_eq!(taint(&pr, "a", 0, "github.head_ref == 'main'"), Taint::Safe);
        assert_eq!(
            taint(
                &pr,
                "a",
                0,
                "contains(github.event.pull_request.title, 'x')"
            ),
            Taint::Safe
        );
        assert_eq!(
            taint(&pr, "a", 0, "format('{0}', github.head_ref)"),
            Taint::Attacker
        );
        assert_eq!(
            taint(&pr, "a", 0, "github.head_ref || 'main'"),
            Taint::Attacker
        );
    }

    #[test]
    fn typed_inputs() {
        let w = workflow(
            "on:\n  workflow_dispatch:\n    inputs:\n      s: {type: string}\n      b: {type: boolean}\n      c: {type: choice, options: [a]}\n      u: {}\njobs:\n  a:\n    steps:\n      - run: x\n",
        );
        // A manual run's dispatcher has write access.
        assert_eq!(taint(&w, "a", 0, "inputs.s"), Taint::Writer);
        assert_eq!(taint(&w, "a", 0, "github.event.inputs.s"), Taint::Writer);
        assert_eq!(taint(&w, "a", 0, "inputs.u"), Taint::Writer);
        assert_eq!(taint(&w, "a", 0, "inputs.b"), Taint::Safe);
        assert_eq!(taint(&w, "a", 0, "inputs.c"), Taint::Safe);
        assert_eq!(taint(&w, "a", 0, "inputs.missing"), Taint::Unknown);
        // A reusable workflow's input is its caller's, which may relay anything.
        let reusable = workflow(
            "on:\n  workflow_call:\n    inputs:\n      s: {type: string}\njobs:\n  a:\n    steps:\n      - run: x\n",
        );
        assert_eq!(taint(&reusable, "a", 0, "inputs.s"), Taint::Unknown);
    }

    #[test]
    fn values_only_writers_choose() {
        let release = workflow("on: release\njobs:\n  a:\n    steps:\n      - run: x\n");
        for context in [
            "github.event.release.tag_name",
            "github.event.release.name",
            "github.ref_name",
        ] {
            assert_eq!(taint(&release, "a", 0, context), Taint::Writer, "{context}");
        }
        assert_eq!(
            taint(&release, "a", 0, "github.event.release.author.login"),
            Taint::Safe
        );
        let dispatch =
            workflow("on: repository_dispatch\njobs:\n  a:\n    steps:\n      - run: x\n");
        assert_eq!(
            taint(&dispatch, "a", 0, "github.event.client_payload.args"),
            Taint::Writer
        );
    }

    #[test]
    fn relays_are_followed() {
        let w = workflow(
            r#"on: pull_request_target
env:
  TITLE: ${{ github.event.pull_request.title }}
  FIXED: hello
jobs:
  a:
    env:
      REF: ${{ github.head_ref }}
    strategy:
      matrix:
        py: ["3.12"]
        include:
          - py: "3.13"
            extra: ${{ github.head_ref }}
    outputs:
      title: ${{ steps.s.outputs.t }}
      sha: ${{ steps.h.outputs.sha }}
    steps:
      - id: s
        run: echo "t=${{ github.event.pull_request.title }}" >> "$GITHUB_OUTPUT"
      - id: h
        run: |
          SHA=$(git rev-parse HEAD)
          echo "sha=$SHA" >> $GITHUB_OUTPUT
      - id: v
        env:
          BRANCH: ${{ github.head_ref }}
        run: |
          B="$BRANCH"
          echo "b=$B" >> $GITHUB_OUTPUT
          {
            echo 'body<<EOF'
            echo "${{ github.event.pull_request.body }}"
            echo EOF
          } >> "$GITHUB_OUTPUT"
      - run: echo "NAME=${{ github.head_ref }}" >> $GITHUB_ENV
      - uses: docker/metadata-action@v5
        id: meta
      - run: x
  b:
    needs: a
    steps:
      - run: x
"#,
        );
        let last = 6;
        assert_eq!(taint(&w, "a", last, "env.TITLE"), Taint::Attacker);
        assert_eq!(taint(&w, "a", last, "env.REF"), Taint::Attacker);
        assert_eq!(taint(&w, "a", last, "env.FIXED"), Taint::Safe);
        assert_eq!(taint(&w, "a", last, "env.NAME"), Taint::Attacker);
        assert_eq!(taint(&w, "a", last, "env.NOWHERE"), Taint::Unknown);
        assert_eq!(taint(&w, "a", last, "matrix.py"), Taint::Safe);
        assert_eq!(taint(&w, "a", last, "matrix.extra"), Taint::Attacker);
        assert_eq!(taint(&w, "a", last, "steps.s.outputs.t"), Taint::Attacker);
        assert_eq!(taint(&w, "a", last, "steps.h.outputs.sha"), Taint::Safe);
        assert_eq!(taint(&w, "a", last, "steps.v.outputs.b"), Taint::Attacker);
        assert_eq!(
            taint(&w, "a", last, "steps.v.outputs.body"),
            Taint::Attacker
        );
        assert_eq!(
            taint(&w, "a", last, "steps.meta.outputs.tags"),
            Taint::Unknown
        );
        assert_eq!(taint(&w, "b", 0, "needs.a.outputs.title"), Taint::Attacker);
        assert_eq!(taint(&w, "b", 0, "needs.a.outputs.sha"), Taint::Safe);
        let scope = Scope {
            workflow: Some(&w),
            action: None,
            job: w.job("b"),
            step: 0,
        };
        assert_eq!(
            expression("needs.a.outputs.title", &scope).describe(),
            "github.event.pull_request.title (through needs.a.outputs.title, steps.s.outputs.t)"
        );
    }

    #[test]
    fn fan_out_is_bounded() {
        // Every step reads all the variables the steps before it wrote to $GITHUB_ENV: without
        // a budget the verdict on the last one visits every path through them.
        let mut text = String::from("on: push\njobs:\n  a:\n    steps:\n");
        let reads: String = (0..40).map(|i| format!(" ${{{{ env.V{i} }}}}")).collect();
        for i in 0..40 {
            text.push_str(&format!(
                "      - run: echo \"V{i}=x{reads}\" >> $GITHUB_ENV\n"
            ));
        }
        let w = workflow(&text);
        let started = std::time::Instant::now();
        let verdict = taint(&w, "a", 40, "env.V39");
        assert!(started.elapsed() < std::time::Duration::from_secs(5));
        assert_ne!(verdict, Taint::Attacker);
    }

    #[test]
    fn a_cycle_ends() {
        let w = workflow(
            "on: push\njobs:\n  a:\n    needs: a\n    outputs:\n      o: ${{ needs.a.outputs.o }}\n    steps:\n      - run: x\n",
        );
        assert_eq!(taint(&w, "a", 0, "needs.a.outputs.o"), Taint::Unknown);
    }
}
