//! `docker-runs-as-root`: the shipped image runs as root: its final stage (with the stages it
//! is built on) sets no `USER`, or the last `USER` is `root` / `0`. A base image the project's
//! other Dockerfiles build `FROM` is judged through them.
//!
//! The fix, offered when no `USER` is set at all, adds `USER <name>` before the final stage's
//! first `CMD`/`ENTRYPOINT` (or at the end). When the stage already creates a user
//! (`useradd`/`adduser`) that user is used; otherwise a `RUN` creating one is added first,
//! written for the base image's family: `useradd` on Debian/Ubuntu-based images (python,
//! `-slim`, bookworm, ...), `adduser -D` on Alpine. Other bases (distroless, scratch, unknown)
//! get no fix. An explicit `USER root` is left to a person.

use crate::checks::builtins::docker::{
    basename, chain, dockerfiles, program_and_args, shipped_instructions,
};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::dockerfile::{Dockerfile, ImageRef};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-runs-as-root",
    vars: &["reason", "user"],
    params: &["user", "uid"],
    run,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Debian,
    Alpine,
}

const DEBIAN_IMAGES: &[&str] = &[
    "python",
    "debian",
    "ubuntu",
    "pypy",
    "node",
    "ruby",
    "golang",
    "buildpack-deps",
    "php",
];
const DEBIAN_TAGS: &[&str] = &[
    "slim", "bookworm", "bullseye", "buster", "trixie", "jammy", "noble", "focal",
];

fn family(image: &ImageRef) -> Option<Family> {
    let lower = image.resolved.to_ascii_lowercase();
    if lower.contains("alpine") {
        return Some(Family::Alpine);
    }
    let name = basename(&image.name).to_ascii_lowercase();
    let tag = image.tag.as_deref().unwrap_or("").to_ascii_lowercase();
    if DEBIAN_IMAGES.contains(&name.as_str()) || DEBIAN_TAGS.iter().any(|t| tag.contains(t)) {
        return Some(Family::Debian);
    }
    None
}

/// Base images documented to run as an unprivileged user without a `USER` line: distroless
/// `:nonroot` tags and Chainguard images (whose `-dev` variants run as root).
fn runs_unprivileged(image: &ImageRef) -> bool {
    let tag = image.tag.as_deref().unwrap_or("latest");
    tag.contains("nonroot")
        || (image.name.starts_with("cgr.dev/chainguard/") && !tag.contains("dev"))
}

fn is_root(user: &str) -> bool {
    matches!(user.split(':').next(), Some("root" | "0"))
}

/// A user the shipped stages already create: the last non-option word of `useradd`/`adduser`.
fn created_user(parsed: &Dockerfile) -> Option<String> {
    shipped_instructions(parsed)
        .into_iter()
        .filter(|i| i.is("RUN"))
        .flat_map(|i| i.commands())
        .filter_map(|c| {
            let (name, args) = program_and_args(&c)?;
            if name != "useradd" && name != "adduser" {
                return None;
            }
            args.last()
                .filter(|w| !w.value.starts_with('-') && !w.value.contains('$'))
                .map(|w| w.value.clone())
        })
        .next_back()
}

/// Tools an entrypoint runs to drop from root to another user before it execs the server.
static PRIVILEGE_DROP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"\b(gosu|su-exec|setpriv\s+--reuid|runuser\s+-u|s6-setuidgid|chpst\s+-u|setuidgid)\b",
    )
    .expect("static regex")
});

/// Files an entrypoint script is read from: small ones only.
const MAX_SCRIPT: u64 = 256 * 1024;

