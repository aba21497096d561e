//! Django settings, resolved statically: which modules are settings entry modules, what each
//! setting ends up as after `from .base import *` chains and lists built in steps, and where
//! the value came from.
//!
//! Only entry modules are judged: a module another settings module star-imports is a base.
//! Modules named for development, local, test or CI (or matched by `development-settings`)
//! are not production, unless `production-settings` matches them.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::rc::Rc;

use rayon::prelude::*;

use super::{Project, SourceFile};
use crate::formats::Parsed;
use crate::formats::python::{
    self, LoadKind, MAX_VALUE_SIZE, PythonFile, Stmt, StmtKind, Value, ValueKind, value_size,
};

/// Where a setting's value was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub path: String,
    /// The whole statement.
    pub stmt: Range<usize>,
    /// The value expression of a plain assignment (`None` for a list changed in steps).
    pub value: Option<Range<usize>>,
}

/// One setting after resolution.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub value: Value,
    /// The last assignment that set it; `None` for Django's default.
    pub origin: Option<Origin>,
    /// Set or changed inside `if`/`try`/...: may or may not hold.
    pub maybe: bool,
    /// A list changed after its assignment (`+=`, `.append`, ...).
    pub in_steps: bool,
    /// Items that may be added by a statement inside `if`/`try`/...
    pub maybe_items: Vec<Value>,
    /// The star-import in the entry module this setting was inherited through.
    pub via: Option<Range<usize>>,
}

/// The key under which a namespace holds the statement that rewrote it behind harden's back
/// (see [`StmtKind::RewriteNamespace`]): every setting not assigned after it is unknown, Django's
/// defaults included. Not a Python name, so no setting can collide with it.
pub const REWRITTEN: &str = "<namespace rewritten>";

impl Setting {
    /// A setting that code harden does not follow may have rewritten at `origin`: unknown, and
    /// "maybe" (it may or may not hold), so that no check judges it.
    fn rewritten(origin: Origin) -> Self {
        Self {
            value: Value::new(ValueKind::Unknown, origin.stmt.clone()),
            origin: Some(origin),
            maybe: true,
            in_steps: true,
            maybe_items: Vec::new(),
            via: None,
        }
    }

    fn default_value(value: ValueKind) -> Self {
        Self {
            value: Value::new(value, 0..0),
            origin: None,
            maybe: false,
            in_steps: false,
            maybe_items: Vec::new(),
            via: None,
        }
    }

    /// Whether this is Django's own default (never assigned in the project).
    pub fn is_default(&self) -> bool {
        self.origin.is_none()
    }
}

/// A settings entry module with every setting resolved.
#[derive(Debug)]
pub struct Resolved<'p> {
    pub file: &'p SourceFile,
    pub module: &'p PythonFile,
    pub settings: BTreeMap<String, Setting>,
    pub production: bool,
    /// The django-configurations class whose attributes are the settings (named by
    /// `DJANGO_CONFIGURATION`), when the module defines it.
    pub configuration: Option<String>,
}

impl Resolved<'_> {
    /// The setting as the deployment sees it: assigned in the project, or Django's default.
    pub fn get(&self, name: &str) -> Option<Setting> {
        // NOTE: before Django 1.10 the middleware list was MIDDLEWARE_CLASSES; a project that
        // still sets only that one runs on a Django that reads it.
        let name = match name {
            "MIDDLEWARE"
                if !self.settings.contains_key("MIDDLEWARE")
                    && self.settings.contains_key("MIDDLEWARE_CLASSES") =>
            {
                "MIDDLEWARE_CLASSES"
            }
            _ => name,
        };
        if let Some(setting) = self.settings.get(name) {
            return Some(setting.clone());
        }
        // After a rewrite harden cannot follow, a setting never assigned again is unknown,
        // not Django's default.
        if let Some(rewrite) = self.settings.get(REWRITTEN) {
            return Some(rewrite.clone());
        }
        django_default(name).map(Setting::default_value)
    }

    /// Django system-check ids listed in SILENCED_SYSTEM_CHECKS.
    pub fn silenced(&self) -> Vec<String> {
        self.settings
            .get("SILENCED_SYSTEM_CHECKS")
            .and_then(|s| {
                s.value
                    .when_unset()
                    .and_then(Value::items)
                    .map(<[Value]>::to_vec)
            })
            .unwrap_or_default()
            .iter()
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect()
    }

    /// Whether a list setting names `item` (by its dotted path), or may do so.
    pub fn list_contains(&self, name: &str, item: &str) -> Option<bool> {
        let setting = self.get(name)?;
        let items = setting.value.when_unset()?.items()?.to_vec();
        Some(
            items
                .iter()
                .chain(setting.maybe_items.iter())
                .any(|v| v.as_str() == Some(item)),
        )
    }
}

/// Django's defaults (django/conf/global_settings.py, Django 5.x) for the settings harden
/// judges.
pub fn django_default(name: &str) -> Option<ValueKind> {
    let s = |t: &str| ValueKind::Str(t.to_string());
    let list = |items: &[&str]| {
        ValueKind::List(
            items
                .iter()
                .map(|i| Value::new(ValueKind::Str((*i).to_string()), 0..0))
                .collect(),
        )
    };
    Some(match name {
        "DEBUG" => ValueKind::Bool(false),
        "SECRET_KEY" => s(""),
        "SECRET_KEY_FALLBACKS"
        | "ALLOWED_HOSTS"
        | "MIDDLEWARE"
        | "INSTALLED_APPS"
        | "CSRF_TRUSTED_ORIGINS"
        | "AUTH_PASSWORD_VALIDATORS"
        | "SILENCED_SYSTEM_CHECKS" => list(&[]),
        "SECURE_HSTS_SECONDS" => ValueKind::Int(0),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS"
        | "SECURE_HSTS_PRELOAD"
        | "SECURE_SSL_REDIRECT"
        | "SESSION_COOKIE_SECURE"
        | "CSRF_COOKIE_SECURE"
        | "CSRF_COOKIE_HTTPONLY"
        | "CSRF_USE_SESSIONS"
        | "CORS_ALLOW_ALL_ORIGINS"
        | "CORS_ORIGIN_ALLOW_ALL"
        | "CORS_ALLOW_CREDENTIALS" => ValueKind::Bool(false),
        "SECURE_CONTENT_TYPE_NOSNIFF" | "SESSION_COOKIE_HTTPONLY" => ValueKind::Bool(true),
        "SECURE_REFERRER_POLICY" | "SECURE_CROSS_ORIGIN_OPENER_POLICY" => s("same-origin"),
        "SESSION_COOKIE_SAMESITE" | "CSRF_COOKIE_SAMESITE" => s("Lax"),
        "X_FRAME_OPTIONS" => s("DENY"),
        "SECURE_PROXY_SSL_HEADER" => ValueKind::None,
        "SESSION_SERIALIZER" => s("django.contrib.sessions.serializers.JSONSerializer"),
        "EMAIL_HOST_PASSWORD" => s(""),
        "DATABASES" | "LOGGING" | "SECURE_CSP" | "SECURE_CSP_REPORT_ONLY" => {
            ValueKind::Dict(Vec::new())
        }
        "PASSWORD_HASHERS" => list(&[
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
            "django.contrib.auth.hashers.ScryptPasswordHasher",
        ]),
        _ => return None,
    })
}

