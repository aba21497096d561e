//! `docker-base-image-eol`: an image on a distribution or version past its end of support, or
//! a pre-release interpreter, wherever the project pulls images: Dockerfile `FROM` (global
//! `ARG` defaults substituted), compose `image:`, workflow `container:`/`services:` images and
//! GitLab CI `image:`/`services:` (literal variables expanded).
//!
//! What is judged in a reference, from the lifecycle tables of the check's parameters:
//! - a Debian codename among the tag's `-`-separated parts (`3.12-slim-buster`), any image;
//! - an `alpineX.Y` part of the tag (`3.9-alpine3.12`), any image;
//! - the leading version of the tag of an official image the tables name (`debian:10`,
//!   `alpine:3.8`, `postgres:9.6`, `mysql:5.7`, `node:14-buster`);
//! - a pre-release of an official `python` image (`3.11.0b1-slim`, `3.14-rc`).
//!
//! The Python version itself is `python-eol-version`'s; Redis publishes no end dates.
//!
//! Fixes stay within the same line of images: a codename to the oldest supported one, an Alpine
//! branch or a distribution image's version to the oldest supported one, a pre-release to its
//! final release once out. A server or runtime major version (`postgres:9.6`) is advice only.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::checks::builtins::docker::pulled_images;
use crate::checks::builtins::gitlab::images::images as gitlab_images;
use crate::checks::builtins::gitlab::pipelines;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::compose::services;
use crate::formats::dockerfile::split_reference;
use crate::formats::yaml::{Step, Value, get};
use crate::project::{FileKind, SourceFile};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-base-image-eol",
    vars: &["image", "source", "what", "target", "advice"],
    params: &["today", "codenames", "images", "python-released"],
    run,
};

/// Versions (as numbers) and their dates, sorted by version.
type Table = Vec<(Vec<u64>, String)>;

/// Official images whose version is a distribution release: moving the tag within them is the
/// same edit as moving a codename. Other images' versions are servers or runtimes whose major
/// version is an upgrade, not an edit.
const DISTRIBUTIONS: &[&str] = &["debian", "alpine"];

/// The check's lifecycle tables and today's date.
struct Lifecycle {
    /// Debian codename -> Debian version.
    codenames: BTreeMap<String, Vec<u64>>,
    /// Official image name -> its versions' end of support.
    images: BTreeMap<String, Table>,
    /// Python `X.Y` -> the date of its `X.Y.0` release.
    python_released: Table,
    today: String,
}

fn parse_version(text: &str) -> Option<Vec<u64>> {
    text.split('.').map(|part| part.parse().ok()).collect()
}

fn version_text(version: &[u64]) -> String {
    version
        .iter()
        .map(u64::to_string)
        .collect::<Vec<_>>()
        .join(".")
}

fn table(value: Option<&serde_json::Value>) -> Table {
    let mut out: Table = value
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
        .filter_map(|(key, date)| Some((parse_version(key)?, date.as_str()?.to_string())))
        .collect();
    out.sort();
    out
}

impl Lifecycle {
    fn from(ctx: &Ctx<'_>) -> Self {
        let codenames = ctx
            .params
            .get("codenames")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .filter_map(|(name, version)| Some((name.clone(), parse_version(version.as_str()?)?)))
            .collect();
        let images = ctx
            .params
            .get("images")
            .and_then(serde_json::Value::as_object)
            .into_iter()
            .flatten()
            .map(|(name, versions)| (name.clone(), table(Some(versions))))
            .collect();
        let today = ctx
            .param_str("today")
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .unwrap_or_else(crate::advisories::today);
        Self {
            codenames,
            images,
            python_released: table(ctx.params.get("python-released")),
            today,
        }
    }

    /// The entry of `image`'s table that `version` names: the longest key the version starts
    /// with, else (a tag shorter than the keys, `postgres:9`) the newest key starting with it.
    fn entry(&self, image: &str, version: &[u64]) -> Option<&(Vec<u64>, String)> {
        let table = self.images.get(image)?;
        table
            .iter()
            .filter(|(key, _)| version.starts_with(key))
            .max_by_key(|(key, _)| key.len())
            .or_else(|| {
                table
                    .iter()
                    .filter(|(key, _)| key.starts_with(version))
                    .max_by(|a, b| a.0.cmp(&b.0))
            })
    }