/// Whether the image drops root at start: the Dockerfile itself runs a privilege-drop tool
/// (in `ENTRYPOINT`, `CMD` or a `RUN` that installs one), or a script it copies from the
/// project does.
fn drops_privileges(ctx: &Ctx<'_>, file: &crate::project::SourceFile, parsed: &Dockerfile) -> bool {
    if file
        .text()
        .is_ok_and(|t| PRIVILEGE_DROP.is_match(&t.content))
    {
        return true;
    }
    let dir = ctx.project.root.join(file.dir());
    parsed
        .instructions
        .iter()
        .filter(|i| (i.is("COPY") || i.is("ADD")) && i.flag("from").is_none())
        .flat_map(|i| {
            let words = i.words();
            let count = words.len().saturating_sub(1);
            words.into_iter().take(count).map(|w| w.value)
        })
        .filter(|source| {
            !source.starts_with('/')
                && !source.contains("..")
                && !source.contains(['*', '?', '$'])
                && !source.contains("://")
        })
        .any(|source| {
            [dir.join(&source), ctx.project.root.join(&source)]
                .iter()
                .any(|path| {
                    std::fs::symlink_metadata(path)
                        .is_ok_and(|m| m.is_file() && m.len() <= MAX_SCRIPT)
                        && std::fs::read_to_string(path)
                            .is_ok_and(|text| PRIVILEGE_DROP.is_match(&text))
                })
        })
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let user_name = ctx.param_str("user").unwrap_or("app").to_string();
    let uid = ctx.param_int("uid").unwrap_or(10001);
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let Some((final_index, final_stage)) = parsed.final_stage() else {
            continue;
        };
        let shipped = shipped_instructions(parsed);
        if let Some(user) = shipped.iter().rev().find(|i| i.is("USER")) {
            if let Some(word) = user.words().first().filter(|w| is_root(&w.value)) {
                hits.push(
                    Hit::at(Location::span(&file.path, word.span.clone()))
                        .var("reason", format!("the last `USER` is `{}`", word.value))
                        // The user the (display-only) fix title proposes, not root.
                        .var("user", user_name.as_str()),
                );
            }
            continue;
        }
        // The official-image pattern: start as root to fix permissions, then `exec gosu app`
        // in the entrypoint. The process that serves runs unprivileged.
        if drops_privileges(ctx, file, parsed) {
            continue;
        }
        // A base image for the project's other images (no `USER` of its own, as base images
        // are written): the user that runs is the one the images built on it choose, and each
        // of those is judged here in its own right.
        if ctx
            .project
            .model()
            .images
            .iter()
            .any(|image| image.path == file.path && !image.base_of.is_empty())
        {
            continue;
        }
        let base = chain(parsed, final_index)
            .last()
            .and_then(|s| parsed.stages.get(*s))
            .and_then(|s| s.image.as_ref());
        if base.is_some_and(runs_unprivileged) {
            continue;
        }
        let Some(from) = parsed.instructions.get(final_stage.from) else {
            continue;
        };
        let span = final_stage
            .image
            .as_ref()
            .map_or(from.keyword_span.clone(), |i| i.written.span.clone());
        let hit = Hit::at(Location::span(&file.path, span))
            .var("reason", "no `USER` is set")
            .var("user", user_name.as_str());
        let existing = created_user(parsed);
        let creation = match (&existing, base.and_then(family)) {
            (Some(_), _) => Some(String::new()),
            (None, Some(Family::Debian)) => Some(format!(
                "RUN useradd --create-home --uid {uid} {user_name}\n"
            )),
            (None, Some(Family::Alpine)) => Some(format!("RUN adduser -D -u {uid} {user_name}\n")),
            (None, None) => None,
        };
        let Some(creation) = creation else {
            hits.push(hit);
            continue;
        };
        let user = existing.unwrap_or(user_name.clone());
        let Ok(text) = file.text() else {
            hits.push(hit);
            continue;
        };
        // Before the first CMD/ENTRYPOINT, unless build steps follow it: they would then run
        // as the new user, so the lines go at the end instead.
        let instructions: Vec<_> = parsed.stage_instructions(final_index).collect();
        let first_runtime = instructions
            .iter()
            .position(|i| i.is("CMD") || i.is("ENTRYPOINT"));
        let runtime = first_runtime
            .filter(|at| {
                !instructions
                    .iter()
                    .skip(*at)
                    .any(|i| i.is("RUN") || i.is("COPY") || i.is("ADD"))
            })
            .and_then(|at| instructions.get(at));
        let (at, prefix) = match runtime {
            Some(instruction) => (instruction.line_start, ""),
            None => {
                let end = text.content.len();
                (
                    end,
                    if text.content.ends_with('\n') {
                        ""
                    } else {
                        "\n"
                    },
                )
            }
        };
        let content = format!("{prefix}{creation}USER {user}\n");
        hits.push(
            hit.var("user", user.as_str())
                .edits(vec![Edit::insert(&file.path, at, content)]),
        );
    }
    hits
}
