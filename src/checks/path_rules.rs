//! Simple path (and content) rules that set files aside as test material or development
//! configuration, for the checks that need it before the project model's scopes exist.
//!
//! NOTE: these are stand-ins: when the project model (src/project/) gives every file a scope
//! with its evidence, the checks using them switch to that, and this module goes.

/// Directory names whose content is test material: fixtures, test suites, test data.
const TEST_DIRS: &[&str] = &[
    "test",
    "tests",
    "testing",
    "testdata",
    "test_data",
    "fixtures",
    "__fixtures__",
    "__tests__",
    "spec",
    "specs",
];

/// Is the file test material: under a test or fixture directory, or a test module
/// (`test_*.py`, `*_test.py`, `conftest.py`, `tests.py`)?
pub fn is_test_material(path: &str) -> bool {
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let lower = part.to_lowercase();
        if parts.peek().is_some() {
            if TEST_DIRS.contains(&lower.as_str()) {
                return true;
            }
        } else {
            return crate::project::scope::is_test_module(&lower);
        }
    }
    false
}

/// Is a compose file for development or tests rather than production: by its path
/// (`docker-compose.override.yml`, `docker-compose.dev.yml`, `compose/local/...`,
/// `docker-compose.test.yml`, a file under a test directory or `.devcontainer/`) or by its
/// content (a service running a development server: `runserver`, `flask run`, `--reload`)?
pub fn is_development_compose(path: &str, text: &str) -> bool {
    let lower = path.to_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    const DEV_WORDS: &[&str] = &[
        "override",
        "dev",
        "develop",
        "development",
        "local",
        "test",
        "tests",
        "testing",
        "ci",
        "debug",
        "e2e",
    ];
    let name_says_dev = name
        .split(['.', '-', '_'])
        .any(|part| DEV_WORDS.contains(&part));
    let dir_says_dev = lower
        .split('/')
        .rev()
        .skip(1)
        .any(|dir| DEV_WORDS.contains(&dir) || dir == ".devcontainer" || dir == "devcontainer");
    if name_says_dev || dir_says_dev || is_test_material(path) {
        return true;
    }
    runs_development_server(text)
}

/// Does the text start a development server: Django's `runserver`, `flask run`, or a server
/// with auto-reload (`--reload`)?
pub fn runs_development_server(text: &str) -> bool {
    text.contains("runserver")
        || text.contains("flask run")
        || text.contains("--reload")
        || text.contains("run_server")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_material() {
        for path in [
            "tests/fixtures/.env",
            "src/app/tests/keys/server.key",
            "test_settings.py",
            "app/conftest.py",
            "pkg/views_test.py",
            "spec/data.yml",
        ] {
            assert!(is_test_material(path), "{path}");
        }
        for path in [
            ".env",
            "config/settings.py",
            "contest/app.py",
            "testimonials/.env",
        ] {
            assert!(!is_test_material(path), "{path}");
        }
    }

    #[test]
    fn development_compose() {
        for path in [
            "docker-compose.override.yml",
            "docker-compose.dev.yml",
            "compose.local.yaml",
            "compose/local/docker-compose.yml",
            "docker/dev/compose.yml",
            "docker-compose-test.yml",
            ".devcontainer/docker-compose.yml",
        ] {
            assert!(is_development_compose(path, ""), "{path}");
        }
        for path in [
            "docker-compose.yml",
            "compose.yaml",
            "docker-compose.prod.yml",
        ] {
            assert!(!is_development_compose(path, "services: {}"), "{path}");
        }
        assert!(is_development_compose(
            "docker-compose.yml",
            "command: python manage.py runserver 0.0.0.0:8000"
        ));
    }
}
