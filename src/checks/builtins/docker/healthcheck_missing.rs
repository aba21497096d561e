//! `docker-healthcheck-missing`: the shipped image (final stage and the stages it is built on)
//! has no `HEALTHCHECK`. `HEALTHCHECK NONE` is an explicit choice and counts.

use crate::checks::builtins::docker::{dockerfiles, shipped_instructions};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-healthcheck-missing",
    vars: &[],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let Some((_, stage)) = parsed.final_stage() else {
            continue;
        };
        if shipped_instructions(parsed)
            .iter()
            .any(|i| i.is("HEALTHCHECK"))
        {
            continue;
        }
        let Some(from) = parsed.instructions.get(stage.from) else {
            continue;
        };
        let span = stage
            .image
            .as_ref()
            .map_or(from.keyword_span.clone(), |i| i.written.span.clone());
        hits.push(Hit::at(Location::span(&file.path, span)));
    }
    hits
}
