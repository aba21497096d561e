//! The local files a project can produce that must stay out of git, each with the evidence
//! that the project produces it: a `.env` when something reads one (python-dotenv,
//! django-environ, python-decouple, pydantic-settings `env_file`, compose, pipenv, Flask's CLI
//! with python-dotenv installed, an `--env-file` option, a committed `.env.example`), Flask's
//! `instance/` folder when the project creates a Flask application, a local settings module
//! when the code imports it, and SQLite databases when the code or configuration names one.
//!
//! Read from bytes and paths only (no code runs); example, documentation and published-library
//! source say nothing about what a clone of this repository produces, so they are not read.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use serde::Serialize;

use super::scope::{self, Scope};
use super::{FileKind, Project, SourceFile};

/// One piece of evidence: where, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// `path:line` (or a path) of the file that shows it.
    pub at: String,
    /// What it is: "read by python-dotenv's `load_dotenv()`".
    pub what: String,
}

impl std::fmt::Display for Evidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} at {}", self.what, self.at)
    }
}

/// What the project produces, each with the first evidence found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct LocalFiles {
    /// Something reads a `.env` file.
    pub dotenv: Option<Evidence>,
    /// The project creates a Flask application, whose instance folder (`instance/`) holds
    /// local configuration and data.
    pub flask_instance: Option<Evidence>,
    /// Python modules the code imports, by the last part of their dotted name
    /// (`local_settings`), with the import that shows it.
    pub imported: BTreeMap<String, Evidence>,
    /// The code or configuration names a `.sqlite3` database.
    pub sqlite: Option<Evidence>,
    /// Where an imported module of [`Self::imported`] lives, when its import says so for
    /// certain: a relative import (`.local_settings` beside its importer), or a dotted name
    /// whose package is in the tree (Horizon's `local.local_settings` is
    /// `openstack_dashboard/local/local_settings.py`). By the same key.
    #[serde(skip)]
    pub imported_paths: BTreeMap<String, String>,
}

/// Names of `.env` templates: committed on purpose, and the sign that a `.env` is expected.
const TEMPLATE_MARKERS: &[&str] = &["example", "sample", "template", "dist", "tpl", "defaults"];

/// Whether an env file name is a template (`.env.example`, `example.env`, `.env.sample`).
pub fn is_env_template(name: &str) -> bool {
    name.split('.')
        .any(|part| TEMPLATE_MARKERS.contains(&part.to_ascii_lowercase().as_str()))
}

/// Python calls and imports that read a `.env` file: a word the text must hold for the
/// pattern to match (tested first: most modules hold none, and then no pattern is compiled or
/// run), the pattern, and what it is.
const PY_DOTENV_PATTERNS: &[(&str, &str, &str)] = &[
    (
        "load_dotenv",
        r"\bload_dotenv\s*\(",
        "read by python-dotenv's `load_dotenv()`",
    ),
    (
        "dotenv_values",
        r"\bdotenv_values\s*\(",
        "read by python-dotenv's `dotenv_values()`",
    ),
    (
        "find_dotenv",
        r"\bfind_dotenv\s*\(",
        "found by python-dotenv's `find_dotenv()`",
    ),
    (
        "read_env",
        r"\bread_env\s*\(",
        "read by `read_env()` (django-environ, environs)",
    ),
    (
        "decouple",
        r"(?m)^\s*(?:from\s+decouple\s+import|import\s+decouple\b)",
        "read by python-decouple",
    ),
    (
        "env_file",
        r#"(?m)(?:\benv_file\s*=|["']env_file["']\s*:)\s*[\(\[]?\s*[rbuf]?["'][^"']*\.env"#,
        "read by pydantic-settings `env_file`",
    ),
];

static PY_DOTENV: LazyLock<Vec<(&'static str, Regex, &'static str)>> = LazyLock::new(|| {
    PY_DOTENV_PATTERNS
        .iter()
        .filter_map(|&(word, re, what)| Regex::new(re).ok().map(|re| (word, re, what)))
        .collect()
});

/// `import x.y`, `from x.y import z`, `from . import x`, `import_module("x.y")`: the dotted
/// names a Python file imports.
// NOTE: `\w` and `\s` are ASCII here (`unicode(false)`): compiling their Unicode classes cost
// a millisecond of every run, and module names are ASCII in practice (PEP 8); a non-ASCII name
// is cut at its first non-ASCII letter.
static PY_IMPORT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    regex::RegexBuilder::new(
        r#"(?m)^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+(?:\*|\(?[ \t]*([\w, \t]+))|import[ \t]+([\w.]+))|import_module\(\s*["']([\w.]+)["']"#,
    )
    .unicode(false)
    .build()
    .ok()
});

