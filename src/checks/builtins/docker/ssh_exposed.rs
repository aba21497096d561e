//! `docker-ssh-exposed`: the shipped image declares port 22 (`EXPOSE 22`, `22/tcp`).

use crate::checks::builtins::docker::{dockerfiles, shipped_instructions};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-ssh-exposed",
    vars: &["port"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for instruction in shipped_instructions(parsed)
            .into_iter()
            .filter(|i| i.is("EXPOSE"))
        {
            for word in instruction.words() {
                let port = word.value.split('/').next().unwrap_or("");
                if port == "22" {
                    hits.push(
                        Hit::at(Location::span(&file.path, word.span.clone()))
                            .var("port", word.value.as_str()),
                    );
                }
            }
        }
    }
    hits
}
