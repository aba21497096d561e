//! GitLab CI (`.gitlab-ci.yml` and the files it includes): the pipeline as GitLab runs it,
//! built from the YAML values the yaml parser already made. `include:` entries are recorded
//! (the caller follows local ones and hands their files in; project, remote, template and
//! component includes are never fetched), YAML merge keys (`<<: *anchor`), `!reference` tags,
//! `extends:`, `default:` (and the old top-level `image:`/`services:`/`before_script:`...),
//! global `variables:` and `inherit:` are resolved. Every resolved value remembers the file
//! and route it was written at, so findings point at the text that caused them, also when the
//! value came through an anchor, a `!reference`, a template job or an included file.
//!
//! Resolution is bounded: `extends` chains stop at GitLab's own limit of 11 levels,
//! `!reference` nesting at 10, and cycles are cut, so no input makes this loop.

pub mod rules;

use std::ops::Range;

use super::yaml::{Step, Value, YamlFile};

/// Where a value was written: the source (index into the files handed to [`Pipeline::build`])
/// and the route to it inside that file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    pub source: usize,
    pub route: Vec<Step>,
}

impl At {
    fn child(&self, step: Step) -> Self {
        let mut route = self.route.clone();
        route.push(step);
        Self {
            source: self.source,
            route,
        }
    }
}

/// A value of the resolved pipeline, each part with where it was written.
#[derive(Debug, Clone)]
pub enum Node {
    /// A string, number, boolean or null.
    Scalar(Value, At),
    Seq(Vec<Node>, At),
    Map(Vec<(String, Node)>, At),
    /// A `!reference [job, key, ...]` not (or not yet) resolved.
    Reference(Vec<String>, At),
}

impl Node {
    pub fn at(&self) -> &At {
        match self {
            Self::Scalar(_, at) | Self::Seq(_, at) | Self::Map(_, at) | Self::Reference(_, at) => {
                at
            }
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Self::Map(entries, _) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Self::Map(entries, _) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Node] {
        match self {
            Self::Seq(items, _) => items,
            _ => &[],
        }
    }

    /// A string scalar's text.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::Scalar(Value::String(s), _) => Some(s),
            _ => None,
        }
    }

    /// A scalar as GitLab reads it in `variables:` (numbers and booleans as written).
    pub fn scalar_text(&self) -> Option<String> {
        match self {
            Self::Scalar(Value::String(s), _) => Some(s.clone()),
            Self::Scalar(Value::Bool(b), _) => Some(b.to_string()),
            Self::Scalar(Value::Number(n), _) => Some(n.to_string()),
            _ => None,
        }
    }

    /// Every string of a script-like value (`script: "x"`, a list, nested lists from
    /// `!reference`), flattened in order, each with its node.
    pub fn strings(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        self.collect_strings(&mut out, 0);
        out
    }

    fn collect_strings<'a>(&'a self, out: &mut Vec<&'a Node>, depth: usize) {
        match self {
            Self::Scalar(Value::String(_), _) => out.push(self),
            // GitLab flattens nested script arrays up to 10 levels.
            Self::Seq(items, _) if depth < 10 => {
                for item in items {
                    item.collect_strings(out, depth + 1);
                }
            }
            _ => {}
        }
    }

    fn from_value(value: &Value, at: At, depth: usize) -> Self {
        if depth > 64 {
            return Self::Scalar(Value::Null, at);
        }
        match value {
            Value::Sequence(items) => Self::Seq(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| Self::from_value(v, at.child(Step::Index(i)), depth + 1))
                    .collect(),
                at,
            ),
            Value::Mapping(map) => {
                let mut entries: Vec<(String, Node)> = Vec::new();
                for (k, v) in map {
                    let Some(key) = key_text(k) else { continue };
                    if key == "<<" {
                        continue;
                    }
                    entries.push((
                        key.clone(),
                        Self::from_value(v, at.child(Step::Key(key)), depth + 1),
                    ));
                }
                // YAML merge keys: the mapping's own keys win, then each merged mapping in
                // order. Routes go through `<<`, which yamlpath follows to the anchor.
                if let Some(merge) = map.get("<<") {
                    let merge_at = at.child(Step::Key("<<".into()));
                    let sources: Vec<(&Value, At)> = match merge {
                        Value::Mapping(_) => vec![(merge, merge_at)],
                        Value::Sequence(items) => items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| (v, merge_at.child(Step::Index(i))))
                            .collect(),
                        _ => Vec::new(),
                    };
                    for (source, source_at) in sources {
                        if let Self::Map(merged, _) = Self::from_value(source, source_at, depth + 1)
                        {
                            for (k, v) in merged {
                                if !entries.iter().any(|(e, _)| *e == k) {
                                    entries.push((k, v));
                                }
                            }
                        }
                    }
                }
                Self::Map(entries, at)
            }
            Value::Tagged(tagged) if tagged.tag == "reference" => {
                let path = tagged
                    .value
                    .as_sequence()
                    .map(|items| items.iter().filter_map(key_text).collect())
                    .unwrap_or_default();
                Self::Reference(path, at)
            }
            Value::Tagged(tagged) => Self::from_value(&tagged.value, at, depth + 1),
            other => Self::Scalar(other.clone(), at),
        }
    }
}

fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Deep merge as GitLab does for `extends:` and includes: mappings merge key by key, anything
/// else is replaced by `over`.
fn deep_merge(base: &Node, over: &Node) -> Node {
    match (base, over) {
        (Node::Map(base_entries, _), Node::Map(over_entries, at)) => {
            let mut entries = base_entries.clone();
            for (key, value) in over_entries {
                match entries.iter_mut().find(|(k, _)| k == key) {
                    Some((_, existing)) => *existing = deep_merge(existing, value),
                    None => entries.push((key.clone(), value.clone())),
                }
            }
            Node::Map(entries, at.clone())
        }
        _ => over.clone(),
    }
}

/// An `include:` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncludeKind {
    /// A file of this project (`include: /ci/x.yml`, `local:`), without its leading `/`.
    Local(String),
    /// `project: group/proj` with its `ref:` (none: the default branch) and `file:`s.
    Project {
        project: String,
        git_ref: Option<String>,
        files: Vec<String>,
    },
    /// `remote: https://...`, with or without an `integrity:` hash.
    Remote { url: String, integrity: bool },
    /// `template: Security/SAST.gitlab-ci.yml`: one of GitLab's own templates.
    Template(String),
    /// `component: gitlab.com/group/proj/name@version`.
    Component(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub kind: IncludeKind,
    /// Where the entry is (the include's source file and route).
    pub at: At,
    /// Route to the value that carries the version (`ref:`, the URL, the component) when the
    /// entry has one.
    pub pin_route: Option<Vec<Step>>,
}

/// The `include:` entries of one file (`source` is its index), in order.
pub fn includes(yaml: &YamlFile, source: usize) -> Vec<Include> {
    let Some(include) = yaml.value.get("include") else {
        return Vec::new();
    };
    let root = At {
        source,
        route: vec![Step::Key("include".into())],
    };
    let entries: Vec<(&Value, At)> = match include {
        Value::Sequence(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (v, root.child(Step::Index(i))))
            .collect(),
        other => vec![(other, root)],
    };
    let mut out = Vec::new();
    for (value, at) in entries {
        let string = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_string);
        let (kind, pin_route) = match value {
            Value::String(s) if s.starts_with("http://") || s.starts_with("https://") => (
                IncludeKind::Remote {
                    url: s.clone(),
                    integrity: false,
                },
                Some(at.route.clone()),
            ),
            Value::String(s) => (IncludeKind::Local(local_path(s)), None),
            Value::Mapping(_) => {
                if let Some(local) = string("local") {
                    (IncludeKind::Local(local_path(&local)), None)
                } else if let Some(project) = string("project") {
                    let files = match value.get("file") {
                        Some(Value::String(f)) => vec![f.clone()],
                        Some(Value::Sequence(items)) => items
                            .iter()
                            .filter_map(|f| f.as_str().map(str::to_string))
                            .collect(),
                        _ => Vec::new(),
                    };
                    let git_ref = value.get("ref").and_then(key_text);
                    let pin = if git_ref.is_some() { "ref" } else { "project" };
                    (
                        IncludeKind::Project {
                            project,
                            git_ref,
                            files,
                        },
                        Some(at.child(Step::Key(pin.into())).route),
                    )
                } else if let Some(url) = string("remote") {
                    (
                        IncludeKind::Remote {
                            url,
                            integrity: value.get("integrity").is_some(),
                        },
                        Some(at.child(Step::Key("remote".into())).route),
                    )
                } else if let Some(template) = string("template") {
                    (IncludeKind::Template(template), None)
                } else if let Some(component) = string("component") {
                    (
                        IncludeKind::Component(component),
                        Some(at.child(Step::Key("component".into())).route),
                    )
                } else {
                    continue;
                }
            }
            _ => continue,
        };
        out.push(Include {
            kind,
            at,
            pin_route,
        });
    }
    out
}

