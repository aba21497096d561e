//! `dependabot-cooldown-missing`: an update entry proposes releases the day they appear: no
//! `cooldown`, a `cooldown` without `default-days` (which then means 0), or fewer days than
//! the `min-days` parameter. The fix adds or raises `default-days` with yamlpatch.

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::yaml::{self, Step, Value, YamlFile};
use crate::project::FileKind;

pub const BUILTIN: Builtin = Builtin {
    name: "dependabot-cooldown-missing",
    vars: &["ecosystem", "directory", "problem", "days"],
    params: &["min-days"],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let min_days = ctx.param_int("min-days").unwrap_or(7).max(1);
    let mut hits = Vec::new();
    for file in ctx.project.files_of(FileKind::Dependabot) {
        let Parsed::Yaml(config) = file.parsed() else {
            continue;
        };
        let Some(Value::Sequence(updates)) = yaml::get(&config.value, "updates") else {
            continue;
        };
        // NOTE: only a file's first hits are reported (in file order, which is entry order
        // here); a fix computed past them is thrown away, and on every round of `harden fix`.
        let mut in_file = 0;
        for (index, update) in updates.iter().enumerate() {
            let Some(problem) = judge(update, min_days) else {
                continue;
            };
            let item = vec![Step::Key("updates".into()), Step::Index(index)];
            let ecosystem = yaml::get(update, "package-ecosystem")
                .and_then(Value::as_str)
                .unwrap_or("?");
            let directory = directories(update);
            let Some(span) = problem.span(config, &item) else {
                continue;
            };
            let mut hit = Hit::at(Location::span(&file.path, span))
                .var("ecosystem", ecosystem)
                .var("directory", directory.as_str())
                .var("problem", problem.describe())
                .var("days", min_days)
                .fingerprint(format!("{ecosystem} {directory}"));
            // NOTE: Dependabot applies a cooldown to a multi-ecosystem group one ecosystem at a
            // time, so the groups' updates stop arriving together; adding one there is a
            // decision for the owner, not a safe edit.
            in_file += 1;
            if yaml::get(update, "multi-ecosystem-group").is_none()
                && in_file <= crate::engine::MAX_FINDINGS_PER_FILE
                && let Some(edit) = problem.fix(config, &item, min_days, &file.path)
            {
                hit = hit.edits(vec![edit]);
            }
            hits.push(hit);
        }
    }
    hits
}

/// What is wrong with one update entry's cooldown.
#[derive(Debug, PartialEq, Eq)]
enum Problem {
    /// No `cooldown` key.
    Missing,
    /// `cooldown:` with no value.
    Empty,
    /// A `cooldown` mapping without `default-days`.
    NoDefaultDays,
    /// `default-days` below the minimum.
    TooShort(i64),
}

fn judge(update: &Value, min_days: i64) -> Option<Problem> {
    update.as_mapping()?;
    match yaml::get(update, "cooldown") {
        None => Some(Problem::Missing),
        Some(Value::Null) => Some(Problem::Empty),
        Some(cooldown @ Value::Mapping(_)) => match yaml::get(cooldown, "default-days") {
            None | Some(Value::Null) => Some(Problem::NoDefaultDays),
            // A non-number is Dependabot's own error to report, not a missing cooldown.
            Some(days) => days
                .as_i64()
                .filter(|d| *d < min_days)
                .map(Problem::TooShort),
        },
        Some(_) => None,
    }
}

impl Problem {
    fn describe(&self) -> String {
        match self {
            Self::Missing => "has no `cooldown`".to_string(),
            Self::Empty => "has an empty `cooldown`".to_string(),
            Self::NoDefaultDays => {
                "has a `cooldown` without `default-days`, which then is 0".to_string()
            }
            Self::TooShort(days) => format!(
                "waits only {days} day{} (`default-days: {days}`)",
                if *days == 1 { "" } else { "s" }
            ),
        }
    }

