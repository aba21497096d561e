//! `gha-deprecated-action-version`: an official action used at a major version below the one
//! the `minimum` parameter names (`actions/checkout@v5`, ...). `@vN`, `@vN.M`, `@vN.M.P` refs
//! are fixed by bumping to the minimum major; a commit SHA whose `# vN...` comment names an old
//! version is reported without a fix (the new SHA cannot be known offline).

use crate::checks::builtins::gha::unpinned_action::is_sha;
use crate::checks::builtins::gha::{files, trailing_comment, uses};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::workflow::ActionRef;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-deprecated-action-version",
    vars: &["action", "version", "minimum"],
    params: &["minimum"],
    run,
};

/// The major of `v4`, `v4.2`, `v4.2.1` (also without the `v`).
fn major(version: &str) -> Option<u64> {
    let digits = version.strip_prefix(['v', 'V']).unwrap_or(version);
    let mut parts = digits.split('.');
    let major = parts.next()?.parse().ok()?;
    parts
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        .then_some(major)
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let minimums: Vec<(String, u64)> = ctx
        .param_strings("minimum")
        .iter()
        .filter_map(|entry| {
            let (name, version) = entry.split_once('@')?;
            Some((name.to_ascii_lowercase(), major(version)?))
        })
        .collect();
    let mut hits = Vec::new();
    for gha in files(ctx.project, true) {
        for found in uses(&gha) {
            let Some(ActionRef::Repo {
                name,
                git_ref: Some(reference),
            }) = found.action()
            else {
                continue;
            };
            let Some((_, minimum)) = minimums.iter().find(|(n, _)| n.eq_ignore_ascii_case(name))
            else {
                continue;
            };
            let Some(span) = gha.yaml.value_span(&found.route) else {
                continue;
            };
            let source = gha.source();
            let (version, fixable) = if is_sha(reference) {
                let Some(comment) = trailing_comment(source, &span) else {
                    continue;
                };
                let Some(word) = comment.split_whitespace().next() else {
                    continue;
                };
                (word.to_string(), false)
            } else {
                (reference.to_string(), true)
            };
            let Some(current) = major(&version) else {
                continue;
            };
            if current >= *minimum {
                continue;
            }
            let mut hit = Hit::at(Location::span(gha.path(), span.clone()))
                .var("action", name)
                .var("version", version.as_str())
                .var("minimum", format!("v{minimum}"));
            // The ref is the end of the `uses:` value (quotes aside): replace just it.
            if fixable
                && let Some(text) = source.get(span.clone())
                && let Some(at) = text.rfind(&format!("@{reference}"))
            {
                let start = span.start + at + 1;
                hit = hit.edits(vec![Edit::replace(
                    gha.path(),
                    start..start + reference.len(),
                    format!("v{minimum}"),
                )]);
            }
            hits.push(hit);
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    #[test]
    fn majors() {
        assert_eq!(super::major("v4"), Some(4));
        assert_eq!(super::major("v4.2.1"), Some(4));
        assert_eq!(super::major("3"), Some(3));
        assert_eq!(super::major("main"), None);
        assert_eq!(super::major("v2.x"), None);
    }
}
