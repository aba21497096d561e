//! Every bandit configuration of a project, read with [`crate::formats::bandit`]: `.bandit`
//! files, `bandit.yaml` / `bandit.yml`, `[tool.bandit]` in any pyproject.toml, and any file a
//! workflow or pre-commit hook hands bandit with `-c` / `--configfile` / `--ini`. Not a
//! builtin itself: shared by the bandit-* checks.

pub(crate) mod config_missing;
pub(crate) mod critical_test_skipped;
pub(crate) mod excludes_app_code;

use crate::formats::Parsed;
use crate::formats::bandit::{self, BanditSettings};
use crate::formats::yaml::{Value, get};
use crate::project::{FileKind, Project, SourceFile};

#[derive(Debug, Clone)]
pub struct Config {
    pub path: String,
    pub settings: BanditSettings,
}

pub fn configs(project: &Project) -> Vec<Config> {
    let mut out: Vec<Config> = Vec::new();
    let mut add = |file: &SourceFile| {
        if out.iter().any(|c| c.path == file.path) {
            return;
        }
        if let Some(settings) = read(file) {
            out.push(Config {
                path: file.path.clone(),
                settings,
            });
        }
    };
    for file in project.files_of(FileKind::BanditConfig) {
        add(file);
    }
    for file in project.files_of(FileKind::Pyproject) {
        add(file);
    }
    for path in referenced(project) {
        if let Some(file) = project.file(&path) {
            add(file);
        }
    }
    out
}

fn read(file: &SourceFile) -> Option<BanditSettings> {
    let ini =
        file.name() == ".bandit" || file.path.ends_with(".ini") || file.path.ends_with(".cfg");
    if ini {
        return bandit::from_ini(&file.text().ok()?.content);
    }
    match file.parsed() {
        Parsed::Yaml(yaml) => Some(bandit::from_yaml(yaml)),
        Parsed::Toml(toml) => bandit::from_pyproject(toml),
        _ => None,
    }
}

/// Config files named on bandit command lines in workflows and in bandit pre-commit hooks.
fn referenced(project: &Project) -> Vec<String> {
    let mut out = Vec::new();
    let mut scan = |words: &[String]| {
        let mut iter = words.iter();
        while let Some(word) = iter.next() {
            let value = match word.split_once('=') {
                Some(("-c" | "--configfile" | "--ini", value)) => Some(value.to_string()),
                None if matches!(word.as_str(), "-c" | "--configfile" | "--ini") => {
                    iter.next().cloned()
                }
                _ => None,
            };
            if let Some(value) = value {
                let path = value
                    .trim_matches(|c| c == '"' || c == '\'')
                    .trim_start_matches("./")
                    .to_string();
                if !path.is_empty() && !out.contains(&path) {
                    out.push(path);
                }
            }
        }
    };
    for file in project.files_of(FileKind::Workflow) {
        let Ok(text) = file.text() else { continue };
        for line in text.content.lines() {
            let words: Vec<String> = line.split_whitespace().map(str::to_string).collect();
            if let Some(at) = words
                .iter()
                .position(|w| w.rsplit('/').next() == Some("bandit"))
            {
                scan(words.get(at + 1..).unwrap_or_default());
            }
        }
    }
    for file in project.files_of(FileKind::PrecommitConfig) {
        let Parsed::Yaml(yaml) = file.parsed() else {
            continue;
        };
        let repos = get(&yaml.value, "repos").and_then(Value::as_sequence);
        for hook in repos
            .into_iter()
            .flatten()
            .filter_map(|r| get(r, "hooks").and_then(Value::as_sequence))
            .flatten()
        {
            if get(hook, "id").and_then(Value::as_str) != Some("bandit") {
                continue;
            }
            let args: Vec<String> = get(hook, "args")
                .and_then(Value::as_sequence)
                .into_iter()
                .flatten()
                .filter_map(|a| a.as_str().map(str::to_string))
                .collect();
            scan(&args);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_format_and_referenced_files() {
        let project = Project::from_texts(&[
            (".bandit", "[bandit]\nskips = B101\n"),
            ("pyproject.toml", "[tool.bandit]\nskips = [\"B602\"]\n"),
            ("ci/sec.yaml", "skips: [B608]\n"),
            (
                ".github/workflows/ci.yml",
                "on: push\njobs:\n  a:\n    steps:\n      - run: bandit -r . -c ci/sec.yaml\n",
            ),
            ("other/pyproject.toml", "[project]\nname = \"x\"\n"),
        ]);
        let found: Vec<(String, String)> = configs(&project)
            .into_iter()
            .map(|c| (c.path, c.settings.skips[0].value.clone()))
            .collect();
        assert_eq!(
            found,
            [
                (".bandit".to_string(), "B101".to_string()),
                ("pyproject.toml".to_string(), "B602".to_string()),
                ("ci/sec.yaml".to_string(), "B608".to_string()),
            ]
        );
    }
}