/// `settings.NAME = ...` and `setattr(settings, "NAME", ...)` at the start of a statement: code
/// that sets a Django setting at run time (Review Board's `reviewboard/admin/siteconfig.py`
/// sets `settings.SESSION_COOKIE_SECURE = is_https` from the site's configuration). Written
/// with ASCII classes rather than `\w` (see [`PY_IMPORT`]); Unicode stays on so that `[^=]`
/// matches only whole characters.
static PY_SETTINGS_ASSIGNED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r#"(?m)^[ \t]*(?:(?:[0-9A-Za-z_.]*\.)?settings\.([A-Z][A-Z0-9_]*)[ \t]*=[^=]|setattr\([ \t]*(?:[0-9A-Za-z_.]*\.)?settings[ \t]*,[ \t]*["']([A-Z][A-Z0-9_]*)["'])"#,
    )
    .ok()
});

/// Whether `content` holds `settings.` before an upper-case letter, or `setattr(`: the bytes
/// [`PY_SETTINGS_ASSIGNED`] needs, found with a substring search so that the pattern runs only
/// over the modules that have them (a 300 KB test module full of `override_settings(...)` has
/// none).
fn may_assign_settings(content: &str) -> bool {
    content.contains("setattr(")
        || content.match_indices("settings.").any(|(at, _)| {
            content
                .as_bytes()
                .get(at + "settings.".len())
                .is_some_and(u8::is_ascii_uppercase)
        })
}

/// Line numbers of offsets asked in increasing order, counted from the last one asked (a line
/// counted from the start for each of a module's imports was quadratic in its length).
struct Lines<'t> {
    text: &'t str,
    offset: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self {
            text,
            offset: 0,
            line: 1,
        }
    }

    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            return line_of(self.text, offset);
        }
        self.line += self.text[self.offset..offset].matches('\n').count();
        self.offset = offset;
        self.line
    }
}

/// Where module `name`, imported by the module at `importer`, lives, when the import says so
/// for certain: a relative import resolves from the importer's package; a dotted absolute name
/// whose package directory is in the tree (its `__init__.py`), from the root or, as a
/// `sys.path` entry the settings add for themselves, from the importer's directory. A bare
/// name (`local_settings`) may be found in any directory on `sys.path`: `None`.
fn module_location(project: &Project, importer: &str, name: &str) -> Option<String> {
    let level = name.bytes().take_while(|b| *b == b'.').count();
    let parts: Vec<&str> = name[level..].split('.').filter(|p| !p.is_empty()).collect();
    let (last, package) = parts.split_last()?;
    let mut dir = importer.rsplit_once('/').map_or("", |(dir, _)| dir);
    let join = |base: &str, rest: &str| match (base.is_empty(), rest.is_empty()) {
        (true, _) => rest.to_string(),
        (false, true) => base.to_string(),
        (false, false) => format!("{base}/{rest}"),
    };
    let package = package.join("/");
    if level > 0 {
        for _ in 1..level {
            dir = dir.rsplit_once('/').map_or("", |(parent, _)| parent);
        }
        return Some(join(&join(dir, &package), &format!("{last}.py")));
    }
    if package.is_empty() {
        return None;
    }
    [String::new(), dir.to_string()]
        .iter()
        .map(|base| join(base, &package))
        .find(|package_dir| {
            project
                .file(&format!("{package_dir}/__init__.py"))
                .is_some()
        })
        .map(|package_dir| format!("{package_dir}/{last}.py"))
}