fn local_path(path: &str) -> String {
    path.trim().trim_start_matches('/').to_string()
}

/// Whether a git ref is a full commit SHA (40 hex digits, or 64 for SHA-256 repositories).
pub fn is_commit_sha(git_ref: &str) -> bool {
    matches!(git_ref.len(), 40 | 64) && git_ref.chars().all(|c| c.is_ascii_hexdigit())
}

/// Top-level keys that are not jobs.
const RESERVED: &[&str] = &[
    "after_script",
    "before_script",
    "cache",
    "default",
    "image",
    "include",
    "pages:deploy",
    "services",
    "spec",
    "stages",
    "types",
    "variables",
    "workflow",
];

/// Keys a job takes from `default:` when it does not set them.
const DEFAULT_KEYS: &[&str] = &[
    "after_script",
    "artifacts",
    "before_script",
    "cache",
    "hooks",
    "id_tokens",
    "image",
    "interruptible",
    "retry",
    "services",
    "tags",
    "timeout",
];

/// Keys that may still be written at the top level instead of under `default:` (deprecated).
const GLOBAL_DEFAULTS: &[&str] = &[
    "after_script",
    "before_script",
    "cache",
    "image",
    "services",
];

/// A job after `extends:`, `default:`, `!reference` and global variables are resolved.
#[derive(Debug, Clone)]
pub struct Job {
    pub name: String,
    /// The resolved job mapping.
    pub node: Node,
    /// Where the job's own key is written.
    pub at: At,
}

impl Job {
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.node.get(key)
    }

    /// The job's variables (global ones it inherits, then its own): name, value, node.
    pub fn variables(&self) -> Vec<(&str, String, &Node)> {
        variables_of(self.get("variables"))
    }

    /// The value of one of the job's variables, when literal.
    pub fn variable(&self, name: &str) -> Option<String> {
        self.variables()
            .into_iter()
            .find(|(n, _, _)| *n == name)
            .map(|(_, v, _)| v)
    }

    /// Every line of `before_script`, `script` and `after_script`, with its node.
    pub fn script_lines(&self) -> Vec<&Node> {
        ["before_script", "script", "after_script"]
            .iter()
            .filter_map(|k| self.get(k))
            .flat_map(Node::strings)
            .collect()
    }

    /// The images the job pulls: `image:` (string or `name:`) and each of `services:`, each
    /// with the node of the reference.
    pub fn images(&self) -> Vec<&Node> {
        let mut out = Vec::new();
        if let Some(image) = self.get("image") {
            out.extend(image_name(image));
        }
        for service in self.get("services").map(Node::items).unwrap_or_default() {
            out.extend(image_name(service));
        }
        out
    }
}

fn image_name(node: &Node) -> Option<&Node> {
    match node {
        Node::Scalar(Value::String(_), _) => Some(node),
        Node::Map(..) => node.get("name").filter(|n| n.as_str().is_some()),
        _ => None,
    }
}

/// `variables:` entries: `NAME: value` or `NAME: {value: ..., description: ...}`.
pub fn variables_of(node: Option<&Node>) -> Vec<(&str, String, &Node)> {
    let Some(node) = node else {
        return Vec::new();
    };
    node.entries()
        .iter()
        .filter_map(|(name, value)| {
            let value_node = match value {
                Node::Map(..) => value.get("value")?,
                other => other,
            };
            Some((name.as_str(), value_node.scalar_text()?, value_node))
        })
        .collect()
}

/// `$NAME` and `${NAME}` in `text` replaced by `lookup`'s value; `None` when one has none.
pub fn expand(text: &str, lookup: impl Fn(&str) -> Option<String>) -> Option<String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (name, len) = if let Some(braced) = after.strip_prefix('{') {
            let end = braced.find('}')?;
            (&braced[..end], end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        if name.is_empty() {
            out.push('$');
            rest = after;
            continue;
        }
        out.push_str(&lookup(name)?);
        rest = &after[len..];
    }
    out.push_str(rest);
    Some(out)
}

