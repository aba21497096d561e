//! `type = "django-setting"`: in every production Django settings entry module, a setting
//! (after star imports, lists built in steps and Django's defaults) must satisfy `require`,
//! when every `when` condition holds. The value judged is the one the deployment gets when the
//! environment variables it reads are unset; a value harden cannot know, a required variable,
//! or a setting that is only set inside `if`/`try` never fires.
//!
//! Predicates are `<op> [json]`: `truthy`, `falsy`, `is-true`, `set`, `== v`, `!= v`, `>= n`,
//! `> n`, `<= n`, `< n`, `in [..]`, `not-in [..]`, `contains v`, `not-contains v`,
//! `contains-any [..]`, `none-starts-with "p"`, `first-not-in [..]`, `each-in [..]`,
//! `strong-secret` (a string, or every string of a list), `is-dict`, `any-class-matches "re"`
//! (a list item whose last dotted part matches). A dict item of a list matches a string by its
//! "NAME" key.
//! Conditions are `<SETTING> <predicate>`. `since = "1.9"` names the Django series that
//! introduced the setting: a project whose declared Django stops below it is not judged.
//!
//! Fixes: `fix-value` (Python source, a template with `env`) replaces the value in place when
//! the entry module assigns it, or inserts `SETTING = value` in the entry module (after its
//! last star import, or after a `fix-near` setting it assigns), adding `import os` when the
//! value needs it. `fix-insert-item` inserts an item into the list literal that defines the
//! setting, after the first of `fix-insert-after` present (or first); `fix-insert-source` does
//! the same with a Python expression (a dict entry). With both `fix-value` and an insert, the
//! value is written when the setting has no items yet, else the item is inserted.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;
use toml_span::Spanned;
use toml_span::de_helpers::TableHelper;

use super::{Ctx, Hit, custom};
use crate::finding::{Location, Suppression};
use crate::fix::Edit;
use crate::formats::python::{PythonFile, StmtKind, Value, ValueKind};
use crate::project::django::{Resolved, Setting};

pub const VARS: &[&str] = &[
    "setting",
    "value",
    "env",
    "entry",
    "origin",
    "var",
    "reader",
    "reader_object",
    "ineffective",
];

#[derive(Debug, Clone)]
pub enum Predicate {
    Truthy,
    Falsy,
    IsTrue,
    Set,
    Eq(serde_json::Value),
    Ne(serde_json::Value),
    Cmp(&'static str, i64),
    In(Vec<serde_json::Value>),
    NotIn(Vec<serde_json::Value>),
    Contains(serde_json::Value),
    /// Contains the dotted class, or a class of the same name from another module (the
    /// project's subclass or replacement: pretix's `multidomain.middlewares.CsrfViewMiddleware`).
    ContainsClass(String),
    NotContains(serde_json::Value),
    ContainsAny(Vec<serde_json::Value>),
    NoneStartsWith(String),
    FirstNotIn(Vec<serde_json::Value>),
    EachIn(Vec<serde_json::Value>),
    StrongSecret,
    IsDict,
    /// A list item (a dotted string, or a dict's `NAME`) whose last dotted part (a class name)
    /// matches the regex: `MIDDLEWARE any-class-matches "^\\w*HostMiddleware$"`, a project's
    /// `users.validators.PasswordLengthValidator` for `(?i)length`.
    AnyClassMatches(Regex),
}

impl Predicate {
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (op, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let json = || -> Result<serde_json::Value, String> {
            serde_json::from_str(rest.trim()).map_err(|e| format!("`{rest}` is not JSON: {e}"))
        };
        let array = || -> Result<Vec<serde_json::Value>, String> {
            match json()? {
                serde_json::Value::Array(items) => Ok(items),
                _ => Err(format!("`{op}` needs a JSON array")),
            }
        };
        let int = || -> Result<i64, String> {
            json()?
                .as_i64()
                .ok_or_else(|| format!("`{op}` needs an integer"))
        };
        Ok(match op {
            "truthy" => Self::Truthy,
            "falsy" => Self::Falsy,
            "is-true" => Self::IsTrue,
            "set" => Self::Set,
            "strong-secret" => Self::StrongSecret,
            "is-dict" => Self::IsDict,
            "==" => Self::Eq(json()?),
            "!=" => Self::Ne(json()?),
            ">=" => Self::Cmp(">=", int()?),
            ">" => Self::Cmp(">", int()?),
            "<=" => Self::Cmp("<=", int()?),
            "<" => Self::Cmp("<", int()?),
            "in" => Self::In(array()?),
            "not-in" => Self::NotIn(array()?),
            "contains" => Self::Contains(json()?),
            "not-contains" => Self::NotContains(json()?),
            "contains-class" => match json()? {
                serde_json::Value::String(s) => Self::ContainsClass(s),
                _ => return Err("`contains-class` needs a string".into()),
            },
            "contains-any" => Self::ContainsAny(array()?),
            "first-not-in" => Self::FirstNotIn(array()?),
            "each-in" => Self::EachIn(array()?),
            "any-class-matches" => match json()? {
                serde_json::Value::String(s) => Self::AnyClassMatches(
                    Regex::new(&s).map_err(|e| format!("`{s}` is not a regex: {e}"))?,
                ),
                _ => return Err("`any-class-matches` needs a string".into()),
            },
            "none-starts-with" => match json()? {
                serde_json::Value::String(s) => Self::NoneStartsWith(s),
                _ => return Err("`none-starts-with` needs a string".into()),
            },
            other => return Err(format!("unknown predicate `{other}`")),
        })
    }

