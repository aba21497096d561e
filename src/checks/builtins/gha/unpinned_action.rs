//! `gha-unpinned-action`: a `uses:` whose code can change under the workflow. With the
//! `require` parameter `ref` (baseline) it fires on references to a branch (`@main`,
//! `@master`, anything that does not look like a version tag or a commit) and on missing refs;
//! with `sha` (strict) on anything but a full 40-hex commit SHA. Local actions (`./...`) are
//! the repository's own code. Docker actions: `ref` fires on no tag or `:latest`, `sha` on no
//! `@sha256:` digest.

use crate::checks::builtins::gha::{files, uses};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::workflow::ActionRef;

pub const BUILTIN: Builtin = Builtin {
    name: "gha-unpinned-action",
    vars: &["action", "reference", "problem"],
    params: &["require"],
    run,
};

/// A full commit SHA.
pub fn is_sha(reference: &str) -> bool {
    reference.len() == 40 && reference.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A version tag: `v4`, `4.1.0`, `v1.2.3-beta`, `v2.x`? (`x` is a branch some actions keep).
fn is_version_tag(reference: &str) -> bool {
    let digits = reference.strip_prefix(['v', 'V']).unwrap_or(reference);
    let Some(first) = digits.split(['.', '-', '+']).next() else {
        return false;
    };
    !first.is_empty()
        && first.bytes().all(|b| b.is_ascii_digit())
        && digits
            .split('.')
            .all(|part| !part.is_empty() && !part.eq_ignore_ascii_case("x"))
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let require_sha = ctx.param_str("require") == Some("sha");
    let mut hits = Vec::new();
    for gha in files(ctx.project, true) {
        for found in uses(&gha) {
            let Some(action) = found.action() else {
                continue;
            };
            let (name, reference, problem) = match action {
                ActionRef::Local(_) => continue,
                ActionRef::Docker(image) => {
                    let (name, digest) = match image.split_once('@') {
                        Some((name, digest)) => (name, Some(digest)),
                        None => (image, None),
                    };
                    let tag = name
                        .rsplit_once(':')
                        .filter(|(_, t)| !t.contains('/'))
                        .map(|(_, t)| t);
                    let problem = match (digest, tag) {
                        (Some(_), _) => continue,
                        (None, None) => "has no tag, so it runs whatever `latest` is",
                        (None, Some("latest")) => "uses the moving `latest` tag",
                        (None, Some(_)) if require_sha => {
                            "is pinned to a tag, not to an image digest (`@sha256:...`)"
                        }
                        (None, Some(_)) => continue,
                    };
                    (format!("docker://{image}"), "", problem)
                }
                ActionRef::Repo { name, git_ref } => {
                    let problem = match git_ref {
                        None | Some("") => "has no ref",
                        Some(r) if is_sha(r) => continue,
                        Some(r) if !is_version_tag(r) => {
                            "points at a branch, whose code changes with every push"
                        }
                        Some(_) if require_sha => {
                            "is pinned to a tag, which can be moved; only a full commit SHA is immutable"
                        }
                        Some(_) => continue,
                    };
                    (name.to_string(), git_ref.unwrap_or(""), problem)
                }
            };
            let span = gha.yaml.value_span(&found.route).unwrap_or(0..0);
            hits.push(
                Hit::at(Location::span(gha.path(), span))
                    .var("action", name)
                    .var("reference", reference)
                    .var("problem", problem),
            );
        }
    }
    hits
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_tags_from_branches() {
        for tag in ["v4", "v4.1.0", "4", "v1.2.3-beta.1", "V2"] {
            assert!(is_version_tag(tag), "{tag}");
        }
        for branch in ["main", "master", "v2.x", "release/v1", "latest", "v", ""] {
            assert!(!is_version_tag(branch), "{branch}");
        }
        assert!(is_sha("11bd71901bbe5b1630ceea73d27597364c9af683"));
        assert!(!is_sha("11bd719"));
    }
}