/// Every Django settings entry module of the project, resolved.
pub fn entries(project: &Project) -> Vec<Resolved<'_>> {
    let model = project.model();
    let named: BTreeSet<&str> = model.named_settings().collect();
    let named_like_settings =
        |file: &SourceFile| named.contains(file.path.as_str()) || file.named_as_settings();
    // NOTE: only modules that can be candidates are parsed: named or placed as settings, or
    // holding the bytes of the names a candidate assigns. A data or test module of hundreds of
    // KB that mentions DEBUG is read (in parallel, with the others) but never parsed here, nor
    // one that mentions `INSTALLED_APPS` unless named as settings (see
    // MAX_UNNAMED_SETTINGS_BYTES); star-imported modules are parsed when `fold` reaches them.
    let python: Vec<&SourceFile> = project.files_of(super::FileKind::Python).collect();
    let modules: Vec<(&SourceFile, &PythonFile)> = python
        .par_iter()
        .filter(|f| {
            named_like_settings(f)
                || !project.text_dropped(f)
                    && f.text().is_ok_and(|t| {
                        !f.too_large_unless_named(t, &named)
                            && (t.content.contains("INSTALLED_APPS")
                                || t.content.contains("MIDDLEWARE"))
                    })
        })
        .filter_map(|f| match f.parsed() {
            Parsed::Python(module) => Some((*f, module)),
            _ => None,
        })
        .collect();
    let is_candidate = |file: &SourceFile, module: &PythonFile| {
        named_like_settings(file)
            || module.stmts.iter().any(|s| {
                !s.maybe
                    && matches!(&s.kind, StmtKind::Assign { name, .. }
                        if name == "INSTALLED_APPS" || name == "MIDDLEWARE")
            })
    };
    let candidates: Vec<&(&SourceFile, &PythonFile)> = modules
        .iter()
        .filter(|(file, module)| is_candidate(file, module))
        .collect();
    // Star-import edges between modules: definite ones, and every one of a module the project
    // names as its settings. NOTE: what such a module star-imports, even in a `try` or under a
    // condition harden cannot know, is a fragment of the named settings, not settings of its
    // own: graphite-web's wsgi.py names `graphite.settings`, which star-imports
    // `graphite.app_settings` under `if not GRAPHITE_WEB_APP_SETTINGS_LOADED:`; judged alone,
    // that fragment showed Django's defaults for everything it leaves to its importer.
    let mut imports: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (file, module) in &candidates {
        let named_entry = named.contains(file.path.as_str()) || model.is_settings_entry(&file.path);
        for stmt in module.stmts.iter().filter(|s| named_entry || !s.maybe) {
            if let StmtKind::StarImport {
                module: name,
                level,
            } = &stmt.kind
                && let Some(target) = import_target(project, file, name, *level)
            {
                imports
                    .entry(file.path.as_str())
                    .or_default()
                    .insert(target);
            }
        }
    }
    // Bases: modules another settings module star-imports. NOTE: a module that imports itself,
    // or sits in a cycle with its importer (a <-> b), is still an entry: otherwise the cycle
    // would leave no module to judge and silence every finding.
    let mut bases: BTreeSet<&str> = BTreeSet::new();
    for (importer, targets) in &imports {
        for target in targets {
            if target != importer && !reaches(&imports, target, importer) {
                bases.insert(target);
            }
        }
    }
    let mut memo = BTreeMap::new();
    let names_django = std::cell::OnceCell::new();
    let helpers = Helpers::new(project);
    let configurations = configuration_names(project);
    let run_time = assigned_at_run_time(project, |f| {
        named_like_settings(f) || candidates.iter().any(|(c, _)| c.path == f.path)
    });
    candidates
        .into_iter()
        // NOTE: a module that manage.py, wsgi.py, asgi.py or a server names stays an entry
        // even when another module (a test settings module, typically) star-imports it.
        .filter(|(file, _)| {
            !bases.contains(file.path.as_str()) || model.is_settings_entry(&file.path)
        })
        .filter_map(|(file, module)| {
            let mut stack = vec![file.path.clone()];
            let configuration = configurations
                .iter()
                .find(|name| module.classes.iter().any(|c| &c.name == *name))
                .cloned();
            let mut class_stmts = Vec::new();
            if let Some(name) = &configuration {
                class_body(project, file, module, name, 0, &mut class_stmts);
            }
            let class_stmts: Vec<(&SourceFile, Stmt)> = class_stmts
                .into_iter()
                .map(|(f, s)| (f, s.clone()))
                .collect();
            // django-classy-settings' `__getattr__ = BaseSettings.use()`: the module's own
            // names first, the class's for the rest (applied before the module's statements).
            let fallback = fallback_class(project, file, module);
            let configuration = configuration.or_else(|| fallback.as_ref().map(|(c, _)| c.clone()));
            let before = fallback.map(|(_, stmts)| stmts).unwrap_or_default();
            let settings = fold(
                project,
                file,
                module,
                (&before, &class_stmts),
                &mut stack,
                &mut memo,
                &helpers,
            );
            let mut settings = shipped_env_unknown(project, file, module, settings);
            // NOTE: Django's names are not Django's alone: Superdesk (Flask and Eve) keeps its
            // own `INSTALLED_APPS` list and a `SECRET_KEY` in `default_settings.py`. A project
            // in which no file harden holds says "django" (no dependency, no import, no
            // `django.contrib` app, no `django.middleware` class, no database engine) has no
            // Django settings.
            let django_like = named.contains(file.path.as_str())
                || (["INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF"]
                    .iter()
                    .any(|n| settings.contains_key(*n))
                    && *names_django.get_or_init(|| names_django_anywhere(project)));
            // A setting the settings leave to Django's default but the application assigns
            // when it runs is the application's, and unknown here. One the settings assign
            // is still judged: a run-time assignment may not run, and a wrong value written in
            // the settings is a finding either way.
            for (name, origin) in &run_time {
                if !settings.contains_key(*name) {
                    settings.insert((*name).to_string(), Setting::rewritten(origin.clone()));
                }
            }
            django_like.then(|| Resolved {
                file,
                module,
                configuration,
                production: project.scope(&file.path) == super::Scope::Production,
                settings,
            })
        })
        .collect()
}

/// Whether any file of the project whose text harden holds names Django: a requirement, an
/// import, a `django.contrib` application, a classifier, `DJANGO_SETTINGS_MODULE`. The text
/// of a Python module no reader of every module wanted was dropped on its first read (it holds
/// no settings name); a Django project names Django in the modules and files that are kept.
fn names_django_anywhere(project: &Project) -> bool {
    project.files.par_iter().any(|file| {
        !project.text_dropped(file)
            && file.text().is_ok_and(|text| {
                ["django", "Django", "DJANGO"]
                    .iter()
                    .any(|name| text.content.contains(name))
            })
    })
}

/// Settings read from a variable that a shipped `.env` file sets, made unknown: the settings
/// module (or a module it inherits from) loads the file (`load_dotenv()`, `environ.Env.
/// read_env()`), so the deployed module reads the file's value, not the default harden judges.
/// Shipped means in the project, tracked by git or not ignored by it; a template
/// (`.env.example`) is not loaded unless a call names it.
fn shipped_env_unknown(
    project: &Project,
    entry: &SourceFile,
    module: &PythonFile,
    mut settings: BTreeMap<String, Setting>,
) -> BTreeMap<String, Setting> {
    let mut modules: BTreeSet<&str> = settings
        .values()
        .filter_map(|s| s.origin.as_ref().map(|o| o.path.as_str()))
        .collect();
    modules.insert(entry.path.as_str());
    let mut set: BTreeSet<String> = BTreeSet::new();
    for path in modules {
        let Some(file) = project.file(path) else {
            continue;
        };
        let loads = if path == entry.path {
            module.dotenv_loads.clone()
        } else {
            match file.parsed() {
                Parsed::Python(m) => m.dotenv_loads.clone(),
                _ => continue,
            }
        };
        for load in loads {
            let mut dir = file.dir().to_string();
            loop {
                let candidate = if dir.is_empty() {
                    load.file.clone()
                } else {
                    format!("{dir}/{}", load.file)
                };
                if let Some(env_file) = project.file(&candidate)
                    && shipped_env(project, env_file, &load.file)
                    && let Parsed::Dotenv(env) = env_file.parsed()
                {
                    set.extend(env.entries.iter().map(|e| e.key.clone()));
                }
                if !load.upwards || dir.is_empty() {
                    break;
                }
                dir = dir
                    .rsplit_once('/')
                    .map_or(String::new(), |(d, _)| d.to_string());
            }
        }
    }
    if set.is_empty() {
        return settings;
    }
    for setting in settings.values_mut() {
        if setting.value.env_var().is_some_and(|var| set.contains(var)) {
            setting.value = Value::new(ValueKind::Unknown, setting.value.span.clone());
        }
    }
    settings
}