/// The resolved pipeline of a `.gitlab-ci.yml` and the local files it includes.
#[derive(Debug, Clone)]
pub struct Pipeline {
    /// Runnable jobs (not hidden `.name` templates), in the order they are first written.
    pub jobs: Vec<Job>,
    /// The merged top-level mapping (after `!reference`s are resolved).
    pub root: Node,
    /// Problems met while resolving (unknown `extends`, cycles), with where they are.
    pub problems: Vec<(String, At)>,
}

impl Pipeline {
    /// Resolve the pipeline from its files, in GitLab's merge order: included files first (in
    /// include order), the file that includes them last, so its keys win.
    pub fn build(sources: &[&YamlFile]) -> Self {
        let mut root = Node::Map(
            Vec::new(),
            At {
                source: 0,
                route: Vec::new(),
            },
        );
        for (index, yaml) in sources.iter().enumerate() {
            let node = Node::from_value(
                &yaml.value,
                At {
                    source: index,
                    route: Vec::new(),
                },
                0,
            );
            if let Node::Map(..) = node {
                root = deep_merge(&root, &node);
            }
        }
        let mut problems = Vec::new();
        let mut budget = BUDGET;
        let snapshot = root.clone();
        let root = resolve_references(&root, &snapshot, 0, &mut budget, &mut problems);

        let mut jobs = Vec::new();
        for (name, node) in root.entries() {
            if name.starts_with('.') || RESERVED.contains(&name.as_str()) {
                continue;
            }
            let Node::Map(..) = node else { continue };
            let mut stack = vec![name.clone()];
            let extended = extend(&root, node, &mut stack, &mut budget, &mut problems);
            let resolved = apply_defaults(&root, extended);
            jobs.push(Job {
                name: name.clone(),
                at: node.at().clone(),
                node: resolved,
            });
        }
        Self {
            jobs,
            root,
            problems,
        }
    }

    /// The top-level `workflow:` mapping.
    pub fn workflow(&self) -> Option<&Node> {
        self.root.get("workflow")
    }

    /// Global `variables:`.
    pub fn variables(&self) -> Vec<(&str, String, &Node)> {
        variables_of(self.root.get("variables"))
    }
}

/// How many `!reference` and `extends` resolutions one pipeline may take: far above any real
/// pipeline, and what stops a file whose references fan out from growing without bound.
const BUDGET: usize = 20_000;

/// `!reference [name, key, ...]` replaced by what it points at, recursively (up to 10 deep).
fn resolve_references(
    node: &Node,
    root: &Node,
    depth: usize,
    budget: &mut usize,
    problems: &mut Vec<(String, At)>,
) -> Node {
    match node {
        Node::Reference(path, at) => {
            if *budget == 0 {
                return Node::Scalar(Value::Null, at.clone());
            }
            *budget -= 1;
            let target = path.iter().try_fold(root, |n, key| n.get(key));
            match target {
                Some(target) if depth < 10 => {
                    resolve_references(target, root, depth + 1, budget, problems)
                }
                Some(_) => {
                    problems.push(("`!reference` nested more than 10 deep".into(), at.clone()));
                    Node::Scalar(Value::Null, at.clone())
                }
                None => {
                    problems.push((
                        format!("`!reference [{}]` points at nothing", path.join(", ")),
                        at.clone(),
                    ));
                    Node::Scalar(Value::Null, at.clone())
                }
            }
        }
        Node::Seq(items, at) => Node::Seq(
            items
                .iter()
                .map(|i| resolve_references(i, root, depth, budget, problems))
                .collect(),
            at.clone(),
        ),
        Node::Map(entries, at) => Node::Map(
            entries
                .iter()
                .map(|(k, v)| {
                    (
                        k.clone(),
                        resolve_references(v, root, depth, budget, problems),
                    )
                })
                .collect(),
            at.clone(),
        ),
        Node::Scalar(..) => node.clone(),
    }
}

/// GitLab's limit on `extends` nesting.
const MAX_EXTENDS_DEPTH: usize = 11;

