//! `type = "yaml-value"`: a value at a path (with `*` for any item or key) equals one of the
//! given values; the fix, when `replace-with` is set, rewrites it with yamlpatch.

use toml_span::Spanned;
use toml_span::de_helpers::TableHelper;

use super::{Ctx, Hit, custom};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::yaml::{Step, Value};

pub const VARS: &[&str] = &["key", "value"];

#[derive(Debug)]
pub struct YamlValue {
    pub path: Vec<String>,
    pub equals: Vec<String>,
    pub replace_with: Option<String>,
}

impl YamlValue {
    pub fn parse(th: &mut TableHelper<'_>, errors: &mut Vec<toml_span::Error>) -> Option<Self> {
        let path: Spanned<Vec<String>> = th.required_s("path").ok()?;
        let equals: Vec<String> = th.required("equals").ok()?;
        let replace_with: Option<String> = th.optional("replace-with");
        if path.value.is_empty() {
            errors.push(custom(path.span, "`path` needs at least one step"));
            return None;
        }
        Some(Self {
            path: path.value,
            equals,
            replace_with,
        })
    }

    pub fn run(&self, ctx: &Ctx<'_>) -> Vec<Hit> {
        let mut hits = Vec::new();
        for file in ctx
            .project
            .files
            .iter()
            .filter(|f| ctx.check.kinds.contains(&f.kind))
        {
            let Parsed::Yaml(yaml) = file.parsed() else {
                continue;
            };
            let mut found = Vec::new();
            collect(&yaml.value, &self.path, &mut Vec::new(), &mut found);
            for (steps, value) in found {
                let Some(text) = scalar_text(value) else {
                    continue;
                };
                if !self.equals.contains(&text) {
                    continue;
                }
                let Some(span) = yaml.value_span(&steps) else {
                    continue;
                };
                let key = match steps.last() {
                    Some(Step::Key(key)) => key.clone(),
                    _ => String::new(),
                };
                let mut hit = Hit::at(Location::span(&file.path, span))
                    .var("key", key)
                    .var("value", text);
                if let Some(replacement) = &self.replace_with {
                    let replacement = Value::String(replacement.clone());
                    let mut expected = yaml.value.clone();
                    if let Some(slot) = crate::formats::yaml::value_at_mut(&mut expected, &steps) {
                        *slot = replacement.clone();
                    }
                    // Offered only when the rewritten file parses to the document with just this
                    // value replaced.
                    let op = yamlpatch::Op::Replace(replacement);
                    if let Some(text_after) =
                        yaml.patch_expecting(vec![(steps.clone(), op)], &expected)
                    {
                        let old = yaml.source();
                        hit = hit.edits(
                            Edit::from_rewrite(&file.path, old, &text_after)
                                .into_iter()
                                .collect(),
                        );
                    }
                }
                hits.push(hit);
            }
        }
        hits
    }
}

fn collect<'v>(
    value: &'v Value,
    path: &[String],
    steps: &mut Vec<Step>,
    out: &mut Vec<(Vec<Step>, &'v Value)>,
) {
    let Some((first, rest)) = path.split_first() else {
        out.push((steps.clone(), value));
        return;
    };
    match value {
        Value::Sequence(items) if first == "*" => {
            for (i, item) in items.iter().enumerate() {
                steps.push(Step::Index(i));
                collect(item, rest, steps, out);
                steps.pop();
            }
        }
        Value::Mapping(map) => {
            for (key, item) in map {
                let Some(key) = key.as_str() else { continue };
                if first == "*" || first == key {
                    steps.push(Step::Key(key.to_string()));
                    collect(item, rest, steps, out);
                    steps.pop();
                }
            }
        }
        _ => {}
    }
}

fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