    /// The end date of `image` `version` when it has passed.
    fn ended(&self, image: &str, version: &[u64]) -> Option<(String, String)> {
        let (key, date) = self.entry(image, version)?;
        (*date <= self.today).then(|| (version_text(key), date.clone()))
    }

    /// The oldest version of `image` still supported.
    fn oldest_supported(&self, image: &str) -> Option<Vec<u64>> {
        self.images
            .get(image)?
            .iter()
            .find(|(_, date)| *date > self.today)
            .map(|(key, _)| key.clone())
    }

    /// The codename of a Debian version.
    fn codename(&self, version: &[u64]) -> Option<&str> {
        self.codenames
            .iter()
            .find(|(_, v)| v.as_slice() == version)
            .map(|(name, _)| name.as_str())
    }
}

/// One image reference the project pulls.
struct Reference<'a> {
    file: &'a SourceFile,
    /// After substitution of variables.
    resolved: String,
    /// Where it is written (the finding's location).
    span: Option<Range<usize>>,
    /// Dockerfile: the reference as written, when it reads global `ARG`s.
    written_with_args: Option<String>,
    source: &'static str,
}

/// One judgement on a reference.
struct Judged {
    what: String,
    advice: String,
    /// The replacement within the resolved reference (offset, old text, new text), when the
    /// edit stays within the image's line.
    edit: Option<(usize, String, String)>,
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let lifecycle = Lifecycle::from(ctx);
    let mut hits = Vec::new();
    for reference in references(ctx) {
        let Ok(text) = reference.file.text() else {
            continue;
        };
        for judged in judge(&lifecycle, &reference.resolved) {
            let location = match &reference.span {
                Some(span) => Location::span(&reference.file.path, span.clone()),
                None => Location::file(&reference.file.path),
            };
            let mut hit = Hit::at(location)
                .var("image", reference.resolved.as_str())
                .var("source", reference.source)
                .var("what", judged.what)
                .var("advice", judged.advice);
            match judged.edit.as_ref().and_then(|(at, old, new)| {
                let span = edit_span(&reference, &text.content, *at, old)?;
                let mut target = reference.resolved.clone();
                target.replace_range(*at..*at + old.len(), new);
                Some((span, new.clone(), target))
            }) {
                Some((span, new, target)) => {
                    hit = hit.var("target", target).edits(vec![Edit::replace(
                        &reference.file.path,
                        span,
                        new,
                    )]);
                }
                None => hit = hit.var("target", ""),
            }
            hits.push(hit);
        }
    }
    hits
}

/// Every image reference of the project's Dockerfiles, compose files, workflows and GitLab CI
/// pipelines that can be judged (no unresolved variable).
fn references<'a>(ctx: &Ctx<'a>) -> Vec<Reference<'a>> {
    let project = ctx.project;
    let mut out = Vec::new();
    for (file, image) in pulled_images(project) {
        out.push(Reference {
            file,
            resolved: image.resolved.clone(),
            span: Some(image.written.span.clone()),
            written_with_args: image.uses_args.then(|| image.written.value.clone()),
            source: "a Dockerfile's base image",
        });
    }
    for file in project.files_of(FileKind::Compose) {
        let Parsed::Yaml(yaml) = file.parsed() else {
            continue;
        };
        for service in services(yaml) {
            let Some(image) = service.image.as_deref().filter(|i| !i.contains('$')) else {
                continue;
            };
            out.push(Reference {
                file,
                resolved: image.trim().to_string(),
                span: yaml.value_span(&service.key_steps("image")),
                written_with_args: None,
                source: "a compose service's image",
            });
        }
    }
    for file in project.files_of(FileKind::Workflow) {
        let Parsed::Yaml(yaml) = file.parsed() else {
            continue;
        };
        let Some(jobs) = get(&yaml.value, "jobs").and_then(Value::as_mapping) else {
            continue;
        };
        for (job_name, job) in jobs {
            let Some(job_name) = job_name.as_str() else {
                continue;
            };
            let route = |keys: &[&str]| {
                let mut steps = vec![Step::Key("jobs".into()), Step::Key(job_name.into())];
                steps.extend(keys.iter().map(|k| Step::Key((*k).into())));
                steps
            };
            let mut found: Vec<(&str, Vec<Step>, &'static str)> = Vec::new();
            match get(job, "container") {
                Some(Value::String(image)) => {
                    found.push((
                        image.as_str(),
                        route(&["container"]),
                        "a workflow job's container",
                    ));
                }
                Some(container) => {
                    if let Some(image) = get(container, "image").and_then(Value::as_str) {
                        found.push((
                            image,
                            route(&["container", "image"]),
                            "a workflow job's container",
                        ));
                    }
                }
                None => {}
            }
            if let Some(services) = get(job, "services").and_then(Value::as_mapping) {
                for (name, service) in services {
                    let (Some(name), Some(image)) =
                        (name.as_str(), get(service, "image").and_then(Value::as_str))
                    else {
                        continue;
                    };
                    found.push((
                        image,
                        route(&["services", name, "image"]),
                        "a workflow job's service",
                    ));
                }
            }
            for (image, steps, source) in found {
                // `${{ matrix.image }}` and the like are known only when the job runs.
                if image.contains("${{") || image.trim().is_empty() {
                    continue;
                }
                out.push(Reference {
                    file,
                    resolved: image.trim().to_string(),
                    span: yaml.value_span(&steps),
                    written_with_args: None,
                    source,
                });
            }
        }
    }
    for pipeline in pipelines(project) {
        for image in gitlab_images(&pipeline) {
            let at = image.node.at();
            let Some(file) = pipeline.files.get(at.source).copied() else {
                continue;
            };
            out.push(Reference {
                file,
                resolved: image.resolved.clone(),
                span: pipeline.span(at),
                written_with_args: None,
                source: "a GitLab CI job's image",
            });
        }
    }
    out
}

