//! Shared judgement of `NAME=value` pairs (`.env` files, compose `environment:`): does this
//! pair hold a secret? A name that says secret with a value that is not a placeholder, or a
//! value that is a credential whatever its name (a token in its issuer's format, a URL with a
//! password in it).

pub(crate) mod env_file_committed;

use std::sync::LazyLock;

/// Words of a variable name that say it holds a secret: matched as `_`/`-`-separated parts
/// (`DJANGO_SECRET_KEY`, `DB_PASSWORD`, `api-key`) or, for the long ones, anywhere
/// (`MYSQLPASSWORD`).
const SECRET_WORDS: &[&str] = &[
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "PASS",
    "PWD",
    "TOKEN",
    "KEY",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
];

/// Name parts that, after a secret word, say the value is not the secret but something about
/// it: `SECRET_KEY_FILE` is a path, `PASSWORD_MIN_LENGTH` a number.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "FILE", "PATH", "DIR", "LENGTH", "LEN", "ID", "NAME", "URL", "HOST", "PORT", "ENABLED",
];

/// Does the variable's name say it holds a secret?
pub fn is_secret_name(name: &str) -> bool {
    let upper = name.to_uppercase();
    let parts: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let Some(last_secret) = parts.iter().rposition(|p| SECRET_WORDS.contains(p)) else {
        return ["PASSWORD", "SECRET", "TOKEN", "APIKEY", "CREDENTIAL"]
            .iter()
            .any(|w| upper.contains(w));
    };
    // `PUBLIC_KEY`, `KEY_ID`, `SECRET_KEY_FILE`: the part after the secret word says what the
    // value is.
    let rest = &parts[last_secret + 1..];
    if rest.iter().any(|p| NOT_SECRET_SUFFIXES.contains(p)) {
        return false;
    }
    !(parts[last_secret] == "KEY"
        && last_secret > 0
        && matches!(
            parts[last_secret - 1],
            "PUBLIC" | "SITE" | "PUBLISHABLE" | "CACHE"
        ))
}

/// Values that hold no secret: empty, a placeholder to replace, a reference to another
/// variable, or a development-only value that says so (`django-insecure-...`).
pub fn is_placeholder(value: &str) -> bool {
    const WORDS: &[&str] = &[
        "change-me",
        "change_me",
        "changeit",
        "changeme",
        "changethis",
        "dummy",
        "example",
        "false",
        "fixme",
        "none",
        "null",
        "placeholder",
        "replace-me",
        "replace_me",
        "replaceme",
        "secret",
        "password",
        "tbd",
        "test",
        "todo",
        "true",
        // Flags under a secret-sounding name (`MYSQL_ALLOW_EMPTY_PASSWORD: "yes"`,
        // archivebox's `GOOGLE_API_KEY=no`).
        "yes",
        "no",
        "on",
        "off",
    ];
    // Phrases that ask the reader to put their own value in (`SomeSecretPassword`,
    // `SET_THIS_TO_SOME_SECRET`), compared without case and separators.
    const PHRASES: &[&str] = &[
        "somesecret",
        "somepassword",
        "setthis",
        "changethis",
        "yoursecret",
        "yourpassword",
        "insertyour",
        "replacewith",
    ];
    let value = value.trim();
    let lower = value.to_lowercase();
    let squashed: String = lower.chars().filter(char::is_ascii_alphanumeric).collect();
    value.is_empty()
        || WORDS.contains(&lower.as_str())
        || PHRASES.iter().any(|p| squashed.contains(p))
        || lower
            .chars()
            .all(|c| matches!(c, 'x' | '*' | '.' | '#' | '-' | '_'))
        || (value.starts_with('<') && value.ends_with('>'))
        || (value.starts_with("${") && value.ends_with('}'))
        || (value.starts_with("{{") && value.ends_with("}}"))
        || (value.starts_with('$')
            && value[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || [
            "your-",
            "your_",
            "your ",
            "change-",
            "changeme",
            "django-insecure",
        ]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// A value that is a credential whatever its variable is called: a token in a format its
/// issuer made recognisable, or a URL carrying a password (`postgres://app:pw@db/app`).
pub fn is_credential_value(value: &str) -> bool {
    static TOKEN: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[0-9A-Za-z]{36}\b|\bgithub_pat_[0-9A-Za-z_]{82}\b|\bxox[baprs]-[0-9]{6,}-[0-9A-Za-z-]{10,}|\b[rs]k_live_[0-9A-Za-z]{24,}|\bAIza[0-9A-Za-z_-]{35}|\bpypi-AgEIcHlwaS5vcmc[0-9A-Za-z_-]{50,}|-----BEGIN [A-Z ]*PRIVATE KEY",
        )
        .expect("valid token pattern")
    });
    static URL_PASSWORD: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"^[a-zA-Z][a-zA-Z0-9+.-]*://(?P<user>[^:/@\s]*):(?P<pw>[^@/\s]+)@")
            .expect("valid URL pattern")
    });
    static EXAMPLE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)example|dummy|fake|sample|x{8}|0{8}|1234567890")
            .expect("valid example pattern")
    });
    if TOKEN
        .find(value)
        .is_some_and(|m| !EXAMPLE.is_match(m.as_str()))
    {
        return true;
    }
    // NOTE: a password equal to its user name (`postgres://saleor:saleor@db/saleor`) is a
    // local stack's throwaway default, not a credential someone could reuse.
    URL_PASSWORD.captures(value.trim()).is_some_and(|c| {
        let user = c.name("user").map_or("", |u| u.as_str());
        c.name("pw")
            .is_some_and(|pw| !is_placeholder(pw.as_str()) && pw.as_str() != user)
    })
}

