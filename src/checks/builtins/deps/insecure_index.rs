//! `deps-insecure-index`: packages fetched over plain HTTP (`--index-url`, `--extra-index-url`,
//! `--find-links` with `http://`, or the same in pyproject/Pipfile package sources), or TLS
//! verification turned off for a host (`--trusted-host`, uv's `allow-insecure-host`,
//! Pipfile/PDM `verify_ssl = false`).

use std::ops::Range;

use toml_edit::{Item, TableLike};

use crate::checks::builtins::deps::DepsIndex;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::Parsed;
use crate::formats::requirements::Source;
use crate::formats::toml::TomlFile;
use crate::project::FileKind;

pub const BUILTIN: Builtin = Builtin {
    name: "deps-insecure-index",
    vars: &["option", "url", "problem"],
    params: &[],
    run,
};

const PLAIN_HTTP: &str = "fetches packages over plain HTTP, where anyone on the path can swap them";
const NO_VERIFY: &str = "turns off TLS certificate checks for that host";
const GIT_PROTOCOL: &str =
    "uses the git protocol, which neither encrypts nor authenticates the server";

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    let index = DepsIndex::new(ctx.project);
    for (file, parsed) in &index.requirements {
        for option in &parsed.options {
            let value = option.value.as_deref().unwrap_or_default();
            let problem = match option.name.as_str() {
                "--trusted-host" => NO_VERIFY,
                "--index-url" | "--extra-index-url" | "--find-links" if is_plain_http(value) => {
                    PLAIN_HTTP
                }
                _ => continue,
            };
            hits.push(hit(
                &file.path,
                option.span.clone(),
                &option.name,
                value,
                problem,
            ));
        }
        for requirement in &parsed.requirements {
            let Source::Url(url) = &requirement.source else {
                continue;
            };
            if let Some(problem) = insecure_requirement_url(&url.url) {
                hits.push(hit(
                    &file.path,
                    url.span.clone(),
                    "requirement URL",
                    &url.url,
                    problem,
                ));
            }
        }
    }
    for file in ctx
        .project
        .files
        .iter()
        .filter(|f| matches!(f.kind, FileKind::Pyproject | FileKind::Pipfile))
    {
        if let Parsed::Toml(toml) = file.parsed() {
            toml_sources(&file.path, toml, &mut hits);
        }
    }
    hits
}

fn hit(path: &str, span: Range<usize>, option: &str, url: &str, problem: &str) -> Hit {
    Hit::at(Location::span(path, span))
        .var("option", option)
        .var("url", url)
        .var("problem", problem)
}

/// `http://` to anything but this machine.
fn is_plain_http(url: &str) -> bool {
    let url = url.trim();
    let Some(rest) = url
        .get(..7)
        .filter(|s| s.eq_ignore_ascii_case("http://"))
        .and(url.get(7..))
    else {
        return false;
    };
    let authority = rest.split('/').next().unwrap_or(rest);
    let host = authority.rsplit('@').next().unwrap_or(authority);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .map(|h| h.trim_start_matches('['))
            .unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    !(host.eq_ignore_ascii_case("localhost") || host.starts_with("127.") || host == "::1")
}

/// A requirement URL fetched without TLS: `http://`, `git+http://` (plain HTTP), `git://`,
/// `git+git://` (the git protocol).
fn insecure_requirement_url(url: &str) -> Option<&'static str> {
    let lower = url.trim().to_ascii_lowercase();
    let rest = lower
        .split_once('+')
        .filter(|(tool, _)| ["git", "hg", "svn", "bzr"].contains(tool))
        .map_or(lower.as_str(), |(_, rest)| rest);
    if rest.starts_with("git://") {
        return Some(GIT_PROTOCOL);
    }
    is_plain_http(rest).then_some(PLAIN_HTTP)
}