/// The name of an official image (`postgres`, `library/postgres`, `docker.io/postgres`), or
/// `None` for another registry or owner.
fn official(name: &str) -> Option<&str> {
    let name = ["docker.io/", "index.docker.io/", "registry-1.docker.io/"]
        .iter()
        .find_map(|registry| name.strip_prefix(registry))
        .unwrap_or(name);
    let name = name.strip_prefix("library/").unwrap_or(name);
    (!name.contains('/')).then_some(name)
}

/// The version a text starts with (`14.17.0-buster` -> [14, 17, 0] and its length), ending at
/// the text's end or a `-`.
fn leading_version(text: &str) -> Option<(Vec<u64>, usize)> {
    let len = text.find('-').unwrap_or(text.len());
    let head = &text[..len];
    if head.is_empty() || !head.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some((parse_version(head)?, len))
}

/// `3.11.0b1`, `3.13.0rc2`, `3.12a7` at the start of a tag: major, minor, the length.
static PRE_RELEASE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^(\d+)\.(\d+)(?:\.\d+)?(?:a|b|rc)\d+").ok());

/// The first `FROM` instruction of a Dockerfile.
static FIRST_FROM: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?im)^[ \t]*FROM[ \t]").ok());

/// Every judgement on one reference.
fn judge(lifecycle: &Lifecycle, reference: &str) -> Vec<Judged> {
    let (name, tag, digest) = split_reference(reference);
    let Some(tag) = tag else {
        return Vec::new();
    };
    // Offset of the tag in the reference.
    let tag_at = name.len() + 1;
    let official = official(name);
    let pinned = digest.is_some();
    let mut out = Vec::new();

    // The official image's own version (`postgres:9.6`, `node:14-buster`, `debian:10`).
    let mut version_ended = false;
    if let Some(image) = official
        && let Some((version, len)) = leading_version(tag)
        && let Some((key, date)) = lifecycle.ended(image, &version)
    {
        version_ended = true;
        let label = label(image);
        let oldest = lifecycle.oldest_supported(image);
        let edit = match &oldest {
            Some(oldest) if DISTRIBUTIONS.contains(&image) && !pinned => {
                Some((tag_at, tag[..len].to_string(), version_text(oldest)))
            }
            _ => None,
        };
        let advice = match (&oldest, &edit) {
            (Some(_), Some((_, _, new))) => {
                format!("use {label} {new}, the oldest release still supported")
            }
            (Some(oldest), None) if DISTRIBUTIONS.contains(&image) => format!(
                "use {label} {} (pinned by digest: update the tag, then the digest)",
                version_text(oldest)
            ),
            (Some(oldest), None) => format!(
                "upgrade to a supported {label} ({image}:{} is the oldest): a major \
                 version is an upgrade to plan and test{}, not a tag edit",
                version_text(oldest),
                if matches!(image, "postgres" | "mysql") {
                    " (the data directory needs a dump and restore or an in-place upgrade)"
                } else {
                    ""
                }
            ),
            (None, _) => format!("move to a supported {label} version"),
        };
        out.push(Judged {
            what: format!(
                "runs {label} {key}, whose support ended on {date}: it gets no more security fixes"
            ),
            advice,
            edit,
        });
    }

    // Parts of the tag: a Debian codename, an `alpineX.Y`, `rc`.
    let mut offset = 0;
    for part in tag.split('-') {
        let part_at = tag_at + offset;
        offset += part.len() + 1;
        if let Some(debian) = lifecycle.codenames.get(part)
            && let Some((key, date)) = lifecycle.ended("debian", debian)
        {
            let target = lifecycle
                .oldest_supported("debian")
                .and_then(|v| lifecycle.codename(&v).map(str::to_string));
            let edit = target
                .clone()
                .filter(|_| !pinned && !version_ended)
                .map(|target| (part_at, part.to_string(), target));
            out.push(Judged {
                what: format!(
                    "is built on Debian {key} \"{part}\", whose security support (Debian LTS) \
                     ended on {date}: its packages get no more security fixes"
                ),
                advice: variant_advice(target.as_deref(), pinned, version_ended),
                edit,
            });
        } else if let Some(version) = part.strip_prefix("alpine").and_then(parse_version)
            && let Some((key, date)) = lifecycle.ended("alpine", &version)
        {
            let target = lifecycle
                .oldest_supported("alpine")
                .map(|v| format!("alpine{}", version_text(&v)));
            let edit = target
                .clone()
                .filter(|_| !pinned && !version_ended)
                .map(|target| (part_at, part.to_string(), target));
            out.push(Judged {
                what: format!(
                    "is built on Alpine {key}, whose support ended on {date}: its packages get \
                     no more security fixes"
                ),
                advice: variant_advice(target.as_deref(), pinned, version_ended),
                edit,
            });
        }
    }

    // A pre-release interpreter.
    let python = official == Some("python") || name.ends_with("/python");
    if python && let Some(judged) = pre_release(lifecycle, tag, tag_at, pinned) {
        out.push(judged);
    }
    out
}

