//! The build contexts Docker images are built from, as the project's own build commands name
//! them: a compose service's `build: context:` (and `dockerfile:`), a workflow's
//! docker/build-push-action `context:` (and `file:`), and `docker build [-f FILE] CONTEXT` in a
//! workflow step. Docker reads `.dockerignore` at the context root only, which is not always
//! the Dockerfile's directory (`docker build -f docker/Dockerfile .`).

use std::collections::BTreeMap;

use super::{FileKind, Project};
use crate::formats::Parsed;
use crate::formats::workflow;
use crate::formats::yaml::{self, Value};

/// Where a Dockerfile is built from, and the file that says so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildContext {
    /// The context directory, relative to the project root (`""` for the root).
    pub dir: String,
    /// `path:line`-free pointer to the build command's file.
    pub evidence: String,
}

/// Every Dockerfile of the project that some build names, with its contexts.
pub fn read(project: &Project) -> BTreeMap<String, Vec<BuildContext>> {
    let mut out: BTreeMap<String, Vec<BuildContext>> = BTreeMap::new();
    let mut add = |context: Option<String>, dockerfile: Option<String>, evidence: &str| {
        let Some(context) = context else { return };
        let Some(dockerfile) = dockerfile else { return };
        if project
            .file(&dockerfile)
            .is_none_or(|f| f.kind != FileKind::Dockerfile)
        {
            return;
        }
        let entry = out.entry(dockerfile).or_default();
        if !entry.iter().any(|c| c.dir == context) {
            entry.push(BuildContext {
                dir: context,
                evidence: evidence.to_string(),
            });
        }
    };
    for file in &project.files {
        match file.kind {
            FileKind::Compose => {
                let Parsed::Yaml(doc) = file.parsed() else {
                    continue;
                };
                let Some(services) = yaml::get(&doc.value, "services").and_then(|s| s.as_mapping())
                else {
                    continue;
                };
                for service in services.values() {
                    // A `build:` shared through a YAML merge key (`<<: *common`) counts.
                    let mut merged = service.clone();
                    if merged.apply_merge().is_err() {
                        merged = service.clone();
                    }
                    let Some(build) = yaml::get(&merged, "build") else {
                        continue;
                    };
                    let (context, dockerfile) = match build.as_str() {
                        Some(context) => (context, None),
                        None => (
                            yaml::get(build, "context")
                                .and_then(Value::as_str)
                                .unwrap_or("."),
                            yaml::get(build, "dockerfile").and_then(Value::as_str),
                        ),
                    };
                    // NOTE: a remote context (a Git URL) sends nothing from this tree.
                    if context.contains("://") || context.starts_with("git@") {
                        continue;
                    }
                    let context = join(file.dir(), context);
                    let dockerfile = context
                        .as_deref()
                        .and_then(|c| join(c, dockerfile.unwrap_or("Dockerfile")));
                    add(context, dockerfile, &file.path);
                }
            }
            FileKind::Workflow => {
                let Parsed::Yaml(doc) = file.parsed() else {
                    continue;
                };
                let Some(model) = workflow::model(file.kind, doc) else {
                    continue;
                };
                let Some(workflow) = model.workflow() else {
                    continue;
                };
                for step in workflow.jobs.iter().flat_map(|j| &j.steps) {
                    if step
                        .uses
                        .as_deref()
                        .is_some_and(|u| u.starts_with("docker/build-push-action"))
                    {
                        // The action's default context is the repository itself.
                        let context = step.input("context").unwrap_or_else(|| ".".into());
                        if context.contains("${{") || context.contains("://") {
                            continue;
                        }
                        let context = join("", &context);
                        let dockerfile = match step.input("file") {
                            Some(f) if !f.contains("${{") => join("", &f),
                            Some(_) => None,
                            None => context.as_deref().and_then(|c| join(c, "Dockerfile")),
                        };
                        add(context, dockerfile, &file.path);
                    }
                    if let Some(run) = step.run.as_deref() {
                        for (context, dockerfile) in docker_builds(run) {
                            add(context, dockerfile, &file.path);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Options of `docker build` / `docker buildx build` that take a separate value.
const VALUE_OPTIONS: &[&str] = &[
    "-t",
    "--tag",
    "--build-arg",
    "--build-context",
    "--target",
    "--platform",
    "--label",
    "--cache-from",
    "--cache-to",
    "--secret",
    "--ssh",
    "--progress",
    "--network",
    "-o",
    "--output",
    "--iidfile",
    "--metadata-file",
    "--add-host",
    "--shm-size",
    "--ulimit",
    "--builder",
    "--annotation",
    "--attest",
    "--sbom",
    "--provenance",
    "--memory",
    "-m",
    "--cgroup-parent",
    "--isolation",
];

/// The `(context, dockerfile)` of each `docker build` / `docker buildx build` in a shell
/// script; `None` for a part that is a variable or a remote context.
fn docker_builds(script: &str) -> Vec<(Option<String>, Option<String>)> {
    let mut out = Vec::new();
    for line in script.split(['\n', ';', '&', '|']) {
        let words: Vec<String> = shlex::split(line)
            .unwrap_or_else(|| line.split_whitespace().map(String::from).collect());
        let Some(docker) = words.iter().position(|w| w == "docker") else {
            continue;
        };
        let mut i = docker + 1;
        if words.get(i).map(String::as_str) == Some("buildx") {
            i += 1;
        }
        if words.get(i).map(String::as_str) != Some("build") {
            continue;
        }
        let mut file: Option<String> = None;
        let mut context: Option<String> = None;
        let mut args = words[i + 1..].iter();
        while let Some(word) = args.next() {
            if word == "-f" || word == "--file" {
                file = args.next().cloned();
            } else if let Some(value) = word.strip_prefix("--file=") {
                file = Some(value.to_string());
            } else if VALUE_OPTIONS.contains(&word.as_str()) {
                args.next();
            } else if word.starts_with('-') {
                continue;
            } else if word != "\\" {
                context = Some(word.clone());
            }
        }
        let Some(context) = context else { continue };
        if context.contains('$') || context.contains("://") || context == "-" {
            continue;
        }
        let context_dir = join("", &context);
        let dockerfile = match file {
            Some(f) if f.contains('$') => None,
            // NOTE: `-f` is relative to the working directory, as the context is.
            Some(f) => join("", &f),
            None => context_dir.as_deref().and_then(|c| join(c, "Dockerfile")),
        };
        out.push((context_dir, dockerfile));
    }
    out
}

/// `base` joined with a relative `path`, `.` and `..` resolved; `None` above the root.
fn join(base: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|p| !p.is_empty()).collect()
    };
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            part => parts.push(part),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contexts(files: &[(&str, &str)]) -> Vec<(String, String)> {
        read(&Project::from_texts(files))
            .into_iter()
            .flat_map(|(dockerfile, cs)| cs.into_iter().map(move |c| (dockerfile.clone(), c.dir)))
            .collect()
    }

    #[test]
    fn compose_build_contexts() {
        let got = contexts(&[
            ("docker/web/Dockerfile", "FROM python:3.12\n"),
            ("Dockerfile", "FROM python:3.12\n"),
            (
                "docker-compose.yml",
                "services:\n  web:\n    build:\n      context: .\n      dockerfile: docker/web/Dockerfile\n  app:\n    build: .\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                ("Dockerfile".to_string(), String::new()),
                ("docker/web/Dockerfile".to_string(), String::new()),
            ]
        );
    }

    #[test]
    fn workflow_build_contexts() {
        let got = contexts(&[
            ("deploy/Dockerfile", "FROM python:3.12\n"),
            ("svc/Dockerfile", "FROM python:3.12\n"),
            (
                ".github/workflows/release.yml",
                "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          file: deploy/Dockerfile\n      - run: docker build -t app:latest --build-arg X=1 svc\n",
            ),
        ]);
        assert_eq!(
            got,
            [
                ("deploy/Dockerfile".to_string(), String::new()),
                ("svc/Dockerfile".to_string(), "svc".to_string()),
            ]
        );
    }

    #[test]
    fn docker_build_commands() {
        assert_eq!(
            docker_builds("docker build -f x/Dockerfile ctx"),
            [(Some("ctx".into()), Some("x/Dockerfile".into()))]
        );
        assert_eq!(
            docker_builds("docker buildx build --push --platform linux/amd64 -t a:b ."),
            [(Some(String::new()), Some("Dockerfile".into()))]
        );
        assert_eq!(
            docker_builds("docker build -t app \"$CONTEXT\""),
            Vec::<(Option<String>, Option<String>)>::new()
        );
        assert!(docker_builds("docker run --rm app").is_empty());
    }
}
