//! `type = "regex"`: a pattern over the text of every file of the check's kinds. With
//! `replace` (a template over the match's variables), each finding's span is replaced by the
//! rendered text: the way a user check carries a fix.

use toml_span::Spanned;
use toml_span::de_helpers::TableHelper;

use super::{Ctx, Hit, custom};
use crate::checks::definition::check_template_vars;
use crate::checks::parse_kind;
use crate::checks::path_rules::is_test_material;
use crate::finding::Location;
use crate::fix::Edit;
use crate::project::FileKind;

#[derive(Debug)]
pub struct RegexMatcher {
    pub pattern: regex::Regex,
    /// A capture group whose span is the finding's span (the whole match otherwise).
    pub span_group: Option<String>,
    /// `skip-if-match`: a match whose text this pattern finds anywhere is dropped (the regex
    /// crate has no look-around, so this is how a check says "but not `...EXAMPLE`").
    pub skip_if: Option<regex::Regex>,
    /// `replace`: the text a fix puts in place of the finding's span (a template).
    pub replace: Option<String>,
    /// `group-skip-kinds`: a match in which a capture group took part is dropped in files of
    /// these kinds (Google API keys in Python code, which ships them to clients on purpose).
    pub group_skip_kinds: Vec<(String, Vec<FileKind>)>,
}

/// `group-skip-kinds = { group = ["kind", ...] }` as written, with spans for the errors.
struct GroupSkipKinds(Vec<(Spanned<String>, Vec<FileKind>)>);

impl<'de> toml_span::Deserialize<'de> for GroupSkipKinds {
    fn deserialize(value: &mut toml_span::Value<'de>) -> Result<Self, toml_span::DeserError> {
        let span = value.span;
        let toml_span::value::ValueInner::Table(table) = value.take() else {
            return Err(custom(
                span,
                "`group-skip-kinds` must be a table of capture group = [file kinds]",
            )
            .into());
        };
        let mut errors = Vec::new();
        let mut groups = Vec::new();
        for (key, mut kinds) in table {
            let kinds = match Vec::<Spanned<String>>::deserialize(&mut kinds) {
                Ok(kinds) => kinds,
                Err(e) => {
                    errors.extend(e.errors);
                    continue;
                }
            };
            let kinds = kinds
                .into_iter()
                .filter_map(|k| {
                    parse_kind(&k.value)
                        .map_err(|m| errors.push(custom(k.span, m)))
                        .ok()
                })
                .collect();
            groups.push((Spanned::with_span(key.name.to_string(), key.span), kinds));
        }
        if errors.is_empty() {
            Ok(Self(groups))
        } else {
            Err(toml_span::DeserError { errors })
        }
    }
}

impl RegexMatcher {
    pub fn parse(th: &mut TableHelper<'_>, errors: &mut Vec<toml_span::Error>) -> Option<Self> {
        let pattern: Spanned<String> = th.required_s("pattern").ok()?;
        let span_group: Option<Spanned<String>> = th.optional_s("span-group");
        let skip_if: Option<Spanned<String>> = th.optional_s("skip-if-match");
        let replace: Option<Spanned<String>> = th.optional_s("replace");
        let group_skip_kinds: Option<GroupSkipKinds> = th.optional("group-skip-kinds");
        let skip_if = match skip_if.map(|s| (regex::Regex::new(&s.value), s.span)) {
            Some((Ok(regex), _)) => Some(regex),
            Some((Err(e), span)) => {
                errors.push(custom(
                    span,
                    format!("invalid regex in `skip-if-match`: {e}"),
                ));
                None
            }
            None => None,
        };
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
        let mut group_skips = Vec::new();
        for (group, kinds) in group_skip_kinds.map(|g| g.0).unwrap_or_default() {
            if regex.capture_names().flatten().any(|n| n == group.value) {
                group_skips.push((group.value, kinds));
            } else {
                errors.push(custom(
                    group.span,
                    format!("the pattern has no capture group named `{}`", group.value),
                ));
            }
        }
        let mut matcher = Self {
            pattern: regex,
            span_group: span_group.map(|g| g.value),
            skip_if,
            replace: None,
            group_skip_kinds: group_skips,
        };
        if let Some(replace) = replace {
            match check_template_vars(&replace.value, &matcher.vars()) {
                Ok(()) => matcher.replace = Some(replace.value),
                Err(message) => errors.push(custom(replace.span, message)),
            }
        }
        Some(matcher)
    }

    /// `match` (the matched text), `redacted` (its first four characters, for secrets) and
    /// every named capture group.
    pub fn vars(&self) -> Vec<&str> {
        let mut vars = vec!["match", "redacted"];
        vars.extend(self.pattern.capture_names().flatten());
        vars
    }

