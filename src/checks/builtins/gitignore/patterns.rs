//! `gitignore-patterns`: the root `.gitignore` must make git ignore a list of sample paths,
//! judged with real gitignore semantics (every `.gitignore` of the project, negations, nested
//! files), and no negation line may re-include one of them.
//!
//! Parameters:
//! - `samples`, `extra-samples`: entries that must be ignored. An entry is a string (the probe
//!   path and the line to add, e.g. `"instance/"`) or a table `{ path = "key.pem", line =
//!   "*.pem" }` whose `path` is a concrete name git must ignore and whose `line` is what the fix
//!   appends. A trailing `/` makes the probe a directory. `extra-samples` is empty by default,
//!   so a project extends the list without repeating it. A table's `when` asks for the sample
//!   only when the project model shows the project produces such a file (see [`When`]); the
//!   finding's message names that evidence.
//! - `keep-trackable`: paths that must stay committable (`.env.example`): when an appended line
//!   would start ignoring one, the fix appends its `!path` negation too.
//! - `comment`: header of the appended block, in files that use comments.
//! - `flag-negations`: report negation lines that re-include a sample (in any `.gitignore`).

use std::collections::BTreeMap;

use crate::checks::builtins::secret::holds_secret;
use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::Parsed;
use crate::formats::gitignore::{DirStyle, GitignoreFile, IgnoreTree, Verdict, styled_entry};
use crate::project::FileKind;

pub const BUILTIN: Builtin = Builtin {
    name: "gitignore-patterns",
    vars: &["state", "missing", "count", "negation", "lines", "because"],
    params: &[
        "samples",
        "extra-samples",
        "keep-trackable",
        "comment",
        "flag-negations",
    ],
    run,
};

const ROOT_GITIGNORE: &str = ".gitignore";

/// A subdirectory name no project uses, to probe file samples below the root.
const SUBDIR_PROBE: &str = "harden-probe-dir";

/// One path git must ignore and the line that makes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub path: String,
    pub line: String,
    /// Must be ignored in every directory, not only at the root: the default for files, since
    /// `.env`, keys and `local_settings.py` live wherever the code that reads them does (a
    /// `/.env` line covers the root only); `anywhere = true` for directories such as
    /// `__pycache__/`. Directories like `build/` or `instance/` are judged at the root, so a
    /// file that anchors them (`/build/`) is fine.
    pub anywhere: bool,
    /// When the project produces such a file.
    pub when: When,
}

/// When a sample is asked for: always, or when the project model shows that the project
/// produces such a file (`when = "..."` in the sample's table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Any project may hold one (private keys).
    Always,
    /// `"dotenv"`: something reads a `.env` file.
    Dotenv,
    /// `"flask-app"`: the project creates a Flask application (its instance folder).
    FlaskApp,
    /// `"imported"`: the code imports the Python module the sample names
    /// (`local_settings.py` when settings import `local_settings`).
    Imported,
    /// `"sqlite"`: the code or configuration names a `.sqlite3` database.
    Sqlite,
}

impl When {
    /// The condition a `when` value names; an unknown value asks always (the sample is never
    /// dropped by a typo).
    fn parse(name: Option<&str>) -> Self {
        match name {
            Some("dotenv") => Self::Dotenv,
            Some("flask-app") => Self::FlaskApp,
            Some("imported") => Self::Imported,
            Some("sqlite") => Self::Sqlite,
            _ => Self::Always,
        }
    }
}

impl Sample {
    fn is_dir(&self) -> bool {
        self.path.ends_with('/')
    }

    fn new(path: &str, line: &str, anywhere: Option<bool>) -> Self {
        let is_dir = path.ends_with('/');
        // A path with a slash inside is relative to the root by nature.
        let nested = path.trim_end_matches('/').contains('/');
        Self {
            path: path.to_string(),
            line: line.to_string(),
            anywhere: anywhere.unwrap_or(!is_dir) && !nested,
            when: When::Always,
        }
    }

