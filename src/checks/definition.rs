//! A check file (`checks/<domain>/<name>.toml`) read with toml-span, so that every problem in
//! it is reported at once, each at its position.

use std::collections::BTreeMap;

use toml_span::de_helpers::TableHelper;
use toml_span::value::ValueInner;
use toml_span::{Span, Spanned, Value};

use super::matchers::{self, Matcher};
use super::{Docs, Examples, FixSpec, parse_confidence, parse_kind, parse_severity};
use crate::diagnostic::{ConfigError, from_toml_span};
use crate::finding::{Confidence, Severity};
use crate::fix::Applicability;
use crate::project::FileKind;

/// Variables every message template may use, whatever the matcher.
pub const COMMON_VARS: &[&str] = &["path"];

/// A validated check.
#[derive(Debug)]
pub struct Check {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    pub confidence: Confidence,
    pub kinds: Vec<FileKind>,
    /// minijinja template rendered with the matcher's variables.
    pub message: String,
    pub help: Option<String>,
    /// The offending text is a secret: outputs show where it is, never the source line.
    pub sensitive: bool,
    pub docs: Docs,
    pub examples: Examples,
    pub matcher: Matcher,
    /// Default parameters; a project's configuration may override these keys only.
    pub params: BTreeMap<String, serde_json::Value>,
    pub fix: Option<FixSpec>,
    /// Where the check was defined, for error messages.
    pub source_path: String,
}

impl Check {
    pub fn domain(&self) -> &str {
        self.id.split('-').next().unwrap_or(&self.id)
    }

    /// Whether harden can write this check's fix (for some findings at least).
    pub fn fixable(&self) -> bool {
        self.fix
            .as_ref()
            .is_some_and(|f| f.applicability != Applicability::DisplayOnly)
    }
}

type Errors = Vec<toml_span::Error>;

fn custom(span: Span, message: impl Into<String>) -> toml_span::Error {
    toml_span::Error {
        kind: toml_span::ErrorKind::Custom(message.into().into()),
        span,
        line_info: None,
    }
}

/// Parse and validate one check file. `rel` is its path under the checks directory
/// (`deps/unpinned-requirement.toml`), which the id must match.
pub fn parse_check(rel: &str, display_path: &str, source: &str) -> Result<Check, Vec<ConfigError>> {
    let mut root =
        toml_span::parse(source).map_err(|e| from_toml_span(display_path, source, vec![e]))?;
    let mut errors: Errors = Vec::new();
    let mut th =
        TableHelper::new(&mut root).map_err(|e| from_toml_span(display_path, source, e.errors))?;

    let id: Option<Spanned<String>> = th.required_s("id").ok();
    let title: Option<String> = th.required("title").ok();
    let severity = th.required_s::<String>("severity").ok();
    let confidence = th.optional_s::<String>("confidence");
    let kinds = th
        .optional::<Vec<Spanned<String>>>("kinds")
        .unwrap_or_default();
    let message: Option<Spanned<String>> = th.required_s("message").ok();
    let help = th.optional_s::<String>("help");
    let sensitive = th.optional::<bool>("sensitive").unwrap_or(false);
    let references = th.optional::<Vec<String>>("references").unwrap_or_default();
    let docs = th.take("docs");
    let example = th.take("example");
    let matcher_value = th.take("match");
    let params_value = th.take("params");
    let fix_value = th.take("fix");
    if let Err(e) = th.finalize(None) {
        errors.extend(e.errors);
    }

    let expected_id = rel.trim_end_matches(".toml").replace('/', "-");
    if let Some(id) = &id
        && id.value != expected_id
    {
        errors.push(custom(
            id.span,
            format!(
                "check id `{}` does not match its file: expected `{expected_id}`",
                id.value
            ),
        ));
    }
    let severity = severity.and_then(|s| {
        parse_severity(&s.value)
            .map_err(|m| errors.push(custom(s.span, m)))
            .ok()
    });
    let confidence = match confidence {
        Some(c) => parse_confidence(&c.value)
            .map_err(|m| errors.push(custom(c.span, m)))
            .ok(),
        None => Some(Confidence::High),
    };
    let kinds: Vec<FileKind> = kinds
        .into_iter()
        .filter_map(|k| {
            parse_kind(&k.value)
                .map_err(|m| errors.push(custom(k.span, m)))
                .ok()
        })
        .collect();

    let docs = match docs {
        Some((_, mut value)) => parse_docs(&mut value, references, &mut errors),
        None => {
            errors.push(custom(Span::new(0, 0), "missing required table `[docs]`"));
            Docs::default()
        }
    };
    let examples = match example {
        Some((_, mut value)) => parse_examples(&mut value, &mut errors),
        None => Examples::default(),
    };
    let params = match params_value {
        Some((_, value)) => match to_json(&value) {
            serde_json::Value::Object(map) => map.into_iter().collect(),
            _ => {
                errors.push(custom(value.span, "`params` must be a table"));
                BTreeMap::new()
            }
        },
        None => BTreeMap::new(),
    };
    let matcher = match matcher_value {
        Some((_, mut value)) => matchers::parse(&mut value, &params, &mut errors),
        None => {
            errors.push(custom(Span::new(0, 0), "missing required table `[match]`"));
            None
        }
    };
    let fix = fix_value.and_then(|(_, mut value)| parse_fix(&mut value, &mut errors));

    if let Some(matcher) = &matcher {
        let vars = matcher.vars();
        let mut check_template = |text: &str, span: Span, what: &str| {
            if let Err(message) = check_template_vars(text, &vars) {
                errors.push(custom(span, format!("{what}: {message}")));
            }
        };
        if let Some(message) = &message {
            check_template(&message.value, message.span, "message");
        }
        if let Some(help) = &help {
            check_template(&help.value, help.span, "help");
        }
        if let Some((fix, span)) = &fix {
            check_template(&fix.title, *span, "fix title");
        }
    }
    if !errors.is_empty() {
        return Err(from_toml_span(display_path, source, errors));
    }
    let (Some(id), Some(title), Some(severity), Some(confidence), Some(message), Some(matcher)) =
        (id, title, severity, confidence, message, matcher)
    else {
        // Every missing piece above recorded an error, so this is unreachable in practice.
        return Err(vec![ConfigError::new(
            display_path,
            source,
            None,
            "incomplete check definition",
        )]);
    };
    Ok(Check {
        id: id.value,
        title,
        severity,
        confidence,
        kinds,
        message: message.value,
        help: help.map(|h| h.value),
        sensitive,
        docs,
        examples,
        matcher,
        params,
        fix: fix.map(|(fix, _)| fix),
        source_path: display_path.to_string(),
    })
}

