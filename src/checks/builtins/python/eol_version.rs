//! `python-eol-version`: a Python version past its end of life (the `eol` table: version ->
//! date, from the CPython developer guide), wherever the project picks its Python:
//! - Dockerfile `FROM python:3.8-slim` (and `*/python` images), also through a global
//!   `ARG PYTHON_VERSION=3.8` used in the tag;
//! - `actions/setup-python`'s `python-version` in workflows: a scalar, a multi-line list, or the
//!   `strategy.matrix` values it refers to;
//! - GitLab CI: a job's `image:` or service `python:3.8` (with `default:`, `extends:`, anchors
//!   and local includes resolved), a variable its image tag uses (`python:${PY}-slim`), and
//!   `PYTHON_VERSION` variables;
//! - `.python-version` and `runtime.txt` (`python-3.8.10`);
//! - `[requires] python_version` (or `python_full_version`) of a Pipfile;
//! - `requires-python` in pyproject.toml, only when it admits no supported version at all
//!   (`>=3.7,<3.9`): a lower bound that still admits old versions is how libraries support
//!   their users, not a runtime choice, and the runtime is judged in the files above.
//!
//! "Today" is the `today` parameter when set (YYYY-MM-DD), else `HARDEN_TODAY`, else the
//! system clock (UTC). The fix replaces the version with the oldest minor version still
//! supported: the smallest step, so the one most likely to keep the project working.

use std::ops::Range;
use std::sync::LazyLock;

use pep508_rs::pep440_rs::{Version, VersionSpecifiers};
use regex::Regex;

use crate::checks::builtins::calendar::Calendar;
use crate::checks::builtins::docker::pulled_images;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::yaml::{Step, Value, YamlFile, get};
use crate::project::{FileKind, Project, SourceFile};

pub const BUILTIN: Builtin = Builtin {
    name: "python-eol-version",
    vars: &["version", "eol", "target", "source"],
    params: &["eol", "today"],
    run,
};

/// A version token: `3.8`, `3.8.10`, not inside a longer number or name.
static VERSION: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?:^|[^\w.<>=~^!*-])(\d+)\.(\d+)(?:\.\d+)?\b").ok());

/// One version found in a file.
struct Found {
    path: String,
    /// The version token's span (what the fix replaces).
    span: Range<usize>,
    major: u64,
    minor: u64,
    written: String,
    source: &'static str,
    /// Whether the token may be replaced (no digest, no duplicate in a matrix...).
    fixable: bool,
    /// Quote the replacement (a plain YAML scalar `3.10` would read as the number 3.1).
    quote: bool,
}

impl Found {
    /// The version token at `span` of the file at `path` (whose text is `content`): fixable,
    /// unquoted, its source still to be said.
    fn at(path: &str, content: &str, span: Range<usize>, major: u64, minor: u64) -> Self {
        Self {
            path: path.to_string(),
            written: content.get(span.clone()).unwrap_or_default().to_string(),
            span,
            major,
            minor,
            source: "",
            fixable: true,
            quote: false,
        }
    }
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let Some(calendar) = Calendar::from(ctx) else {
        return Vec::new();
    };
    let target = calendar.oldest_supported(None);
    let mut found = Vec::new();
    dockerfiles(ctx.project, &mut found);
    workflows(ctx.project, &mut found, target.as_deref());
    gitlab_ci(ctx.project, &mut found);
    version_files(ctx.project, &mut found);
    pipfiles(ctx.project, &mut found);

    let mut hits = Vec::new();
    for f in found {
        let Some(eol) = calendar.ended(f.major, f.minor) else {
            continue;
        };
        let mut hit = Hit::at(Location::span(&f.path, f.span.clone()))
            .var("version", f.written.as_str())
            .var("eol", eol)
            .var("target", target.clone().unwrap_or_default())
            .var("source", f.source);
        if let (true, Some(target)) = (f.fixable, &target) {
            let with = if f.quote {
                format!("\"{target}\"")
            } else {
                target.clone()
            };
            hit = hit.edits(vec![Edit::replace(&f.path, f.span.clone(), with)]);
        }
        hits.push(hit);
    }
    hits.extend(requires_python(ctx.project, &calendar));
    hits
}