/// Whether `.env` file `file` ships with the project: git tracks it, or it is not ignored;
/// a template is loaded only when the call names it (`named`).
fn shipped_env(project: &Project, file: &SourceFile, named: &str) -> bool {
    if super::local_files::is_env_template(file.name()) && file.name() != named {
        return false;
    }
    project.is_tracked(&file.path) == Some(true)
        || !project
            .ignore_tree()
            .verdict(&file.path, false)
            .is_ignored()
}

/// The django-configurations classes a `DJANGO_CONFIGURATION` names (see [`deployed_names`]).
fn configuration_names(project: &Project) -> Vec<String> {
    deployed_names(project, "DJANGO_CONFIGURATION")
}

/// The values production files give variable `var` (`setdefault("DJANGO_CONFIGURATION",
/// "Prod")` in wsgi.py, `DJANGO_CONFIGURATION=Prod` in a Dockerfile or Procfile, ...), the
/// production server's first: wsgi/asgi modules and deployment files before manage.py, and
/// development-looking names (`Dev`, `Local`, `Test`) last.
fn deployed_names(project: &Project, var: &str) -> Vec<String> {
    let Ok(re) = regex::Regex::new(&format!(
        r#"{}['"]?\s*\]?\s*[,=:]\s*['"]?([A-Za-z_][A-Za-z0-9_]*)"#,
        regex::escape(var)
    )) else {
        return Vec::new();
    };
    let mut found: Vec<(u8, String)> = Vec::new();
    for file in &project.files {
        // The flag first: it rules out most modules of a large tree without asking a scope.
        if project.text_dropped(file) || project.scope(&file.path) != super::Scope::Production {
            continue;
        }
        let Ok(text) = file.text() else { continue };
        if !text.content.contains(var) {
            continue;
        }
        for capture in re.captures_iter(&text.content) {
            let Some(name) = capture.get(1).map(|m| m.as_str().to_string()) else {
                continue;
            };
            let lower = name.to_ascii_lowercase();
            let development = ["dev", "local", "test"].iter().any(|w| lower.contains(w));
            let rank = match (development, file.name()) {
                (true, _) => 3,
                (false, "manage.py") => 2,
                (false, n) if n.starts_with("wsgi") || n.starts_with("asgi") => 0,
                (false, _) => 1,
            };
            found.push((rank, name));
        }
    }
    found.sort();
    let mut names: Vec<String> = Vec::new();
    for (_, name) in found {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// The class django-classy-settings' `__getattr__, __dir__ = BaseSettings.use(env=...)` makes
/// the module fall back to, with its statements (see [`LoadKind::Fallback`]): the class a
/// production file names through the variable (`DJANGO_MODE=prod` is `ProdSettings`), else
/// `Settings` when it is the module's only settings class (what runs with the variable
/// unset). When neither is known, or `__dir__` is not bound (Django lists a module's settings
/// with `dir()`, so what the class holds may not be seen), every setting the module does not
/// assign is unknown.
fn fallback_class<'p>(
    project: &'p Project,
    file: &'p SourceFile,
    module: &'p PythonFile,
) -> Option<(String, Vec<(&'p SourceFile, Stmt)>)> {
    let load = module.class_loads.iter().rev().find_map(|l| match &l.how {
        LoadKind::Fallback { env, dir } => Some((l.span.clone(), env, *dir)),
        LoadKind::Copy { .. } => None,
    })?;
    let (span, env, dir) = load;
    let defined = |name: &str| {
        module.classes.iter().any(|c| c.name == name)
            || module.from_imports.iter().any(|i| i.bound == name)
    };
    let class = if dir {
        let named: Vec<String> = deployed_names(project, env)
            .iter()
            .map(|mode| format!("{}Settings", python_title(mode)))
            .collect();
        let settings_classes: Vec<&str> = module
            .classes
            .iter()
            .map(|c| c.name.as_str())
            .filter(|n| n.ends_with("Settings") && *n != "BaseSettings")
            .collect();
        match named.iter().find(|n| defined(n)) {
            Some(name) => Some(name.clone()),
            None if named.is_empty() && settings_classes == ["Settings"] => {
                Some("Settings".to_string())
            }
            None => None,
        }
    } else {
        None
    };
    let mut stmts = Vec::new();
    if let Some(class) = &class
        && class_resolves(project, file, module, class, 0)
    {
        class_body(project, file, module, class, 0, &mut stmts);
    }
    if stmts.is_empty() {
        let unknown = Stmt {
            kind: StmtKind::RewriteNamespace,
            span,
            maybe: false,
        };
        return Some((class.unwrap_or_default(), vec![(file, unknown)]));
    }
    Some((class.unwrap_or_default(), copied(stmts)))
}

/// Base classes from libraries that hold no settings of their own: a class built on them is
/// read in full from the project.
const SETTINGS_LIBRARY_BASES: &[&str] = &["object", "BaseSettings", "Configuration"];

/// Whether class `name` and every base it names are found in the project (or are
/// [`SETTINGS_LIBRARY_BASES`]): otherwise attributes a base holds would be missed, and the
/// settings they set would read as Django's defaults.
fn class_resolves(
    project: &Project,
    file: &SourceFile,
    module: &PythonFile,
    name: &str,
    depth: usize,
) -> bool {
    if depth > 16 {
        return false;
    }
    if let Some(class) = module.classes.iter().rev().find(|c| c.name == name) {
        return class.bases.iter().filter(|b| *b != name).all(|base| {
            SETTINGS_LIBRARY_BASES.contains(&base.as_str())
                || class_resolves(project, file, module, base, depth + 1)
        });
    }
    let Some(import) = module.from_imports.iter().rev().find(|i| i.bound == name) else {
        return false;
    };
    let Some(target) = import_target(project, file, &import.module, import.level)
        .and_then(|path| project.file(path))
    else {
        return SETTINGS_LIBRARY_BASES.contains(&import.name.as_str());
    };
    match target.parsed() {
        Parsed::Python(target_module) => {
            class_resolves(project, target, target_module, &import.name, depth + 1)
        }
        _ => false,
    }
}

/// Python's `str.title()` for an ASCII mode name (`prod` is `Prod`, `my_site` is `My_Site`).
fn python_title(text: &str) -> String {
    let mut out = String::new();
    let mut after_letter = false;
    for c in text.chars() {
        out.push(if after_letter {
            c.to_ascii_lowercase()
        } else {
            c.to_ascii_uppercase()
        });
        after_letter = c.is_alphabetic();
    }
    out
}

/// The statements a class lends the module (Read the Docs' `load_settings`, django-classy-
/// settings' `apply` and `use()` copy or serve the upper-case attributes only): its upper-case
/// names, each unknown when its value reads a lower-case name of the class (the class's own
/// name, which the module does not see).
fn copied<'p>(stmts: Vec<(&'p SourceFile, &'p Stmt)>) -> Vec<(&'p SourceFile, Stmt)> {
    let is_setting = |name: &str| {
        name.chars().any(|c| c.is_ascii_uppercase())
            && !name.chars().any(|c| c.is_ascii_lowercase())
    };
    let class_own: BTreeSet<&str> = stmts
        .iter()
        .filter_map(|(_, s)| s.kind.name())
        .filter(|n| !is_setting(n))
        .collect();
    stmts
        .iter()
        .filter(|(_, s)| s.kind.name().is_some_and(is_setting))
        .map(|(f, s)| {
            let mut stmt = (*s).clone();
            if let StmtKind::Assign { value, .. } = &mut stmt.kind
                && mentions(value, &class_own)
            {
                *value = Value::new(ValueKind::Unknown, value.span.clone());
            }
            (*f, stmt)
        })
        .collect()
}

/// Whether `value` refers to one of `names` anywhere inside it.
fn mentions(value: &Value, names: &BTreeSet<&str>) -> bool {
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        if let ValueKind::Name(n) = &v.kind
            && names.contains(n.as_str())
        {
            return true;
        }
        v.push_children(&mut stack);
    }
    false
}

