//! Docker Compose files (`docker-compose.yml`, `compose.yaml`, `docker-compose.prod.yml`):
//! a typed view of the services over the YAML value, as the Compose specification defines
//! them — ports in short (`"127.0.0.1:5432:5432"`) and long (`{target, published, host_ip}`)
//! syntax, `environment:` as a list (`- KEY=value`) or a map (`KEY: value`), volumes in short
//! (`/var/run/docker.sock:/var/run/docker.sock`) and long syntax. Every piece keeps its route
//! into the document, so that a finding or an edit locates it with [`YamlFile::value_span`].

use super::yaml::{Step, Value, YamlFile, get};

/// One service of a compose file.
#[derive(Debug, Clone)]
pub struct Service {
    pub name: String,
    /// `image:`, when set.
    pub image: Option<String>,
    /// `build:` (a context path, or a map with `context:`): the service runs the project's own
    /// image.
    pub build_context: Option<String>,
    pub ports: Vec<Port>,
    pub environment: Vec<EnvVar>,
    /// `env_file:` is set: variables may come from a file harden does not judge here.
    pub has_env_file: bool,
    /// `privileged: true`.
    pub privileged: bool,
    pub volumes: Vec<Mount>,
    /// `command:` and `entrypoint:` as one text (list items joined with spaces).
    pub command: String,
}

impl Service {
    /// The route to the service's own node.
    pub fn steps(&self) -> Vec<Step> {
        vec![Step::Key("services".into()), Step::Key(self.name.clone())]
    }

    /// The route to one of the service's keys.
    pub fn key_steps(&self, key: &str) -> Vec<Step> {
        let mut steps = self.steps();
        steps.push(Step::Key(key.into()));
        steps
    }

    /// The value of an environment variable set in `environment:` (the last one wins).
    pub fn env(&self, name: &str) -> Option<&EnvVar> {
        self.environment.iter().rev().find(|e| e.name == name)
    }
}

/// One published port.
#[derive(Debug, Clone)]
pub struct Port {
    pub steps: Vec<Step>,
    /// The short syntax as written (`"5432:5432"`), or empty for the long syntax.
    pub text: String,
    pub host_ip: Option<String>,
    /// The host port (or range); `None` when Compose picks a random host port.
    pub published: Option<String>,
    pub target: String,
    /// Written as a map (`target:`, `published:`, `host_ip:`).
    pub long: bool,
}

impl Port {
    /// Published on every interface of the host: no host IP, or `0.0.0.0` / `::`.
    pub fn on_all_interfaces(&self) -> bool {
        match self.host_ip.as_deref() {
            None => true,
            Some(ip) => matches!(ip, "0.0.0.0" | "::" | "[::]" | ""),
        }
    }
}

/// One `environment:` entry.
#[derive(Debug, Clone)]
pub struct EnvVar {
    /// The route to the entry's value node (the list item for `- KEY=value`).
    pub steps: Vec<Step>,
    pub name: String,
    /// `None` for `- KEY` (passed through from the shell) or `KEY:` with no value.
    pub value: Option<String>,
    /// Written as a list item `KEY=value` (else a map entry `KEY: value`).
    pub list_form: bool,
}

/// One `volumes:` entry.
#[derive(Debug, Clone)]
pub struct Mount {
    pub steps: Vec<Step>,
    pub source: String,
    pub target: String,
}

/// The services of a compose file; empty when the document has none.
pub fn services(file: &YamlFile) -> Vec<Service> {
    let Some(Value::Mapping(services)) = get(&file.value, "services") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, value) in services {
        let Some(name) = key.as_str() else { continue };
        // NOTE: compose files share blocks through YAML merge keys (`<<: *common`, the
        // anchors usually under an `x-` key): the service has what the merge brings in
        // (privacyIDEA's three services take `build:` and `environment:` from one anchor).
        // A merge that is not a mapping is left as written.
        let mut merged = value.clone();
        if merged.apply_merge().is_err() {
            merged = value.clone();
        }
        out.push(service(name, &merged));
    }
    out
}

fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn service(name: &str, value: &Value) -> Service {
    let base = vec![Step::Key("services".into()), Step::Key(name.into())];
    let route = |key: &str| {
        let mut steps = base.clone();
        steps.push(Step::Key(key.into()));
        steps
    };
    let image = get(value, "image").and_then(scalar);
    let build_context = match get(value, "build") {
        Some(Value::Mapping(_)) => Some(
            get(value, "build")
                .and_then(|b| get(b, "context"))
                .and_then(scalar)
                .unwrap_or_else(|| ".".into()),
        ),
        Some(other) => scalar(other),
        None => None,
    };
    let mut ports = Vec::new();
    if let Some(Value::Sequence(items)) = get(value, "ports") {
        for (i, item) in items.iter().enumerate() {
            let mut steps = route("ports");
            steps.push(Step::Index(i));
            if let Some(port) = port(item, steps) {
                ports.push(port);
            }
        }
    }
    let mut environment = Vec::new();
    match get(value, "environment") {
        Some(Value::Sequence(items)) => {
            for (i, item) in items.iter().enumerate() {
                let Some(text) = scalar(item) else { continue };
                let mut steps = route("environment");
                steps.push(Step::Index(i));
                let (name, value) = match text.split_once('=') {
                    Some((n, v)) => (n.trim().to_string(), Some(v.to_string())),
                    None => (text.trim().to_string(), None),
                };
                environment.push(EnvVar {
                    steps,
                    name,
                    value,
                    list_form: true,
                });
            }
        }
        Some(Value::Mapping(map)) => {
            for (key, item) in map {
                let Some(name) = key.as_str() else { continue };
                let mut steps = route("environment");
                steps.push(Step::Key(name.into()));
                environment.push(EnvVar {
                    steps,
                    name: name.to_string(),
                    value: scalar(item),
                    list_form: false,
                });
            }
        }
        _ => {}
    }
    let mut volumes = Vec::new();
    if let Some(Value::Sequence(items)) = get(value, "volumes") {
        for (i, item) in items.iter().enumerate() {
            let mut steps = route("volumes");
            steps.push(Step::Index(i));
            let (source, target) = match item {
                Value::String(text) => {
                    let mut parts = text.splitn(3, ':');
                    let first = parts.next().unwrap_or("").to_string();
                    match parts.next() {
                        Some(second) => (first, second.to_string()),
                        None => (String::new(), first),
                    }
                }
                Value::Mapping(_) => (
                    get(item, "source").and_then(scalar).unwrap_or_default(),
                    get(item, "target").and_then(scalar).unwrap_or_default(),
                ),
                _ => continue,
            };
            volumes.push(Mount {
                steps,
                source,
                target,
            });
        }
    }
    let mut command = String::new();
    for key in ["entrypoint", "command"] {
        match get(value, key) {
            Some(Value::Sequence(items)) => {
                for item in items.iter().filter_map(scalar) {
                    command.push_str(&item);
                    command.push(' ');
                }
            }
            Some(other) => {
                if let Some(text) = scalar(other) {
                    command.push_str(&text);
                    command.push(' ');
                }
            }
            None => {}
        }
    }
    Service {
        name: name.to_string(),
        image,
        build_context,
        ports,
        environment,
        has_env_file: get(value, "env_file").is_some(),
        privileged: matches!(get(value, "privileged"), Some(Value::Bool(true))),
        volumes,
        command: command.trim_end().to_string(),
    }
}

fn port(item: &Value, steps: Vec<Step>) -> Option<Port> {
    if let Value::Mapping(_) = item {
        return Some(Port {
            steps,
            text: String::new(),
            host_ip: get(item, "host_ip").and_then(scalar),
            published: get(item, "published").and_then(scalar),
            target: get(item, "target").and_then(scalar)?,
            long: true,
        });
    }
    let text = scalar(item)?;
    let (host_ip, rest) = split_host_ip(&text);
    let (published, target) = match rest.rsplit_once(':') {
        Some((published, target)) => (
            Some(published.to_string()).filter(|p| !p.is_empty()),
            target.to_string(),
        ),
        None => (None, rest.to_string()),
    };
    Some(Port {
        steps,
        text: text.clone(),
        host_ip,
        published,
        target,
        long: false,
    })
}