/// Version tokens in `text` (offsets relative to it).
fn tokens(text: &str) -> Vec<(Range<usize>, u64, u64)> {
    let Some(re) = VERSION.as_ref() else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter_map(|c| {
            let major = c.get(1)?;
            let minor = c.get(2)?;
            let whole = c.get(0)?;
            let end = whole.end();
            Some((
                major.start()..end,
                major.as_str().parse().ok()?,
                minor.as_str().parse().ok()?,
            ))
        })
        .collect()
}

fn python_image(name: &str) -> bool {
    name == "python" || name.ends_with("/python")
}

fn dockerfiles(project: &Project, out: &mut Vec<Found>) {
    for (file, image) in pulled_images(project) {
        if !python_image(&image.name) {
            continue;
        }
        let Some(tag) = image.tag.as_deref() else {
            continue;
        };
        let Ok(text) = file.text() else { continue };
        let content = &text.content;
        if image.uses_args {
            arg_default(file, content, &image.written.value, out);
            continue;
        }
        let span = image.written.span.clone();
        let Some(written) = content.get(span.clone()) else {
            continue;
        };
        let before_digest = written.split('@').next().unwrap_or(written);
        let Some(colon) = before_digest.rfind(':') else {
            continue;
        };
        let tag_start = span.start + colon + 1;
        if let Some((range, major, minor)) = tokens(tag).into_iter().find(|(r, _, _)| r.start == 0)
        {
            let range = tag_start + range.start..tag_start + range.end;
            out.push(Found {
                path: file.path.clone(),
                written: content.get(range.clone()).unwrap_or_default().to_string(),
                span: range,
                major,
                minor,
                source: "the Dockerfile's base image",
                fixable: image.digest.is_none(),
                quote: false,
            });
        }
    }
}

/// `FROM python:${PY}-slim` with a global `ARG PY=3.8`: the version is the ARG's default.
fn arg_default(file: &SourceFile, content: &str, written: &str, out: &mut Vec<Found>) {
    let Some((_, tag)) = written.rsplit_once(':') else {
        return;
    };
    let name: String = tag
        .trim_start_matches('$')
        .trim_start_matches('{')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    if name.is_empty() || !tag.starts_with('$') {
        return;
    }
    let Ok(re) = Regex::new(&format!(
        r#"(?im)^[ \t]*ARG[ \t]+{}[ \t]*=[ \t]*["']?(\d+)\.(\d+)(?:\.\d+)?"#,
        regex::escape(&name)
    )) else {
        return;
    };
    let Some(c) = re.captures(content) else {
        return;
    };
    let (Some(major), Some(minor), Some(whole)) = (c.get(1), c.get(2), c.get(0)) else {
        return;
    };
    let range = major.start()..whole.end();
    let (Ok(ma), Ok(mi)) = (major.as_str().parse(), minor.as_str().parse()) else {
        return;
    };
    out.push(Found {
        path: file.path.clone(),
        written: content.get(range.clone()).unwrap_or_default().to_string(),
        span: range,
        major: ma,
        minor: mi,
        source: "the Dockerfile's base image (through an ARG)",
        fixable: true,
        quote: false,
    });
}