fn toml_sources(path: &str, toml: &TomlFile, hits: &mut Vec<Hit>) {
    // Tables of sources, each with `url` (and maybe `verify_ssl`).
    for (key, label) in [
        (
            &["tool", "poetry", "source"][..],
            "[[tool.poetry.source]] url",
        ),
        (&["tool", "pdm", "source"][..], "[[tool.pdm.source]] url"),
        (&["tool", "uv", "index"][..], "[[tool.uv.index]] url"),
        (&["source"][..], "[[source]] url"),
    ] {
        let Some(item) = toml.get(key) else { continue };
        for table in tables(item) {
            let url = table
                .get("url")
                .filter(|u| u.as_str().is_some_and(is_plain_http));
            if let (Some(url), Some(span)) = (url, table.get("url").and_then(Item::span)) {
                hits.push(hit(
                    path,
                    span,
                    label,
                    url.as_str().unwrap_or_default(),
                    PLAIN_HTTP,
                ));
            }
            let no_verify = table.get("verify_ssl").and_then(Item::as_bool) == Some(false);
            if let (true, Some(span)) = (no_verify, table.get("verify_ssl").and_then(Item::span)) {
                let url = table.get("url").and_then(Item::as_str).unwrap_or_default();
                hits.push(hit(path, span, "verify_ssl = false", url, NO_VERIFY));
            }
        }
    }
    // uv's pip-style settings: one URL or a list of them.
    for (key, label) in [
        ("index-url", "tool.uv.index-url"),
        ("extra-index-url", "tool.uv.extra-index-url"),
        ("find-links", "tool.uv.find-links"),
    ] {
        for (url, span) in strings(toml.get(&["tool", "uv", key])) {
            if is_plain_http(&url) {
                hits.push(hit(path, span, label, &url, PLAIN_HTTP));
            }
        }
    }
    for (host, span) in strings(toml.get(&["tool", "uv", "allow-insecure-host"])) {
        hits.push(hit(
            path,
            span,
            "tool.uv.allow-insecure-host",
            &host,
            NO_VERIFY,
        ));
    }
}

/// An array of tables or an array of inline tables.
fn tables(item: &Item) -> Vec<&dyn TableLike> {
    if let Some(tables) = item.as_array_of_tables() {
        return tables.iter().map(|t| t as &dyn TableLike).collect();
    }
    match item.as_array() {
        Some(array) => array
            .iter()
            .filter_map(|v| v.as_inline_table())
            .map(|t| t as &dyn TableLike)
            .collect(),
        None => Vec::new(),
    }
}

/// A string or an array of strings, with spans.
fn strings(item: Option<&Item>) -> Vec<(String, Range<usize>)> {
    let Some(item) = item else { return Vec::new() };
    if let (Some(text), Some(span)) = (item.as_str(), item.span()) {
        return vec![(text.to_string(), span)];
    }
    match item.as_array() {
        Some(array) => array
            .iter()
            .filter_map(|v| Some((v.as_str()?.to_string(), v.span()?)))
            .collect(),
        None => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::is_plain_http;

    #[test]
    fn plain_http() {
        assert!(is_plain_http("http://pypi.internal/simple"));
        assert!(is_plain_http("HTTP://user:pw@pypi.internal:8080/simple"));
        assert!(!is_plain_http("https://pypi.org/simple"));
        assert!(!is_plain_http("http://localhost:3141/root/pypi"));
        assert!(!is_plain_http("http://127.0.0.1/simple"));
        assert!(!is_plain_http("http://[::1]:8080/"));
        assert!(!is_plain_http("./wheels"));
        assert!(!is_plain_http("http"));
    }

    #[test]
    fn requirement_urls() {
        use super::insecure_requirement_url as insecure;
        assert!(insecure("http://example.com/pkg-1.0.tar.gz").is_some());
        assert!(insecure("git+http://example.com/repo.git@v1").is_some());
        assert!(insecure("git://example.com/repo.git").is_some());
        assert!(insecure("git+git://example.com/repo.git").is_some());
        assert!(insecure("git+https://example.com/repo.git").is_none());
        assert!(insecure("git+ssh://git@example.com/repo.git").is_none());
        assert!(insecure("https://example.com/pkg.whl").is_none());
        assert!(insecure("file:///tmp/pkg.whl").is_none());
    }
}