/// The first `.sqlite3` that names a database file: not Django's engine,
/// `django.db.backends.sqlite3`, which Horizon's test settings name with no file (Django's test
/// runner then keeps the database in memory).
fn sqlite_file_named(content: &str) -> Option<usize> {
    content
        .match_indices(".sqlite3")
        .map(|(at, _)| at)
        .find(|at| !content[..*at].ends_with("backends"))
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Whether a file can speak for what this repository's clones produce.
fn speaks(project: &Project, file: &SourceFile) -> bool {
    !matches!(project.scope(&file.path), Scope::Example | Scope::Library)
        && !file.path.split('/').any(|part| {
            matches!(
                part,
                ".venv" | "venv" | "site-packages" | "node_modules" | ".tox"
            )
        })
}

impl LocalFiles {
    /// Read what `project` produces.
    pub fn read(project: &Project) -> Self {
        let mut out = Self::default();
        let mut flask_dotenv_dep: Option<Evidence> = None;
        let mut env_file: Option<Evidence> = None;
        for file in &project.files {
            // NOTE: a module's facts are taken on its first read, with the rest of its gist:
            // its text may be gone by now (see `TextInterest`). Most modules have none, and then
            // whether the module speaks for the project is not asked.
            if file.kind == FileKind::Python {
                if let Some(facts) = project.python_facts(file)
                    && speaks(project, file)
                {
                    out.add_python(project, file, facts);
                }
                continue;
            }
            if !speaks(project, file) {
                continue;
            }
            let Ok(text) = file.text() else { continue };
            let content = &*text.content;
            match file.kind {
                // NOTE: the weakest evidence, kept apart so that a reader, when there is one,
                // is what the message names.
                FileKind::EnvFile if env_file.is_none() && file.name() != ".flaskenv" => {
                    let what = if is_env_template(file.name()) {
                        "documented by a template"
                    } else {
                        "the project has one"
                    };
                    env_file = Some(Evidence {
                        at: file.path.clone(),
                        what: what.to_string(),
                    });
                }
                FileKind::Compose if out.dotenv.is_none() => {
                    out.dotenv = compose_reads_dotenv(&file.path, content);
                }
                FileKind::Pipfile => {
                    if out.dotenv.is_none() {
                        out.dotenv = Some(Evidence {
                            at: file.path.clone(),
                            what: "read by pipenv".to_string(),
                        });
                    }
                    flask_dotenv_dep =
                        flask_dotenv_dep.or_else(|| dotenv_dependency(file, content));
                }
                FileKind::Requirements | FileKind::Pyproject => {
                    flask_dotenv_dep =
                        flask_dotenv_dep.or_else(|| dotenv_dependency(file, content));
                }
                _ => {}
            }
            if out.dotenv.is_none()
                && !matches!(file.kind, FileKind::Python | FileKind::EnvFile)
                && let Some(at) = content.find("--env-file")
            {
                out.dotenv = Some(Evidence {
                    at: format!("{}:{}", file.path, line_of(content, at)),
                    what: "read through `--env-file`".to_string(),
                });
            }
            if out.sqlite.is_none()
                && file.kind != FileKind::KeyMaterial
                && let Some(at) = sqlite_file_named(content)
            {
                out.sqlite = Some(Evidence {
                    at: format!("{}:{}", file.path, line_of(content, at)),
                    what: "a SQLite database named".to_string(),
                });
            }
        }
        // Flask's CLI (`flask run`) and `app.run()` load `.env` when python-dotenv is installed.
        if out.dotenv.is_none()
            && out.flask_instance.is_some()
            && let Some(dependency) = flask_dotenv_dep
        {
            out.dotenv = Some(Evidence {
                at: dependency.at,
                what: "read by Flask, python-dotenv being a dependency".to_string(),
            });
        }
        out.dotenv = out.dotenv.or(env_file);
        out
    }

    /// Take what a Python module shows, where no earlier module showed it.
    fn add_python(&mut self, project: &Project, file: &SourceFile, facts: &PythonFacts) {
        let at = |line: usize| format!("{}:{line}", file.path);
        if self.dotenv.is_none() {
            self.dotenv = facts.dotenv.map(|(line, what)| Evidence {
                at: at(line),
                what: what.to_string(),
            });
        }
        if self.flask_instance.is_none()
            && !super::flask::not_app_path(&file.path)
            && scope::by_path(&file.path, None, None).scope != Scope::Test
            && let Some(line) = facts.flask
        {
            self.flask_instance = Some(Evidence {
                at: at(line),
                what: "the instance folder of a Flask application".to_string(),
            });
        }
        for (last, line, name) in &facts.imported {
            if self.imported.contains_key(last) {
                continue;
            }
            self.imported.insert(
                last.clone(),
                Evidence {
                    at: at(*line),
                    what: format!("imported as `{}`", name.trim_start_matches('.')),
                },
            );
            if let Some(path) = module_location(project, &file.path, name) {
                self.imported_paths.insert(last.clone(), path);
            }
        }
        if self.sqlite.is_none()
            && let Some(line) = facts.sqlite
        {
            self.sqlite = Some(Evidence {
                at: at(line),
                what: "a SQLite database named".to_string(),
            });
        }
    }
}

/// What one Python module shows the local-files reader, by line: taken on the module's first
/// read, so that its text need not be kept for this reader (see [`super::TextInterest`]).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct PythonFacts {
    /// The first call or import that reads a `.env`, and what it is.
    dotenv: Option<(usize, &'static str)>,
    /// A Flask application created in a module that imports Flask.
    flask: Option<usize>,
    /// Each module imported, by the last part of its name, at its first import: (last part,
    /// line, name as written, with the dots of a relative import).
    imported: Vec<(String, usize, String)>,
    /// A `.sqlite3` database named.
    sqlite: Option<usize>,
    /// Django settings the module assigns at run time (`settings.NAME = ...`), each with the
    /// byte range of its first such statement's line. Taken here, with the rest of the gist,
    /// because this is the one read every module gets: the Django reader asks it of modules
    /// whose text was dropped.
    settings_assigned: Vec<(String, std::ops::Range<usize>)>,
}

impl PythonFacts {
    /// The modules imported: (last part, line, name as written with a relative import's
    /// dots), first import of each.
    pub fn imported(&self) -> &[(String, usize, String)] {
        &self.imported
    }

    /// The Django settings the module assigns at run time, each with the byte range of the
    /// line of its first assignment.
    pub fn settings_assigned(&self) -> &[(String, std::ops::Range<usize>)] {
        &self.settings_assigned
    }

    /// The facts of a module with text `content`; `None` when it shows nothing.
    pub fn of(content: &str) -> Option<Self> {
        let dotenv = if PY_DOTENV_PATTERNS
            .iter()
            .any(|(word, _, _)| content.contains(word))
        {
            PY_DOTENV
                .iter()
                .filter(|(word, _, _)| content.contains(word))
                .filter_map(|(_, re, what)| re.find(content).map(|m| (m.start(), *what)))
                .min_by_key(|(at, _)| *at)
                .map(|(at, what)| (line_of(content, at), what))
        } else {
            None
        };
        let mut facts = Self {
            dotenv,
            ..Self::default()
        };
        if (content.contains("from flask import") || content.contains("import flask"))
            && let Some(at) = content
                .find("Flask(")
                .filter(|at| !content[..*at].ends_with(|c: char| c.is_alphanumeric() || c == '_'))
        {
            facts.flask = Some(line_of(content, at));
        }
        facts.sqlite = sqlite_file_named(content).map(|at| line_of(content, at));
        if let Some(re) = PY_SETTINGS_ASSIGNED
            .as_ref()
            .filter(|_| may_assign_settings(content))
        {
            for captures in re.captures_iter(content) {
                let Some(name) = captures.get(1).or_else(|| captures.get(2)) else {
                    continue;
                };
                if facts
                    .settings_assigned
                    .iter()
                    .any(|(n, _)| n == name.as_str())
                {
                    continue;
                }
                let start = content[..name.start()].rfind('\n').map_or(0, |i| i + 1);
                let end = content[name.end()..]
                    .find('\n')
                    .map_or(content.len(), |i| name.end() + i);
                facts
                    .settings_assigned
                    .push((name.as_str().to_string(), start..end));
            }
        }
        if let Some(re) = PY_IMPORT.as_ref().filter(|_| content.contains("import")) {
            let mut lines = Lines::new(content);
            let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
            for captures in re.captures_iter(content) {
                let at = captures.get(0).map_or(0, |m| m.start());
                // (the dots of a relative import, the dotted name after them)
                let mut names: Vec<(&str, &str)> = Vec::new();
                if let Some(module) = captures.get(1) {
                    let written = module.as_str();
                    let module = written.trim_start_matches('.');
                    let dots = &written[..written.len() - module.len()];
                    if module.is_empty() {
                        // `from . import local_settings`: the imported names are modules.
                        if let Some(items) = captures.get(2) {
                            names.extend(
                                items
                                    .as_str()
                                    .split(',')
                                    .filter_map(|item| item.split_whitespace().next())
                                    .map(|name| (dots, name)),
                            );
                        }
                    } else {
                        names.push((dots, module));
                    }
                }
                names.extend(captures.get(3).map(|m| ("", m.as_str())));
                names.extend(captures.get(4).map(|m| ("", m.as_str())));
                for (dots, name) in names {
                    let last = name.rsplit('.').next().unwrap_or(name);
                    // The first import of a name is its evidence, as across modules.
                    if last.is_empty() || !seen.insert(last) {
                        continue;
                    }
                    facts
                        .imported
                        .push((last.to_string(), lines.at(at), format!("{dots}{name}")));
                }
            }
        }
        (facts != Self::default()).then_some(facts)
    }
}

/// A compose file reads `.env`: an `env_file:` key, or `${VAR}` interpolation (compose fills
/// it from the `.env` beside the file).
fn compose_reads_dotenv(path: &str, content: &str) -> Option<Evidence> {
    let (at, what) = if let Some(at) = content.find("env_file:") {
        (at, "read by compose `env_file:`")
    } else if let Some(at) = content.find("${") {
        (at, "read by compose to fill `${...}`")
    } else {
        return None;
    };
    Some(Evidence {
        at: format!("{path}:{}", line_of(content, at)),
        what: what.to_string(),
    })
}

/// The line of a manifest that declares python-dotenv (or Flask's `flask[dotenv]` extra).
fn dotenv_dependency(file: &SourceFile, content: &str) -> Option<Evidence> {
    let lower = content.to_ascii_lowercase();
    let at = lower
        .find("python-dotenv")
        .or_else(|| lower.find("python_dotenv"))
        .or_else(|| lower.find("flask[dotenv"))?;
    Some(Evidence {
        at: format!("{}:{}", file.path, line_of(content, at)),
        what: "python-dotenv".to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(files: &[(&str, &str)]) -> LocalFiles {
        LocalFiles::read(&Project::from_texts(files))
    }

    #[test]
    fn settings_assigned_at_run_time() {
        let text = "from django.conf import settings\n\ndef apply(siteconfig):\n    \
                    settings.CSRF_COOKIE_SECURE = is_https\n    \
                    setattr(settings, \"SESSION_COOKIE_SECURE\", is_https)\n    \
                    django.conf.settings.DEBUG = False\n    \
                    if settings.DEBUG == True:\n        pass\n    \
                    self.settings.lower = 1\n    mysettings.X_FRAME_OPTIONS = 'DENY'\n";
        let facts = PythonFacts::of(text).expect("facts");
        let names: Vec<&str> = facts
            .settings_assigned()
            .iter()
            .map(|(n, _)| n.as_str())
            .collect();
        assert_eq!(
            names,
            ["CSRF_COOKIE_SECURE", "SESSION_COOKIE_SECURE", "DEBUG"]
        );
        let (_, line) = &facts.settings_assigned()[0];
        assert_eq!(
            &text[line.clone()],
            "    settings.CSRF_COOKIE_SECURE = is_https"
        );
    }

    #[test]
    fn dotenv_readers() {
        for (path, text) in [
            (
                "app/config.py",
                "from dotenv import load_dotenv\nload_dotenv()\n",
            ),
            (
                "proj/settings.py",
                "import environ\nenv = environ.Env()\nenviron.Env.read_env(BASE_DIR / '.env')\n",
            ),
            ("proj/settings.py", "from decouple import config, Csv\n"),
            (
                "app/settings.py",
                "class Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_file=\".env\")\n",
            ),
            (
                "app/settings.py",
                "class Settings(BaseSettings):\n    class Config:\n        env_file = '.env'\n",
            ),
            (
                "docker-compose.yml",
                "services:\n  web:\n    env_file: .env\n",
            ),
            (
                "compose.yaml",
                "services:\n  db:\n    image: postgres\n    environment:\n      POSTGRES_PASSWORD: ${DB_PASSWORD}\n",
            ),
            ("Pipfile", "[packages]\ndjango = \"*\"\n"),
            (".env.example", "SECRET_KEY=\n"),
            (
                "Dockerfile",
                "FROM python:3.12\nCMD uvicorn app:app --env-file .env\n",
            ),
        ] {
            let model = read(&[(path, text)]);
            assert!(model.dotenv.is_some(), "{path}: {text}");
        }
        // Flask loads `.env` itself when python-dotenv is installed.
        let flask = read(&[
            ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
            ("requirements.txt", "flask==3.0.0\npython-dotenv==1.0.1\n"),
        ]);
        assert_eq!(flask.dotenv.unwrap().at, "requirements.txt:2");
    }

    #[test]
    fn no_dotenv_reader() {
        for (path, text) in [
            (
                "app/settings.py",
                "import os\nSECRET_KEY = os.environ['SECRET_KEY']\n",
            ),
            ("docker-compose.yml", "services:\n  web:\n    build: .\n"),
            (
                "docs/conf.py",
                "from dotenv import load_dotenv\nload_dotenv()\n",
            ),
            ("app.py", "from flask import Flask\napp = Flask(__name__)\n"),
            ("requirements.txt", "python-dotenv==1.0.1\n"),
            ("settings.py", "# env_file is not used here\nNAME = 'x'\n"),
        ] {
            let model = read(&[(path, text)]);
            assert!(model.dotenv.is_none(), "{path}: {:?}", model.dotenv);
        }
    }

    #[test]
    fn flask_instance_folder() {
        let model = read(&[(
            "myapp/__init__.py",
            "from flask import Flask\n\ndef create_app():\n    app = Flask(__name__, instance_relative_config=True)\n",
        )]);
        assert_eq!(model.flask_instance.unwrap().at, "myapp/__init__.py:4");
        for (path, text) in [
            (
                "examples/app.py",
                "from flask import Flask\napp = Flask(__name__)\n",
            ),
            (
                "tests/conftest.py",
                "from flask import Flask\napp = Flask(__name__)\n",
            ),
            ("app.py", "from fastapi import FastAPI\napp = FastAPI()\n"),
            (
                "app.py",
                "from flask import Flask\nclass MyFlask(Flask):\n    pass\napp = MyFlask(__name__)\n",
            ),
        ] {
            assert!(read(&[(path, text)]).flask_instance.is_none(), "{path}");
        }
    }

    #[test]
    fn imported_modules() {
        let model = read(&[(
            "proj/settings.py",
            "import os\ntry:\n    from .local_settings import *\nexcept ImportError:\n    pass\n",
        )]);
        assert_eq!(model.imported["local_settings"].at, "proj/settings.py:3");
        for text in [
            "from local_settings import DEBUG",
            "import proj.local_settings",
            "from . import local_settings",
            "from . import (base, local_settings)",
            "mod = importlib.import_module(\"proj.local_settings\")",
        ] {
            assert!(
                read(&[("proj/settings.py", text)])
                    .imported
                    .contains_key("local_settings"),
                "{text}"
            );
        }
        assert!(
            !read(&[("proj/settings.py", "# see local_settings.py.example\n")])
                .imported
                .contains_key("local_settings")
        );
    }

    #[test]
    fn sqlite_databases() {
        let model = read(&[(
            "proj/settings.py",
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': BASE_DIR / 'db.sqlite3'}}\n",
        )]);
        assert_eq!(model.sqlite.unwrap().at, "proj/settings.py:1");
        let model = read(&[(
            "proj/settings.py",
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n",
        )]);
        assert!(model.sqlite.is_none());
        // The engine alone names no file.
        let model = read(&[(
            "horizon/test/settings.py",
            "DATABASES = {'default': {'ENGINE': 'django.db.backends.sqlite3'}}\n",
        )]);
        assert!(model.sqlite.is_none());
    }

    #[test]
    fn where_imported_modules_live() {
        let located =
            |files: &[(&str, &str)]| read(files).imported_paths.get("local_settings").cloned();
        // Relative: beside the importer, or up one package per extra dot.
        assert_eq!(
            located(&[("proj/settings/base.py", "from .local_settings import *\n")]).as_deref(),
            Some("proj/settings/local_settings.py")
        );
        assert_eq!(
            located(&[("proj/settings/base.py", "from ..local_settings import *\n")]).as_deref(),
            Some("proj/local_settings.py")
        );
        // Dotted: the package must be in the tree, from the root or the importer's directory.
        let horizon = [
            (
                "openstack_dashboard/settings.py",
                "from local.local_settings import *\n",
            ),
            ("openstack_dashboard/local/__init__.py", ""),
        ];
        assert_eq!(
            located(&horizon).as_deref(),
            Some("openstack_dashboard/local/local_settings.py")
        );
        assert_eq!(
            located(&[
                ("proj/settings.py", "import proj.local_settings\n"),
                ("proj/__init__.py", "")
            ])
            .as_deref(),
            Some("proj/local_settings.py")
        );
        // A bare name, or a package harden cannot find: anywhere on sys.path.
        assert_eq!(
            located(&[("proj/settings.py", "from local_settings import *\n")]),
            None
        );
        assert_eq!(
            located(&[("proj/settings.py", "from conf.local_settings import *\n")]),
            None
        );
    }

    #[test]
    fn templates() {
        assert!(is_env_template(".env.example"));
        assert!(is_env_template("example.env"));
        assert!(!is_env_template(".env"));
        assert!(!is_env_template(".env.production"));
    }
}
