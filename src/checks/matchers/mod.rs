//! The closed set of matchers a check file can use. Each matcher is one file; `builtin` hands
//! over to named Rust logic for what data cannot say.

pub mod django_setting;
pub mod file_absent;
pub mod regex;
pub mod yaml_value;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use toml_span::de_helpers::TableHelper;
use toml_span::{Span, Value};

use super::builtins::{self, Builtin};
use super::definition::Check;
use crate::finding::{Location, Related, Suppression};
use crate::fix::Edit;
use crate::project::Project;
use crate::project::django::Resolved;
use crate::project::flask::AppModule;
use crate::templates::Templates;

/// What a matcher sees while it runs.
pub struct Ctx<'a> {
    pub project: &'a Project,
    pub check: &'a Check,
    /// The check's parameters after the project's overrides.
    pub params: &'a BTreeMap<String, serde_json::Value>,
    pub templates: &'a Templates,
    /// The project's Django settings entries, resolved once per run and shared by every
    /// django-* check (resolving them per check cost a second on a 50,000-file tree).
    pub django: &'a OnceLock<Vec<Resolved<'a>>>,
    /// The project's Flask/FastAPI application and config modules, read once per run for the
    /// flask-* and fastapi-* checks.
    pub flask: &'a OnceLock<Vec<AppModule>>,
}

impl<'a> Ctx<'a> {
    /// Every Flask/FastAPI related module, read on first use.
    pub fn flask_modules(&self) -> &[AppModule] {
        self.flask
            .get_or_init(|| crate::project::flask::modules(self.project))
    }

    /// Every Django settings entry module, resolved on first use.
    pub fn django_entries(&self) -> &[Resolved<'a>] {
        self.django
            .get_or_init(|| crate::project::django::entries(self.project))
    }

    /// A list-of-strings parameter; the loader guarantees declared parameters exist.
    pub fn param_strings(&self, name: &str) -> Vec<String> {
        self.params
            .get(name)
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn param_str(&self, name: &str) -> Option<&str> {
        self.params.get(name).and_then(|v| v.as_str())
    }

    /// A regular-expression parameter, compiled now: call it once there is something to
    /// match, as compiling costs more than a run on a project without such files.
    pub fn param_regex(&self, name: &str) -> Option<::regex::Regex> {
        self.param_str(name)
            .and_then(|p| ::regex::Regex::new(p).ok())
    }

    pub fn param_int(&self, name: &str) -> Option<i64> {
        self.params.get(name).and_then(|v| v.as_i64())
    }
}

/// One raw match: where, what the message template gets, and the edits of its fix (`None`
/// when this particular finding cannot be fixed automatically).
#[derive(Debug, Clone, Default)]
pub struct Hit {
    pub location: Option<Location>,
    pub related: Vec<Related>,
    pub vars: BTreeMap<&'static str, minijinja::Value>,
    pub edits: Option<Vec<Edit>>,
    /// The offending content the baseline fingerprint is built from; defaults to the text
    /// of the primary span, or the message for whole-file findings.
    pub fingerprint: Option<String>,
    /// Set when the project itself silences this finding (e.g. SILENCED_SYSTEM_CHECKS).
    pub suppressed: Option<Suppression>,
    /// A severity this finding has above the check's own (a critical advisory); a severity set
    /// in the profile or configuration still wins.
    pub severity: Option<crate::finding::Severity>,
    /// Identifiers the finding carries to SARIF (advisory ids).
    pub tags: Vec<String>,
    /// Not 0 only for the stand-in [`CappedHits`] leaves for a file: this many hits of the
    /// check in that file were counted but not built (the first at this hit's location), as
    /// the engine reports only the first [`crate::engine::MAX_FINDINGS_PER_FILE`] anyway.
    pub elided: usize,
}

impl Hit {
    pub fn at(location: Location) -> Self {
        Self {
            location: Some(location),
            ..Self::default()
        }
    }

    pub fn var(mut self, name: &'static str, value: impl Into<minijinja::Value>) -> Self {
        self.vars.insert(name, value.into());
        self
    }

    pub fn related(mut self, location: Location, note: impl Into<String>) -> Self {
        self.related.push(Related {
            location,
            note: note.into(),
        });
        self
    }

    pub fn edits(mut self, edits: Vec<Edit>) -> Self {
        self.edits = Some(edits);
        self
    }

    pub fn suppressed(mut self, suppression: Option<Suppression>) -> Self {
        self.suppressed = suppression;
        self
    }

    pub fn fingerprint(mut self, content: impl Into<String>) -> Self {
        self.fingerprint = Some(content.into());
        self
    }

    pub fn severity(mut self, severity: crate::finding::Severity) -> Self {
        self.severity = Some(severity);
        self
    }

    pub fn tags(mut self, tags: Vec<String>) -> Self {
        self.tags = tags;
        self
    }
}

/// A check's hits, built only while the engine would report them: once a file has
/// [`crate::engine::MAX_FINDINGS_PER_FILE`], the next ones are only counted, and the engine's
/// summary finding says how many. 500,000 packages on one `pip install` line built as many
/// hits (each with its variables) for the engine to throw all but 100 away.
///
/// The cap keeps a file's first hits in the order they are pushed: checks that use this push
/// them in file order.
#[derive(Debug, Default)]
pub struct CappedHits {
    hits: Vec<Hit>,
    built: BTreeMap<String, usize>,
    /// Per file: where the first hit not built is, and how many were not built.
    counted: BTreeMap<String, (Location, usize)>,
}

impl CappedHits {
    /// Whether the next hit in `path` would be reported (and so is worth building).
    pub fn wants(&self, path: &str) -> bool {
        self.built.get(path).copied().unwrap_or(0) < crate::engine::MAX_FINDINGS_PER_FILE
    }

