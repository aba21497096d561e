//! bandit's configuration, in its three formats, reduced to what the bandit-* checks judge:
//! the tests it skips, the tests it limits itself to, and the paths it excludes, each item with
//! its span in the file.
//!
//! - `.bandit` (INI, read with `--ini`, or found in the scanned directory): a `[bandit]`
//!   section whose `skips`, `tests` and `exclude` are comma-separated lists. Read by a small
//!   line scanner (no INI crate: the scanner has to find the spans anyway, and one reader means
//!   the values and their spans cannot disagree).
//! - bandit YAML (`bandit.yaml`, or any file given with `-c`): top-level `skips`, `tests`,
//!   `exclude_dirs` lists.
//! - `[tool.bandit]` in a pyproject.toml (`-c pyproject.toml`): the same keys as the YAML.

use std::ops::Range;

use super::toml::TomlFile;
use super::yaml::{Step, Value, YamlFile, get};

/// One list item as written, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub value: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BanditSettings {
    pub skips: Vec<Item>,
    /// When not empty, bandit runs only these tests.
    pub tests: Vec<Item>,
    /// Span of the `tests` value, to point at a list that leaves tests out.
    pub tests_span: Option<Range<usize>>,
    /// `exclude_dirs` (YAML, TOML) or `exclude` (INI).
    pub exclude_dirs: Vec<Item>,
}

/// Whether a bandit configuration is INI (`.bandit`) rather than YAML: its first line that is
/// not blank or a comment opens a `[section]`.
pub fn looks_like_ini(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with(';'))
        .is_some_and(|l| l.starts_with('[') && l.ends_with(']') && !l.contains(','))
}

/// The `[bandit]` section of a `.bandit` file; `None` when it has none.
pub fn from_ini(text: &str) -> Option<BanditSettings> {
    let mut settings = BanditSettings::default();
    let mut in_bandit = false;
    let mut seen = false;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with(';') {
            continue;
        }
        if trimmed.starts_with('[') {
            in_bandit = trimmed == "[bandit]";
            seen |= in_bandit;
            continue;
        }
        if !in_bandit {
            continue;
        }
        let Some(sep) = content.find(['=', ':']) else {
            continue;
        };
        let key = content[..sep].trim();
        let value_start = start + sep + 1;
        let value = &content[sep + 1..];
        let items = split_list(value, value_start);
        let value_span = {
            let lead = value.len() - value.trim_start().len();
            value_start + lead..value_start + value.trim_end().len()
        };
        match key {
            "skips" => settings.skips = items,
            "tests" => {
                settings.tests = items;
                settings.tests_span = Some(value_span);
            }
            "exclude" | "exclude_dirs" => settings.exclude_dirs = items,
            _ => {}
        }
    }
    seen.then_some(settings)
}

/// Comma-separated items of `value`, which starts at byte `base` of the file.
fn split_list(value: &str, base: usize) -> Vec<Item> {
    let mut items = Vec::new();
    let mut at = 0;
    for part in value.split(',') {
        let lead = part.len() - part.trim_start().len();
        let trimmed = part.trim();
        if !trimmed.is_empty() {
            let start = base + at + lead;
            items.push(Item {
                value: trimmed.to_string(),
                span: start..start + trimmed.len(),
            });
        }
        at += part.len() + 1;
    }
    items
}

/// A bandit YAML configuration.
pub fn from_yaml(yaml: &YamlFile) -> BanditSettings {
    let list = |key: &str| -> Vec<Item> {
        let Some(items) = get(&yaml.value, key).and_then(Value::as_sequence) else {
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let value = v.as_str()?.to_string();
                let span = yaml.value_span(&[Step::Key(key.into()), Step::Index(i)])?;
                Some(Item { value, span })
            })
            .collect()
    };
    BanditSettings {
        skips: list("skips"),
        tests: list("tests"),
        tests_span: yaml.value_span(&[Step::Key("tests".into())]),
        exclude_dirs: list("exclude_dirs"),
    }
}

/// `[tool.bandit]` of a pyproject.toml; `None` when it has none.
pub fn from_pyproject(toml: &TomlFile) -> Option<BanditSettings> {
    let table = toml.get(&["tool", "bandit"])?;
    let list = |key: &str| -> Vec<Item> {
        let Some(array) = table.get(key).and_then(|i| i.as_array()) else {
            return Vec::new();
        };
        array
            .iter()
            .filter_map(|v| {
                Some(Item {
                    value: v.as_str()?.to_string(),
                    span: v.span()?,
                })
            })
            .collect()
    };
    Some(BanditSettings {
        skips: list("skips"),
        tests: list("tests"),
        tests_span: table.get("tests").and_then(|i| i.span()),
        exclude_dirs: list("exclude_dirs"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(items: &[Item], text: &str) -> Vec<String> {
        items
            .iter()
            .map(|i| {
                assert_eq!(text[i.span.clone()].trim_matches(['\'', '"']), i.value);
                i.value.clone()
            })
            .collect()
    }

    #[test]
    fn ini_or_yaml() {
        assert!(looks_like_ini("# settings\n[bandit]\nskips = B101\n"));
        assert!(!looks_like_ini("skips: [B101]\n"));
        assert!(!looks_like_ini("[B101, B102]\n"));
    }

    #[test]
    fn ini_lists_with_spans() {
        let text = "[other]\nskips = B999\n\n[bandit]\n# comment\nskips = B101, B602 ,B608\r\nexclude: ./tests,/venv\ntests=\n";
        let settings = from_ini(text).unwrap();
        assert_eq!(values(&settings.skips, text), ["B101", "B602", "B608"]);
        assert_eq!(values(&settings.exclude_dirs, text), ["./tests", "/venv"]);
        assert!(settings.tests.is_empty());
        assert_eq!(from_ini("[flake8]\nmax-line-length = 100\n"), None);
    }

    #[test]
    fn yaml_lists_with_spans() {
        let text = "skips: ['B101', B301]\nexclude_dirs:\n  - tests\n  - \"app\"\ntests: [B201]\n";
        let settings = from_yaml(&YamlFile::parse(text).unwrap());
        assert_eq!(values(&settings.skips, text), ["B101", "B301"]);
        assert_eq!(&text[settings.skips[0].span.clone()], "'B101'");
        let dirs: Vec<&str> = settings
            .exclude_dirs
            .iter()
            .map(|i| &text[i.span.clone()])
            .collect();
        assert_eq!(dirs, ["tests", "\"app\""]);
        assert_eq!(settings.tests.len(), 1);
    }

    #[test]
    fn pyproject_lists_with_spans() {
        let text = "[project]\nname = \"x\"\n\n[tool.bandit]\nskips = [\"B105\", \"B101\"]\nexclude_dirs = [\"tests\"]\n";
        let settings = from_pyproject(&TomlFile::parse(text).unwrap()).unwrap();
        let skips: Vec<&str> = settings
            .skips
            .iter()
            .map(|i| &text[i.span.clone()])
            .collect();
        assert_eq!(skips, ["\"B105\"", "\"B101\""]);
        assert_eq!(settings.exclude_dirs[0].value, "tests");
        assert_eq!(
            from_pyproject(&TomlFile::parse("[tool.ruff]\n").unwrap()),
            None
        );
    }
}