/// The statements of class `name` in `module` with its bases' first (a base listed later
/// first, so the attributes Python's method resolution order finds first are applied last).
fn class_body<'p>(
    project: &'p Project,
    file: &'p SourceFile,
    module: &'p PythonFile,
    name: &str,
    depth: usize,
    out: &mut Vec<(&'p SourceFile, &'p Stmt)>,
) {
    if depth > 16 {
        return;
    }
    let Some(class) = module.classes.iter().rev().find(|c| c.name == name) else {
        // A base imported from another module (`from .common import Common`, then
        // `class Prod(Common)`): its attributes come first, as Python's lookup finds them.
        let Some(import) = module.from_imports.iter().rev().find(|i| i.bound == name) else {
            return;
        };
        let Some(target) = import_target(project, file, &import.module, import.level)
            .and_then(|path| project.file(path))
        else {
            return;
        };
        if let Parsed::Python(target_module) = target.parsed() {
            class_body(project, target, target_module, &import.name, depth + 1, out);
        }
        return;
    };
    for base in class.bases.iter().rev().filter(|b| *b != name) {
        class_body(project, file, module, base, depth + 1, out);
    }
    out.extend(class.stmts.iter().map(|stmt| (file, stmt)));
}

/// Whether `to` is reachable from `from` along star imports (walked with an explicit stack).
fn reaches(imports: &BTreeMap<&str, BTreeSet<&str>>, from: &str, to: &str) -> bool {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(at) = stack.pop() {
        if at == to {
            return true;
        }
        if seen.insert(at)
            && let Some(next) = imports.get(at)
        {
            stack.extend(next.iter().copied());
        }
    }
    false
}

/// The file of dotted module `name` (`proj.settings.prod`) as Python would import it with
/// manage.py's `sys.path` (see [`super::model::resolve_module`]).
fn module_path<'p>(project: &'p Project, name: &str) -> Option<&'p str> {
    super::model::resolve_module(project, project.model().sys_path(), name)
}

/// The file a `from <level dots><name> import *` in `file` refers to.
fn import_target<'p>(
    project: &'p Project,
    file: &SourceFile,
    name: &str,
    level: usize,
) -> Option<&'p str> {
    if level == 0 {
        return module_path(project, name);
    }
    let mut dir: Vec<&str> = if file.dir().is_empty() {
        Vec::new()
    } else {
        file.dir().split('/').collect()
    };
    for _ in 1..level {
        dir.pop()?;
    }
    let mut base = dir.join("/");
    if !name.is_empty() {
        if !base.is_empty() {
            base.push('/');
        }
        base.push_str(&name.replace('.', "/"));
    }
    let prefix = if base.is_empty() {
        String::new()
    } else {
        format!("{base}/")
    };
    [format!("{base}.py"), format!("{prefix}__init__.py")]
        .into_iter()
        .find_map(|p| project.file(&p).map(|f| f.path.as_str()))
}

/// Whether an unresolved `from <name> import *` names a settings module the deployment
/// writes (Review Board's `settings_local`, written by `rb-site install`; a git-ignored
/// `local_settings.py`): a relative import, or a module of this project (one component, or
/// under one of the project's packages) whose last component says so. Not Django's
/// `global_settings` or another distribution's module (`djblets.settings`).
fn names_deployment_settings(project: &Project, name: &str, level: usize) -> bool {
    const WORDS: &[&str] = &[
        "settings", "local", "secret", "prod", "deploy", "site", "override", "custom", "instance",
    ];
    let mut parts = name.split('.');
    let first = parts.next().unwrap_or("");
    let last = name.rsplit('.').next().unwrap_or(name);
    let ours = level > 0
        || !name.contains('.')
        || (first != "django" && module_path(project, first).is_some());
    ours && WORDS.iter().any(|w| last.to_ascii_lowercase().contains(w))
}

/// The settings that define the application rather than one deployment of it: a site's own
/// settings file or a run-time assignment does not rebuild them.
const APPLICATION: &[&str] = &[
    "AUTHENTICATION_BACKENDS",
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "MIDDLEWARE_CLASSES",
    "ROOT_URLCONF",
    "TEMPLATES",
];

/// Settings that shipped application code assigns at run time (`settings.NAME = ...`,
/// `setattr(settings, "NAME", ...)`), by name, with where: Review Board sets
/// `SESSION_COOKIE_SECURE` and `CSRF_COOKIE_SECURE` from its site configuration whenever it
/// loads. Test, example and development code is not counted (tests assign settings all the
/// time), nor settings modules, nor what defines the application ([`APPLICATION`]).
fn assigned_at_run_time(
    project: &Project,
    is_settings: impl Fn(&SourceFile) -> bool,
) -> BTreeMap<&str, Origin> {
    let mut assigned: BTreeMap<&str, Origin> = BTreeMap::new();
    for file in project.files_of(super::FileKind::Python) {
        let Some(facts) = project.python_facts(file) else {
            continue;
        };
        if facts.settings_assigned().is_empty()
            || is_settings(file)
            || project.scope(&file.path) != super::Scope::Production
        {
            continue;
        }
        for (name, line) in facts.settings_assigned() {
            if !APPLICATION.contains(&name.as_str()) {
                assigned.entry(name.as_str()).or_insert_with(|| Origin {
                    path: file.path.clone(),
                    stmt: line.clone(),
                    value: None,
                });
            }
        }
    }
    assigned
}

/// A settings module that cannot load without another one harden cannot read (a star import
/// of a module missing from the tree, with no fallback): whatever that module sets wins. Every
/// per-deployment setting assigned so far becomes unknown (DEBUG, ALLOWED_HOSTS, the cookie
/// and HTTPS flags, ...), and so does SECRET_KEY when nothing set it (Django refuses to start
/// without one, so the missing module must). What defines the application itself stays: a
/// site's file does not rebuild INSTALLED_APPS or MIDDLEWARE (Review Board's
/// `settings_local.py` template sets the database, caches, key, DEBUG and hosts). Django's
/// other defaults stay too: a control the project never sets is still judged.
fn overridden_by_missing_module(ns: &mut BTreeMap<String, Setting>, origin: Origin) {
    let unknown = Setting::rewritten(origin);
    for (name, setting) in ns.iter_mut() {
        if !APPLICATION.contains(&name.as_str()) {
            *setting = unknown.clone();
        }
    }
    ns.entry("SECRET_KEY".to_string()).or_insert(unknown);
}

/// A statement with the file it is written in (a class's may come from another module).
type Located<'p> = (&'p SourceFile, Stmt);

/// What each module star-imported so far exports, folded once (see [`fold`]).
type FoldMemo = BTreeMap<String, BTreeMap<String, Setting>>;

