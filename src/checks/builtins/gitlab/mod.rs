//! Shared knowledge for the gitlab-* builtins: the project's GitLab CI pipelines, each built
//! from a root `.gitlab-ci.yml` and the local files it includes (followed here, through the
//! project model, since formats do not read other files), and script lines as shell commands
//! with file spans. Not a builtin itself.

pub(crate) mod artifacts_secrets;
pub(crate) mod curl_pipe_shell;
pub(crate) mod debug_trace;
pub(crate) mod dind_without_tls;
pub(crate) mod image_latest;
pub(crate) mod image_not_digest_pinned;
pub(crate) mod images;
pub(crate) mod include_unpinned;
pub(crate) mod pip_unpinned;
pub(crate) mod secret_in_variables;

use std::collections::BTreeSet;
use std::ops::Range;

use globset::Glob;

use crate::finding::Location;
use crate::formats::Parsed;
use crate::formats::dockerfile::{Command, shell_commands};
use crate::formats::gitlab_ci::{self, At, Include, IncludeKind, Job, Node, Pipeline};
use crate::formats::workflow;
use crate::formats::yaml::YamlFile;
use crate::project::{FileKind, Project, SourceFile};

/// GitLab's own limit on included files per pipeline.
const MAX_INCLUDES: usize = 150;

/// One pipeline: its files in merge order (the root last), their YAML, and the model.
pub struct GitlabPipeline<'a> {
    pub files: Vec<&'a SourceFile>,
    pub yamls: Vec<&'a YamlFile>,
    pub pipeline: Pipeline,
    /// Every `include:` entry of every file, with `at.source` indexing `files`.
    pub includes: Vec<Include>,
}

impl<'a> GitlabPipeline<'a> {
    pub fn path(&self, at: &At) -> &'a str {
        self.files.get(at.source).map_or("", |f| f.path.as_str())
    }

    pub fn span(&self, at: &At) -> Option<Range<usize>> {
        gitlab_ci::span(&self.yamls, at)
    }

    /// Where `at` is, as a finding location (the whole file when the span is unknown).
    pub fn location(&self, at: &At) -> Location {
        match self.span(at) {
            Some(span) => Location::span(self.path(at), span),
            None => Location::file(self.path(at)),
        }
    }

    /// What identifies a place in the files: its span (one anchor reached from two jobs is
    /// one place, though the routes differ), or the route when it has no span.
    fn place(&self, at: &At) -> (usize, String) {
        match self.span(at) {
            Some(span) => (at.source, format!("{span:?}")),
            None => (at.source, format!("{:?}", at.route)),
        }
    }

    /// The shell commands of one script line, with file spans (none when the scalar cannot be
    /// mapped back to the file: folded or escaped strings).
    pub fn commands(&self, line: &Node) -> Vec<Command> {
        let (Some(text), Some(yaml)) = (line.as_str(), self.yamls.get(line.at().source)) else {
            return Vec::new();
        };
        workflow::scalar(yaml, &line.at().route, text)
            .and_then(|map| map.logical())
            .map(|logical| shell_commands(&logical))
            .unwrap_or_default()
    }
}

/// Each job's nodes found by `select`, deduplicated by where they are written: a value that
/// many jobs inherit (from `default:`, a template, an anchor) is reported once.
pub fn unique<'p>(
    pipeline: &'p GitlabPipeline<'_>,
    mut select: impl FnMut(&'p Job) -> Vec<&'p Node>,
) -> Vec<(&'p Job, &'p Node)> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for job in &pipeline.pipeline.jobs {
        for node in select(job) {
            if seen.insert(pipeline.place(node.at())) {
                out.push((job, node));
            }
        }
    }
    out
}

/// Every pipeline of the project: the root `.gitlab-ci.yml`, then each GitLab CI file no
/// pipeline includes (a child pipeline, or one named in the project's CI settings).
pub fn pipelines(project: &Project) -> Vec<GitlabPipeline<'_>> {
    let mut reached: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    let mut roots: Vec<&SourceFile> = project.files_of(FileKind::GitlabCi).collect();
    // The root file first: what it includes is not a pipeline of its own.
    roots.sort_by_key(|f| {
        (
            !matches!(f.path.as_str(), ".gitlab-ci.yml" | ".gitlab-ci.yaml"),
            f.path.clone(),
        )
    });
    for root in roots {
        if reached.contains(&root.path) {
            continue;
        }
        if let Some(pipeline) = build(project, root) {
            reached.extend(pipeline.files.iter().map(|f| f.path.clone()));
            out.push(pipeline);
        }
    }
    out
}