/// A value that is a credential by its issuer's format alone (a cloud key, a GitHub or PyPI
/// token, a private key): what still counts in development, test and example files, where
/// names like `SECRET_KEY` hold local throwaway values.
pub fn is_token_value(value: &str) -> bool {
    !value.contains("://") && is_credential_value(value)
}

/// Does `name=value` hold a secret?
pub fn holds_secret(name: &str, value: &str) -> bool {
    if is_placeholder(value) {
        return false;
    }
    is_credential_value(value)
        || (is_secret_name(name) && !is_credential_url_without_password(value))
}

/// `REDIS_PASSWORD_URL=redis://redis:6379/0`-like values under a secret name: a URL with no
/// password in it is not a secret.
fn is_credential_url_without_password(value: &str) -> bool {
    value.contains("://") && !is_credential_value(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_names() {
        for name in [
            "SECRET_KEY",
            "DJANGO_SECRET_KEY",
            "DB_PASSWORD",
            "POSTGRES_PASSWORD",
            "MYSQLPASSWORD",
            "API_TOKEN",
            "STRIPE_KEY",
            "aws_secret_access_key",
            "GOOGLE_APPLICATION_CREDENTIALS",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in [
            "COMPOSE_PROJECT_NAME",
            "DEBUG",
            "DATABASE_HOST",
            "SECRET_KEY_FILE",
            "PUBLIC_KEY",
            "RECAPTCHA_SITE_KEY",
            "AWS_ACCESS_KEY_ID",
            "KEYBOARD_LAYOUT",
            "PASSWORD_MIN_LENGTH",
        ] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn credential_values() {
        assert!(is_credential_value("postgres://app:hunter2@db/app"));
        assert!(is_credential_value("AKIAHARDENTESTKEY001"));
        assert!(!is_credential_value("AKIAIOSFODNN7EXAMPLE"));
        assert!(!is_credential_value("postgres://app:${DB_PASSWORD}@db/app"));
        assert!(!is_credential_value("postgres://db/app"));
        assert!(!is_credential_value("http://localhost:8000"));
        // A password equal to its user: a local stack's default (saleor's devcontainer).
        assert!(!is_credential_value("postgres://saleor:saleor@db/saleor"));
    }

    #[test]
    fn flags_and_fill_in_phrases_are_not_secrets() {
        for value in [
            "yes",
            "no",
            "on",
            "off",
            "SomeSecretPassword",
            "SET_THIS_TO_SOME_SECRET",
        ] {
            assert!(is_placeholder(value), "{value}");
        }
        assert!(!holds_secret("MYSQL_ALLOW_EMPTY_PASSWORD", "yes"));
        assert!(!holds_secret("GOOGLE_API_KEY", "no"));
        assert!(holds_secret(
            "SEARCH_BACKEND_PASSWORD",
            "k3v9-a-real-looking-value"
        ));
    }

    #[test]
    fn token_values_are_what_counts_in_local_files() {
        assert!(is_token_value("AKIAHARDENTESTKEY001"));
        assert!(!is_token_value("postgres://app:hunter2@db/app"));
        assert!(!is_token_value("k3v9-a-real-looking-value"));
    }

    #[test]
    fn secrets() {
        assert!(holds_secret("SECRET_KEY", "k3v9-a-real-looking-value"));
        assert!(holds_secret("DATABASE_URL", "postgres://app:pw1@db/app"));
        assert!(!holds_secret("SECRET_KEY", "changethis"));
        assert!(!holds_secret("SECRET_KEY", "django-insecure-abc"));
        assert!(!holds_secret("DATABASE_URL", "postgres://db/app"));
        assert!(!holds_secret("COMPOSE_PROJECT_NAME", "myapp"));
        assert!(!holds_secret("MEDIA_ROOT", "/srv/media"));
        assert!(!holds_secret("SITE_URL", "http://localhost:8000"));
    }

    #[test]
    fn placeholders() {
        for value in [
            "",
            "  ",
            "changeme",
            "CHANGE_ME",
            "changethis",
            "xxx",
            "****",
            "<your key>",
            "${SECRET}",
            "$SECRET",
            "{{ secret }}",
            "your-secret-key",
        ] {
            assert!(is_placeholder(value), "{value:?}");
        }
        for value in ["hunter2", "k3v9-not-a-real-secret", "0"] {
            assert!(!is_placeholder(value), "{value:?}");
        }
    }
}
