//! `docker-curl-pipe-shell`: a script downloaded and run in one go: `curl ... | sh`,
//! `wget -O- ... | bash`, or `sh -c "$(curl ...)"`. Every stage.

use super::docker_commands::{dockerfiles, is_shell, program_and_args, run_commands};
use super::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-curl-pipe-shell",
    vars: &["downloader", "shell"],
    params: &[],
    run,
};

fn is_downloader(name: &str) -> bool {
    name == "curl" || name == "wget"
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let commands = run_commands(parsed);
        for (index, (instruction, command)) in commands.iter().enumerate() {
            let Some((name, args)) = program_and_args(command) else {
                continue;
            };
            if is_downloader(name) && command.sep == crate::formats::dockerfile::Sep::Pipe {
                let next = commands
                    .get(index + 1)
                    .filter(|(i, _)| std::ptr::eq(*i, *instruction))
                    .and_then(|(_, c)| program_and_args(c).map(|(n, _)| n.to_string()));
                if let Some(shell) = next.filter(|n| is_shell(n)) {
                    hits.push(
                        Hit::at(Location::span(&file.path, command.span()))
                            .var("downloader", name)
                            .var("shell", shell),
                    );
                }
            } else if is_shell(name) {
                let substituted = args.iter().any(|w| {
                    ["$(curl ", "$(wget ", "`curl ", "`wget "]
                        .iter()
                        .any(|p| w.value.contains(p))
                });
                if substituted {
                    let downloader = if args.iter().any(|w| w.value.contains("curl ")) {
                        "curl"
                    } else {
                        "wget"
                    };
                    hits.push(
                        Hit::at(Location::span(&file.path, command.span()))
                            .var("downloader", downloader)
                            .var("shell", name),
                    );
                }
            }
        }
    }
    hits
}