    /// Add `hit` if its file still wants hits, else count it.
    pub fn push(&mut self, hit: Hit) {
        let Some(location) = &hit.location else {
            self.hits.push(hit);
            return;
        };
        if self.wants(&location.path) {
            *self.built.entry(location.path.clone()).or_default() += 1;
            self.hits.push(hit);
        } else {
            let location = location.clone();
            self.count(&location.path.clone(), || location);
        }
    }

    /// Count a hit in `path` that is not built: call it instead of [`CappedHits::push`] when
    /// [`CappedHits::wants`] says no. `location` is asked for the first such hit only.
    pub fn count(&mut self, path: &str, location: impl FnOnce() -> Location) {
        match self.counted.get_mut(path) {
            Some((_, count)) => *count += 1,
            None => {
                self.counted.insert(path.to_string(), (location(), 1));
            }
        }
    }

    /// The hits, and one stand-in per file for the hits counted but not built.
    pub fn into_hits(self) -> Vec<Hit> {
        let mut hits = self.hits;
        hits.extend(self.counted.into_values().map(|(location, elided)| Hit {
            elided,
            ..Hit::at(location)
        }));
        hits
    }
}

#[derive(Debug)]
pub enum Matcher {
    Builtin(&'static Builtin),
    Regex(regex::RegexMatcher),
    FileAbsent(file_absent::FileAbsent),
    YamlValue(yaml_value::YamlValue),
    DjangoSetting(Box<django_setting::DjangoSetting>),
}

impl Matcher {
    /// Variables this matcher gives message templates.
    pub fn vars(&self) -> Vec<&str> {
        match self {
            Self::Builtin(builtin) => builtin.vars.to_vec(),
            Self::Regex(m) => m.vars(),
            Self::FileAbsent(_) => file_absent::VARS.to_vec(),
            Self::YamlValue(_) => yaml_value::VARS.to_vec(),
            Self::DjangoSetting(_) => django_setting::VARS.to_vec(),
        }
    }

    pub fn run(&self, ctx: &Ctx<'_>) -> Vec<Hit> {
        match self {
            Self::Builtin(builtin) => (builtin.run)(ctx),
            Self::Regex(m) => m.run(ctx),
            Self::FileAbsent(m) => m.run(ctx),
            Self::YamlValue(m) => m.run(ctx),
            Self::DjangoSetting(m) => m.run(ctx),
        }
    }

    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Builtin(_) => "builtin",
            Self::Regex(_) => "regex",
            Self::FileAbsent(_) => "file-absent",
            Self::YamlValue(_) => "yaml-value",
            Self::DjangoSetting(_) => "django-setting",
        }
    }
}

pub(crate) fn custom(span: Span, message: impl Into<String>) -> toml_span::Error {
    toml_span::Error {
        kind: toml_span::ErrorKind::Custom(message.into().into()),
        span,
        line_info: None,
    }
}

/// Parse the `[match]` table; errors are appended, `None` when it cannot be built.
pub fn parse(
    value: &mut Value<'_>,
    params: &BTreeMap<String, serde_json::Value>,
    errors: &mut Vec<toml_span::Error>,
) -> Option<Matcher> {
    let mut th = TableHelper::new(value)
        .map_err(|e| errors.extend(e.errors))
        .ok()?;
    let kind = th.required_s::<String>("type").ok();
    let matcher = match kind.as_ref().map(|k| k.value.as_str()) {
        Some("builtin") => {
            let name = th.required_s::<String>("name").ok();
            name.and_then(|name| match builtins::find(&name.value) {
                Some(builtin) => {
                    for param in builtin.params {
                        if !params.contains_key(*param) {
                            errors.push(custom(
                                name.span,
                                format!(
                                    "builtin `{}` needs parameter `{param}` in `[params]`",
                                    builtin.name
                                ),
                            ));
                        }
                    }
                    Some(Matcher::Builtin(builtin))
                }
                None => {
                    let known: Vec<&str> = builtins::BUILTINS.iter().map(|b| b.name).collect();
                    errors.push(custom(
                        name.span,
                        format!(
                            "unknown builtin `{}` (known: {})",
                            name.value,
                            known.join(", ")
                        ),
                    ));
                    None
                }
            })
        }
        Some("regex") => regex::RegexMatcher::parse(&mut th, errors).map(Matcher::Regex),
        Some("file-absent") => {
            file_absent::FileAbsent::parse(&mut th, errors).map(Matcher::FileAbsent)
        }
        Some("yaml-value") => yaml_value::YamlValue::parse(&mut th, errors).map(Matcher::YamlValue),
        Some("django-setting") => django_setting::DjangoSetting::parse(&mut th, errors)
            .map(|m| Matcher::DjangoSetting(Box::new(m))),
        Some(other) => {
            if let Some(kind) = &kind {
                errors.push(custom(kind.span, format!("unknown matcher `{other}` (expected builtin, regex, file-absent, yaml-value or django-setting)")));
            }
            None
        }
        None => None,
    };
    if let Err(e) = th.finalize(None) {
        errors.extend(e.errors);
    }
    matcher
}