    /// Whether `setting` satisfies the predicate; `None` when that cannot be known.
    pub fn holds(&self, setting: &Setting) -> Option<bool> {
        if let Self::Set = self {
            return Some(!setting.is_default());
        }
        if setting.maybe {
            return None;
        }
        let value = setting.value.when_unset()?;
        let contains = |wanted: &serde_json::Value| -> Option<bool> {
            let items = value.items()?;
            if items.iter().any(|i| json_eq(i, wanted) == Some(true)) {
                return Some(true);
            }
            if setting
                .maybe_items
                .iter()
                .any(|i| json_eq(i, wanted) != Some(false))
            {
                return None;
            }
            if items.iter().any(|i| json_eq(i, wanted).is_none()) {
                return None;
            }
            Some(false)
        };
        let one_of = |options: &[serde_json::Value]| -> Option<bool> {
            let mut unknown = false;
            for option in options {
                match json_eq(value, option) {
                    Some(true) => return Some(true),
                    Some(false) => {}
                    None => unknown = true,
                }
            }
            if unknown { None } else { Some(false) }
        };
        match self {
            Self::Set => Some(true),
            Self::Truthy => value.truthy(),
            Self::Falsy => value.truthy().map(|t| !t),
            Self::IsTrue => Some(value.kind == ValueKind::Bool(true)),
            Self::Eq(v) => json_eq(value, v),
            Self::Ne(v) => json_eq(value, v).map(|e| !e),
            Self::Cmp(op, n) => {
                let i = value.as_int()?;
                Some(match *op {
                    ">=" => i >= *n,
                    ">" => i > *n,
                    "<=" => i <= *n,
                    _ => i < *n,
                })
            }
            Self::In(options) => one_of(options),
            Self::NotIn(options) => one_of(options).map(|f| !f),
            Self::Contains(v) => contains(v),
            Self::ContainsClass(dotted) => {
                let class = dotted.rsplit('.').next().unwrap_or(dotted);
                contains_class(value, &setting.maybe_items, |name| {
                    name == dotted || name.rsplit('.').next() == Some(class)
                })
            }
            Self::NotContains(v) => contains(v).map(|f| !f),
            Self::ContainsAny(options) => {
                let mut unknown = false;
                for option in options {
                    match contains(option) {
                        Some(true) => return Some(true),
                        Some(false) => {}
                        None => unknown = true,
                    }
                }
                if unknown { None } else { Some(false) }
            }
            Self::AnyClassMatches(re) => contains_class(value, &setting.maybe_items, |name| {
                re.is_match(name.rsplit('.').next().unwrap_or(name))
            }),
            Self::NoneStartsWith(prefix) => {
                let items = value.items()?;
                let mut unknown = false;
                for item in items {
                    match item.as_str() {
                        Some(s) if s.starts_with(prefix.as_str()) => return Some(false),
                        Some(_) => {}
                        None => unknown = true,
                    }
                }
                if unknown { None } else { Some(true) }
            }
            // `None` passes; a string is a comma-separated list (as Django reads
            // SECURE_REFERRER_POLICY); every part must be one of the options.
            Self::EachIn(options) => {
                let parts: Vec<String> = match &value.kind {
                    ValueKind::None => return Some(true),
                    ValueKind::Str(s) => s.split(',').map(|p| p.trim().to_string()).collect(),
                    ValueKind::List(items) | ValueKind::Tuple(items) => items
                        .iter()
                        .map(|i| i.as_str().map(str::to_string))
                        .collect::<Option<Vec<_>>>()?,
                    _ => return None,
                };
                Some(
                    parts
                        .iter()
                        .all(|p| options.iter().any(|o| o.as_str() == Some(p.as_str()))),
                )
            }
            Self::FirstNotIn(options) => match value.items()?.first() {
                None => Some(true),
                Some(first) => {
                    let mut found = Some(false);
                    for option in options {
                        match json_eq(first, option) {
                            Some(true) => return Some(false),
                            Some(false) => {}
                            None => found = None,
                        }
                    }
                    found.map(|f| !f)
                }
            },
            // Django's own rule (security.W009, and W025 for each SECRET_KEY_FALLBACKS
            // entry): at least 50 characters, at least 5 distinct ones, and not the
            // `django-insecure-` prefix startproject writes.
            Self::StrongSecret => match &value.kind {
                ValueKind::List(items) | ValueKind::Tuple(items) => {
                    let mut unknown = false;
                    for item in items {
                        match item.when_unset().and_then(Value::as_str) {
                            Some(key) if !strong_secret(key) => return Some(false),
                            Some(_) => {}
                            None if item.is_required_env() => {}
                            None => unknown = true,
                        }
                    }
                    if unknown { None } else { Some(true) }
                }
                _ => Some(strong_secret(value.as_str()?)),
            },
            // Django 6's security.E026: SECURE_CSP and SECURE_CSP_REPORT_ONLY must be dicts.
            Self::IsDict => match &value.kind {
                ValueKind::Dict(_) => Some(true),
                ValueKind::Str(_)
                | ValueKind::Int(_)
                | ValueKind::Bool(_)
                | ValueKind::None
                | ValueKind::List(_)
                | ValueKind::Tuple(_) => Some(false),
                _ => None,
            },
        }
    }
}

fn strong_secret(key: &str) -> bool {
    let distinct: std::collections::BTreeSet<char> = key.chars().collect();
    key.chars().count() >= 50 && distinct.len() >= 5 && !key.starts_with("django-insecure-")
}

/// Python equality of a known value with a JSON value. A dict compares by its "NAME" key, as
/// AUTH_PASSWORD_VALIDATORS entries are named.
/// Whether a list names a class (a dotted string, or a dict whose `NAME` is one) that `is`
/// accepts; `None` when an item, or an item that may be added, cannot be read.
fn contains_class(value: &Value, maybe_items: &[Value], is: impl Fn(&str) -> bool) -> Option<bool> {
    let name = |item: &Value| -> Option<String> {
        match &item.kind {
            ValueKind::Dict(_) => item.get("NAME")?.as_str().map(str::to_string),
            _ => item.as_str().map(str::to_string),
        }
    };
    let items = value.items()?;
    if items.iter().any(|i| name(i).is_some_and(|n| is(&n))) {
        return Some(true);
    }
    if maybe_items.iter().any(|i| name(i).is_none_or(|n| is(&n)))
        || items.iter().any(|i| name(i).is_none())
    {
        return None;
    }
    Some(false)
}

fn json_eq(value: &Value, json: &serde_json::Value) -> Option<bool> {
    use serde_json::Value as J;
    Some(match (&value.kind, json) {
        (ValueKind::Dict(_), J::String(_)) => {
            return value.get("NAME").and_then(|n| json_eq(n, json));
        }
        (ValueKind::Str(s), J::String(j)) => s == j,
        (ValueKind::Int(i), J::Number(n)) => n.as_i64() == Some(*i),
        (ValueKind::Bool(b), J::Bool(j)) => b == j,
        (ValueKind::Bool(b), J::Number(n)) => n.as_i64() == Some(i64::from(*b)),
        (ValueKind::Int(i), J::Bool(j)) => *i == i64::from(*j),
        (ValueKind::None, J::Null) => true,
        (ValueKind::Str(_) | ValueKind::Int(_) | ValueKind::Bool(_) | ValueKind::None, _) => false,
        _ => return None,
    })
}

#[derive(Debug)]
pub struct DjangoSetting {
    pub setting: String,
    /// Further settings judged the same way, each on its own (`CSRF_COOKIE_SAMESITE` next to
    /// `SESSION_COOKIE_SAMESITE`, a legacy name next to the current one).
    pub also: Vec<String>,
    /// Whether the fix applies to the `also` settings too (false where the fix only makes
    /// sense for the main one: SECRET_KEY's environment read is no fix for a weak fallback).
    pub fix_also: bool,
    pub require: Predicate,
    pub when: Vec<(String, Predicate)>,
    /// At least one of these must hold (when any are given).
    pub when_any: Vec<(String, Predicate)>,
    /// Django system-check ids this check agrees with (from the check's references).
    pub fix_value: Option<String>,
    pub fix_near: Vec<String>,
    /// The Python source of the item to insert, and the string it is when it is one.
    pub fix_insert_item: Option<(String, Option<String>)>,
    pub fix_insert_after: Vec<String>,
    /// `unless`: conditions any of which sets the check aside (another component enforces
    /// the control: django-allauth's own minimum password length).
    pub unless: Vec<(String, Predicate)>,
    /// `env-default-ok`: a value read from the environment whose default fails `require` is
    /// not reported: the deployment must set it, and an unset variable fails closed.
    pub env_default_ok: bool,
    /// `ineffective`: conditions on settings that the finding makes do nothing (a
    /// SECURE_SSL_REDIRECT = True without SecurityMiddleware). Those the project sets and that
    /// hold are named in the `ineffective` variable and pointed at as related locations.
    pub ineffective: Vec<(String, Predicate)>,
    /// `since`: the Django series that introduced the setting (`"1.9"`). A project whose
    /// declared Django stops below it cannot set it, and is not judged.
    pub since: Option<(u64, u64)>,
}

impl DjangoSetting {
    pub fn parse(th: &mut TableHelper<'_>, errors: &mut Vec<toml_span::Error>) -> Option<Self> {
        let setting: String = th.required("setting").ok()?;
        let also: Vec<String> = th.optional("also").unwrap_or_default();
        let fix_also: bool = th.optional("fix-also").unwrap_or(true);
        let require: Spanned<String> = th.required_s("require").ok()?;
        let when: Vec<Spanned<String>> = th.optional("when").unwrap_or_default();
        let when_any: Vec<Spanned<String>> = th.optional("when-any").unwrap_or_default();
        let fix_value: Option<String> = th.optional("fix-value");
        let fix_near: Vec<String> = th.optional("fix-near").unwrap_or_default();
        let insert_string: Option<String> = th.optional("fix-insert-item");
        let insert_source: Option<String> = th.optional("fix-insert-source");
        let fix_insert_item = match (insert_string, insert_source) {
            (Some(item), _) => Some((format!("\"{item}\""), Some(item))),
            (None, Some(source)) => Some((source, None)),
            (None, None) => None,
        };
        let fix_insert_after: Vec<String> = th.optional("fix-insert-after").unwrap_or_default();
        let require = match Predicate::parse(&require.value) {
            Ok(p) => p,
            Err(message) => {
                errors.push(custom(require.span, message));
                return None;
            }
        };
        let unless: Vec<Spanned<String>> = th.optional("unless").unwrap_or_default();
        let env_default_ok: bool = th.optional("env-default-ok").unwrap_or(false);
        let ineffective: Vec<Spanned<String>> = th.optional("ineffective").unwrap_or_default();
        let ineffective = parse_conditions(ineffective, errors);
        let since: Option<Spanned<String>> = th.optional_s("since");
        let since = match since {
            None => None,
            Some(text) => match text
                .value
                .split_once('.')
                .and_then(|(a, b)| Some((a.parse::<u64>().ok()?, b.parse::<u64>().ok()?)))
            {
                Some(series) => Some(series),
                None => {
                    errors.push(custom(
                        text.span,
                        format!(
                            "`since` must be a Django series like \"1.9\", not `{}`",
                            text.value
                        ),
                    ));
                    return None;
                }
            },
        };
        let when_any = parse_conditions(when_any, errors);
        let conditions = parse_conditions(when, errors);
        let unless = parse_conditions(unless, errors);
        Some(Self {
            setting,
            also,
            fix_also,
            require,
            when: conditions,
            when_any,
            fix_value,
            fix_near,
            fix_insert_item,
            fix_insert_after,
            unless,
            env_default_ok,
            ineffective,
            since,
        })
    }