    /// The file name of the sample (`local_settings.py` for `conf/local_settings.py`).
    fn name(&self) -> &str {
        let path = self.path.trim_end_matches('/');
        path.rsplit('/').next().unwrap_or(path)
    }

    /// Whether the project produces such a file, and the evidence (`None` for `Always`).
    fn produced(&self, ctx: &Ctx<'_>) -> Option<Option<String>> {
        let local = ctx.project.model().local_files(ctx.project);
        let evidence = match self.when {
            When::Always => return Some(None),
            When::Dotenv => local.dotenv.as_ref(),
            When::FlaskApp => local.flask_instance.as_ref(),
            When::Imported => {
                let stem = self.name().strip_suffix(".py").unwrap_or(self.name());
                local.imported.get(stem)
            }
            When::Sqlite => local.sqlite.as_ref(),
        }?;
        Some(Some(evidence.to_string()))
    }

    /// Where git must ignore the sample: at the root, and below it when `anywhere`.
    fn probes(&self) -> Vec<String> {
        let mut probes = vec![self.path.clone()];
        if self.anywhere {
            probes.push(format!("{SUBDIR_PROBE}/{}", self.path));
        }
        probes
    }

    /// Whether git would ignore the sample everywhere it is probed.
    fn ignored_in(&self, tree: &IgnoreTree) -> bool {
        self.probes()
            .iter()
            .all(|p| tree.verdict(p, self.is_dir()).is_ignored())
    }

    /// Not ignored somewhere, and no negation line is the reason (those are reported apart).
    fn missing_in(&self, tree: &IgnoreTree) -> bool {
        self.probes()
            .iter()
            .any(|p| tree.verdict(p, self.is_dir()) == Verdict::Tracked(None))
    }
}

