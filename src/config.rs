//! Project configuration: `harden.toml` at the root, or `[tool.harden]` in pyproject.toml.
//! Every error is collected with its file, line and key before anything runs.

use std::collections::BTreeMap;
use std::path::Path;

use globset::{Glob, GlobSet, GlobSetBuilder};
use toml_span::de_helpers::TableHelper;
use toml_span::value::ValueInner;
use toml_span::{Span, Spanned, Value};

use crate::checks::Registry;
use crate::checks::profile::expand_selector;
use crate::diagnostic::{ConfigError, from_toml_span};
use crate::finding::Severity;

/// The configuration as written, positions kept for errors found later (unknown check ids are
/// only known once the user's extra checks are loaded).
#[derive(Debug, Default, Clone)]
pub struct ProjectConfig {
    /// `harden.toml` or `pyproject.toml`; empty when there is no configuration.
    pub file: String,
    source: String,
    pub profile: Option<Spanned<String>>,
    pub select: Option<Vec<Spanned<String>>>,
    pub extend_select: Vec<Spanned<String>>,
    pub ignore: Vec<Spanned<String>>,
    pub fail_on: Option<Severity>,
    pub severity: Vec<(Spanned<String>, Severity)>,
    pub params: Vec<(Spanned<String>, ParamValues)>,
    pub exclude: Vec<Spanned<String>>,
    pub production_settings: Vec<Spanned<String>>,
    pub development_settings: Vec<Spanned<String>>,
    /// `production = [...]` / `development = [...]`: globs of files whose scope the project
    /// decides itself (any file: settings modules, Dockerfiles, compose files).
    pub production: Vec<Spanned<String>>,
    pub development: Vec<Spanned<String>>,
    /// Extra check directories, relative to the root.
    pub checks: Vec<String>,
}

/// One check's parameter overrides: name → (value, position of the name).
pub type ParamValues = BTreeMap<String, (serde_json::Value, Span)>;

const KEYS: &[&str] = &[
    "checks",
    "development",
    "development-settings",
    "exclude",
    "extend-select",
    "extends",
    "fail-on",
    "ignore",
    "params",
    "production",
    "production-settings",
    "profile",
    "select",
    "severity",
];

impl ProjectConfig {
    /// Read the configuration file named with `--config`: a `harden.toml`-shaped file, or a
    /// `pyproject.toml` whose `[tool.harden]` table is the configuration.
    pub fn read_file(path: &Path) -> Result<Self, Vec<ConfigError>> {
        let display = path.display().to_string();
        let source = std::fs::read_to_string(path).map_err(|e| {
            vec![ConfigError::new(
                &display,
                "",
                None,
                format!("cannot read the configuration file: {e}"),
            )]
        })?;
        let pointer = (path.file_name().and_then(|n| n.to_str()) == Some("pyproject.toml"))
            .then_some("/tool/harden");
        Self::parse(&display, &source, pointer)
    }

    /// Find and read the configuration of the project at `root`.
    pub fn discover(root: &Path) -> Result<Self, Vec<ConfigError>> {
        let harden_toml = root.join("harden.toml");
        if harden_toml.is_file() {
            let source = std::fs::read_to_string(&harden_toml).map_err(|e| {
                vec![ConfigError::new(
                    "harden.toml",
                    "",
                    None,
                    format!("cannot read: {e}"),
                )]
            })?;
            return Self::parse("harden.toml", &source, None);
        }
        let pyproject = root.join("pyproject.toml");
        if pyproject.is_file()
            && let Ok(source) = std::fs::read_to_string(&pyproject)
            && source.contains("harden")
        {
            // An invalid pyproject.toml is a parse-error finding, not a configuration error,
            // unless it visibly holds our table.
            return match Self::parse("pyproject.toml", &source, Some("/tool/harden")) {
                Err(errors) if !source.contains("[tool.harden") => {
                    let _ = errors;
                    Ok(Self::default())
                }
                other => other,
            };
        }
        Ok(Self::default())
    }