    pub fn run(&self, ctx: &Ctx<'_>) -> Vec<Hit> {
        let django_ids = django_ids(&ctx.check.docs.references);
        // A profile may ask for more than the check's own `require` (strict: DENY where
        // baseline accepts SAMEORIGIN) with a `require` parameter.
        let profile_require = ctx
            .param_str("require")
            .and_then(|text| Predicate::parse(text).ok());
        let require = profile_require.as_ref().unwrap_or(&self.require);
        // ...and may set aside fewer exemptions (strict: `unless = []` judges ALLOWED_HOSTS
        // even behind the project's own host-validation middleware).
        let profile_unless: Option<Vec<(String, Predicate)>> = ctx
            .params
            .get("unless")
            .and_then(|v| v.as_array())
            .map(|items| {
                items
                    .iter()
                    .filter_map(|i| i.as_str())
                    .filter_map(|text| {
                        let (name, predicate) = text.trim().split_once(char::is_whitespace)?;
                        Some((name.to_string(), Predicate::parse(predicate).ok()?))
                    })
                    .collect()
            });
        let unless = profile_unless.as_ref().unwrap_or(&self.unless);
        let mut hits = Vec::new();
        if let Some(series) = self.since
            && !crate::project::packaging::django_admits(ctx.project, series)
        {
            return hits;
        }
        for entry in ctx.django_entries() {
            // A module that failed to parse is reported by parse-error; judged here, every
            // setting it holds past the error would read as Django's default.
            if !entry.production || !entry.file.parsed().errors().is_empty() {
                continue;
            }
            let conditions_hold = self.when.iter().all(|(name, predicate)| {
                entry
                    .get(name)
                    .is_some_and(|s| predicate.holds(&s) == Some(true))
            });
            let any_holds = self.when_any.is_empty()
                || self.when_any.iter().any(|(name, predicate)| {
                    entry
                        .get(name)
                        .is_some_and(|s| predicate.holds(&s) == Some(true))
                });
            let set_aside = unless.iter().any(|(name, predicate)| {
                entry
                    .get(name)
                    .is_some_and(|s| predicate.holds(&s) == Some(true))
            });
            if !conditions_hold || !any_holds || set_aside {
                continue;
            }
            for name in std::iter::once(&self.setting).chain(&self.also) {
                let Some(setting) = entry.get(name) else {
                    continue;
                };
                if require.holds(&setting) != Some(false)
                    || (self.env_default_ok && setting.value.env_var().is_some())
                {
                    continue;
                }
                hits.push(self.hit(ctx, entry, name, &setting, &django_ids));
            }
        }
        hits
    }

