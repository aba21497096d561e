//! `docker-pip-trusted-host`: pip told to skip TLS verification for a host: `--trusted-host` on
//! an install, `pip config set global.trusted-host`, `PIP_TRUSTED_HOST` in ENV/ARG or a `RUN`
//! assignment, or `PYTHONHTTPSVERIFY=0`. Every stage.

use crate::checks::builtins::docker::{
    dockerfiles, option_values, pip_install, run_commands, staged,
};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-pip-trusted-host",
    vars: &["setting"],
    params: &[],
    run,
};

fn judge_variable(name: &str, value: &str) -> bool {
    (name == "PIP_TRUSTED_HOST" && !value.trim().is_empty())
        || (name == "PYTHONHTTPSVERIFY" && value.trim() == "0")
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        for instruction in staged(parsed).filter(|i| i.is("ENV") || i.is("ARG")) {
            for (name, value) in instruction.pairs() {
                if let Some(value) = value
                    && judge_variable(&name.value, &value.value)
                {
                    hits.push(
                        Hit::at(Location::span(&file.path, name.span.start..value.span.end))
                            .var("setting", format!("{}={}", name.value, value.value)),
                    );
                }
            }
        }
        for (_, command) in run_commands(parsed) {
            for word in &command.words {
                if let Some((name, value)) = word.value.split_once('=')
                    && judge_variable(name, value)
                {
                    hits.push(
                        Hit::at(Location::span(&file.path, word.span.clone()))
                            .var("setting", word.value.as_str()),
                    );
                }
            }
            if let Some(install) = pip_install(&command) {
                for value in option_values(install.args, "--trusted-host") {
                    hits.push(Hit::at(Location::span(&file.path, value.span.clone())).var(
                        "setting",
                        format!(
                            "--trusted-host {}",
                            value.value.trim_start_matches("--trusted-host=")
                        ),
                    ));
                }
            }
            let values: Vec<&str> = command.words.iter().map(|w| w.value.as_str()).collect();
            if let Some(at) = values
                .windows(3)
                .position(|w| w[0] == "config" && w[1] == "set" && w[2].ends_with("trusted-host"))
                && let Some(word) = command.words.get(at + 2)
            {
                hits.push(
                    Hit::at(Location::span(&file.path, word.span.clone()))
                        .var("setting", format!("pip config set {}", word.value)),
                );
            }
        }
    }
    hits
}