/// The variables a template uses must be ones the matcher provides.
pub fn check_template_vars(text: &str, vars: &[&str]) -> Result<(), String> {
    let env = minijinja::Environment::new();
    let template = env
        .template_from_str(text)
        .map_err(|e| format!("invalid template: {e}"))?;
    let mut unknown: Vec<String> = template
        .undeclared_variables(false)
        .into_iter()
        .filter(|v| !vars.contains(&v.as_str()) && !COMMON_VARS.contains(&v.as_str()))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    unknown.sort();
    let mut known: Vec<&str> = vars.iter().chain(COMMON_VARS).copied().collect();
    known.sort_unstable();
    Err(format!(
        "unknown template variable{} {} (this matcher provides: {})",
        if unknown.len() > 1 { "s" } else { "" },
        unknown
            .iter()
            .map(|v| format!("`{v}`"))
            .collect::<Vec<_>>()
            .join(", "),
        known.join(", ")
    ))
}

fn parse_docs(value: &mut Value<'_>, references: Vec<String>, errors: &mut Errors) -> Docs {
    let mut th = match TableHelper::new(value) {
        Ok(th) => th,
        Err(e) => {
            errors.extend(e.errors);
            return Docs::default();
        }
    };
    let why = th.required::<String>("why").unwrap_or_default();
    let fix = th.optional::<String>("fix");
    if let Err(e) = th.finalize(None) {
        errors.extend(e.errors);
    }
    Docs {
        why,
        fix,
        references,
    }
}

fn parse_examples(value: &mut Value<'_>, errors: &mut Errors) -> Examples {
    let mut examples = Examples::default();
    let span = value.span;
    let ValueInner::Table(table) = value.take() else {
        errors.push(custom(
            span,
            "`example` must be a table with `bad` and `good` file maps",
        ));
        return examples;
    };
    for (key, mut files) in table {
        let target = match key.name.as_ref() {
            "bad" => &mut examples.bad,
            "good" => &mut examples.good,
            other => {
                errors.push(custom(
                    key.span,
                    format!("unknown key `{other}` in `example` (expected bad, good)"),
                ));
                continue;
            }
        };
        let files_span = files.span;
        let ValueInner::Table(files) = files.take() else {
            errors.push(custom(
                files_span,
                "an example is a table of file path = file content",
            ));
            continue;
        };
        for (path, content) in files {
            match content.as_str() {
                Some(text) => {
                    target.insert(path.name.to_string(), text.to_string());
                }
                None => errors.push(custom(
                    content.span,
                    "example file content must be a string",
                )),
            }
        }
    }
    examples
}

fn parse_fix(value: &mut Value<'_>, errors: &mut Errors) -> Option<(FixSpec, Span)> {
    let mut th = TableHelper::new(value)
        .map_err(|e| errors.extend(e.errors))
        .ok()?;
    let applicability = th.required_s::<String>("applicability").ok();
    let title = th.required_s::<String>("title").ok();
    if let Err(e) = th.finalize(None) {
        errors.extend(e.errors);
    }
    let applicability = applicability?;
    let parsed = Applicability::parse(&applicability.value);
    if parsed.is_none() {
        errors.push(custom(
            applicability.span,
            format!(
                "unknown applicability `{}` (expected safe, unsafe or display-only)",
                applicability.value
            ),
        ));
    }
    let title = title?;
    Some((
        FixSpec {
            applicability: parsed?,
            title: title.value,
        },
        title.span,
    ))
}

/// Convert a toml-span value into JSON, the form parameters are kept in.
pub fn to_json(value: &Value<'_>) -> serde_json::Value {
    match value.as_ref() {
        ValueInner::String(s) => serde_json::Value::String(s.to_string()),
        ValueInner::Integer(i) => serde_json::Value::from(*i),
        ValueInner::Float(f) => serde_json::Value::from(*f),
        ValueInner::Boolean(b) => serde_json::Value::Bool(*b),
        ValueInner::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        ValueInner::Table(table) => serde_json::Value::Object(
            table
                .iter()
                .map(|(k, v)| (k.name.to_string(), to_json(v)))
                .collect(),
        ),
    }
}
