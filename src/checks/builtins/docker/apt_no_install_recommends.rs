//! `docker-apt-no-install-recommends`: `apt-get install` without `--no-install-recommends` (or
//! `-o APT::Install-Recommends=false`), in any stage. The fix adds the flag after `install`.

use crate::checks::builtins::docker::{
    apt_install, dockerfiles, has_option, program_and_args, run_commands,
};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-apt-no-install-recommends",
    vars: &[],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for (_, command) in run_commands(parsed) {
            let Some((at, args)) = apt_install(&command) else {
                continue;
            };
            let configured = program_and_args(&command)
                .map_or(args, |(_, all)| all)
                .iter()
                .any(|w| {
                    w.value
                        .to_ascii_lowercase()
                        .contains("install-recommends=false")
                });
            if has_option(args, "--no-install-recommends", None) || configured {
                continue;
            }
            let Some(install) = command.words.get(at) else {
                continue;
            };
            hits.push(
                Hit::at(Location::span(&file.path, install.span.clone())).edits(vec![
                    Edit::insert(&file.path, install.span.end, " --no-install-recommends"),
                ]),
            );
        }
    }
    hits
}