    /// Where the finding points: the entry's `package-ecosystem` key (or the entry) when the
    /// cooldown is absent, else the cooldown itself.
    fn span(&self, config: &YamlFile, item: &[Step]) -> Option<std::ops::Range<usize>> {
        let at = |key: &str| {
            let mut steps = item.to_vec();
            steps.push(Step::Key(key.to_string()));
            steps
        };
        match self {
            Self::Missing => config
                .key_span(&at("package-ecosystem"))
                .or_else(|| config.value_span(item)),
            Self::Empty | Self::NoDefaultDays => config.key_span(&at("cooldown")),
            Self::TooShort(_) => {
                let mut steps = at("cooldown");
                steps.push(Step::Key("default-days".into()));
                config.value_span(&steps)
            }
        }
    }

    /// The edit, only if the result parses to the document with exactly this change: made on
    /// the entry's lines alone when they stand alone, else on the whole document.
    fn fix(&self, config: &YamlFile, entry: &[Step], days: i64, path: &str) -> Option<Edit> {
        let days = Value::Number(days.into());
        let mut cooldown_mapping = yaml_serde::Mapping::new();
        cooldown_mapping.insert("default-days".into(), days.clone());
        let add_cooldown = || {
            (
                Vec::new(),
                yamlpatch::Op::Add {
                    key: "cooldown".into(),
                    value: Value::Mapping(cooldown_mapping.clone()),
                },
            )
        };
        // Routes and the expected value are the entry's: ops start at it.
        let cooldown = vec![Step::Key("cooldown".into())];
        let default_days = vec![
            Step::Key("cooldown".into()),
            Step::Key("default-days".into()),
        ];
        let mut expected = yaml::value_at(&config.value, entry)?.clone();
        let ops = match self {
            Self::Missing | Self::Empty => {
                let mapping = expected.as_mapping_mut()?;
                mapping.insert("cooldown".into(), Value::Mapping(cooldown_mapping.clone()));
                match self {
                    Self::Missing => vec![add_cooldown()],
                    // NOTE: yamlpatch cannot replace a key's empty value, so the bare
                    // `cooldown:` line is removed (a comment on that very line goes with it)
                    // and a full one added.
                    _ => vec![(cooldown, yamlpatch::Op::Remove), add_cooldown()],
                }
            }
            Self::NoDefaultDays => {
                let mapping = yaml::value_at_mut(&mut expected, &cooldown)?.as_mapping_mut()?;
                mapping.insert("default-days".into(), days.clone());
                vec![(
                    cooldown,
                    yamlpatch::Op::Add {
                        key: "default-days".into(),
                        value: days,
                    },
                )]
            }
            Self::TooShort(_) => {
                *yaml::value_at_mut(&mut expected, &default_days)? = days.clone();
                vec![(default_days, yamlpatch::Op::Replace(days))]
            }
        };
        if let Some((lines, new)) = config.patch_node(entry, ops.clone(), &expected) {
            let old = config.source().get(lines.clone())?;
            return match Edit::from_rewrite(path, old, &new)? {
                Edit::Replace { range, content, .. } => Some(Edit::replace(
                    path,
                    lines.start + range.start..lines.start + range.end,
                    content,
                )),
                Edit::Create { .. } => None,
            };
        }
        let mut document = config.value.clone();
        *yaml::value_at_mut(&mut document, entry)? = expected;
        let ops = ops
            .into_iter()
            .map(|(steps, op)| ([entry, steps.as_slice()].concat(), op))
            .collect();
        let new = config.patch_expecting(ops, &document)?;
        Edit::from_rewrite(path, config.source(), &new)
    }
}

