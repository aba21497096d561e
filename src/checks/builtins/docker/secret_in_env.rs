//! `docker-secret-in-env`: `ENV` or `ARG` with a secret-looking name and a literal value, in
//! any stage (and the global `ARG`s). The value is baked into the image configuration (ENV) or
//! its history (ARG), and it is in the repository already. Values that only reference another
//! variable (`$X`, `${X}`), placeholders and flags (`no`), and names of files or paths
//! (`*_FILE`, `*_PATH`, `*_DIR`) are fine.

use std::cell::LazyCell;
use std::sync::LazyLock;

use regex::Regex;

use crate::checks::builtins::docker::dockerfiles;
use crate::checks::builtins::secret::is_placeholder;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-secret-in-env",
    vars: &["name", "instruction"],
    params: &["name-pattern"],
    run,
};

static NOT_SECRET: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)(_FILE|_PATH|_DIR|_URL_PATH|_NAME|_LENGTH|_HEADER)$").ok());

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    // Compiled on the first ENV or ARG, not on every run.
    let pattern = LazyCell::new(|| ctx.param_regex("name-pattern"));
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for instruction in parsed
            .instructions
            .iter()
            .filter(|i| i.is("ENV") || i.is("ARG"))
        {
            for (name, value) in instruction.pairs() {
                let Some(value) = value else { continue };
                // NOTE: empty values, references (`$X`, `${X}`), placeholders and flags
                // (ArchiveBox's `GOOGLE_API_KEY=no`) hold no secret.
                let literal = !is_placeholder(&value.value);
                let Some(pattern) = pattern.as_ref() else {
                    return Vec::new();
                };
                let secret_name = pattern.is_match(&name.value)
                    && !NOT_SECRET
                        .as_ref()
                        .is_some_and(|re| re.is_match(&name.value));
                if literal && secret_name {
                    hits.push(
                        Hit::at(Location::span(&file.path, value.span.clone()))
                            .var("name", name.value.as_str())
                            .var("instruction", instruction.keyword.as_str())
                            .fingerprint(name.value.clone()),
                    );
                }
            }
        }
    }
    hits
}