/// The advice for an ended distribution variant (`-buster`, `-alpine3.12`).
fn variant_advice(target: Option<&str>, pinned: bool, version_ended: bool) -> String {
    match target {
        None => "move to a variant on a supported release".to_string(),
        Some(target) if version_ended => format!(
            "move the image's own version to a supported one first (an ended version has no \
             `{target}` variant), then use `{target}`"
        ),
        Some(target) if pinned => {
            format!(
                "use the `{target}` variant (pinned by digest: update the tag, then the digest)"
            )
        }
        Some(target) => format!(
            "use the `{target}` variant, the oldest release still supported, and rebuild and test"
        ),
    }
}

/// `python:3.11.0b1-slim` or `python:3.14-rc-slim`.
fn pre_release(lifecycle: &Lifecycle, tag: &str, tag_at: usize, pinned: bool) -> Option<Judged> {
    let (series, written, edit_at, old, new) =
        if let Some(found) = PRE_RELEASE.as_ref().and_then(|re| re.captures(tag)) {
            let whole = found.get(0)?.as_str();
            let series = format!("{}.{}", found.get(1)?.as_str(), found.get(2)?.as_str());
            (
                series.clone(),
                whole.to_string(),
                tag_at,
                whole.to_string(),
                series,
            )
        } else {
            let (version, len) = leading_version(tag)?;
            let rest = &tag[len..];
            if !(rest == "-rc" || rest.starts_with("-rc-")) || version.len() != 2 {
                return None;
            }
            (
                version_text(&version),
                tag[..len + 3].to_string(),
                tag_at + len,
                "-rc".to_string(),
                String::new(),
            )
        };
    let released = lifecycle
        .python_released
        .iter()
        .find(|(v, date)| version_text(v) == series && *date <= lifecycle.today)
        .map(|(_, date)| date.clone());
    let what = format!(
        "runs a pre-release of Python {series} ({written}): alphas, betas and release \
         candidates get no security fixes{}",
        released.as_ref().map_or(String::new(), |date| format!(
            ", and Python {series}.0 was released on {date}"
        ))
    );
    let advice = match (&released, pinned) {
        (Some(_), false) => format!("use the final release of Python {series}"),
        (Some(_), true) => format!(
            "use the final release of Python {series} (pinned by digest: update the tag, then \
             the digest)"
        ),
        (None, _) => "use a released Python for anything that ships".to_string(),
    };
    Some(Judged {
        what,
        advice,
        edit: released.filter(|_| !pinned).map(|_| (edit_at, old, new)),
    })
}