    fn hit(
        &self,
        ctx: &Ctx<'_>,
        entry: &Resolved<'_>,
        name: &str,
        setting: &Setting,
        django_ids: &[String],
    ) -> Hit {
        let entry_path = entry.file.path.as_str();
        let env = setting.value.env_var().unwrap_or("").to_string();
        let value = setting
            .value
            .when_unset()
            .map(python_repr)
            .unwrap_or_default();
        let location = primary(entry_path, setting);
        let origin = match &setting.origin {
            Some(o) if o.path != entry_path => format!("inherited from {}", o.path),
            Some(_) => String::new(),
            None => "not set: Django's default".to_string(),
        };
        let mut hit = Hit::at(location)
            .var("setting", name)
            .var("value", value.clone())
            .var("env", env.clone())
            .var("entry", entry_path)
            .var("origin", origin)
            .fingerprint(format!("{name} {value}"));
        if let Some(o) = setting.origin.as_ref().filter(|o| o.path != entry_path) {
            hit = hit.related(
                Location::span(&o.path, o.value.clone().unwrap_or(o.stmt.clone())),
                format!("{name} set here"),
            );
        }
        // Settings the project set on purpose that this finding makes do nothing.
        let mut ineffective = Vec::new();
        for (other, predicate) in &self.ineffective {
            let Some(set) = entry.get(other).filter(|s| !s.is_default() && !s.maybe) else {
                continue;
            };
            if predicate.holds(&set) != Some(true) {
                continue;
            }
            let shown = set.value.when_unset().map(python_repr).unwrap_or_default();
            ineffective.push(format!("{other} = {shown}"));
            if let Some(o) = &set.origin {
                hit = hit.related(
                    Location::span(&o.path, o.value.clone().unwrap_or(o.stmt.clone())),
                    format!("{other} has no effect without it"),
                );
            }
        }
        hit = hit.var("ineffective", ineffective.join(", "));
        let silenced = entry.silenced();
        if let Some(id) = django_ids.iter().find(|id| silenced.contains(id)) {
            hit = hit.suppressed(Some(Suppression::Settings {
                reason: format!("silenced in settings ({id} in SILENCED_SYSTEM_CHECKS)"),
            }));
        }
        let no_items = setting
            .value
            .when_unset()
            .and_then(Value::items)
            .is_some_and(|items| items.is_empty());
        let write_value = self
            .fix_value
            .as_ref()
            .filter(|_| self.fix_insert_item.is_none() || no_items);
        let edits = if name != self.setting && !self.fix_also {
            None
        } else if let Some(template) = write_value {
            let style = env_style(ctx.project, entry, name, setting);
            let context = minijinja::Value::from_pairs(vec![
                ("env".to_string(), minijinja::Value::from(env.clone())),
                ("var".to_string(), minijinja::Value::from(style.var)),
                ("reader".to_string(), minijinja::Value::from(style.reader)),
                (
                    "reader_object".to_string(),
                    minijinja::Value::from(style.object),
                ),
            ]);
            ctx.templates
                .render_str(template, context)
                .ok()
                .and_then(|source| set_value(entry, name, setting, &source, &self.fix_near))
        } else if let Some((source, string)) = &self.fix_insert_item {
            insert_item(
                ctx,
                setting,
                source,
                string.as_deref(),
                &self.fix_insert_after,
            )
        } else {
            None
        };
        match edits {
            Some(edits) => hit.edits(edits),
            None => hit,
        }
    }
}

fn parse_conditions(
    conditions: Vec<Spanned<String>>,
    errors: &mut Vec<toml_span::Error>,
) -> Vec<(String, Predicate)> {
    let mut out = Vec::new();
    for condition in conditions {
        let text = condition.value.trim();
        let Some((name, predicate)) = text.split_once(char::is_whitespace) else {
            errors.push(custom(
                condition.span,
                "a condition is `<SETTING> <predicate>`",
            ));
            continue;
        };
        match Predicate::parse(predicate) {
            Ok(p) => out.push((name.to_string(), p)),
            Err(message) => errors.push(custom(condition.span, message)),
        }
    }
    out
}

/// The Django system-check ids (`security.W018`) named in a check's references.
pub fn django_ids(references: &[String]) -> Vec<String> {
    // Compiled once: every Django setting check asks, on every run.
    static DJANGO_ID: LazyLock<Option<Regex>> =
        LazyLock::new(|| Regex::new(r"\b(?:security|admin|auth)\.[WE]\d{3}\b").ok());
    let Some(re) = DJANGO_ID.as_ref() else {
        return Vec::new();
    };
    references
        .iter()
        .flat_map(|r| re.find_iter(r).map(|m| m.as_str().to_string()))
        .collect()
}

/// Where a finding about `setting` in `entry` points: the assignment in the entry module, the
/// star import it was inherited through, or the entry module as a whole for a default.
pub fn primary(entry: &str, setting: &Setting) -> Location {
    match (&setting.origin, &setting.via) {
        (Some(o), _) if o.path == entry => {
            Location::span(entry, o.value.clone().unwrap_or(o.stmt.clone()))
        }
        (_, Some(via)) => Location::span(entry, via.clone()),
        _ => Location::file(entry),
    }
}

/// A short Python rendering of a value, for messages.
pub fn python_repr(value: &Value) -> String {
    match &value.kind {
        ValueKind::Str(s) => {
            if s.chars().count() > 40 {
                let head: String = s.chars().take(12).collect();
                format!("'{head}…'")
            } else {
                format!("{s:?}").replace('"', "'")
            }
        }
        ValueKind::Int(i) => i.to_string(),
        ValueKind::Bool(true) => "True".into(),
        ValueKind::Bool(false) => "False".into(),
        ValueKind::None => "None".into(),
        ValueKind::List(items) | ValueKind::Tuple(items) => {
            let inner: Vec<String> = items.iter().take(4).map(python_repr).collect();
            let more = if items.len() > 4 { ", …" } else { "" };
            if matches!(value.kind, ValueKind::List(_)) {
                format!("[{}{more}]", inner.join(", "))
            } else {
                format!("({}{more})", inner.join(", "))
            }
        }
        ValueKind::Dict(_) => "{…}".into(),
        _ => "?".into(),
    }
}

/// How a fix reads a setting from the environment in the project's own style.
#[derive(Debug, Clone, PartialEq)]
pub struct EnvStyle {
    /// The variable: the one the module already reads, else the setting's name with the
    /// prefix the project's other variables use (`DJANGO_` when it reads none).
    pub var: String,
    /// `os`, `decouple` or `environ`: the library the value is read through today, when the
    /// entry module can use it.
    pub reader: &'static str,
    /// The django-environ object (`env`) when `reader` is `environ`.
    pub object: String,
}

/// The reading style for a fix of `setting` (named `name`) in `entry`.
pub fn env_style(
    project: &crate::project::Project,
    entry: &Resolved<'_>,
    name: &str,
    setting: &Setting,
) -> EnvStyle {
    let var = match setting.value.env_var() {
        Some(var) => var.to_string(),
        None => format!("{}{name}", env_prefix(entry)),
    };
    let source = setting.origin.as_ref().and_then(|o| {
        let file = entry.file.path.as_str();
        let text = if o.path == file {
            entry.file.text().ok()?.content.clone()
        } else {
            return reader_of_inherited(project, entry, o);
        };
        let range = o.value.clone()?;
        Some(reader_of(text.get(range)?))
    });
    // NOTE: `get_env("SECRET_KEY", "x")` looks like a django-environ object's call, but a
    // function the project defines is a helper: calling it without its default would break
    // the import. The fix reads the variable directly instead.
    let helper = |object: &str| {
        setting
            .origin
            .as_ref()
            .is_some_and(|o| crate::project::django::is_project_function(project, &o.path, object))
    };
    let (reader, object) = match source.flatten() {
        Some((reader, object)) if reader != "os" && !helper(&object) => (reader, object),
        // A literal (or an os.environ read): the library the entry module already reads
        // its other settings through, when it can use it here.
        _ => module_reader(entry),
    };
    EnvStyle {
        var,
        reader,
        object,
    }
}

/// The library the entry module reads the environment through: django-environ's `env` when
/// it imports it by name or inherits it with its settings, decouple's `config` when it imports
/// it, else `os`.
fn module_reader(entry: &Resolved<'_>) -> (&'static str, String) {
    let text = entry.file.text().ok();
    let content = text.as_ref().map_or("", |t| &*t.content);
    let uses = |call: &str| content.contains(call);
    if (entry.module.imports_name_before("env", usize::MAX) || entry.settings.contains_key("env"))
        && (uses("env(") || uses("env.") || entry.module.imports_name_before("env", usize::MAX))
    {
        ("environ", "env".to_string())
    } else if entry.module.imports_name_before("config", usize::MAX) && uses("config(") {
        ("decouple", String::new())
    } else {
        ("os", String::new())
    }
}

/// The library a value's source reads the environment through: `config(...)` (decouple) or
/// `<name>(...)` / `<name>.<cast>(...)` of a django-environ object named like `env`.
fn reader_of(source: &str) -> Option<(&'static str, String)> {
    let source = source.trim_start();
    if source.starts_with("config(") || source.starts_with("decouple.config(") {
        return Some(("decouple", String::new()));
    }
    let head: String = source
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let rest = &source[head.len()..];
    let called = rest.starts_with('(') || (rest.starts_with('.') && rest.contains('('));
    (called && (head == "env" || head.ends_with("_env")))
        .then_some(("environ", head))
        .or(Some(("os", String::new())))
}

/// The reader of an inherited value, when the entry module can use it too: django-environ's
/// `env` object comes along with the star import that brought the setting (or is imported by
/// name); decouple's `config` must be imported into the entry module by name.
fn reader_of_inherited(
    project: &crate::project::Project,
    entry: &Resolved<'_>,
    origin: &crate::project::django::Origin,
) -> Option<Option<(&'static str, String)>> {
    let file = project.file(&origin.path)?;
    let text = file.text().ok()?;
    let range = origin.value.clone()?;
    let (reader, object) = reader_of(text.content.get(range)?)?;
    let visible = match reader {
        "decouple" => entry.module.imports_name_before("config", usize::MAX),
        "environ" => {
            entry.module.imports_name_before(&object, usize::MAX)
                || entry.settings.contains_key(&object)
        }
        _ => true,
    };
    Some(Some(if visible {
        (reader, object)
    } else {
        ("os", String::new())
    }))
}

/// The prefix the project's environment variables carry: from the settings read from a
/// variable named `<prefix><SETTING>`, the most common prefix (`DJANGO_` when none is read so).
fn env_prefix(entry: &Resolved<'_>) -> String {
    let mut counts: std::collections::BTreeMap<&str, usize> = std::collections::BTreeMap::new();
    for (name, setting) in &entry.settings {
        if let Some(var) = setting.value.env_var()
            && let Some(prefix) = var.strip_suffix(name.as_str())
        {
            *counts.entry(prefix).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(prefix, n)| (*n, prefix.len()))
        .map_or_else(|| "DJANGO_".to_string(), |(p, _)| p.to_string())
}

/// Edits that make the entry module set `name` to `source`: in place when the entry module
/// assigns it plainly, else a new assignment; `import os` added when `source` needs it.
pub fn set_value(
    entry: &Resolved<'_>,
    name: &str,
    setting: &Setting,
    source: &str,
    near: &[String],
) -> Option<Vec<Edit>> {
    let path = entry.file.path.as_str();
    let text = entry.file.text().ok()?;
    let content: &str = &text.content;
    let import_at = import_position(content, entry.module);
    let mut edits = Vec::new();
    match &setting.origin {
        Some(o) if o.path == path && !setting.in_steps && !setting.maybe => {
            let range = o.value.clone()?;
            // NOTE: `import os` further down does not help a use above it (NameError on
            // import): the import goes into the leading import block, before any use.
            if needs_os(source) && !entry.module.os_imported_before(range.start) {
                edits.push(Edit::insert(path, import_at, "import os\n"));
            }
            edits.push(Edit::replace(path, range, source));
        }
        // django-configurations reads the selected class's attributes, not the module's
        // names: a module-level assignment would change nothing Django sees, and the value
        // set in a base class elsewhere is not this module's to edit.
        _ if entry.configuration.is_some() => return None,
        _ => {
            let (at, prefix) = assignment_position(content, entry, near);
            // A new assignment never goes inside the leading import block: what it uses may
            // be imported further down that block.
            let (at, prefix) = if at < import_at {
                let at_eof = import_at == content.len() && !content.ends_with('\n');
                (import_at, if at_eof { "\n" } else { "" })
            } else {
                (at, prefix)
            };
            let mut insertion = format!("{prefix}{name} = {source}\n");
            if needs_os(source) && !entry.module.os_imported_before(at) {
                if import_at == at {
                    insertion = format!("{prefix}import os\n{name} = {source}\n");
                } else {
                    edits.push(Edit::insert(path, import_at, "import os\n"));
                }
            }
            edits.push(Edit::insert(path, at, insertion));
        }
    }
    Some(edits)
}

/// Whether Python source `source` uses the `os` module.
fn needs_os(source: &str) -> bool {
    source.contains("os.environ") || source.contains("os.getenv")
}

/// Start of the line after the module's leading import block (or docstring), or the start
/// of the file.
pub fn import_position(content: &str, module: &PythonFile) -> usize {
    match module.imports_end {
        Some(end) => line_after(content, end).0,
        None => 0,
    }
}

/// The start of the line after the one holding byte `at`, and the text to put first when the
/// file ends there without a newline.
fn line_after(content: &str, at: usize) -> (usize, &'static str) {
    match content.get(at..).and_then(|rest| rest.find('\n')) {
        Some(i) => (at + i + 1, ""),
        None => (content.len(), "\n"),
    }
}

/// Where a new assignment goes: after a `near` setting the entry module assigns, else after
/// its last definite star import, else at the end.
fn assignment_position(
    content: &str,
    entry: &Resolved<'_>,
    near: &[String],
) -> (usize, &'static str) {
    let stmts = &entry.module.stmts;
    let near_stmt = stmts.iter().rev().find(|s| {
        !s.maybe && matches!(&s.kind, StmtKind::Assign { name, .. } if near.contains(name))
    });
    let star = stmts
        .iter()
        .rev()
        .find(|s| !s.maybe && matches!(s.kind, StmtKind::StarImport { .. }));
    match near_stmt.or(star) {
        Some(stmt) => line_after(content, stmt.span.end.saturating_sub(1)),
        None => {
            let prefix = if content.is_empty() || content.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            (content.len(), prefix)
        }
    }
}

/// Insert `quoted` (Python source) into the list literal that defines the setting. When the
/// item is a string already in the list, nothing is inserted: it would need moving, which the
/// user should decide.
fn insert_item(
    ctx: &Ctx<'_>,
    setting: &Setting,
    quoted: &str,
    string: Option<&str>,
    after: &[String],
) -> Option<Vec<Edit>> {
    let origin = setting.origin.as_ref()?;
    if setting.in_steps || setting.maybe {
        return None;
    }
    let list_range = origin.value.clone()?;
    let file = ctx.project.file(&origin.path)?;
    let text = file.text().ok()?;
    let content: &str = &text.content;
    let list_text = content.get(list_range.clone())?;
    if !(list_text.starts_with('[') || list_text.starts_with('(')) {
        return None;
    }
    let items: Vec<&Value> = setting
        .value
        .items()?
        .iter()
        .filter(|v| within(&v.span, &list_range))
        .collect();
    if items.len() != setting.value.items()?.len() {
        return None;
    }
    if string.is_some_and(|s| items.iter().any(|v| v.as_str() == Some(s))) {
        return None;
    }
    // `$end` appends after the last item.
    let anchor = after.iter().find_map(|a| {
        if a == "$end" {
            items.last()
        } else {
            items.iter().find(|v| v.as_str() == Some(a.as_str()))
        }
    });
    // The indentation of the list's items, if they are one per line.
    let indent = items.first().and_then(|first| {
        let line_start = content.get(..first.span.start)?.rfind('\n')? + 1;
        let prefix = content.get(line_start..first.span.start)?;
        prefix
            .chars()
            .all(|c| c == ' ' || c == '\t')
            .then_some(prefix)
    });
    let edit = match (anchor, indent) {
        (Some(anchor), Some(indent)) => {
            // After the anchor item and its comma, on a new line.
            let rest = content.get(anchor.span.end..list_range.end)?;
            let comma = rest.trim_start().starts_with(',');
            let end = if comma {
                anchor.span.end + rest.find(',')? + 1
            } else {
                anchor.span.end
            };
            let sep = if comma { "" } else { "," };
            Edit::insert(&file.path, end, format!("{sep}\n{indent}{quoted},"))
        }
        (Some(anchor), None) => Edit::insert(&file.path, anchor.span.end, format!(", {quoted}")),
        (None, Some(indent)) => {
            let first = items.first()?;
            Edit::insert(&file.path, first.span.start, format!("{quoted},\n{indent}"))
        }
        (None, None) => match items.first() {
            Some(first) => Edit::insert(&file.path, first.span.start, format!("{quoted}, ")),
            None => Edit::insert(&file.path, list_range.start + 1, quoted),
        },
    };
    Some(vec![edit])
}

fn within(inner: &Range<usize>, outer: &Range<usize>) -> bool {
    inner.start >= outer.start && inner.end <= outer.end
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setting(kind: ValueKind) -> Setting {
        Setting {
            value: Value::new(kind, 0..0),
            origin: None,
            maybe: false,
            in_steps: false,
            maybe_items: Vec::new(),
            via: None,
        }
    }

    #[test]
    fn predicates() {
        let p = |t: &str| Predicate::parse(t).unwrap();
        assert_eq!(
            p("truthy").holds(&setting(ValueKind::Str("0".into()))),
            Some(true)
        );
        assert_eq!(
            p(">= 31536000").holds(&setting(ValueKind::Int(3600))),
            Some(false)
        );
        assert_eq!(
            p("== \"DENY\"").holds(&setting(ValueKind::Str("SAMEORIGIN".into()))),
            Some(false)
        );
        assert_eq!(p("falsy").holds(&setting(ValueKind::Unknown)), None);
        let list = setting(ValueKind::List(vec![Value::new(
            ValueKind::Str("*".into()),
            0..0,
        )]));
        assert_eq!(p("not-contains \"*\"").holds(&list), Some(false));
        assert_eq!(
            p("strong-secret").holds(&setting(ValueKind::Str("django-insecure-x".into()))),
            Some(false)
        );
        assert!(Predicate::parse("bogus").is_err());
        assert!(Predicate::parse("in 3").is_err());
    }

    #[test]
    fn django_ids_from_references() {
        assert_eq!(
            django_ids(&["Django security.W018".into(), "CWE-489".into()]),
            vec!["security.W018".to_string()]
        );
    }
}