    pub fn run(&self, ctx: &Ctx<'_>) -> Vec<Hit> {
        // A check's `test-files = false` parameter (secrets: baseline) leaves test material
        // (fixtures, test suites) to the profiles that set it to true.
        let test_files = ctx
            .params
            .get("test-files")
            .and_then(serde_json::Value::as_bool)
            .unwrap_or(true);
        let mut hits = Vec::new();
        for file in ctx.project.files.iter().filter(|f| {
            ctx.check.kinds.contains(&f.kind) && (test_files || !is_test_material(&f.path))
        }) {
            // A Python module this pattern was tried on at its first read, and dropped.
            if ctx.project.text_dropped_for(file, &self.pattern) {
                continue;
            }
            let Ok(text) = file.text() else { continue };
            for captures in self.pattern.captures_iter(&text.content) {
                let Some(whole) = captures.get(0) else {
                    continue;
                };
                if self
                    .skip_if
                    .as_ref()
                    .is_some_and(|skip| skip.is_match(whole.as_str()))
                    || self.group_skip_kinds.iter().any(|(group, kinds)| {
                        captures.name(group).is_some() && kinds.contains(&file.kind)
                    })
                {
                    continue;
                }
                let span = self
                    .span_group
                    .as_deref()
                    .and_then(|g| captures.name(g))
                    .map_or(whole.range(), |m| m.range());
                let mut hit = Hit::at(Location::span(&file.path, span.clone()))
                    .var("match", whole.as_str())
                    .var("redacted", redact(whole.as_str()));
                for name in self.pattern.capture_names().flatten() {
                    if let Some(m) = captures.name(name) {
                        hit.vars.insert(leak_name(name), m.as_str().into());
                    }
                }
                if let Some(template) = &self.replace {
                    let pairs: Vec<(&str, minijinja::Value)> =
                        hit.vars.iter().map(|(k, v)| (*k, v.clone())).collect();
                    let context = minijinja::Value::from_pairs(pairs);
                    if let Ok(text) = ctx.templates.render_str(template, context) {
                        hit = hit.edits(vec![Edit::replace(&file.path, span, text)]);
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

#[cfg(test)]
mod tests {
    use crate::checks::definition::parse_check;
    use crate::checks::matchers::Ctx;
    use crate::project::{FileKind, Project, SourceFile};
    use crate::templates::Templates;

    const CHECK: &str = r#"
id = "secret-demo"
title = "demo"
severity = "high"
kinds = ["env-file"]
message = "token {{ redacted }}"
[docs]
why = "a demo check with a long enough explanation of why"
[match]
type = "regex"
pattern = 'AKIA[0-9A-Z]{16}'
skip-if-match = "EXAMPLE"
"#;

    #[test]
    fn skip_if_match_drops_matches() {
        let check = parse_check("secret/demo.toml", "demo.toml", CHECK).unwrap();
        let project = Project::from_memory(
            std::path::Path::new("/nonexistent"),
            vec![SourceFile::in_memory(
                ".env",
                FileKind::EnvFile,
                "A=AKIAIOSFODNN7EXAMPLE\nB=AKIAZ7Q2M4X9K3L5P8R1\n",
            )],
        );
        let templates = Templates::new();
        let ctx = Ctx {
            project: &project,
            check: &check,
            params: &check.params,
            templates: &templates,
            django: &Default::default(),
            flask: &Default::default(),
        };
        let hits = check.matcher.run(&ctx);
        assert_eq!(hits.len(), 1);
        assert_eq!(
            hits[0].location.as_ref().and_then(|l| l.span.clone()),
            Some(25..45)
        );
        assert_eq!(hits[0].vars["redacted"].to_string(), "AKIA…");
    }

    #[test]
    fn group_skip_kinds_is_validated() {
        let with = |table: &str| {
            CHECK.replace(
                r#"skip-if-match = "EXAMPLE""#,
                &format!("group-skip-kinds = {table}"),
            )
        };
        let ok = parse_check("secret/demo.toml", "demo.toml", &with("{}")).unwrap();
        assert!(
            matches!(&ok.matcher, crate::checks::matchers::Matcher::Regex(m) if m.group_skip_kinds.is_empty())
        );
        for (table, expected) in [
            (r#"{ aws = ["python"] }"#, "no capture group named `aws`"),
            (r#"{ aws = ["pyhton"] }"#, "unknown file kind `pyhton`"),
            (r#"["python"]"#, "must be a table"),
        ] {
            let text = with(table).replace("'AKIA[0-9A-Z]{16}'", "'(?P<key>AKIA[0-9A-Z]{16})'");
            let text = if expected.contains("capture group") {
                with(table)
            } else {
                text.replace("aws =", "key =")
            };
            let errors = parse_check("secret/demo.toml", "demo.toml", &text).unwrap_err();
            assert!(
                errors.iter().any(|e| e.message.contains(expected)),
                "{table}: {errors:?}"
            );
        }
    }

    #[test]
    fn skip_if_match_is_validated() {
        let broken = CHECK.replace(r#"skip-if-match = "EXAMPLE""#, r#"skip-if-match = "(""#);
        let errors = parse_check("secret/demo.toml", "demo.toml", &broken).unwrap_err();
        assert!(
            errors.iter().any(|e| e.message.contains("skip-if-match")),
            "{errors:?}"
        );
    }
}