/// A job with its `extends:` parents merged under it (parents in order, the job last).
fn extend(
    root: &Node,
    job: &Node,
    stack: &mut Vec<String>,
    budget: &mut usize,
    problems: &mut Vec<(String, At)>,
) -> Node {
    let parents: Vec<&Node> = match job.get("extends") {
        Some(n @ Node::Scalar(..)) => vec![n],
        Some(Node::Seq(items, _)) => items.iter().collect(),
        _ => Vec::new(),
    };
    let mut merged: Option<Node> = None;
    for parent in parents {
        let Some(name) = parent.as_str() else {
            continue;
        };
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        if stack.iter().any(|s| s == name) || stack.len() > MAX_EXTENDS_DEPTH {
            problems.push((
                format!("`extends: {name}` loops or nests too deep"),
                parent.at().clone(),
            ));
            continue;
        }
        let Some(parent_node @ Node::Map(..)) = root.get(name) else {
            problems.push((
                format!("`extends: {name}` names no job or template"),
                parent.at().clone(),
            ));
            continue;
        };
        stack.push(name.to_string());
        let resolved = extend(root, parent_node, stack, budget, problems);
        stack.pop();
        merged = Some(match merged {
            Some(base) => deep_merge(&base, &resolved),
            None => resolved,
        });
    }
    let own = match job {
        Node::Map(entries, at) => Node::Map(
            entries
                .iter()
                .filter(|(k, _)| k != "extends")
                .cloned()
                .collect(),
            at.clone(),
        ),
        other => other.clone(),
    };
    match merged {
        Some(base) => deep_merge(&base, &own),
        None => own,
    }
}

/// Whether `inherit:` lets the job take `key` of the `default` or `variables` section.
fn inherits(job: &Node, section: &str, key: &str) -> bool {
    match job.get("inherit").and_then(|i| i.get(section)) {
        Some(Node::Scalar(Value::Bool(b), _)) => *b,
        Some(list @ Node::Seq(..)) => list.items().iter().any(|i| i.as_str() == Some(key)),
        _ => true,
    }
}

/// The job with what it takes from `default:`, the old top-level defaults and the global
/// `variables:`.
fn apply_defaults(root: &Node, job: Node) -> Node {
    let Node::Map(mut entries, at) = job else {
        return job;
    };
    let job_view = Node::Map(entries.clone(), at.clone());
    let default = root.get("default");
    for key in DEFAULT_KEYS {
        if entries.iter().any(|(k, _)| k == key) || !inherits(&job_view, "default", key) {
            continue;
        }
        let value = default.and_then(|d| d.get(key)).or_else(|| {
            GLOBAL_DEFAULTS
                .contains(key)
                .then(|| root.get(key))
                .flatten()
        });
        if let Some(value) = value {
            entries.push((key.to_string(), value.clone()));
        }
    }
    if let Some(Node::Map(globals, globals_at)) = root.get("variables") {
        let inherited: Vec<(String, Node)> = globals
            .iter()
            .filter(|(name, _)| inherits(&job_view, "variables", name))
            .cloned()
            .collect();
        if !inherited.is_empty() {
            let base = Node::Map(inherited, globals_at.clone());
            match entries.iter_mut().find(|(k, _)| k == "variables") {
                Some((_, own)) => *own = deep_merge(&base, own),
                None => entries.push(("variables".into(), base)),
            }
        }
    }
    Node::Map(entries, at)
}