    pub fn parse(
        file: &str,
        source: &str,
        pointer: Option<&str>,
    ) -> Result<Self, Vec<ConfigError>> {
        let mut root =
            toml_span::parse(source).map_err(|e| from_toml_span(file, source, vec![e]))?;
        let value = match pointer {
            Some(pointer) => match root.pointer_mut(pointer) {
                Some(value) => value,
                None => return Ok(Self::default()),
            },
            None => &mut root,
        };
        let mut errors = Vec::new();
        let config = read_table(value, &mut errors).map(|mut config| {
            config.file = file.to_string();
            config.source = source.to_string();
            config
        });
        let mut errors = from_toml_span(file, source, errors);
        if let Some(config) = &config {
            errors.extend(config.validate_globs());
        }
        match config {
            Some(config) if errors.is_empty() => Ok(config),
            _ => Err(errors),
        }
    }

    fn error(&self, span: Span, message: impl Into<String>) -> ConfigError {
        ConfigError::new(
            &self.file,
            &self.source,
            Some(span.start..span.end),
            message,
        )
    }

    fn validate_globs(&self) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        for (key, globs) in [
            ("exclude", &self.exclude),
            ("production-settings", &self.production_settings),
            ("development-settings", &self.development_settings),
            ("production", &self.production),
            ("development", &self.development),
        ] {
            for glob in globs {
                if let Err(e) = Glob::new(&glob.value) {
                    errors.push(self.error(
                        glob.span,
                        format!("`{key}`: invalid glob `{}`: {}", glob.value, e.kind()),
                    ));
                }
            }
        }
        errors
    }

    /// The scope overrides of the project model: `production`/`development` with the older
    /// `production-settings`/`development-settings`, which mean the same.
    pub fn scope_overrides(&self) -> crate::project::Overrides {
        let globs = |lists: [&Vec<Spanned<String>>; 2]| {
            lists
                .iter()
                .flat_map(|l| l.iter().map(|g| g.value.clone()))
                .collect()
        };
        crate::project::Overrides {
            production: globs([&self.production, &self.production_settings]),
            development: globs([&self.development, &self.development_settings]),
        }
    }

    pub fn exclude_set(&self) -> GlobSet {
        let mut builder = GlobSetBuilder::new();
        for glob in &self.exclude {
            if let Ok(glob) = Glob::new(&glob.value) {
                builder.add(glob.clone());
                // `dir` and `dir/**` both mean the directory: match its contents too.
                if let Ok(inner) = Glob::new(&format!("{}/**", glob.glob().trim_end_matches('/'))) {
                    builder.add(inner);
                }
            }
        }
        builder.build().unwrap_or_else(|_| GlobSet::empty())
    }

    /// Check every id, selector and parameter against the loaded checks.
    pub fn validate(&self, registry: &Registry) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        let selectors = self
            .select
            .iter()
            .flatten()
            .chain(&self.extend_select)
            .chain(&self.ignore);
        for selector in selectors {
            if expand_selector(registry, &selector.value).is_empty() {
                errors.push(self.error(
                    selector.span,
                    format!("unknown check or domain `{}`", selector.value),
                ));
            }
        }
        for (id, _) in &self.severity {
            if registry.get(&id.value).is_none() {
                errors.push(self.error(id.span, format!("unknown check `{}`", id.value)));
            }
        }
        for (id, values) in &self.params {
            let Some(check) = registry.get(&id.value) else {
                errors.push(self.error(id.span, format!("unknown check `{}`", id.value)));
                continue;
            };
            for (key, (value, span)) in values {
                match check.params.get(key) {
                    None => {
                        let known: Vec<&str> = check.params.keys().map(String::as_str).collect();
                        let known = if known.is_empty() {
                            "none".to_string()
                        } else {
                            known.join(", ")
                        };
                        errors.push(self.error(
                            *span,
                            format!(
                                "check `{}` has no parameter `{key}` (parameters: {known})",
                                id.value
                            ),
                        ));
                    }
                    Some(default) if json_type(default) != json_type(value) => {
                        errors.push(self.error(
                            *span,
                            format!(
                                "parameter `{key}` of `{}` must be {}, found {}",
                                id.value,
                                json_type(default),
                                json_type(value)
                            ),
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        errors
    }
}

fn json_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "a table",
    }
}

fn custom(span: Span, message: impl Into<String>) -> toml_span::Error {
    crate::checks::matchers::custom(span, message)
}

fn read_table(value: &mut Value<'_>, errors: &mut Vec<toml_span::Error>) -> Option<ProjectConfig> {
    let mut th = TableHelper::new(value)
        .map_err(|e| errors.extend(e.errors))
        .ok()?;
    let mut config = ProjectConfig::default();
    let profile = th.optional_s::<String>("profile");
    let extends = th.optional_s::<String>("extends");
    if let (Some(_), Some(extends)) = (&profile, &extends) {
        errors.push(custom(
            extends.span,
            "`profile` and `extends` mean the same thing: give one",
        ));
    }
    config.profile = profile.or(extends);
    config.select = th.optional("select");
    config.extend_select = th.optional("extend-select").unwrap_or_default();
    config.ignore = th.optional("ignore").unwrap_or_default();
    if let Some(fail_on) = th.optional_s::<String>("fail-on") {
        config.fail_on = crate::checks::parse_severity(&fail_on.value)
            .map_err(|m| errors.push(custom(fail_on.span, m)))
            .ok();
    }
    config.exclude = th.optional("exclude").unwrap_or_default();
    config.production_settings = th.optional("production-settings").unwrap_or_default();
    config.development_settings = th.optional("development-settings").unwrap_or_default();
    config.production = th.optional("production").unwrap_or_default();
    config.development = th.optional("development").unwrap_or_default();
    config.checks = th.optional("checks").unwrap_or_default();
    if let Some((_, mut severity)) = th.take("severity") {
        let span = severity.span;
        match severity.take() {
            ValueInner::Table(table) => {
                for (key, level) in table {
                    match level.as_str().map(crate::checks::parse_severity) {
                        Some(Ok(level)) => config
                            .severity
                            .push((Spanned::with_span(key.name.to_string(), key.span), level)),
                        Some(Err(message)) => errors.push(custom(level.span, message)),
                        None => errors.push(custom(level.span, "expected a severity string")),
                    }
                }
            }
            _ => errors.push(custom(
                span,
                "`severity` must be a table of check id = severity",
            )),
        }
    }
    if let Some((_, mut params)) = th.take("params") {
        let span = params.span;
        match params.take() {
            ValueInner::Table(table) => {
                for (key, mut check_params) in table {
                    let check_span = check_params.span;
                    let ValueInner::Table(values) = check_params.take() else {
                        errors.push(custom(check_span, "expected a table of parameters"));
                        continue;
                    };
                    let values = values
                        .into_iter()
                        .map(|(k, v)| {
                            (
                                k.name.to_string(),
                                (crate::checks::definition::to_json(&v), k.span),
                            )
                        })
                        .collect();
                    config
                        .params
                        .push((Spanned::with_span(key.name.to_string(), key.span), values));
                }
            }
            _ => errors.push(custom(
                span,
                "`params` must be a table of check id = { parameter = value }",
            )),
        }
    }
    if let Err(e) = th.finalize(None) {
        for error in e.errors {
            if let toml_span::ErrorKind::UnexpectedKeys { keys, .. } = &error.kind {
                for (key, span) in keys {
                    errors.push(custom(
                        *span,
                        format!("unknown key `{key}` (expected one of: {})", KEYS.join(", ")),
                    ));
                }
            } else {
                errors.push(error);
            }
        }
    }
    Some(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_every_error_with_position() {
        let source =
            "profile = \"strict\"\nselct = [\"x\"]\nfail-on = \"urgent\"\nexclude = [\"[\"]\n";
        let errors = ProjectConfig::parse("harden.toml", source, None).unwrap_err();
        let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(text.len(), 3, "{text:#?}");
        assert!(
            text.iter()
                .any(|e| e.starts_with("harden.toml:2:1: unknown key `selct`")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("harden.toml:3:12: unknown severity `urgent`")),
            "{text:#?}"
        );
        assert!(
            text.iter()
                .any(|e| e.starts_with("harden.toml:4:13: `exclude`: invalid glob `[`")),
            "{text:#?}"
        );
    }

    #[test]
    fn reads_tool_harden_from_pyproject() {
        let source = "[project]\nname = \"x\"\n[tool.harden]\nignore = [\"deps\"]\n";
        let config = ProjectConfig::parse("pyproject.toml", source, Some("/tool/harden")).unwrap();
        assert_eq!(config.ignore[0].value, "deps");
    }
}
