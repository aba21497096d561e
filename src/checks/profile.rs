//! Profiles (`checks/profiles/*.toml`, or a user's file): which checks run, with what
//! severity and parameters. A profile may extend another.

use std::collections::{BTreeMap, BTreeSet};

use toml_span::Spanned;
use toml_span::de_helpers::TableHelper;
use toml_span::value::ValueInner;

use super::Registry;
use crate::diagnostic::{ConfigError, from_toml_span};
use crate::finding::Severity;
use crate::project::Scope;

#[derive(Debug, Clone)]
pub struct Profile {
    pub name: String,
    pub description: String,
    pub extends: Option<String>,
    /// Check ids or selectors (a domain such as `deps`, or `all`).
    pub checks: Vec<Spanned<String>>,
    pub severity: BTreeMap<String, Severity>,
    pub params: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// `scopes`: the scopes of the project model whose files this profile judges; `None`
    /// judges every file.
    pub scopes: Option<Vec<Spanned<String>>>,
    /// `[check-scopes]`: a check or domain that judges other scopes than `scopes`.
    pub check_scopes: Vec<(Spanned<String>, Vec<Spanned<String>>)>,
    /// `application-only`: checks (ids or domains) about a deployed application, which do not
    /// apply to a library that deploys nothing.
    pub application_only: Vec<Spanned<String>>,
    pub source_path: String,
    source: String,
}

/// Which files each enabled check judges, resolved from a profile and what it extends.
#[derive(Debug, Clone, Default)]
pub struct ScopePolicy {
    /// `None`: every scope.
    pub default: Option<BTreeSet<Scope>>,
    pub by_check: BTreeMap<String, BTreeSet<Scope>>,
    pub application_only: BTreeSet<String>,
}

impl ScopePolicy {
    /// Whether check `id` judges a file of `scope`.
    pub fn judges(&self, id: &str, scope: Scope) -> bool {
        match self.by_check.get(id).or(self.default.as_ref()) {
            Some(scopes) => scopes.contains(&scope),
            None => true,
        }
    }
}