/// `127.0.0.1:5432:5432` → (`127.0.0.1`, `5432:5432`); `[::1]:5432:5432` → (`::1`, ...);
/// `5432:5432` → (none, `5432:5432`).
fn split_host_ip(text: &str) -> (Option<String>, &str) {
    if let Some(rest) = text.strip_prefix('[')
        && let Some((ip, after)) = rest.split_once("]:")
    {
        return (Some(ip.to_string()), after);
    }
    if text.matches(':').count() >= 2 {
        let (ip, rest) = text.split_once(':').unwrap_or(("", text));
        return (Some(ip.to_string()), rest);
    }
    (None, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Vec<Service> {
        services(&YamlFile::parse(text).unwrap())
    }

    #[test]
    fn ports_in_both_syntaxes() {
        let services = parse(
            "services:\n  db:\n    image: postgres:16\n    ports:\n      - \"5432:5432\"\n      - 127.0.0.1:6432:6432\n      - 9000\n      - \"[::1]:7000:7000\"\n      - target: 80\n        published: 8080\n        host_ip: 127.0.0.1\n",
        );
        let ports = &services[0].ports;
        assert_eq!(ports.len(), 5);
        assert!(ports[0].on_all_interfaces());
        assert_eq!(ports[0].published.as_deref(), Some("5432"));
        assert!(!ports[1].on_all_interfaces());
        assert!(ports[2].on_all_interfaces());
        assert_eq!(ports[2].published, None);
        assert_eq!(ports[3].host_ip.as_deref(), Some("::1"));
        assert!(ports[4].long && !ports[4].on_all_interfaces());
    }

    #[test]
    fn environment_as_list_and_map() {
        let services = parse(
            "services:\n  a:\n    build: .\n    environment:\n      - DEBUG=1\n      - PASSTHROUGH\n  b:\n    build:\n      context: ./web\n    environment:\n      SECRET_KEY: abc\n      EMPTY:\n",
        );
        assert_eq!(
            services[0].env("DEBUG").unwrap().value.as_deref(),
            Some("1")
        );
        assert_eq!(services[0].env("PASSTHROUGH").unwrap().value, None);
        assert_eq!(services[0].build_context.as_deref(), Some("."));
        assert_eq!(
            services[1].env("SECRET_KEY").unwrap().value.as_deref(),
            Some("abc")
        );
        assert_eq!(services[1].build_context.as_deref(), Some("./web"));
    }

    #[test]
    fn volumes_and_flags() {
        let services = parse(
            "services:\n  a:\n    image: x\n    privileged: true\n    command: [\"gunicorn\", \"app:app\"]\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n      - data:/data\n      - type: bind\n        source: /run/docker.sock\n        target: /var/run/docker.sock\n",
        );
        let a = &services[0];
        assert!(a.privileged);
        assert_eq!(a.command, "gunicorn app:app");
        assert_eq!(a.volumes[0].source, "/var/run/docker.sock");
        assert_eq!(a.volumes[2].source, "/run/docker.sock");
    }

    #[test]
    fn merge_keys_bring_in_shared_blocks() {
        let services = parse(
            "x-common: &common\n  build:\n    context: ../..\n  environment: &env\n    A: \"1\"\nservices:\n  web:\n    <<: *common\n    environment:\n      <<: *env\n      B: \"2\"\n  db:\n    image: postgres:16\n",
        );
        assert_eq!(services[0].build_context.as_deref(), Some("../.."));
        assert_eq!(services[0].env("A").unwrap().value.as_deref(), Some("1"));
        assert_eq!(services[0].env("B").unwrap().value.as_deref(), Some("2"));
        assert_eq!(services[1].build_context, None);
    }

    #[test]
    fn no_services() {
        assert!(parse("version: '3'\n").is_empty());
        assert!(parse("services: [1, 2]\n").is_empty());
    }
}