/// How an image's software is named in a message.
fn label(image: &str) -> &str {
    match image {
        "debian" => "Debian",
        "alpine" => "Alpine",
        "postgres" => "PostgreSQL",
        "mysql" => "MySQL",
        "node" => "Node.js",
        other => other,
    }
}

/// Where the text `old`, at offset `at` of the resolved reference, is written in the file:
/// within the reference when it is written literally, else in the default of the global `ARG`
/// the Dockerfile's reference reads (`ARG DEBIAN=buster`, `FROM python:3.12-${DEBIAN}`).
fn edit_span(
    reference: &Reference<'_>,
    content: &str,
    at: usize,
    old: &str,
) -> Option<Range<usize>> {
    let span = reference.span.clone()?;
    let raw = content.get(span.clone())?;
    if reference.written_with_args.is_none()
        && let Some(start) = raw.find(reference.resolved.as_str())
    {
        let from = span.start + start + at;
        return (content.get(from..from + old.len()) == Some(old))
            .then_some(from..from + old.len());
    }
    let written = reference.written_with_args.as_deref()?;
    // The ARGs the reference reads whose default holds the text, exactly one place. Global
    // ARGs only: before the first FROM.
    let first_from = FIRST_FROM
        .as_ref()
        .and_then(|re| re.find(content))
        .map_or(content.len(), |m| m.start());
    let mut places = Vec::new();
    for name in arg_names(written) {
        let Ok(re) = Regex::new(&format!(
            r#"(?m)^[ \t]*ARG[ \t]+{}[ \t]*=[ \t]*["']?([^\s"']*)"#,
            regex::escape(&name)
        )) else {
            continue;
        };
        for found in re.captures_iter(&content[..first_from]) {
            let Some(value) = found.get(1) else { continue };
            let mut search = 0;
            while let Some(i) = value.as_str()[search..].find(old) {
                let start = value.start() + search + i;
                if token_bounded(content, start, old.len()) {
                    places.push(start..start + old.len());
                }
                search += i + old.len().max(1);
            }
        }
    }
    (places.len() == 1).then(|| places.remove(0))
}

/// Whether `content[start..start + len]` is a whole part of a tag (not inside a longer word).
fn token_bounded(content: &str, start: usize, len: usize) -> bool {
    let before = content[..start].chars().next_back();
    let after = content[start + len..].chars().next();
    let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
    boundary(before) && boundary(after)
}