/// Execute `module`'s statements symbolically, following star imports.
///
/// Each imported module is folded once and remembered in `memo`: modules that star-import
/// each other would otherwise be folded once per path through them (exponential). A module
/// already on `stack` (a cycle, or a module importing itself) is not followed again.
fn fold<'p>(
    project: &'p Project,
    file: &'p SourceFile,
    module: &'p PythonFile,
    (before, after): (&[Located<'p>], &[Located<'p>]),
    stack: &mut Vec<String>,
    memo: &mut FoldMemo,
    helpers: &Helpers<'_>,
) -> BTreeMap<String, Setting> {
    // The entry module is the first on the stack; modules it star-imports come after.
    let entry = stack.len() == 1;
    let mut ns: BTreeMap<String, Setting> = BTreeMap::new();
    let calls =
        |callee: &str, args, keywords, span| helpers.call(&file.path, callee, args, keywords, span);
    let resolve =
        |value: &Value, ns: &BTreeMap<String, Setting>, depth| resolve(value, ns, depth, &calls);
    // NOTE: a django-configurations class's statements may come from a base class in another
    // module: each is located in its own file.
    // A class copied into the module (`ProdSettings.load_settings(__name__)`) stands where
    // the call is, instead of the unknown rewrite the call would otherwise be.
    let mut statements: Vec<(&SourceFile, Stmt)> = before.to_vec();
    for stmt in &module.stmts {
        let copy = module.class_loads.iter().find_map(|l| match &l.how {
            LoadKind::Copy { class: Some(class) } if l.span == stmt.span && !stmt.maybe => {
                Some(class)
            }
            _ => None,
        });
        let mut class_stmts = Vec::new();
        if let Some(class) = copy
            && class_resolves(project, file, module, class, 0)
        {
            class_body(project, file, module, class, 0, &mut class_stmts);
        }
        if class_stmts.is_empty() {
            statements.push((file, stmt.clone()));
        } else {
            statements.extend(copied(class_stmts));
        }
    }
    statements.extend(after.iter().cloned());
    for (stmt_file, stmt) in &statements {
        let (stmt_file, stmt) = (*stmt_file, stmt);
        let origin = |value: Option<Range<usize>>| Origin {
            path: stmt_file.path.clone(),
            stmt: stmt.span.clone(),
            value,
        };
        match &stmt.kind {
            StmtKind::StarImport {
                module: name,
                level,
            } => {
                let Some(target) = import_target(project, file, name, *level) else {
                    if !stmt.maybe && names_deployment_settings(project, name, *level) {
                        overridden_by_missing_module(&mut ns, origin(None));
                    }
                    continue;
                };
                if stack.iter().any(|p| p == target) || stack.len() > 16 {
                    continue;
                }
                let inherited = match memo.get(target) {
                    Some(folded) => folded.clone(),
                    None => {
                        let Some(target_file) = project.file(target) else {
                            continue;
                        };
                        let Parsed::Python(target_module) = target_file.parsed() else {
                            continue;
                        };
                        stack.push(target.to_string());
                        let folded = fold(
                            project,
                            target_file,
                            target_module,
                            (&[], &[]),
                            stack,
                            memo,
                            helpers,
                        );
                        stack.pop();
                        memo.insert(target.to_string(), folded.clone());
                        folded
                    }
                };
                for (name, mut setting) in inherited {
                    if name.starts_with('_') {
                        continue;
                    }
                    setting.maybe |= stmt.maybe;
                    if entry {
                        setting.via = Some(stmt.span.clone());
                    }
                    ns.insert(name, setting);
                }
            }
            StmtKind::RewriteNamespace => {
                // NOTE: "maybe" or not, the rewrite may have happened: the same either way.
                let rewrite = Setting::rewritten(origin(None));
                for setting in ns.values_mut() {
                    *setting = rewrite.clone();
                }
                ns.insert(REWRITTEN.to_string(), rewrite);
            }
            StmtKind::Assign { name, value: raw } => {
                let value = resolve(raw, &ns, 0);
                if stmt.maybe {
                    let entry = ns.entry(name.clone()).or_insert_with(|| Setting {
                        value: Value::new(ValueKind::Unknown, value.span.clone()),
                        origin: Some(origin(Some(value.span.clone()))),
                        maybe: true,
                        in_steps: false,
                        maybe_items: Vec::new(),
                        via: None,
                    });
                    entry.maybe = true;
                    match value.items() {
                        Some(items) => entry.maybe_items.extend(items.iter().cloned()),
                        // NOTE: an unknown item stands for "anything may be in it now".
                        None => entry
                            .maybe_items
                            .push(Value::new(ValueKind::Unknown, value.span.clone())),
                    }
                    continue;
                }
                let (value, maybe_items) = match maybe_list_parts(raw, &ns) {
                    Some((definite, maybe_items)) => {
                        let resolved = resolve(&definite, &ns, 0);
                        if resolved.items().is_some() {
                            (resolved, maybe_items)
                        } else {
                            (value, Vec::new())
                        }
                    }
                    None => (value, Vec::new()),
                };
                // A library call's effect (see StmtKind::Assign) has no value to edit.
                let by_library = value.span == stmt.span;
                ns.insert(
                    name.clone(),
                    Setting {
                        origin: Some(origin((!by_library).then(|| value.span.clone()))),
                        value,
                        maybe: false,
                        in_steps: by_library,
                        maybe_items,
                        via: None,
                    },
                );
            }
            StmtKind::AddAssign { name, value } | StmtKind::Extend { name, value } => {
                let added = resolve(value, &ns, 0);
                change_list(
                    &mut ns,
                    name,
                    stmt.maybe,
                    origin(None),
                    |items| match added.items() {
                        Some(new) => {
                            items.extend(new.iter().cloned());
                            true
                        }
                        None => false,
                    },
                );
            }
            StmtKind::Append { name, value } => {
                let added = resolve(value, &ns, 0);
                change_list(&mut ns, name, stmt.maybe, origin(None), |items| {
                    items.push(added.clone());
                    true
                });
            }
            StmtKind::Insert { name, index, value } => {
                let added = resolve(value, &ns, 0);
                let index = resolve(index, &ns, 0).as_int();
                change_list(&mut ns, name, stmt.maybe, origin(None), |items| {
                    let Some(index) = index else {
                        return false;
                    };
                    let len = items.len() as i64;
                    let at = if index < 0 { len + index } else { index };
                    let at = usize::try_from(at.clamp(0, len)).unwrap_or(0);
                    items.insert(at, added.clone());
                    true
                });
            }
            StmtKind::Remove { name, value } => {
                let removed = resolve(value, &ns, 0);
                change_list(&mut ns, name, stmt.maybe, origin(None), |items| match items
                    .iter()
                    .position(|i| i.as_str() == removed.as_str())
                {
                    Some(at) if removed.as_str().is_some() => {
                        items.remove(at);
                        true
                    }
                    _ => false,
                });
            }
            StmtKind::SetItem { name, key, value } => {
                let key = resolve(key, &ns, 0);
                let value = resolve(value, &ns, 0);
                if let Some(setting) = ns.get_mut(name) {
                    setting.in_steps = true;
                    setting.maybe |= stmt.maybe;
                    if let (ValueKind::Dict(items), Some(k)) =
                        (&mut setting.value.kind, key.as_str())
                    {
                        items.retain(|(existing, _)| existing.as_str() != Some(k));
                        items.push((key.clone(), value));
                    }
                }
            }
        }
    }
    ns
}

/// `A + NAME + B` where NAME is a list changed under a condition harden cannot know (ara's
/// `MIDDLEWARE = [...] + EXTERNAL_AUTH_MIDDLEWARE + [...]`, the middle one `[]` or, when
/// EXTERNAL_AUTH is on, `[RemoteUserMiddleware]`): the concatenation without such names, and
/// their items as items that may be there. `None` when the value is not such a concatenation,
/// or when such a name may hold something that is not a known list.
fn maybe_list_parts(value: &Value, ns: &BTreeMap<String, Setting>) -> Option<(Value, Vec<Value>)> {
    let ValueKind::Concat(parts) = &value.kind else {
        return None;
    };
    let mut definite = Vec::with_capacity(parts.len());
    let mut maybe_items = Vec::new();
    for part in parts {
        match &part.kind {
            ValueKind::Name(name) if ns.get(name).is_some_and(|s| s.maybe) => {
                let setting = &ns[name];
                let ValueKind::List(items) = &setting.value.kind else {
                    return None;
                };
                if setting
                    .maybe_items
                    .iter()
                    .chain(items)
                    .any(|i| i.kind == ValueKind::Unknown)
                {
                    return None;
                }
                maybe_items.extend(items.iter().cloned());
                maybe_items.extend(setting.maybe_items.iter().cloned());
                definite.push(Value::new(ValueKind::List(Vec::new()), part.span.clone()));
            }
            _ => definite.push(part.clone()),
        }
    }
    if maybe_items.len() > MAX_VALUE_SIZE {
        return None;
    }
    (!maybe_items.is_empty() || definite.len() < parts.len()).then(|| {
        (
            Value::new(ValueKind::Concat(definite), value.span.clone()),
            maybe_items,
        )
    })
}

