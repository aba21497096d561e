//! `compose-database-no-password`: a postgres, mysql or mariadb service of a production compose
//! file accepts connections without a password (`POSTGRES_HOST_AUTH_METHOD=trust`,
//! `MYSQL_ALLOW_EMPTY_PASSWORD=yes`), or sets none at all.

use crate::checks::builtins::compose::{database_engine, is_on, production_compose};
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::formats::compose::Service;

pub const BUILTIN: Builtin = Builtin {
    name: "compose-database-no-password",
    vars: &["service", "engine", "reason"],
    params: &[],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut hits = Vec::new();
    for (file, yaml, services) in production_compose(ctx.project) {
        for service in &services {
            let Some(engine) = database_engine(service) else {
                continue;
            };
            let Some((steps, reason)) = no_password(service, engine) else {
                continue;
            };
            let Some(span) = yaml
                .value_span(&steps)
                .or_else(|| yaml.key_span(&service.steps()))
            else {
                continue;
            };
            hits.push(
                Hit::at(Location::span(&file.path, span))
                    .var("service", service.name.as_str())
                    .var("engine", engine)
                    .var("reason", reason)
                    .fingerprint(format!("{} {engine}", service.name)),
            );
        }
    }
    hits
}

/// Where and why the service runs without a password; `None` when it has one, or when an
/// `env_file:` may hold it.
fn no_password(
    service: &Service,
    engine: &str,
) -> Option<(Vec<crate::formats::yaml::Step>, String)> {
    let (trust_vars, password_vars): (&[&str], &[&str]) = match engine {
        "postgres" => (
            &["POSTGRES_HOST_AUTH_METHOD"],
            &["POSTGRES_PASSWORD", "POSTGRES_PASSWORD_FILE"],
        ),
        _ => (
            &[
                "MYSQL_ALLOW_EMPTY_PASSWORD",
                "MARIADB_ALLOW_EMPTY_ROOT_PASSWORD",
                "MARIADB_ALLOW_EMPTY_PASSWORD",
            ],
            &[
                "MYSQL_ROOT_PASSWORD",
                "MYSQL_ROOT_PASSWORD_FILE",
                "MYSQL_RANDOM_ROOT_PASSWORD",
                "MARIADB_ROOT_PASSWORD",
                "MARIADB_ROOT_PASSWORD_FILE",
                "MARIADB_RANDOM_ROOT_PASSWORD",
            ],
        ),
    };
    for name in trust_vars {
        if let Some(var) = service.env(name) {
            let value = var.value.as_deref().unwrap_or("");
            let disabled = if engine == "postgres" {
                value.trim().eq_ignore_ascii_case("trust")
            } else {
                is_on(value)
            };
            if disabled {
                return Some((var.steps.clone(), format!("`{name}={value}`")));
            }
        }
    }
    if service.has_env_file {
        return None;
    }
    let has_password = password_vars.iter().any(|name| service.env(name).is_some());
    if has_password {
        return None;
    }
    let steps = if service.environment.is_empty() {
        service.key_steps("image")
    } else {
        service.key_steps("environment")
    };
    Some((steps, format!("no `{}` is set", password_vars[0])))
}
