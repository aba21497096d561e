//! `docker-tls-verification-disabled`: downloads with certificate checks turned off, in any
//! stage: `curl -k`/`--insecure`, `wget --no-check-certificate`, `git -c http.sslVerify=false`,
//! `GIT_SSL_NO_VERIFY` set to any value (ENV, ARG default or `RUN` assignment), `NODE_TLS_REJECT_UNAUTHORIZED=0`.

use crate::checks::builtins::docker::{
    dockerfiles, has_option, has_short, program_and_args, run_commands, staged,
};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::dockerfile::Word;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-tls-verification-disabled",
    vars: &["setting"],
    params: &[],
    run,
};

fn variable_disables(name: &str, value: &str) -> bool {
    let value = value.trim();
    match name {
        // git only asks whether the variable is set: `=0`, `=false` and `=` disable checks too.
        "GIT_SSL_NO_VERIFY" => true,
        "NODE_TLS_REJECT_UNAUTHORIZED" => value == "0",
        _ => false,
    }
}

fn flag_word(args: &[Word], test: impl Fn(&str) -> bool) -> Option<&Word> {
    args.iter().find(|w| test(&w.value))
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let mut hit = |word: &Word, setting: String| {
            hits.push(
                Hit::at(Location::span(&file.path, word.span.clone())).var("setting", setting),
            );
        };
        for instruction in staged(parsed).filter(|i| i.is("ENV") || i.is("ARG")) {
            for (name, value) in instruction.pairs() {
                if let Some(value) = value
                    && variable_disables(&name.value, &value.value)
                {
                    hit(&name, format!("{}={}", name.value, value.value));
                }
            }
        }
        for (_, command) in run_commands(parsed) {
            for word in &command.words {
                if let Some((name, value)) = word.value.split_once('=')
                    && variable_disables(name, value)
                {
                    hit(word, word.value.clone());
                }
            }
            let Some((name, args)) = program_and_args(&command) else {
                continue;
            };
            let found = match name {
                "curl" if has_option(args, "--insecure", None) || has_short(args, 'k') => {
                    flag_word(args, |w| {
                        w == "--insecure"
                            || (w.starts_with('-') && !w.starts_with("--") && w.contains('k'))
                    })
                }
                "wget" => flag_word(args, |w| w == "--no-check-certificate"),
                "git" => flag_word(args, |w| {
                    w.to_ascii_lowercase().replace(' ', "") == "http.sslverify=false"
                }),
                _ => None,
            };
            if let Some(word) = found {
                hit(word, format!("{name} {}", word.value));
            }
        }
    }
    hits
}
