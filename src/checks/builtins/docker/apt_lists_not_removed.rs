//! `docker-apt-lists-not-removed`: a `RUN` that runs `apt-get update` (with or without an
//! install) but leaves `/var/lib/apt/lists` in the layer. Only stages whose layers are shipped (the
//! final stage and those it is built on) are judged, as hadolint does: a builder stage's lists
//! never reach the image. A cache mount over `/var/lib/apt` is fine. The fix appends
//! `&& rm -rf /var/lib/apt/lists/*` to the `RUN` (shell form without heredocs), on a
//! continuation line written with the file's escape character.

use crate::checks::builtins::docker::{
    dockerfiles, has_cache_mount, is_apt_update, program_and_args, shipped,
};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::dockerfile::{Form, Sep};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-apt-lists-not-removed",
    vars: &[],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for stage in shipped(parsed) {
            for instruction in parsed.stage_instructions(stage).filter(|i| i.is("RUN")) {
                let commands = instruction.commands();
                let Some(update) = commands.iter().find(|c| is_apt_update(c)) else {
                    continue;
                };
                if has_cache_mount(instruction, "/var/lib/apt/lists") {
                    continue;
                }
                let removed = commands.iter().any(|c| {
                    program_and_args(c).is_some_and(|(name, args)| {
                        name == "rm"
                            && args
                                .iter()
                                .any(|w| w.value.starts_with("/var/lib/apt/lists"))
                    })
                });
                if removed {
                    continue;
                }
                let hit = Hit::at(Location::span(&file.path, update.span()));
                let last = commands.last();
                let appendable = matches!(instruction.form, Form::Shell)
                    && instruction.heredocs.is_empty()
                    && last.is_some_and(|c| c.sep == Sep::End);
                match last {
                    Some(last) if appendable => {
                        let end = instruction.args.span(instruction.rest.clone()).end;
                        let at = end.max(last.span().end);
                        hits.push(hit.edits(vec![Edit::insert(
                            &file.path,
                            at,
                            format!(" {}\n    && rm -rf /var/lib/apt/lists/*", parsed.escape),
                        )]))
                    }
                    _ => hits.push(hit),
                }
            }
        }
    }
    hits
}
