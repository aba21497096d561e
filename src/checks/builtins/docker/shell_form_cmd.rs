//! `docker-shell-form-cmd`: the image's effective `CMD` or `ENTRYPOINT` (the last of each in
//! the shipped stages) is in shell form, so `/bin/sh -c` is PID 1 and the server never sees
//! `SIGTERM`. The fix writes the exec form when that keeps the meaning: the arguments are plain
//! words on one line (no variables, globs, redirections, operators or escapes), no `SHELL`
//! changes the shell, and the other of `CMD`/`ENTRYPOINT` is not set (a shell-form
//! `ENTRYPOINT` ignores `CMD`; an exec-form one would take it as arguments).

use crate::checks::builtins::docker::{dockerfiles, shipped_instructions};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::dockerfile::{Form, Instruction};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-shell-form-cmd",
    vars: &["instruction"],
    params: &[],
    run,
};

const SHELL_SYNTAX: &[char] = &[
    '$', '`', ';', '&', '|', '<', '>', '(', ')', '*', '?', '[', ']', '{', '}', '~', '#', '\\',
    '\n', '\r', '=',
];

/// The exec-form text for `instruction`, when the conversion keeps its meaning.
fn exec_form(instruction: &Instruction, text: &str) -> Option<String> {
    let span = instruction.args.span(instruction.rest.clone());
    let written = text.get(span)?;
    if written.contains(SHELL_SYNTAX) || !instruction.heredocs.is_empty() {
        return None;
    }
    let commands = instruction.commands();
    let [command] = commands.as_slice() else {
        return None;
    };
    let words: Vec<String> = command
        .words
        .iter()
        .map(|w| serde_json::to_string(&w.value).ok())
        .collect::<Option<_>>()?;
    (!words.is_empty()).then(|| format!("[{}]", words.join(", ")))
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let Ok(text) = file.text() else { continue };
        let shipped = shipped_instructions(parsed);
        let custom_shell = shipped.iter().any(|i| i.is("SHELL"));
        for (keyword, other) in [("CMD", "ENTRYPOINT"), ("ENTRYPOINT", "CMD")] {
            let Some(instruction) = shipped.iter().rev().find(|i| i.is(keyword)) else {
                continue;
            };
            if !matches!(instruction.form, Form::Shell) || instruction.rest.is_empty() {
                continue;
            }
            let span = instruction.args.span(instruction.rest.clone());
            let hit = Hit::at(Location::span(&file.path, span.clone())).var("instruction", keyword);
            let fixable = !custom_shell && !shipped.iter().any(|i| i.is(other));
            match exec_form(instruction, &text.content).filter(|_| fixable) {
                Some(exec) => hits.push(hit.edits(vec![Edit::replace(&file.path, span, exec)])),
                None => hits.push(hit),
            }
        }
    }
    hits
}