impl Profile {
    pub fn parse(name: &str, display_path: &str, source: &str) -> Result<Self, Vec<ConfigError>> {
        let mut root =
            toml_span::parse(source).map_err(|e| from_toml_span(display_path, source, vec![e]))?;
        let mut th = TableHelper::new(&mut root)
            .map_err(|e| from_toml_span(display_path, source, e.errors))?;
        let description = th.optional::<String>("description").unwrap_or_default();
        let extends = th.optional::<String>("extends");
        let checks = th
            .optional::<Vec<Spanned<String>>>("checks")
            .unwrap_or_default();
        let severity_value = th.take("severity");
        let params_value = th.take("params");
        let scopes = th.optional::<Vec<Spanned<String>>>("scopes");
        let application_only = th
            .optional::<Vec<Spanned<String>>>("application-only")
            .unwrap_or_default();
        let check_scopes_value = th.take("check-scopes");
        let mut errors = match th.finalize(None) {
            Ok(()) => Vec::new(),
            Err(e) => e.errors,
        };
        let mut severity = BTreeMap::new();
        if let Some((_, mut value)) = severity_value
            && let ValueInner::Table(table) = value.take()
        {
            for (key, level) in table {
                match level.as_str().map(super::parse_severity) {
                    Some(Ok(level)) => {
                        severity.insert(key.name.to_string(), level);
                    }
                    Some(Err(message)) => errors.push(super::matchers::custom(level.span, message)),
                    None => errors.push(super::matchers::custom(
                        level.span,
                        "expected a severity string",
                    )),
                }
            }
        }
        let mut params = BTreeMap::new();
        if let Some((_, mut value)) = params_value
            && let ValueInner::Table(table) = value.take()
        {
            for (key, check_params) in table {
                if let serde_json::Value::Object(map) = super::definition::to_json(&check_params) {
                    params.insert(key.name.to_string(), map.into_iter().collect());
                } else {
                    errors.push(super::matchers::custom(
                        check_params.span,
                        "expected a table of parameters",
                    ));
                }
            }
        }
        let mut check_scopes = Vec::new();
        if let Some((_, mut value)) = check_scopes_value {
            match value.take() {
                ValueInner::Table(table) => {
                    for (key, mut list) in table {
                        let span = list.span;
                        let ValueInner::Array(items) = list.take() else {
                            errors.push(super::matchers::custom(span, "expected a list of scopes"));
                            continue;
                        };
                        let mut scopes = Vec::new();
                        for item in items {
                            match item.as_str() {
                                Some(text) => {
                                    scopes.push(Spanned::with_span(text.to_string(), item.span))
                                }
                                None => errors.push(super::matchers::custom(
                                    item.span,
                                    "expected a scope name",
                                )),
                            }
                        }
                        check_scopes
                            .push((Spanned::with_span(key.name.to_string(), key.span), scopes));
                    }
                }
                _ => errors.push(super::matchers::custom(
                    value.span,
                    "expected a table of check ids or domains to lists of scopes",
                )),
            }
        }
        for scope in scopes
            .iter()
            .flatten()
            .chain(check_scopes.iter().flat_map(|(_, s)| s))
        {
            if Scope::parse(&scope.value).is_none() {
                let known: Vec<&str> = Scope::ALL.iter().map(|(n, _)| *n).collect();
                errors.push(super::matchers::custom(
                    scope.span,
                    format!(
                        "unknown scope `{}` (known: {})",
                        scope.value,
                        known.join(", ")
                    ),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(from_toml_span(display_path, source, errors));
        }
        Ok(Self {
            name: name.to_string(),
            description,
            extends,
            checks,
            severity,
            params,
            scopes,
            check_scopes,
            application_only,
            source_path: display_path.to_string(),
            source: source.to_string(),
        })
    }

    /// Every id this profile names must exist, and what it extends must be a profile.
    pub fn validate(&self, registry: &Registry) -> Vec<ConfigError> {
        let mut errors = Vec::new();
        for selector in self
            .checks
            .iter()
            .chain(&self.application_only)
            .chain(self.check_scopes.iter().map(|(s, _)| s))
        {
            if expand_selector(registry, &selector.value).is_empty() {
                errors.push(ConfigError::new(
                    &self.source_path,
                    &self.source,
                    Some(selector.span.start..selector.span.end),
                    format!("unknown check or domain `{}`", selector.value),
                ));
            }
        }
        for id in self.severity.keys().chain(self.params.keys()) {
            if registry.get(id).is_none() {
                errors.push(ConfigError::new(
                    &self.source_path,
                    &self.source,
                    None,
                    format!("unknown check `{id}`"),
                ));
            }
        }
        if let Some(parent) = &self.extends
            && !registry.profiles.contains_key(parent)
        {
            errors.push(ConfigError::new(
                &self.source_path,
                &self.source,
                None,
                format!("extends unknown profile `{parent}`"),
            ));
        }
        errors
    }

    /// The ids this profile enables, with what it extends.
    pub fn resolve_ids(&self, registry: &Registry) -> Result<BTreeSet<String>, String> {
        let mut ids = BTreeSet::new();
        let mut seen = vec![self.name.clone()];
        let mut current = Some(self);
        while let Some(profile) = current {
            for selector in &profile.checks {
                ids.extend(expand_selector(registry, &selector.value));
            }
            current = match &profile.extends {
                Some(parent) if seen.contains(parent) => {
                    return Err(format!("profile `{parent}` extends itself"));
                }
                Some(parent) => {
                    seen.push(parent.clone());
                    Some(
                        registry
                            .profiles
                            .get(parent)
                            .ok_or_else(|| format!("unknown profile `{parent}`"))?,
                    )
                }
                None => None,
            };
        }
        Ok(ids)
    }

    /// The scopes each check judges: the child's `scopes` replace what it extends; its
    /// `check-scopes` and `application-only` add to them.
    pub fn resolve_scopes(&self, registry: &Registry) -> ScopePolicy {
        let mut policy = ScopePolicy::default();
        let parse = |list: &[Spanned<String>]| -> BTreeSet<Scope> {
            list.iter().filter_map(|s| Scope::parse(&s.value)).collect()
        };
        for profile in self.chain(registry).into_iter().rev() {
            if let Some(scopes) = &profile.scopes {
                policy.default = Some(parse(scopes));
            }
            for (selector, scopes) in &profile.check_scopes {
                for id in expand_selector(registry, &selector.value) {
                    policy.by_check.insert(id, parse(scopes));
                }
            }
            for selector in &profile.application_only {
                policy
                    .application_only
                    .extend(expand_selector(registry, &selector.value));
            }
        }
        policy
    }

    /// This profile, then what it extends, and so on (a cycle is cut).
    fn chain<'r>(&'r self, registry: &'r Registry) -> Vec<&'r Profile> {
        let mut chain = vec![self];
        while let Some(parent) = chain
            .last()
            .and_then(|p| p.extends.as_ref())
            .and_then(|n| registry.profiles.get(n))
        {
            if chain.iter().any(|p| p.name == parent.name) {
                break;
            }
            chain.push(parent);
        }
        chain
    }

    /// Severity overrides and params, the child's winning over what it extends.
    pub fn resolve_overrides(
        &self,
        registry: &Registry,
    ) -> (
        BTreeMap<String, Severity>,
        BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    ) {
        let mut chain = vec![self];
        while let Some(parent) = chain
            .last()
            .and_then(|p| p.extends.as_ref())
            .and_then(|n| registry.profiles.get(n))
        {
            if chain.iter().any(|p| p.name == parent.name) {
                break;
            }
            chain.push(parent);
        }
        let mut severity = BTreeMap::new();
        let mut params: BTreeMap<String, BTreeMap<String, serde_json::Value>> = BTreeMap::new();
        for profile in chain.into_iter().rev() {
            severity.extend(profile.severity.clone());
            for (id, values) in &profile.params {
                params.entry(id.clone()).or_default().extend(values.clone());
            }
        }
        (severity, params)
    }
}

/// `all`, a domain (`deps`), or a check id; empty when nothing matches.
pub fn expand_selector(registry: &Registry, selector: &str) -> Vec<String> {
    if selector == "all" {
        return registry.checks.iter().map(|c| c.id.clone()).collect();
    }
    if registry.get(selector).is_some() {
        return vec![selector.to_string()];
    }
    registry
        .checks
        .iter()
        .filter(|c| c.domain() == selector)
        .map(|c| c.id.clone())
        .collect()
}