/// Read a list of samples from a parameter; malformed entries are skipped.
fn samples(ctx: &Ctx<'_>, name: &str) -> Vec<Sample> {
    let Some(items) = ctx.params.get(name).and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    items
        .iter()
        .filter_map(|item| match item {
            serde_json::Value::String(s) => Some(Sample::new(s, s, None)),
            serde_json::Value::Object(map) => {
                let path = map.get("path")?.as_str()?;
                let line = map.get("line").and_then(|l| l.as_str()).unwrap_or(path);
                let anywhere = map.get("anywhere").and_then(|a| a.as_bool());
                let when = When::parse(map.get("when").and_then(|w| w.as_str()));
                Some(Sample {
                    when,
                    ..Sample::new(path, line, anywhere)
                })
            }
            _ => None,
        })
        .filter(|s| !s.path.trim_matches('/').is_empty() && !s.line.trim().is_empty())
        .collect()
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn join(dir: &str, path: &str) -> String {
    if dir.is_empty() {
        path.to_string()
    } else {
        format!("{dir}/{path}")
    }
}

/// Whether git ignores the imported module where its import puts it for certain (Horizon
/// ignores `openstack_dashboard/local/local_settings.py`, the one place
/// `from local.local_settings import *` reads): the file cannot be committed, so a line for
/// every directory is not asked.
fn ignored_where_imported(ctx: &Ctx<'_>, tree: &IgnoreTree, sample: &Sample) -> bool {
    let stem = sample.name().strip_suffix(".py").unwrap_or(sample.name());
    let local = ctx.project.model().local_files(ctx.project);
    local
        .imported_paths
        .get(stem)
        .is_some_and(|path| tree.verdict(path, false).is_ignored())
}

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let mut all = samples(ctx, "samples");
    for extra in samples(ctx, "extra-samples") {
        if !all.iter().any(|s| s.path == extra.path) {
            all.push(extra);
        }
    }
    let keep = ctx.param_strings("keep-trackable");
    let comment = ctx.param_str("comment").map(str::to_string);
    let flag_negations = ctx
        .params
        .get("flag-negations")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);

    // Only what the project produces is asked for, each with its evidence; a `.env` that git
    // tracks and that holds only placeholders is the project's documented template.
    let tree = ctx.project.ignore_tree();
    let mut asked: Vec<(Sample, Option<String>)> = Vec::new();
    for sample in all {
        let Some(evidence) = sample.produced(ctx) else {
            continue;
        };
        if sample.when == When::Dotenv && tracked_placeholder_env(ctx, sample.name()) {
            continue;
        }
        if sample.when == When::Imported && ignored_where_imported(ctx, tree, &sample) {
            continue;
        }
        asked.push((sample, evidence));
    }
    let all: Vec<Sample> = asked.iter().map(|(s, _)| s.clone()).collect();

    let mut hits = Vec::new();
    if flag_negations {
        hits.extend(negation_hits(ctx, tree, &all));
    }

    let missing: Vec<&Sample> = all.iter().filter(|s| s.missing_in(tree)).collect();
    if missing.is_empty() {
        return hits;
    }
    let mut missing_lines: Vec<String> = Vec::new();
    for sample in &missing {
        if !missing_lines.contains(&sample.line) {
            missing_lines.push(sample.line.clone());
        }
    }
    let because = because(&asked, &missing);

    let root_file = ctx.project.file(ROOT_GITIGNORE);
    if root_file.is_none() && ctx.project.root.join(ROOT_GITIGNORE).exists() {
        // NOTE: a .gitignore outside the walk (excluded in harden.toml, or ignoring itself)
        // cannot be judged or edited.
        return hits;
    }
    let old_text = root_file
        .and_then(|f| f.text().ok())
        .map_or("", |t| &*t.content);
    let parsed = GitignoreFile::parse(old_text);
    let edit = plan_append(tree, &parsed, &missing, &keep, comment.as_deref());

    let mut hit = Hit::at(Location::file(ROOT_GITIGNORE))
        .var(
            "state",
            if root_file.is_some() {
                "missing-lines"
            } else {
                "no-file"
            },
        )
        .var("missing", quoted(&missing_lines))
        .var("count", missing_lines.len())
        .var("negation", "")
        .var("because", because)
        .fingerprint(missing_lines.join("\n"));
    match edit {
        Some((lines, block)) => {
            hit = hit.var("lines", quoted(&lines));
            let edit = match root_file {
                Some(_) => Edit::insert(ROOT_GITIGNORE, old_text.len(), block),
                None => Edit::create(ROOT_GITIGNORE, block),
            };
            hit = hit.edits(vec![edit]);
        }
        None => hit = hit.var("lines", quoted(&missing_lines)),
    }
    hits.push(hit);
    hits
}