/// The entry's `directory`, or its `directories` joined, for the message.
fn directories(update: &Value) -> String {
    if let Some(dir) = yaml::get(update, "directory").and_then(Value::as_str) {
        return dir.to_string();
    }
    match yaml::get(update, "directories") {
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(", "),
        _ => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixed(text: &str) -> Vec<String> {
        let config = YamlFile::parse(text).unwrap();
        let Some(Value::Sequence(updates)) = yaml::get(&config.value, "updates") else {
            panic!("no updates")
        };
        updates
            .iter()
            .enumerate()
            .filter_map(|(i, u)| {
                let problem = judge(u, 7)?;
                let item = vec![Step::Key("updates".into()), Step::Index(i)];
                let Edit::Replace { range, content, .. } =
                    problem.fix(&config, &item, 7, "d.yml").unwrap()
                else {
                    panic!("not a replacement")
                };
                let mut new = text.to_string();
                new.replace_range(range, &content);
                Some(new)
            })
            .collect()
    }

    #[test]
    fn judges_cooldowns() {
        let cases = [
            ("package-ecosystem: pip", Some(Problem::Missing)),
            ("cooldown:", Some(Problem::Empty)),
            ("cooldown: {}", Some(Problem::NoDefaultDays)),
            (
                "cooldown: {semver-major-days: 30}",
                Some(Problem::NoDefaultDays),
            ),
            ("cooldown: {default-days: 3}", Some(Problem::TooShort(3))),
            ("cooldown: {default-days: 0}", Some(Problem::TooShort(0))),
            ("cooldown: {default-days: 7}", None),
            ("cooldown: {default-days: 30}", None),
            ("cooldown: {default-days: soon}", None),
        ];
        for (text, want) in cases {
            let value: Value = yaml_serde::from_str(text).unwrap();
            assert_eq!(judge(&value, 7), want, "{text}");
        }
    }

    #[test]
    fn adds_cooldown_keeping_comments() {
        let text = "version: 2\nupdates:\n  # python\n  - package-ecosystem: pip # main app\n    directory: /\n    schedule:\n      interval: daily # fast\n";
        assert_eq!(
            fixed(text),
            vec![
                "version: 2\nupdates:\n  # python\n  - package-ecosystem: pip # main app\n    directory: /\n    schedule:\n      interval: daily # fast\n    cooldown:\n      default-days: 7\n"
                    .to_string()
            ]
        );
    }

    #[test]
    fn adds_cooldown_before_trailing_comments() {
        let text = "updates:\n  - package-ecosystem: pip\n    directory: / # root\n  # - package-ecosystem: npm\n  #   directory: /\n  - package-ecosystem: docker\n    directory: /\n    cooldown: {default-days: 7}\n# end\n";
        assert_eq!(
            fixed(text),
            vec![
                "updates:\n  - package-ecosystem: pip\n    directory: / # root\n    cooldown:\n      default-days: 7\n  # - package-ecosystem: npm\n  #   directory: /\n  - package-ecosystem: docker\n    directory: /\n    cooldown: {default-days: 7}\n# end\n"
                    .to_string()
            ]
        );
    }

    #[test]
    fn flow_cooldown_gets_default_days() {
        let text = "updates:\n  - package-ecosystem: pip\n    directory: /\n    cooldown: {semver-major-days: 30}\n";
        assert_eq!(
            fixed(text),
            vec!["updates:\n  - package-ecosystem: pip\n    directory: /\n    cooldown: { semver-major-days: 30, default-days: 7 }\n".to_string()]
        );
    }

    #[test]
    fn fixes_every_kind_of_problem() {
        let text = "updates:\n  - package-ecosystem: pip\n    directory: /\n    cooldown:\n  - package-ecosystem: docker\n    directory: /\n    cooldown:\n      semver-major-days: 30\n  - package-ecosystem: uv\n    directory: /\n    cooldown:\n      default-days: 2\n";
        let results = fixed(text);
        assert_eq!(results.len(), 3);
        for result in &results {
            let config = YamlFile::parse(result).unwrap();
            assert!(result.contains("default-days: 7"), "{result}");
            let Some(Value::Sequence(updates)) = yaml::get(&config.value, "updates") else {
                panic!()
            };
            assert_eq!(
                updates.iter().filter(|u| judge(u, 7).is_some()).count(),
                2,
                "{result}"
            );
        }
    }
}