fn workflows(project: &Project, out: &mut Vec<Found>, target: Option<&str>) {
    for file in project.files_of(FileKind::Workflow) {
        let (Ok(text), Parsed::Yaml(yaml)) = (file.text(), file.parsed()) else {
            continue;
        };
        let Some(jobs) = get(&yaml.value, "jobs").and_then(Value::as_mapping) else {
            continue;
        };
        for (job_name, job) in jobs {
            let Some(job_name) = job_name.as_str() else {
                continue;
            };
            let steps = get(job, "steps").and_then(Value::as_sequence);
            for (index, step) in steps.into_iter().flatten().enumerate() {
                let uses = get(step, "uses")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if !uses
                    .to_ascii_lowercase()
                    .starts_with("actions/setup-python@")
                {
                    continue;
                }
                let route = [
                    Step::Key("jobs".into()),
                    Step::Key(job_name.into()),
                    Step::Key("steps".into()),
                    Step::Index(index),
                    Step::Key("with".into()),
                    Step::Key("python-version".into()),
                ];
                let Some(span) = yaml.value_span(&route) else {
                    continue;
                };
                let Some(raw) = text.content.get(span.clone()) else {
                    continue;
                };
                if let Some(key) = matrix_key(raw) {
                    matrix_values(file, yaml, &text.content, job_name, &key, target, out);
                    continue;
                }
                push_tokens(file, &text.content, span, "actions/setup-python", true, out);
            }
        }
    }
}

/// Python versions of GitLab CI jobs: `python:X.Y` images, the variables an image tag reads,
/// and `PYTHON_VERSION` variables. Each place written is reported once.
fn gitlab_ci(project: &Project, out: &mut Vec<Found>) {
    use crate::formats::dockerfile::split_reference;
    let mut found: Vec<Found> = Vec::new();
    for pipeline in crate::checks::builtins::gitlab::pipelines(project) {
        for (job, node) in crate::checks::builtins::gitlab::unique(&pipeline, |job| job.images()) {
            let (Some(reference), Some(span), Some(file)) = (
                node.as_str(),
                pipeline.span(node.at()),
                pipeline.files.get(node.at().source),
            ) else {
                continue;
            };
            let Ok(text) = file.text() else { continue };
            let (name, tag, digest) = split_reference(reference.trim());
            let Some(tag) = tag.filter(|_| python_image(name)) else {
                continue;
            };
            if let Some(variable) = tag_variable(tag) {
                if let Some((_, _, value)) =
                    job.variables().into_iter().find(|(n, _, _)| *n == variable)
                    && let Some(value_file) = pipeline.files.get(value.at().source)
                    && let Some(value_span) = pipeline.span(value.at())
                    && let Ok(value_text) = value_file.text()
                {
                    push_tokens(
                        value_file,
                        &value_text.content,
                        value_span,
                        "a GitLab CI variable a job's image uses",
                        true,
                        &mut found,
                    );
                }
                continue;
            }
            let Some(raw) = text.content.get(span.clone()) else {
                continue;
            };
            let Some(at) = raw.find(reference.trim()) else {
                continue;
            };
            let tag_start = span.start + at + name.len() + 1;
            if let Some((range, major, minor)) =
                tokens(tag).into_iter().find(|(r, _, _)| r.start == 0)
            {
                let range = tag_start + range.start..tag_start + range.end;
                found.push(Found {
                    source: "a GitLab CI job's image",
                    fixable: digest.is_none(),
                    quote: false,
                    ..Found::at(&file.path, &text.content, range, major, minor)
                });
            }
        }
        for variable in crate::checks::builtins::gitlab::variables(&pipeline) {
            if variable.name != "PYTHON_VERSION" {
                continue;
            }
            let (Some(file), Some(span)) = (
                pipeline.files.get(variable.node.at().source),
                pipeline.span(variable.node.at()),
            ) else {
                continue;
            };
            let Ok(text) = file.text() else { continue };
            push_tokens(
                file,
                &text.content,
                span,
                "a GitLab CI `PYTHON_VERSION` variable",
                true,
                &mut found,
            );
        }
    }
    for f in found {
        if !out.iter().any(|o| o.path == f.path && o.span == f.span) {
            out.push(f);
        }
    }
}

