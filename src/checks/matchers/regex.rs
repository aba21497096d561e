//! `type = "regex"`: a pattern over the text of every file of the check's kinds.

use toml_span::Spanned;
use toml_span::de_helpers::TableHelper;

use super::{Ctx, Hit, custom};
use crate::finding::Location;

#[derive(Debug)]
pub struct RegexMatcher {
    pub pattern: regex::Regex,
    /// A capture group whose span is the finding's span (the whole match otherwise).
    pub span_group: Option<String>,
}

impl RegexMatcher {
    pub fn parse(th: &mut TableHelper<'_>, errors: &mut Vec<toml_span::Error>) -> Option<Self> {
        let pattern: Spanned<String> = th.required_s("pattern").ok()?;
        let span_group: Option<Spanned<String>> = th.optional_s("span-group");
        let regex = match regex::RegexBuilder::new(&pattern.value)
            .multi_line(true)
            .build()
        {
            Ok(regex) => regex,
            Err(e) => {
                errors.push(custom(pattern.span, format!("invalid regex: {e}")));
                return None;
            }
        };
        if let Some(group) = &span_group
            && !regex.capture_names().flatten().any(|n| n == group.value)
        {
            errors.push(custom(
                group.span,
                format!("the pattern has no capture group named `{}`", group.value),
            ));
        }
        Some(Self {
            pattern: regex,
            span_group: span_group.map(|g| g.value),
        })
    }

    /// `match` (the matched text), `redacted` (its first four characters, for secrets) and
    /// every named capture group.
    pub fn vars(&self) -> Vec<&str> {
        let mut vars = vec!["match", "redacted"];
        vars.extend(self.pattern.capture_names().flatten());
        vars
    }

    pub fn run(&self, ctx: &Ctx<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for file in ctx
            .project
            .files
            .iter()
            .filter(|f| ctx.check.kinds.contains(&f.kind))
        {
            let Ok(text) = file.text() else { continue };
            for captures in self.pattern.captures_iter(&text.content) {
                let Some(whole) = captures.get(0) else {
                    continue;
                };
                let span = self
                    .span_group
                    .as_deref()
                    .and_then(|g| captures.name(g))
                    .map_or(whole.range(), |m| m.range());
                let mut hit = Hit::at(Location::span(&file.path, span))
                    .var("match", whole.as_str())
                    .var("redacted", redact(whole.as_str()));
                for name in self.pattern.capture_names().flatten() {
                    if let Some(m) = captures.name(name) {
                        hit.vars.insert(leak_name(name), m.as_str().into());
                    }
                }
                hits.push(hit);
            }
        }
        hits
    }
}

/// Show enough of a secret to find it, not enough to use it.
pub fn redact(secret: &str) -> String {
    let shown: String = secret.chars().take(4).collect();
    format!("{shown}…")
}

/// Capture names live as long as the compiled pattern, which lives in the registry for the
/// whole run; variables want `&'static str`, so the few names are interned once.
fn leak_name(name: &str) -> &'static str {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static NAMES: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let names = NAMES.get_or_init(Default::default);
    let Ok(mut names) = names.lock() else {
        return "capture";
    };
    if let Some(existing) = names.get(name) {
        return existing;
    }
    let leaked: &'static str = Box::leak(name.to_string().into_boxed_str());
    names.insert(leaked);
    leaked
}
