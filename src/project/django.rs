//! Django settings, resolved statically: which modules are settings entry modules, what each
//! setting ends up as after `from .base import *` chains and lists built in steps, and where
//! the value came from.
//!
//! Only entry modules are judged: a module another settings module star-imports is a base.
//! Modules named for development, local, test or CI (or matched by `development-settings`)
//! are not production, unless `production-settings` matches them.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use rayon::prelude::*;

use super::{Project, SourceFile};
use crate::formats::Parsed;
use crate::formats::python::{MAX_VALUE_SIZE, PythonFile, StmtKind, Value, ValueKind, value_size};

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

impl Setting {
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
        self.settings
            .get(name)
            .cloned()
            .or_else(|| django_default(name).map(Setting::default_value))
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
    let named_like_settings = |file: &SourceFile| {
        named.contains(file.path.as_str())
            || file.name().trim_end_matches(".py").contains("settings")
            || file.dir().rsplit('/').next() == Some("settings")
    };
    // NOTE: only modules that can be candidates are parsed: named or placed as settings, or
    // holding the bytes of the names a candidate assigns. A data or test module of hundreds of
    // KB that mentions DEBUG is read (in parallel, with the others) but never parsed here;
    // star-imported modules are parsed when `fold` reaches them.
    let python: Vec<&SourceFile> = project.files_of(super::FileKind::Python).collect();
    let modules: Vec<(&SourceFile, &PythonFile)> = python
        .par_iter()
        .filter(|f| {
            named_like_settings(f)
                || f.text().is_ok_and(|t| {
                    t.content.contains("INSTALLED_APPS") || t.content.contains("MIDDLEWARE")
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
    // Star-import edges between modules, definite ones only.
    let mut imports: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (file, module) in &candidates {
        for stmt in module.stmts.iter().filter(|s| !s.maybe) {
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
    candidates
        .into_iter()
        // NOTE: a module that manage.py, wsgi.py, asgi.py or a server names stays an entry
        // even when another module (a test settings module, typically) star-imports it.
        .filter(|(file, _)| {
            !bases.contains(file.path.as_str()) || model.is_settings_entry(&file.path)
        })
        .filter_map(|(file, module)| {
            let mut stack = vec![file.path.clone()];
            let settings = fold(project, file, module, true, &mut stack, &mut memo);
            let django_like = named.contains(file.path.as_str())
                || ["INSTALLED_APPS", "MIDDLEWARE", "ROOT_URLCONF"]
                    .iter()
                    .any(|n| settings.contains_key(*n));
            django_like.then(|| Resolved {
                file,
                module,
                production: project.scope(&file.path) == super::Scope::Production,
                settings,
            })
        })
        .collect()
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

/// What each module star-imported so far exports, folded once (see [`fold`]).
type FoldMemo = BTreeMap<String, BTreeMap<String, Setting>>;

/// Execute `module`'s statements symbolically, following star imports.
///
/// Each imported module is folded once and remembered in `memo`: modules that star-import
/// each other would otherwise be folded once per path through them (exponential). A module
/// already on `stack` (a cycle, or a module importing itself) is not followed again.
fn fold(
    project: &Project,
    file: &SourceFile,
    module: &PythonFile,
    entry: bool,
    stack: &mut Vec<String>,
    memo: &mut FoldMemo,
) -> BTreeMap<String, Setting> {
    let mut ns: BTreeMap<String, Setting> = BTreeMap::new();
    for stmt in &module.stmts {
        let origin = |value: Option<Range<usize>>| Origin {
            path: file.path.clone(),
            stmt: stmt.span.clone(),
            value,
        };
        match &stmt.kind {
            StmtKind::StarImport {
                module: name,
                level,
            } => {
                let Some(target) = import_target(project, file, name, *level) else {
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
                        let folded = fold(project, target_file, target_module, false, stack, memo);
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
            StmtKind::Assign { name, value } => {
                let value = resolve(value, &ns, 0);
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
                    if let Some(items) = value.items() {
                        entry.maybe_items.extend(items.iter().cloned());
                    }
                    continue;
                }
                ns.insert(
                    name.clone(),
                    Setting {
                        origin: Some(origin(Some(value.span.clone()))),
                        value,
                        maybe: false,
                        in_steps: false,
                        maybe_items: Vec::new(),
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

/// Change a list setting in place; a change that cannot be followed makes the list unknown.
fn change_list(
    ns: &mut BTreeMap<String, Setting>,
    name: &str,
    maybe: bool,
    origin: Origin,
    change: impl Fn(&mut Vec<Value>) -> bool,
) {
    let setting = ns.entry(name.to_string()).or_insert_with(|| {
        let mut setting = match django_default(name) {
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

/// Substitute module-level names and fold what became known.
pub fn resolve(value: &Value, ns: &BTreeMap<String, Setting>, depth: usize) -> Value {
    if depth > 32 {
        return Value::new(ValueKind::Unknown, value.span.clone());
    }
    let span = value.span.clone();
    let r = |v: &Value| resolve(v, ns, depth + 1);
    match &value.kind {
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
        ValueKind::Not(inner) => match r(inner).truthy() {
            Some(t) => Value::new(ValueKind::Bool(!t), span),
            None => Value::new(ValueKind::Unknown, span),
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

    fn project(files: &[(&str, &str)]) -> Project {
        Project::from_memory(
            Path::new("/p"),
            files
                .iter()
                .map(|(p, c)| SourceFile::in_memory(p, FileKind::Python, c))
                .collect(),
        )
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