/// The byte span of `at` in its file.
pub fn span(sources: &[&YamlFile], at: &At) -> Option<Range<usize>> {
    sources.get(at.source)?.value_span(&at.route)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pipeline(text: &str) -> (YamlFile, Pipeline) {
        let yaml = YamlFile::parse(text).unwrap();
        let pipeline = Pipeline::build(&[&yaml]);
        (yaml, pipeline)
    }

    fn job<'a>(pipeline: &'a Pipeline, name: &str) -> &'a Job {
        pipeline.jobs.iter().find(|j| j.name == name).unwrap()
    }

    #[test]
    fn jobs_hidden_templates_and_reserved_keys() {
        let (_, p) = pipeline(
            "stages: [test]\nvariables:\n  A: '1'\n.tpl:\n  script: [x]\ntest:\n  script: [pytest]\ndefault:\n  image: python:3.12\n",
        );
        let names: Vec<&str> = p.jobs.iter().map(|j| j.name.as_str()).collect();
        assert_eq!(names, ["test"]);
        let test = job(&p, "test");
        assert_eq!(test.get("image").unwrap().as_str(), Some("python:3.12"));
        assert_eq!(test.variable("A").as_deref(), Some("1"));
    }

    #[test]
    fn extends_merges_deep_and_points_at_the_template() {
        let text = ".base:\n  image: python:latest\n  variables:\n    A: a\n    B: b\ntest:\n  extends: .base\n  variables:\n    B: own\n  script: [pytest]\n";
        let (yaml, p) = pipeline(text);
        let test = job(&p, "test");
        let image = test.get("image").unwrap();
        assert_eq!(&text[span(&[&yaml], image.at()).unwrap()], "python:latest");
        assert_eq!(test.variable("A").as_deref(), Some("a"));
        assert_eq!(test.variable("B").as_deref(), Some("own"));
    }

    #[test]
    fn anchors_merge_keys_and_references() {
        let text = ".defaults: &defaults\n  image: python:3.8\n.setup:\n  script:\n    - pip install bandit\ntest:\n  <<: *defaults\n  script:\n    - !reference [.setup, script]\n    - bandit -r .\n";
        let (yaml, p) = pipeline(text);
        let test = job(&p, "test");
        let image = test.get("image").unwrap();
        assert_eq!(&text[span(&[&yaml], image.at()).unwrap()], "python:3.8");
        let lines: Vec<&str> = test
            .script_lines()
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        assert_eq!(lines, ["pip install bandit", "bandit -r ."]);
        let first = test.script_lines()[0];
        assert_eq!(
            &text[span(&[&yaml], first.at()).unwrap()],
            "pip install bandit"
        );
    }

    #[test]
    fn inherit_false_skips_defaults() {
        let (_, p) = pipeline(
            "default:\n  image: alpine\nvariables:\n  X: '1'\na:\n  inherit:\n    default: false\n    variables: false\n  script: [x]\n",
        );
        let a = job(&p, "a");
        assert!(a.get("image").is_none());
        assert!(a.variables().is_empty());
    }

    #[test]
    fn includes_are_recorded() {
        let yaml = YamlFile::parse(
            "include:\n  - local: /ci/a.yml\n  - project: g/p\n    ref: main\n    file: /x.yml\n  - remote: https://e.com/x.yml\n  - template: Security/SAST.gitlab-ci.yml\n  - ci/b.yml\n",
        )
        .unwrap();
        let kinds: Vec<IncludeKind> = includes(&yaml, 0).into_iter().map(|i| i.kind).collect();
        assert_eq!(
            kinds,
            [
                IncludeKind::Local("ci/a.yml".into()),
                IncludeKind::Project {
                    project: "g/p".into(),
                    git_ref: Some("main".into()),
                    files: vec!["/x.yml".into()]
                },
                IncludeKind::Remote {
                    url: "https://e.com/x.yml".into(),
                    integrity: false
                },
                IncludeKind::Template("Security/SAST.gitlab-ci.yml".into()),
                IncludeKind::Local("ci/b.yml".into()),
            ]
        );
        let single = YamlFile::parse("include: '/ci/a.yml'\n").unwrap();
        assert_eq!(
            includes(&single, 0)[0].kind,
            IncludeKind::Local("ci/a.yml".into())
        );
    }

    #[test]
    fn included_files_merge_under_the_main_file() {
        let main = YamlFile::parse("test:\n  image: python:3.12\n").unwrap();
        let inc = YamlFile::parse("test:\n  image: python:3.8\n  script: [x]\n").unwrap();
        let p = Pipeline::build(&[&inc, &main]);
        let test = job(&p, "test");
        assert_eq!(test.get("image").unwrap().as_str(), Some("python:3.12"));
        assert_eq!(test.get("script").unwrap().at().source, 0);
    }

    #[test]
    fn cycles_and_bad_shapes_end() {
        for text in [
            "a:\n  extends: b\n  script: [x]\nb:\n  extends: a\n",
            "a:\n  extends: [a, a]\n",
            "a:\n  script: !reference [a, script]\n",
            "a: 3\nb: [1]\ninclude: 5\n",
            "[]\n",
            "a:\n  extends: nothing\n",
        ] {
            let yaml = YamlFile::parse(text).unwrap();
            let _ = Pipeline::build(&[&yaml]);
            let _ = includes(&yaml, 0);
        }
    }

    #[test]
    fn expands_variables() {
        let lookup = |n: &str| (n == "V").then(|| "3.8".to_string());
        assert_eq!(expand("python:$V", lookup).as_deref(), Some("python:3.8"));
        assert_eq!(
            expand("python:${V}-slim", lookup).as_deref(),
            Some("python:3.8-slim")
        );
        assert_eq!(expand("python:$W", lookup), None);
        assert!(is_commit_sha(&"a".repeat(40)));
        assert!(!is_commit_sha("v1.2.3"));
    }
}