/// Change a list setting in place; a change that cannot be followed makes the list unknown.
fn change_list(
    ns: &mut BTreeMap<String, Setting>,
    name: &str,
    maybe: bool,
    origin: Origin,
    change: impl Fn(&mut Vec<Value>) -> bool,
) {
    let rewritten = ns.contains_key(REWRITTEN);
    let setting = ns.entry(name.to_string()).or_insert_with(|| {
        let default = if rewritten {
            None
        } else {
            django_default(name)
        };
        let mut setting = match default {
            Some(value) => Setting::default_value(value),
            None => Setting::default_value(ValueKind::Unknown),
        };
        setting.origin = Some(origin);
        setting
    });
    if maybe {
        let mut scratch = Vec::new();
        if change(&mut scratch) {
            setting.maybe_items.extend(scratch);
        }
        return;
    }
    setting.in_steps = true;
    let ok = match &mut setting.value.kind {
        ValueKind::List(items) | ValueKind::Tuple(items) => change(items),
        _ => false,
    };
    if !ok {
        setting.value.kind = ValueKind::Unknown;
    }
}

/// How many helper calls deep (a helper calling a helper of yet another module) evaluation
/// follows; past it the value is unknown.
const MAX_HELPER_NESTING: usize = 8;

/// Calls of helpers defined in other modules (`from .utils import envbool`, or a `def` a
/// star-imported base module holds), found as Python would import them (the star-import
/// rules, manage.py's `sys.path`) and evaluated with the environment unset.
struct Helpers<'p> {
    project: &'p Project,
    /// Helper modules the byte prefilter left unparsed, parsed on first use.
    parsed: RefCell<BTreeMap<String, Option<Rc<PythonFile>>>>,
    /// The helpers being called (module path, function name): a repeat is recursion.
    calling: RefCell<Vec<(String, String)>>,
}

impl<'p> Helpers<'p> {
    fn new(project: &'p Project) -> Self {
        Self {
            project,
            parsed: RefCell::new(BTreeMap::new()),
            calling: RefCell::new(Vec::new()),
        }
    }

    /// Run `f` on module `path` (its text and parse).
    fn with_module<R>(&self, path: &str, f: impl FnOnce(&str, &PythonFile) -> R) -> Option<R> {
        let file = self.project.file(path)?;
        let text = file.text().ok()?;
        if let Parsed::Python(module) = file.parsed() {
            return Some(f(&text.content, module));
        }
        if file.kind != super::FileKind::Python {
            return None;
        }
        let cached = self.parsed.borrow().get(path).cloned();
        let module = match cached {
            Some(module) => module,
            None => {
                let module = Some(Rc::new(PythonFile::parse(&text.content)));
                self.parsed
                    .borrow_mut()
                    .insert(path.to_string(), module.clone());
                module
            }
        }?;
        Some(f(&text.content, &module))
    }

    /// The module and name of the function `name` means in module `path`: defined there,
    /// imported by name, or star-imported (the last star import that has it wins).
    fn find(&self, path: &str, name: &str, hops: usize) -> Option<(String, String)> {
        if hops > MAX_HELPER_NESTING {
            return None;
        }
        let file = self.project.file(path)?;
        // `utils.env_bool` through `from . import utils`, `from proj import utils` or
        // `import proj.utils [as utils]`: the function of that module.
        if let Some((qualifier, function)) = name.rsplit_once('.') {
            let (dotted, level) = self.with_module(path, |_, module| {
                if let Some((_, dotted)) = module
                    .module_imports
                    .iter()
                    .rev()
                    .find(|(b, _)| b == qualifier)
                {
                    return Some((dotted.clone(), 0));
                }
                module
                    .from_imports
                    .iter()
                    .rev()
                    .find(|i| i.bound == qualifier)
                    .map(|i| {
                        let dotted = match i.module.as_str() {
                            "" => i.name.clone(),
                            parent => format!("{parent}.{}", i.name),
                        };
                        (dotted, i.level)
                    })
            })??;
            let target = import_target(self.project, file, &dotted, level)?;
            return self.find(target, function, hops + 1);
        }
        enum Next {
            Here,
            Import(String, usize, String),
            Stars(Vec<(String, usize)>),
        }
        let next = self.with_module(path, |_, module| {
            if module.functions.contains_key(name) {
                return Next::Here;
            }
            if let Some(import) = module.from_imports.iter().rev().find(|i| i.bound == name) {
                return Next::Import(import.module.clone(), import.level, import.name.clone());
            }
            Next::Stars(
                module
                    .stmts
                    .iter()
                    .rev()
                    .filter(|s| !s.maybe)
                    .filter_map(|s| match &s.kind {
                        StmtKind::StarImport { module, level } => Some((module.clone(), *level)),
                        _ => None,
                    })
                    .collect(),
            )
        })?;
        match next {
            Next::Here => Some((path.to_string(), name.to_string())),
            Next::Import(module, level, original) => {
                let target = import_target(self.project, file, &module, level)?;
                self.find(target, &original, hops + 1)
            }
            Next::Stars(stars) => stars.into_iter().find_map(|(module, level)| {
                let target = import_target(self.project, file, &module, level)?;
                (target != path)
                    .then(|| self.find(target, name, hops + 1))
                    .flatten()
            }),
        }
    }

    /// Call `callee` as module `path` names it; `None` when the function is not found in the
    /// project (a library's), recursive, nested too deep, or its value is not known.
    fn call(
        &self,
        path: &str,
        callee: &str,
        args: Vec<Value>,
        keywords: Vec<(String, Value)>,
        span: Range<usize>,
    ) -> Option<Value> {
        let (def_path, def_name) = self.find(path, callee, 0)?;
        {
            let calling = self.calling.borrow();
            if calling.len() >= MAX_HELPER_NESTING
                || calling
                    .iter()
                    .any(|(p, n)| *p == def_path && *n == def_name)
            {
                return None;
            }
        }
        self.calling
            .borrow_mut()
            .push((def_path.clone(), def_name.clone()));
        let value = self.with_module(&def_path, |src, module| {
            let nested = |callee: &str, args, keywords, span| {
                self.call(&def_path, callee, args, keywords, span)
            };
            python::call_function(src, module, &def_name, args, keywords, span, &nested)
        });
        self.calling.borrow_mut().pop();
        value.filter(|v| v.kind != ValueKind::Unknown)
    }
}

/// Whether `name`, as module `path` names it, is a function defined in the project (in the
/// module, imported from a project module or star-imported): a helper, not a library's object.
pub fn is_project_function(project: &Project, path: &str, name: &str) -> bool {
    Helpers::new(project).find(path, name, 0).is_some()
}

/// How [`resolve`] evaluates a call of another module's helper (see [`Helpers::call`]).
type Calls<'a> = dyn Fn(&str, Vec<Value>, Vec<(String, Value)>, Range<usize>) -> Option<Value> + 'a;