/// The variables a reference reads: `$NAME` and `${NAME}` (`${NAME:-x}` too).
fn arg_names(written: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = written;
    while let Some(i) = rest.find('$') {
        rest = &rest[i + 1..];
        let body = rest.strip_prefix('{').unwrap_or(rest);
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if !name.is_empty() {
            out.push(name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lifecycle(today: &str) -> Lifecycle {
        let date_table = |entries: &[(&str, &str)]| -> Table {
            let mut t: Table = entries
                .iter()
                .map(|(k, d)| (parse_version(k).unwrap(), d.to_string()))
                .collect();
            t.sort();
            t
        };
        Lifecycle {
            codenames: [("buster", "10"), ("bullseye", "11"), ("bookworm", "12")]
                .iter()
                .map(|(c, v)| (c.to_string(), parse_version(v).unwrap()))
                .collect(),
            images: [
                (
                    "debian",
                    date_table(&[
                        ("10", "2024-06-30"),
                        ("11", "2026-08-31"),
                        ("12", "2028-06-30"),
                    ]),
                ),
                (
                    "alpine",
                    date_table(&[("3.8", "2020-05-01"), ("3.22", "2027-05-01")]),
                ),
                (
                    "postgres",
                    date_table(&[
                        ("9.5", "2021-02-11"),
                        ("9.6", "2021-11-11"),
                        ("14", "2026-11-12"),
                        ("15", "2027-11-11"),
                    ]),
                ),
                (
                    "node",
                    date_table(&[("14", "2023-04-30"), ("22", "2027-04-30")]),
                ),
            ]
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect(),
            python_released: date_table(&[("3.11", "2022-10-24")]),
            today: today.into(),
        }
    }

    fn edits(reference: &str) -> Vec<(String, Option<String>)> {
        judge(&lifecycle("2026-12-01"), reference)
            .into_iter()
            .map(|j| {
                let target = j.edit.map(|(at, old, new)| {
                    let mut t = reference.to_string();
                    t.replace_range(at..at + old.len(), &new);
                    t
                });
                (
                    j.what.split(',').next().unwrap_or_default().to_string(),
                    target,
                )
            })
            .collect()
    }

    #[test]
    fn codenames_and_alpine_branches_move_to_the_oldest_supported() {
        let found = edits("python:3.12-slim-buster");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.as_deref(), Some("python:3.12-slim-bookworm"));
        assert_eq!(
            edits("python:3.12-bullseye")[0].1.as_deref(),
            Some("python:3.12-bookworm")
        );
        assert_eq!(
            edits("python:3.7-alpine3.8")[0].1.as_deref(),
            Some("python:3.7-alpine3.22")
        );
        assert_eq!(
            edits("debian:buster-slim")[0].1.as_deref(),
            Some("debian:bookworm-slim")
        );
        assert_eq!(
            edits("debian:10-slim")[0].1.as_deref(),
            Some("debian:12-slim")
        );
        assert_eq!(edits("alpine:3.8")[0].1.as_deref(), Some("alpine:3.22"));
        assert!(edits("python:3.12-bookworm").is_empty());
        assert!(edits("python:3.12-slim").is_empty());
        // Not a codename part of the tag.
        assert!(edits("busterco/app:1.0").is_empty());
        assert!(edits("app:busterish").is_empty());
    }

    #[test]
    fn server_versions_are_advice_only() {
        let found = edits("postgres:9.6-alpine");
        assert_eq!(found.len(), 1);
        assert!(found[0].0.contains("PostgreSQL 9.6"), "{found:?}");
        assert_eq!(found[0].1, None);
        // The newest 9.x.
        assert!(edits("postgres:9")[0].0.contains("PostgreSQL 9.6"));
        assert!(
            edits("docker.io/library/postgres:14.2")[0]
                .0
                .contains("PostgreSQL 14")
        );
        assert!(edits("postgres:15").is_empty());
        // Another owner's image is not the official one.
        assert!(edits("bitnami/postgres:9.6").is_empty());
        // An ended version has no variant on the supported release: nothing is edited.
        let node = edits("node:14-buster");
        assert_eq!(node.len(), 2);
        assert!(node.iter().all(|(_, edit)| edit.is_none()));
    }

    #[test]
    fn pre_releases() {
        let found = edits("python:3.11.0b1-slim");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.as_deref(), Some("python:3.11-slim"));
        assert_eq!(
            edits("python:3.11-rc-slim")[0].1.as_deref(),
            Some("python:3.11-slim")
        );
        assert_eq!(edits("python:3.11-rc")[0].1.as_deref(), Some("python:3.11"));
        // Not released as far as the table knows: advice only.
        assert_eq!(edits("python:3.99.0a1")[0].1, None);
        // Pinned by digest: advice only.
        assert_eq!(edits("python:3.11.0rc1@sha256:00")[0].1, None);
        assert!(edits("python:3.11.4-slim").is_empty());
        assert!(edits("python:3.11-slim").is_empty());
    }

    #[test]
    fn the_dates_decide() {
        let before = judge(&lifecycle("2026-08-30"), "python:3.12-bullseye");
        assert!(before.is_empty());
        let after = judge(&lifecycle("2026-08-31"), "python:3.12-bullseye");
        assert_eq!(after.len(), 1);
        assert!(after[0].what.contains("2026-08-31"));
    }

    #[test]
    fn arg_names_of_a_reference() {
        assert_eq!(
            arg_names("python:${PY}-${DEBIAN:-buster}"),
            ["PY", "DEBIAN"]
        );
        assert_eq!(arg_names("$BASE"), ["BASE"]);
    }
}