/// Whether the project's CI is GitLab's: a root `.gitlab-ci.yml` and no GitHub workflows.
pub fn is_gitlab_hosted(project: &Project) -> bool {
    (project.file(".gitlab-ci.yml").is_some() || project.file(".gitlab-ci.yaml").is_some())
        && !project.has(FileKind::Workflow)
        && !project.root.join(".github/workflows").is_dir()
}

fn build<'a>(project: &'a Project, root: &'a SourceFile) -> Option<GitlabPipeline<'a>> {
    let Parsed::Yaml(_) = root.parsed() else {
        return None;
    };
    let mut order: Vec<&SourceFile> = Vec::new();
    let mut visiting: Vec<String> = Vec::new();
    gather(project, root, &mut visiting, &mut order);
    let yamls: Vec<&YamlFile> = order
        .iter()
        .filter_map(|f| match f.parsed() {
            Parsed::Yaml(yaml) => Some(yaml),
            _ => None,
        })
        .collect();
    let includes = yamls
        .iter()
        .enumerate()
        .flat_map(|(i, y)| gitlab_ci::includes(y, i))
        .collect();
    let pipeline = Pipeline::build(&yamls);
    Some(GitlabPipeline {
        files: order,
        yamls,
        pipeline,
        includes,
    })
}

/// Depth first: a file's local includes (in order) before the file itself, each file once.
fn gather<'a>(
    project: &'a Project,
    file: &'a SourceFile,
    visiting: &mut Vec<String>,
    order: &mut Vec<&'a SourceFile>,
) {
    if order.len() >= MAX_INCLUDES
        || visiting.contains(&file.path)
        || order.iter().any(|f| f.path == file.path)
    {
        return;
    }
    let Parsed::Yaml(yaml) = file.parsed() else {
        return;
    };
    visiting.push(file.path.clone());
    for include in gitlab_ci::includes(yaml, 0) {
        let IncludeKind::Local(path) = include.kind else {
            continue;
        };
        for target in local_files(project, &path) {
            gather(project, target, visiting, order);
        }
    }
    visiting.pop();
    order.push(file);
}

/// The project files a local include names: one path, or a `*` / `**` glob.
fn local_files<'a>(project: &'a Project, path: &str) -> Vec<&'a SourceFile> {
    if !path.contains('*') {
        return project.file(path).into_iter().collect();
    }
    let Ok(glob) = Glob::new(path) else {
        return Vec::new();
    };
    let matcher = glob.compile_matcher();
    project
        .files
        .iter()
        .filter(|f| matcher.is_match(&f.path))
        .filter(|f| f.path.ends_with(".yml") || f.path.ends_with(".yaml"))
        .collect()
}

/// One `variables:` entry: global, a job's own (or its template's), or a service's.
pub struct Variable<'p> {
    pub name: &'p str,
    pub value: String,
    /// The value's node (the `value:` of the `{value:, description:}` form).
    pub node: &'p Node,
}

/// Every variable written in the pipeline, once per place written: global `variables:`, each
/// job's (own and inherited), and each service's.
pub fn variables<'p>(pipeline: &'p GitlabPipeline<'_>) -> Vec<Variable<'p>> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut push = |name: &'p str, value: String, node: &'p Node| {
        if seen.insert(pipeline.place(node.at())) {
            out.push(Variable { name, value, node });
        }
    };
    for (name, value, node) in pipeline.pipeline.variables() {
        push(name, value, node);
    }
    for job in &pipeline.pipeline.jobs {
        for (name, value, node) in job.variables() {
            push(name, value, node);
        }
        for service in job.get("services").map(Node::items).unwrap_or_default() {
            for (name, value, node) in gitlab_ci::variables_of(service.get("variables")) {
                push(name, value, node);
            }
        }
    }
    out
}