/// Substitute module-level names, evaluate calls of other modules' helpers, and fold what
/// became known.
fn resolve(
    value: &Value,
    ns: &BTreeMap<String, Setting>,
    depth: usize,
    calls: &Calls<'_>,
) -> Value {
    if depth > 32 {
        return Value::new(ValueKind::Unknown, value.span.clone());
    }
    let span = value.span.clone();
    let r = |v: &Value| resolve(v, ns, depth + 1, calls);
    match &value.kind {
        ValueKind::Call {
            callee,
            args,
            keywords,
        } => {
            let args = args.iter().map(r).collect();
            let keywords = keywords.iter().map(|(k, v)| (k.clone(), r(v))).collect();
            calls(callee, args, keywords, span.clone())
                .unwrap_or_else(|| Value::new(ValueKind::Unknown, span))
        }
        ValueKind::Name(name) => match ns.get(name) {
            Some(setting) if !setting.maybe => Value::new(setting.value.kind.clone(), span),
            _ => Value::new(ValueKind::Unknown, span),
        },
        ValueKind::List(items) | ValueKind::Tuple(items) => {
            let mut out = Vec::new();
            let mut size = 0usize;
            for item in items {
                match &item.kind {
                    ValueKind::Splat(inner) => match r(inner).kind {
                        ValueKind::List(inner) | ValueKind::Tuple(inner) => out.extend(inner),
                        _ => return Value::new(ValueKind::Unknown, span),
                    },
                    _ => out.push(r(item)),
                }
                // NOTE: names resolved many times over could build an exponential value.
                size = size.saturating_add(out.last().map_or(1, |v| value_size(v, MAX_VALUE_SIZE)));
                if size > MAX_VALUE_SIZE {
                    return Value::new(ValueKind::Unknown, span);
                }
            }
            Value::new(
                if matches!(value.kind, ValueKind::List(_)) {
                    ValueKind::List(out)
                } else {
                    ValueKind::Tuple(out)
                },
                span,
            )
        }
        ValueKind::Concat(parts) => {
            let mut out = Vec::new();
            let mut is_list = true;
            for part in parts {
                let part = r(part);
                if value_size(&part, MAX_VALUE_SIZE) > MAX_VALUE_SIZE {
                    return Value::new(ValueKind::Unknown, span);
                }
                match part.kind {
                    ValueKind::List(items) => out.extend(items),
                    ValueKind::Tuple(items) => {
                        is_list = false;
                        out.extend(items)
                    }
                    _ => return Value::new(ValueKind::Unknown, span),
                }
                if out.len() > MAX_VALUE_SIZE {
                    return Value::new(ValueKind::Unknown, span);
                }
            }
            Value::new(
                if is_list {
                    ValueKind::List(out)
                } else {
                    ValueKind::Tuple(out)
                },
                span,
            )
        }
        ValueKind::Not(inner) => match python::not(r(inner), span.clone()) {
            // Still symbolic after resolving: not known.
            Value {
                kind: ValueKind::Not(_),
                ..
            } => Value::new(ValueKind::Unknown, span),
            negated => negated,
        },
        ValueKind::Dict(items) => Value::new(
            ValueKind::Dict(items.iter().map(|(k, v)| (r(k), r(v))).collect()),
            span,
        ),
        ValueKind::Env {
            var,
            default,
            required,
        } => Value::new(
            ValueKind::Env {
                var: var.clone(),
                default: default.as_ref().map(|d| Box::new(r(d))),
                required: *required,
            },
            span,
        ),
        _ => value.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::FileKind;
    use std::path::Path;

    /// A Django project of `files` (Python modules), its requirements naming Django.
    fn project(files: &[(&str, &str)]) -> Project {
        let mut sources: Vec<SourceFile> = files
            .iter()
            .map(|(p, c)| SourceFile::in_memory(p, FileKind::Python, c))
            .collect();
        sources.push(SourceFile::in_memory(
            "requirements.txt",
            FileKind::Requirements,
            "Django>=5.2\n",
        ));
        Project::from_memory(Path::new("/p"), sources)
    }

    #[test]
    fn no_django_without_django_named_anywhere() {
        // Superdesk (Flask and Eve) keeps its own INSTALLED_APPS and a SECRET_KEY.
        let module = "INSTALLED_APPS = []\nSECRET_KEY = 'x'\nDEBUG = True\n";
        let flask = Project::from_memory(
            Path::new("/p"),
            vec![
                SourceFile::in_memory("setup.py", FileKind::Python, "install_requires=['eve']\n"),
                SourceFile::in_memory("superdesk/default_settings.py", FileKind::Python, module),
            ],
        );
        assert!(entries(&flask).is_empty());
        let django = project(&[("superdesk/default_settings.py", module)]);
        assert_eq!(entries(&django).len(), 1);
    }

    #[test]
    fn required_missing_site_module_overrides_what_came_before() {
        let settings = |tail: &str| {
            let text = format!(
                "import sys\nDEBUG = True\nALLOWED_HOSTS = ['*']\nMIDDLEWARE = ['m']\n{tail}X_FRAME_OPTIONS = 'DENY'\n"
            );
            let p = project(&[("proj/settings.py", text.as_str())]);
            let entry = entries(&p).into_iter().next().expect("one entry");
            let known = |name: &str| entry.get(name).is_some_and(|s| !s.maybe);
            (
                known("DEBUG"),
                known("ALLOWED_HOSTS"),
                known("MIDDLEWARE"),
                known("SECRET_KEY"),
                known("X_FRAME_OPTIONS"),
            )
        };
        // Review Board: no settings_local.py, no way to load without it.
        let required =
            "try:\n    from settings_local import *\nexcept ImportError:\n    sys.exit(1)\n";
        assert_eq!(settings(required), (false, false, true, false, true));
        assert_eq!(
            settings("from .local_settings import *\n"),
            (false, false, true, false, true)
        );
        // Optional, another distribution's module, or Django's own defaults: nothing changes.
        let optional = "try:\n    from settings_local import *\nexcept ImportError:\n    pass\n";
        assert_eq!(settings(optional), (true, true, true, true, true));
        for other in [
            "from djblets.settings import *\n",
            "from django.conf.global_settings import *\n",
        ] {
            assert_eq!(settings(other), (true, true, true, true, true), "{other}");
        }
    }

    #[test]
    fn split_settings_follow_star_imports() {
        let p = project(&[
            (
                "proj/settings/base.py",
                "INSTALLED_APPS = ['a']\nMIDDLEWARE = ['m1']\nDEBUG = True\nX_FRAME_OPTIONS = 'SAMEORIGIN'\n",
            ),
            (
                "proj/settings/production.py",
                "from .base import *\nDEBUG = False\nMIDDLEWARE += ['m2']\nMIDDLEWARE.insert(0, 'm0')\n",
            ),
            (
                "proj/settings/local.py",
                "from proj.settings.base import *\nDEBUG = True\n",
            ),
        ]);
        let entries = entries(&p);
        let paths: Vec<(&str, bool)> = entries
            .iter()
            .map(|e| (e.file.path.as_str(), e.production))
            .collect();
        assert_eq!(
            paths,
            vec![
                ("proj/settings/local.py", false),
                ("proj/settings/production.py", true)
            ]
        );
        let prod = &entries[1];
        assert_eq!(
            prod.get("DEBUG").unwrap().value.kind,
            ValueKind::Bool(false)
        );
        let mw = prod.get("MIDDLEWARE").unwrap();
        let middleware: Vec<&str> = mw
            .value
            .items()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(middleware, vec!["m0", "m1", "m2"]);
        let xfo = prod.get("X_FRAME_OPTIONS").unwrap();
        assert_eq!(xfo.via, Some(0..19));
        assert_eq!(xfo.origin.unwrap().path, "proj/settings/base.py");
        assert_eq!(
            prod.get("SECURE_REFERRER_POLICY").unwrap().value.as_str(),
            Some("same-origin")
        );
        assert!(prod.get("SECURE_REFERRER_POLICY").unwrap().is_default());
    }

    #[test]
    fn names_and_spreads_resolve_across_modules() {
        let p = project(&[
            (
                "app/base_settings.py",
                "BASE_MW = ['a']\nINSTALLED_APPS = []\n",
            ),
            (
                "app/settings.py",
                "from .base_settings import *\nMIDDLEWARE = [*BASE_MW, 'b']\nAPPS = INSTALLED_APPS + ['x']\nSECURE = not DEBUG_X\n",
            ),
        ]);
        let entries = entries(&p);
        assert_eq!(entries.len(), 1);
        let e = &entries[0];
        assert_eq!(e.get("MIDDLEWARE").unwrap().value.items().unwrap().len(), 2);
        assert_eq!(e.get("APPS").unwrap().value.items().unwrap().len(), 1);
        assert_eq!(e.get("SECURE").unwrap().value.kind, ValueKind::Unknown);
    }

    #[test]
    fn settings_module_named_by_manage_py() {
        let p = project(&[
            (
                "manage.py",
                "import os\ndef main():\n    os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'conf.prod')\n",
            ),
            ("src/conf/prod.py", "DEBUG = False\n"),
            ("src/conf/other.py", "DEBUG = True\n"),
        ]);
        let entries = entries(&p);
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].file.path, "src/conf/prod.py");
    }

    #[test]
    fn settings_module_named_by_dockerfile_and_pytest() {
        let mut files: Vec<SourceFile> = vec![
            SourceFile::in_memory(
                "deploy/Dockerfile",
                FileKind::Dockerfile,
                "FROM python\nENV DJANGO_SETTINGS_MODULE=conf.live\n",
            ),
            SourceFile::in_memory(
                "pytest.ini",
                FileKind::OtherConfig,
                "[pytest]\nDJANGO_SETTINGS_MODULE = conf.testing\n",
            ),
        ];
        files.push(SourceFile::in_memory(
            "conf/live.py",
            FileKind::Python,
            "DEBUG = True\n",
        ));
        files.push(SourceFile::in_memory(
            "conf/testing.py",
            FileKind::Python,
            "DEBUG = True\n",
        ));
        let p = Project::from_memory(Path::new("/p"), files);
        let found: Vec<(String, bool)> = entries(&p)
            .into_iter()
            .map(|e| (e.file.path.clone(), e.production))
            .collect();
        assert_eq!(
            found,
            vec![
                ("conf/live.py".to_string(), true),
                ("conf/testing.py".to_string(), false)
            ]
        );
    }

    #[test]
    fn roles() {
        let production = |paths: &[&str], overrides: super::super::Overrides| {
            let mut p = project(
                &paths
                    .iter()
                    .map(|p| (*p, "INSTALLED_APPS = []\n"))
                    .collect::<Vec<_>>(),
            );
            p.overrides = overrides;
            entries(&p)
                .into_iter()
                .filter(|e| e.production)
                .map(|e| e.file.path.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            production(
                &[
                    "proj/settings/production.py",
                    "proj/settings/dev.py",
                    "proj/settings_local.py",
                    "proj/test_settings.py",
                    "tests/settings.py",
                ],
                Default::default()
            ),
            vec!["proj/settings/production.py"]
        );
        let configured = super::super::Overrides {
            production: vec!["**/staging.py".into()],
            development: vec!["**/settings.py".into()],
        };
        assert_eq!(
            production(&["proj/settings.py", "proj/staging.py"], configured),
            vec!["proj/staging.py"]
        );
    }

    #[test]
    fn middleware_classes_stand_for_middleware_when_it_is_absent() {
        let p = project(&[(
            "settings.py",
            "INSTALLED_APPS = []\nMIDDLEWARE_CLASSES = ('django.middleware.security.SecurityMiddleware',)\n",
        )]);
        let entries = entries(&p);
        assert_eq!(
            entries[0].list_contains(
                "MIDDLEWARE",
                "django.middleware.security.SecurityMiddleware"
            ),
            Some(true)
        );
    }

    #[test]
    fn helpers_from_other_modules_are_evaluated_or_unknown() {
        let helpers = "import os\n\
            TRUTHY = ('1', 'true')\n\
            def envbool(name, default):\n    return os.getenv(name, default).lower() in TRUTHY\n\
            def looped(name, default):\n    for x in os.environ:\n        pass\n    return default\n\
            def prefixed(name, default):\n    for p in ('APP_', ''):\n        v = os.environ.get(p + name)\n        if v is not None:\n            return v\n    return default\n\
            def recursive(name, default):\n    return recursive(name, default)\n\
            def reads(name, default):\n    open('/etc/passwd')\n    return default\n\
            def relay(name, default):\n    return envbool(name, default)\n";
        let settings = "from .utils import envbool, looped, prefixed, recursive, reads as io, relay\n\
            from proj.utils import envbool as absolute\n\
            from .missing import nowhere\n\
            INSTALLED_APPS = []\n\
            A = envbool('X', 'True')\nB = not envbool('X', 'no')\nC = looped('X', True)\n\
            D = recursive('X', True)\nE = io('X', True)\nF = relay('X', '1')\n\
            G = absolute('X', default='0')\nH = nowhere('X', True)\nI = prefixed('X', True)\n";
        let p = project(&[("proj/utils.py", helpers), ("proj/settings.py", settings)]);
        let entries = entries(&p);
        let e = &entries[0];
        let unset = |name: &str| {
            e.get(name)
                .unwrap()
                .value
                .when_unset()
                .map(|v| v.kind.clone())
        };
        assert_eq!(unset("A"), Some(ValueKind::Bool(true)));
        assert_eq!(e.get("A").unwrap().value.env_var(), Some("X"));
        assert_eq!(unset("B"), Some(ValueKind::Bool(true)));
        assert_eq!(
            unset("C"),
            None,
            "loops over unknown sequences are not followed"
        );
        assert_eq!(
            unset("I"),
            Some(ValueKind::Bool(true)),
            "loops over a short known tuple are run"
        );
        assert_eq!(unset("D"), None, "recursion is not followed");
        assert_eq!(unset("E"), None, "I/O is not followed");
        assert_eq!(
            unset("F"),
            Some(ValueKind::Bool(true)),
            "a helper calling a helper"
        );
        assert_eq!(unset("G"), Some(ValueKind::Bool(false)));
        assert_eq!(unset("H"), None, "a module outside the project");
        // The value points at the call in the settings module, not into utils.py.
        let a = e.get("A").unwrap();
        assert_eq!(&settings[a.value.span.clone()], "envbool('X', 'True')");
    }

    #[test]
    fn django_heroku_settings_allow_every_host() {
        let p = project(&[(
            "settings.py",
            "import django_heroku\nINSTALLED_APPS = []\nMIDDLEWARE = ['m']\nALLOWED_HOSTS = ['a']\n\
             django_heroku.settings(locals())\n",
        )]);
        let entries = entries(&p);
        let hosts = entries[0].get("ALLOWED_HOSTS").unwrap();
        assert_eq!(hosts.value.items().unwrap()[0].as_str(), Some("*"));
        assert!(hosts.in_steps && hosts.origin.unwrap().value.is_none());
        assert_eq!(
            entries[0].list_contains("MIDDLEWARE", "whitenoise.middleware.WhiteNoiseMiddleware"),
            Some(true)
        );
        let p = project(&[(
            "settings.py",
            "import django_heroku\nINSTALLED_APPS = []\nALLOWED_HOSTS = ['a']\n\
             django_heroku.settings(locals(), allowed_hosts=False)\n",
        )]);
        let hosts = super::entries(&p)[0].get("ALLOWED_HOSTS").unwrap();
        assert_eq!(hosts.value.items().unwrap()[0].as_str(), Some("a"));
    }

    #[test]
    fn a_namespace_rewrite_makes_defaults_and_earlier_values_unknown() {
        let p = project(&[
            (
                "proj/settings/base.py",
                "INSTALLED_APPS = []\nDEBUG = True\nns = Loader(globals())\nns.load()\n\
                 MIDDLEWARE = ['m']\n",
            ),
            (
                "proj/settings/production.py",
                "from .base import *\nSESSION_COOKIE_SECURE = False\nMIDDLEWARE.append('n')\n",
            ),
        ]);
        let entries = entries(&p);
        let entry = &entries[0];
        // Rewritten: earlier values and Django's defaults alike.
        for name in ["DEBUG", "SECURE_HSTS_SECONDS", "INSTALLED_APPS"] {
            let setting = entry.get(name).unwrap();
            assert!(
                setting.maybe && setting.value.kind == ValueKind::Unknown,
                "{name}"
            );
        }
        // Assigned after the rewrite: known.
        let cookie = entry.get("SESSION_COOKIE_SECURE").unwrap();
        assert_eq!(cookie.value.kind, ValueKind::Bool(false));
        assert!(!cookie.maybe);
        assert_eq!(entry.list_contains("MIDDLEWARE", "n"), Some(true));
    }

    #[test]
    fn maybe_statements_are_not_definite() {
        let p = project(&[(
            "settings.py",
            "INSTALLED_APPS = []\nMIDDLEWARE = []\nif X:\n    DEBUG = True\n    MIDDLEWARE += ['m']\n",
        )]);
        let entries = entries(&p);
        let debug = entries[0].get("DEBUG").unwrap();
        assert!(debug.maybe);
        assert_eq!(entries[0].list_contains("MIDDLEWARE", "m"), Some(true));
    }
}
