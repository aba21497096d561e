//! Shared knowledge for the gha-* builtins: the workflow and action files of the project with
//! their models, every `uses:` reference, and `run:` scripts as shell commands with file spans.
//! Not a builtin itself.

pub(crate) mod checkout_persists_credentials;
pub(crate) mod curl_pipe_shell;
pub(crate) mod dangerous_trigger;
pub(crate) mod deprecated_action_version;
pub(crate) mod excessive_permissions;
pub(crate) mod insecure_commands;
pub(crate) mod pip_unpinned;
pub(crate) mod template_injection;
pub(crate) mod template_injection_unknown_origin;
pub(crate) mod template_injection_writer_controlled;
pub(crate) mod unpinned_action;

use std::ops::Range;

use crate::formats::Parsed;
use crate::formats::dockerfile::{Command, shell_commands};
use crate::formats::workflow::{self, ActionRef, Model, ScalarMap, StepAt};
use crate::formats::yaml::{Step, Value, YamlFile};
use crate::project::{FileKind, Project, SourceFile};

/// A workflow or action file that parsed as YAML, with its model.
pub struct GhaFile<'a> {
    pub file: &'a SourceFile,
    pub yaml: &'a YamlFile,
    pub model: Model,
}

impl GhaFile<'_> {
    pub fn path(&self) -> &str {
        &self.file.path
    }

    pub fn source(&self) -> &str {
        self.yaml.source()
    }

    /// The edit turning this file's text into `new` (a whole rewritten document).
    pub fn rewrite(&self, new: &str) -> Vec<crate::fix::Edit> {
        crate::fix::Edit::from_rewrite(self.path(), self.source(), new)
            .into_iter()
            .collect()
    }
}

/// Every workflow (and, with `actions`, every `action.yml`) of the project.
pub fn files(project: &Project, actions: bool) -> Vec<GhaFile<'_>> {
    let kinds: &[FileKind] = if actions {
        &[FileKind::Workflow, FileKind::Action]
    } else {
        &[FileKind::Workflow]
    };
    kinds
        .iter()
        .flat_map(|kind| project.files_of(*kind))
        .filter_map(|file| {
            let Parsed::Yaml(yaml) = file.parsed() else {
                return None;
            };
            let model = workflow::model(file.kind, yaml)?;
            Some(GhaFile { file, yaml, model })
        })
        .collect()
}

/// A `uses:` of a step or of a job calling a reusable workflow.
pub struct Uses<'a> {
    pub text: &'a str,
    pub route: Vec<Step>,
}

impl Uses<'_> {
    pub fn action(&self) -> Option<ActionRef<'_>> {
        ActionRef::parse(self.text)
    }
}

/// Every `uses:` of a file, in file order per job: the job's own, then its steps'.
pub fn uses<'a>(gha: &'a GhaFile<'_>) -> Vec<Uses<'a>> {
    let mut out = Vec::new();
    if let Some(workflow) = gha.model.workflow() {
        for job in &workflow.jobs {
            if let Some(text) = &job.uses {
                out.push(Uses {
                    text,
                    route: vec![
                        Step::Key("jobs".into()),
                        Step::Key(job.id.clone()),
                        Step::Key("uses".into()),
                    ],
                });
            }
        }
    }
    for at in gha.model.steps() {
        if let Some(text) = &at.step.uses {
            out.push(Uses {
                text,
                route: at.key("uses"),
            });
        }
    }
    out.sort_by_key(|u| gha.yaml.value_span(&u.route).map_or(0, |s| s.start));
    out
}

/// Whether a step uses `repository` (`actions/checkout`), any ref.
pub fn uses_action(at: &StepAt<'_>, repository: &str) -> bool {
    at.step.action().is_some_and(
        |a| matches!(a, ActionRef::Repo { name, .. } if name.eq_ignore_ascii_case(repository)),
    )
}

/// Whether a shell (`bash`, `sh -e {0}`, ...) is a POSIX shell; unknown (`None`) is not.
pub fn is_posix_shell(shell: Option<&str>) -> bool {
    shell
        .and_then(|s| s.split_whitespace().next())
        .map(|s| s.rsplit('/').next().unwrap_or(s))
        .is_some_and(|s| matches!(s, "bash" | "sh"))
}

/// A `run:` script with its map into the file.
pub struct Script {
    pub map: ScalarMap,
    /// The shell it runs under, when known.
    pub shell: Option<String>,
}

/// Every `run:` whose text can be mapped back to the file.
pub fn scripts(gha: &GhaFile<'_>) -> Vec<Script> {
    gha.model
        .steps()
        .into_iter()
        .filter_map(|at| {
            let run = at.step.run.as_deref()?;
            let map = workflow::scalar(gha.yaml, &at.key("run"), run)?;
            Some(Script {
                shell: gha.model.shell_of(&at),
                map,
            })
        })
        .collect()
}

/// The simple commands of a script that runs under a POSIX shell (or a shell not known, such
/// as a composite action step without `shell:`), with file spans.
pub fn shell_script_commands(script: &Script) -> Vec<Command> {
    let posix = script.shell.is_none() || is_posix_shell(script.shell.as_deref());
    if !posix {
        return Vec::new();
    }
    script
        .map
        .logical()
        .map(|logical| shell_commands(&logical))
        .unwrap_or_default()
}

/// The names set by an `env:` mapping.
pub fn env_names(env: Option<&Value>) -> Vec<String> {
    env.and_then(Value::as_mapping)
        .map(|m| {
            m.keys()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The text just after a `uses:` value on its line: a `# v4.2.2` comment's version.
pub fn trailing_comment<'s>(source: &'s str, span: &Range<usize>) -> Option<&'s str> {
    let rest = source.get(span.end..)?;
    let line = rest.split('\n').next()?.trim_end_matches('\r');
    let comment = line.trim_start().strip_prefix('#')?;
    Some(comment.trim())
}