/// Why the project produces each missing line's file: `` `.env`: `load_dotenv()`
/// (python-dotenv) at app/config.py:3 ``, one clause per line that has evidence.
fn because(asked: &[(Sample, Option<String>)], missing: &[&Sample]) -> String {
    let mut clauses: Vec<(String, String)> = Vec::new();
    for sample in missing {
        let Some((_, Some(evidence))) = asked.iter().find(|(s, _)| s.path == sample.path) else {
            continue;
        };
        match clauses.iter_mut().find(|(_, e)| e == evidence) {
            Some((lines, _)) => {
                if !lines.contains(&format!("`{}`", sample.line)) {
                    lines.push_str(&format!(", `{}`", sample.line));
                }
            }
            None => clauses.push((format!("`{}`", sample.line), evidence.clone())),
        }
    }
    clauses
        .into_iter()
        .map(|(lines, evidence)| format!("{lines}: {evidence}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Whether the project's git index holds files named `name` (`.env`) and every one of them
/// holds only placeholders and non-secret values: a template the project documents by
/// committing it, which .gitignore need not ignore. Outside git nothing says a `.env` is
/// committed on purpose.
fn tracked_placeholder_env(ctx: &Ctx<'_>, name: &str) -> bool {
    let mut tracked = ctx
        .project
        .files_of(FileKind::EnvFile)
        .filter(|f| f.name() == name && ctx.project.is_tracked(&f.path) == Some(true))
        .peekable();
    if tracked.peek().is_none() {
        return false;
    }
    tracked.all(|file| match file.parsed() {
        Parsed::Dotenv(env) => env
            .entries
            .iter()
            .all(|entry| !holds_secret(&entry.key, &entry.value)),
        _ => false,
    })
}

/// Whether `!.env.<mode>` in the `.gitignore` at `gitignore` re-includes a JavaScript
/// front end's committed defaults: beside a `package.json`, `.env.production`,
/// `.env.development` and `.env.test` are what Next.js, Vite and Create React App load for
/// each mode and tell projects to commit (fides' `clients/admin-ui/`), the secrets going to
/// the `.env*.local` files they ignore; only prefixed names (`NEXT_PUBLIC_`, `VITE_`) reach the
/// bundle.
fn front_end_mode_defaults(ctx: &Ctx<'_>, gitignore: &str, probe: &str) -> bool {
    let name = probe.rsplit('/').next().unwrap_or(probe);
    let dir = gitignore.rsplit_once('/').map_or("", |(dir, _)| dir);
    matches!(name, ".env.production" | ".env.development" | ".env.test")
        && ctx.project.root.join(dir).join("package.json").is_file()
}

/// Negation lines (in any `.gitignore`) that re-include a sample in their directory.
fn negation_hits(ctx: &Ctx<'_>, tree: &IgnoreTree, samples: &[Sample]) -> Vec<Hit> {
    let mut dirs: Vec<&str> = tree.dirs().collect();
    if !dirs.contains(&"") {
        dirs.push("");
    }
    let mut by_line: BTreeMap<(String, usize), (crate::formats::gitignore::Rule, Vec<String>)> =
        BTreeMap::new();
    for dir in dirs {
        for sample in samples {
            let probe = join(dir, &sample.path);
            if let Verdict::Tracked(Some(rule)) = tree.verdict(&probe, sample.is_dir())
                && rule.negation
                && !front_end_mode_defaults(ctx, &rule.file, &probe)
            {
                let entry = by_line
                    .entry((rule.file.clone(), rule.span.start))
                    .or_insert_with(|| (rule, Vec::new()));
                if !entry.1.contains(&probe) {
                    entry.1.push(probe);
                }
            }
        }
    }
    by_line
        .into_values()
        .map(|(rule, probes)| {
            Hit::at(Location::span(rule.file.clone(), rule.span.clone()))
                .var("state", "negation")
                .var("missing", quoted(&probes))
                .var("count", probes.len())
                .var("negation", rule.pattern.clone())
                .var("lines", "")
                .var("because", "")
        })
        .collect()
}

/// The lines to append to the root `.gitignore` and the text block that appends them, or
/// `None` when appending cannot make every missing sample ignored (a parent directory
/// negation, for instance): the finding is then shown without a fix.
fn plan_append(
    tree: &IgnoreTree,
    parsed: &GitignoreFile,
    missing: &[&Sample],
    keep: &[String],
    comment: Option<&str>,
) -> Option<(Vec<String>, String)> {
    // The file's own style first; the entries exactly as configured if that is not enough.
    let styles = [
        parsed.dir_style(),
        DirStyle {
            leading_slash: false,
            trailing_slash: true,
        },
    ];
    for style in styles {
        let mut lines: Vec<String> = Vec::new();
        for sample in missing {
            // NOTE: an entry that must hold in every directory is never anchored.
            let line = match (sample.is_dir(), sample.anywhere) {
                (true, false) => styled_entry(&sample.line, style),
                (true, true) => styled_entry(
                    &sample.line,
                    DirStyle {
                        leading_slash: false,
                        ..style
                    },
                ),
                (false, _) => sample.line.clone(),
            };
            if !lines.contains(&line) {
                lines.push(line);
            }
        }
        let simulate = |lines: &[String]| {
            let block = parsed.append_block(comment, lines);
            let new_tree = tree.with_appended(ROOT_GITIGNORE, &block);
            (block, new_tree)
        };
        let (_, new_tree) = simulate(&lines);
        for path in keep {
            let is_dir = path.ends_with('/');
            if !tree.verdict(path, is_dir).is_ignored()
                && new_tree.verdict(path, is_dir).is_ignored()
            {
                lines.push(format!("!{}", path.trim_start_matches('!')));
            }
        }
        let (block, new_tree) = simulate(&lines);
        let covered = missing.iter().all(|s| s.ignored_in(&new_tree));
        let kept = keep.iter().all(|k| {
            let is_dir = k.ends_with('/');
            tree.verdict(k, is_dir).is_ignored() || !new_tree.verdict(k, is_dir).is_ignored()
        });
        if covered && kept {
            return Some((lines, block));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(path: &str, line: &str) -> Sample {
        Sample::new(path, line, None)
    }

    fn plan(text: &str, missing: &[Sample], keep: &[&str]) -> Option<(Vec<String>, String)> {
        let tree = IgnoreTree::new([(ROOT_GITIGNORE, text)]);
        let parsed = GitignoreFile::parse(text);
        let missing: Vec<&Sample> = missing.iter().collect();
        let keep: Vec<String> = keep.iter().map(|k| k.to_string()).collect();
        plan_append(&tree, &parsed, &missing, &keep, Some("harden: secrets"))
    }

    #[test]
    fn env_star_keeps_env_example_trackable() {
        let (lines, block) = plan(
            "*.log\n",
            &[sample(".env.production", ".env.*")],
            &[".env.example", ".env.sample"],
        )
        .unwrap();
        assert_eq!(lines, [".env.*", "!.env.example", "!.env.sample"]);
        assert_eq!(block, ".env.*\n!.env.example\n!.env.sample\n");
    }

    #[test]
    fn an_already_ignored_template_is_left_alone() {
        let (lines, _) = plan(".env*\n", &[sample("key.pem", "*.pem")], &[".env.example"]).unwrap();
        assert_eq!(lines, ["*.pem"]);
    }

    #[test]
    fn directories_follow_the_file_style() {
        let (lines, block) = plan(
            "# dirs\n/build/\n/dist/",
            &[sample("venv/", "venv/"), sample("x.pyc", "*.pyc")],
            &[],
        )
        .unwrap();
        assert_eq!(lines, ["/venv/", "*.pyc"]);
        assert_eq!(block, "\n\n# harden: secrets\n/venv/\n*.pyc\n");
    }

    #[test]
    fn a_root_only_line_does_not_cover_a_file_sample() {
        let env = sample(".env", ".env");
        assert!(env.missing_in(&IgnoreTree::new([(ROOT_GITIGNORE, "/.env\n")])));
        assert!(!env.missing_in(&IgnoreTree::new([(ROOT_GITIGNORE, "*.env\n")])));
        let (lines, _) = plan("/.env\n", &[env], &[]).unwrap();
        assert_eq!(lines, [".env"]);
        // Directories are probed at the root only.
        let instance = sample("instance/", "instance/");
        assert!(!instance.missing_in(&IgnoreTree::new([(ROOT_GITIGNORE, "/instance/\n")])));
    }

    #[test]
    fn directories_wanted_everywhere_are_never_anchored() {
        let pycache = Sample::new("__pycache__/", "__pycache__/", Some(true));
        assert!(pycache.missing_in(&IgnoreTree::new([(ROOT_GITIGNORE, "/__pycache__/\n")])));
        let (lines, _) = plan("/build/\n/dist/\n", &[pycache], &[]).unwrap();
        assert_eq!(lines, ["__pycache__/"]);
        let (lines, _) = plan(
            "build\ndist\n",
            &[Sample::new("__pycache__/", "__pycache__/", Some(true))],
            &[],
        )
        .unwrap();
        assert_eq!(lines, ["__pycache__"]);
    }

    #[test]
    fn no_fix_when_the_line_does_not_cover_its_sample() {
        assert!(plan("", &[sample("db.sqlite3", "*.sqlite")], &[]).is_none());
        let (_, block) = plan("", &[sample(".env", ".env")], &[]).unwrap();
        assert_eq!(block, "# harden: secrets\n.env\n");
    }
}