/// The variable an image tag starts with: `${PY}-slim` -> `PY`, `$PY` -> `PY`.
fn tag_variable(tag: &str) -> Option<&str> {
    let rest = tag.strip_prefix('$')?;
    let name = match rest.strip_prefix('{') {
        Some(braced) => braced.split('}').next()?,
        None => rest
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .next()?,
    };
    (!name.is_empty()).then_some(name)
}

/// `${{ matrix.python }}` -> `python`.
fn matrix_key(raw: &str) -> Option<String> {
    let inner = raw.split("${{").nth(1)?.split("}}").next()?.trim();
    let key = inner.strip_prefix("matrix.")?;
    (!key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    .then(|| key.to_string())
}

fn matrix_values(
    file: &SourceFile,
    yaml: &YamlFile,
    content: &str,
    job: &str,
    key: &str,
    target: Option<&str>,
    out: &mut Vec<Found>,
) {
    let base = [
        Step::Key("jobs".into()),
        Step::Key(job.into()),
        Step::Key("strategy".into()),
        Step::Key("matrix".into()),
    ];
    let matrix = crate::formats::yaml::value_at(&yaml.value, &base);
    let mut spans = Vec::new();
    let mut listed = Vec::new();
    if let Some(items) = matrix
        .and_then(|m| get(m, key))
        .and_then(Value::as_sequence)
    {
        for i in 0..items.len() {
            let mut route = base.to_vec();
            route.extend([Step::Key(key.into()), Step::Index(i)]);
            spans.extend(yaml.value_span(&route));
        }
    }
    if let Some(include) = matrix
        .and_then(|m| get(m, "include"))
        .and_then(Value::as_sequence)
    {
        for (i, entry) in include.iter().enumerate() {
            if get(entry, key).is_some() {
                let mut route = base.to_vec();
                route.extend([
                    Step::Key("include".into()),
                    Step::Index(i),
                    Step::Key(key.into()),
                ]);
                spans.extend(yaml.value_span(&route));
            }
        }
    }
    for span in &spans {
        if let Some(raw) = content.get(span.clone()) {
            listed.push(raw.trim_matches(|c| c == '"' || c == '\'').to_string());
        }
    }
    // Replacing an item by a version the matrix already tests would duplicate a job.
    let duplicate = target.is_some_and(|t| listed.iter().any(|l| l == t));
    for span in spans {
        push_tokens(
            file,
            content,
            span,
            "the actions/setup-python matrix",
            !duplicate,
            out,
        );
    }
}

/// Each version token in the YAML scalar at `span`.
fn push_tokens(
    file: &SourceFile,
    content: &str,
    span: Range<usize>,
    source: &'static str,
    fixable: bool,
    out: &mut Vec<Found>,
) {
    let Some(raw) = content.get(span.clone()) else {
        return;
    };
    if raw.contains("${{") {
        return;
    }
    let plain = raw.starts_with(|c: char| c.is_ascii_digit());
    for (range, major, minor) in tokens(raw) {
        let range = span.start + range.start..span.start + range.end;
        let written = content.get(range.clone()).unwrap_or_default().to_string();
        out.push(Found {
            path: file.path.clone(),
            quote: plain && written.len() == raw.trim_end().len(),
            written,
            span: range,
            major,
            minor,
            source,
            fixable,
        });
    }
}

fn version_files(project: &Project, out: &mut Vec<Found>) {
    for file in project.files_of(FileKind::PythonVersion) {
        let Ok(text) = file.text() else { continue };
        let runtime = file.name() == "runtime.txt";
        let mut offset = 0;
        for line in text.content.split_inclusive('\n') {
            let start = offset;
            offset += line.len();
            let trimmed = line.trim_start();
            let lead = line.len() - trimmed.len();
            let body = if runtime {
                match trimmed.strip_prefix("python-") {
                    Some(rest) => rest,
                    None => continue,
                }
            } else {
                trimmed
            };
            let body_start = start + lead + (trimmed.len() - body.len());
            if let Some((range, major, minor)) =
                tokens(body).into_iter().find(|(r, _, _)| r.start == 0)
            {
                let range = body_start + range.start..body_start + range.end;
                out.push(Found {
                    source: if runtime {
                        "runtime.txt"
                    } else {
                        ".python-version"
                    },
                    fixable: true,
                    quote: false,
                    ..Found::at(&file.path, &text.content, range, major, minor)
                });
            }
        }
    }
}

/// `[requires] python_version` / `python_full_version` of a Pipfile.
fn pipfiles(project: &Project, out: &mut Vec<Found>) {
    for file in project.files_of(FileKind::Pipfile) {
        let (Ok(text), Parsed::Toml(toml)) = (file.text(), file.parsed()) else {
            continue;
        };
        for key in ["python_version", "python_full_version"] {
            let Some(item) = toml.get(&["requires", key]) else {
                continue;
            };
            let Some(span) = item.span() else { continue };
            let Some(raw) = text.content.get(span.clone()) else {
                continue;
            };
            // The value is a quoted TOML string: the version starts after the quote.
            let inner = raw.trim_start_matches(['"', '\'']);
            let offset = span.start + (raw.len() - inner.len());
            if let Some((range, major, minor)) =
                tokens(inner).into_iter().find(|(r, _, _)| r.start == 0)
            {
                let range = offset + range.start..offset + range.end;
                out.push(Found {
                    source: "the Pipfile",
                    fixable: true,
                    quote: false,
                    ..Found::at(&file.path, &text.content, range, major, minor)
                });
            }
        }
    }
}

/// `requires-python` that admits only ended versions.
fn requires_python(project: &Project, calendar: &Calendar) -> Vec<Hit> {
    let supported = calendar.supported();
    let mut hits = Vec::new();
    for file in project.files_of(FileKind::Pyproject) {
        let Parsed::Toml(toml) = file.parsed() else {
            continue;
        };
        let Some(item) = toml.get(&["project", "requires-python"]) else {
            continue;
        };
        let (Some(spec), Some(span)) = (item.as_str(), item.span()) else {
            continue;
        };
        let Ok(specifiers) = spec.parse::<VersionSpecifiers>() else {
            continue;
        };
        let admits = |major: u64, minor: u64| {
            [0u64, 99]
                .iter()
                .filter_map(|patch| format!("{major}.{minor}.{patch}").parse::<Version>().ok())
                .any(|v| specifiers.contains(&v))
        };
        if supported.iter().any(|(a, b)| admits(*a, *b)) {
            continue;
        }
        // The newest ended version it admits, for the message.
        let newest_ended = calendar
            .table
            .iter()
            .rev()
            .find(|(a, b, date)| *date <= calendar.today && admits(*a, *b));
        let Some((major, minor, date)) = newest_ended else {
            continue;
        };
        hits.push(
            Hit::at(Location::span(&file.path, span))
                .var("version", format!("{spec} (at most {major}.{minor})"))
                .var("eol", date.clone())
                .var(
                    "target",
                    calendar.oldest_supported(None).unwrap_or_default(),
                )
                .var("source", "requires-python"),
        );
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_tokens() {
        let found: Vec<(u64, u64)> = tokens("3.8-slim").iter().map(|t| (t.1, t.2)).collect();
        assert_eq!(found, [(3, 8)]);
        assert!(tokens("pypy3.9").is_empty());
        assert!(tokens(">=3.8").is_empty());
        assert!(tokens("13.8.1x").is_empty() || tokens("13.8.1x")[0].1 == 13);
        let multi = tokens("3.8\n3.12\n");
        assert_eq!(multi.len(), 2);
        assert_eq!(multi[1].0, 4..8);
        assert_eq!(tokens("\"3.9.18\"")[0].0, 1..7);
    }

    #[test]
    fn matrix_keys() {
        assert_eq!(
            matrix_key("${{ matrix.python-version }}").as_deref(),
            Some("python-version")
        );
        assert_eq!(matrix_key("3.12"), None);
    }
}
