//! `docker-database-no-password`: a production Dockerfile builds a postgres, mysql or mariadb
//! image that switches the image's password requirement off (`ENV POSTGRES_HOST_AUTH_METHOD=trust`,
//! `ENV MYSQL_ALLOW_EMPTY_PASSWORD=yes`). Dockerfiles under development and test directories
//! are not judged.

use crate::checks::builtins::compose::{image_name, is_on};
use crate::checks::builtins::docker::{dockerfiles, shipped, shipped_instructions};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::checks::path_rules::is_development_compose;
use crate::finding::Location;

pub const BUILTIN: Builtin = Builtin {
    name: "docker-database-no-password",
    vars: &["engine", "setting"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, parsed) in dockerfiles(ctx.project) {
        // NOTE: the compose path rule (dev/, local/, test/, .devcontainer/) is the stand-in
        // for the project model's scope of the image.
        if is_development_compose(&file.path, "") {
            continue;
        }
        // The engine of the shipped image: the base image of the first stage of its chain.
        let Some(engine) = shipped(parsed)
            .last()
            .and_then(|&stage| parsed.stages.get(stage))
            .and_then(|stage| stage.image.as_ref())
            .and_then(|image| engine(image_name(&image.name)))
        else {
            continue;
        };
        for instruction in shipped_instructions(parsed)
            .into_iter()
            .filter(|i| i.is("ENV"))
        {
            for (name, value) in instruction.pairs() {
                let Some(value) = value else { continue };
                let off = match name.value.as_str() {
                    "POSTGRES_HOST_AUTH_METHOD" => value.value.eq_ignore_ascii_case("trust"),
                    "MYSQL_ALLOW_EMPTY_PASSWORD"
                    | "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD"
                    | "MARIADB_ALLOW_EMPTY_PASSWORD" => is_on(&value.value),
                    _ => false,
                };
                if off {
                    let span = name.span.start..value.span.end;
                    hits.push(
                        Hit::at(Location::span(&file.path, span))
                            .var("engine", engine)
                            .var("setting", format!("{}={}", name.value, value.value)),
                    );
                }
            }
        }
    }
    hits
}

fn engine(name: &str) -> Option<&'static str> {
    match name.to_lowercase().as_str() {
        "postgres" | "postgresql" | "postgis" => Some("postgres"),
        "mysql" | "mysql-server" => Some("mysql"),
        "mariadb" => Some("mariadb"),
        _ => None,
    }
}
