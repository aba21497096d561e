//! `docker-debug-server`: the image's effective `CMD`/`ENTRYPOINT` (the last of each in the
//! shipped stages) starts a development server: `manage.py runserver` / `django-admin
//! runserver`, `flask run --debug` (or `--reload`, `flask --debug run`), `uvicorn --reload`,
//! `gunicorn --reload`.

use crate::checks::builtins::docker::{basename, dockerfiles, shipped_instructions};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::dockerfile::{Command, Word};

pub const BUILTIN: Builtin = Builtin {
    name: "docker-debug-server",
    vars: &["server"],
    params: &[],
    run,
};

/// The word that makes the command a development server, and what to call it.
fn debug_server(command: &Command) -> Option<(&Word, &'static str)> {
    let words = &command.words;
    let has = |value: &str| words.iter().find(|w| w.value == value);
    // A command string handed to a shell (`sh -c "python manage.py runserver"`).
    if let Some(word) = words
        .iter()
        .find(|w| w.value.contains("manage.py runserver"))
    {
        return Some((word, "Django's runserver"));
    }
    let django = words.iter().any(|w| {
        let name = basename(&w.value);
        name == "manage.py" || name == "django-admin"
    });
    if django && let Some(word) = has("runserver") {
        return Some((word, "Django's runserver"));
    }
    let program = |name: &str| words.iter().any(|w| basename(&w.value) == name);
    if program("flask")
        && has("run").is_some()
        && let Some(word) = has("--debug").or_else(|| has("--reload"))
    {
        return Some((word, "Flask's debug server"));
    }
    if (program("uvicorn") || program("gunicorn"))
        && let Some(word) = has("--reload")
    {
        return Some((word, "a reloading server"));
    }
    None
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        let shipped = shipped_instructions(parsed);
        for keyword in ["ENTRYPOINT", "CMD"] {
            let Some(instruction) = shipped.iter().rev().find(|i| i.is(keyword)) else {
                continue;
            };
            for command in instruction.commands() {
                if let Some((word, server)) = debug_server(&command) {
                    hits.push(
                        Hit::at(Location::span(&file.path, word.span.clone()))
                            .var("server", server),
                    );
                    break;
                }
            }
        }
    }
    hits
}
