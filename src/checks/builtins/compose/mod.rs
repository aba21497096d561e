//! Shared by the `compose-*` checks: the production compose files of the project with their
//! services, and what a service runs (a database or cache, the project's own application).

pub(crate) mod database_no_password;
pub(crate) mod database_port_published;
pub(crate) mod debug_enabled;
pub(crate) mod docker_socket_mounted;
pub(crate) mod privileged;
pub(crate) mod secret_in_environment;

use crate::checks::path_rules::is_development_compose;
use crate::formats::Parsed;
use crate::formats::compose::{Service, services};
use crate::formats::yaml::YamlFile;
use crate::project::{FileKind, Project, SourceFile};

/// Every compose file that describes a production deployment, with its services: not
/// `*.override.yml`, `*.dev.yml`, `compose/local/...`, test or devcontainer files, nor a file
/// whose services run a development server (`runserver`, `flask run`, `--reload`).
pub fn production_compose(project: &Project) -> Vec<(&SourceFile, &YamlFile, Vec<Service>)> {
    let mut out = Vec::new();
    for file in project.files_of(FileKind::Compose) {
        let Parsed::Yaml(yaml) = file.parsed() else {
            continue;
        };
        let Ok(text) = file.text() else { continue };
        if is_development_compose(&file.path, &text.content) {
            continue;
        }
        out.push((file, yaml, services(yaml)));
    }
    out
}

/// Images of databases and caches, by their repository's last path part (`postgres`,
/// `bitnami/postgresql`, `mysql/mysql-server`).
const DATA_STORES: &[&str] = &[
    "postgres",
    "postgresql",
    "postgis",
    "mysql",
    "mysql-server",
    "mariadb",
    "redis",
    "redis-stack",
    "valkey",
    "keydb",
    "memcached",
    "mongo",
    "mongodb",
    "elasticsearch",
    "opensearch",
    "couchdb",
    "cassandra",
    "rabbitmq",
    "influxdb",
    "clickhouse-server",
];

/// The image's repository name without registry, owner and tag: `docker.io/bitnami/redis:7`
/// → `redis`.
pub fn image_name(image: &str) -> &str {
    let without_digest = image.split('@').next().unwrap_or(image);
    let last = without_digest.rsplit('/').next().unwrap_or(without_digest);
    last.split(':').next().unwrap_or(last)
}

/// Does the service run a database or cache?
pub fn is_data_store(service: &Service) -> bool {
    service
        .image
        .as_deref()
        .is_some_and(|image| DATA_STORES.contains(&image_name(image).to_lowercase().as_str()))
}

/// Which database engine the service's image runs, for the password rules.
pub fn database_engine(service: &Service) -> Option<&'static str> {
    let name = image_name(service.image.as_deref()?).to_lowercase();
    match name.as_str() {
        "postgres" | "postgresql" | "postgis" => Some("postgres"),
        "mysql" | "mysql-server" => Some("mysql"),
        "mariadb" => Some("mariadb"),
        _ => None,
    }
}

/// Is a text value on: `1`, `true`, `yes`, `on` (any case)?
pub fn is_on(value: &str) -> bool {
    matches!(
        value
            .trim()
            .trim_matches(['"', '\''])
            .to_lowercase()
            .as_str(),
        "1" | "true" | "yes" | "on" | "y"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_names() {
        assert_eq!(image_name("postgres:16-alpine"), "postgres");
        assert_eq!(image_name("docker.io/bitnami/redis:7.2"), "redis");
        assert_eq!(image_name("mysql@sha256:abc"), "mysql");
        assert_eq!(image_name("registry:5000/team/app:1"), "app");
    }
}
