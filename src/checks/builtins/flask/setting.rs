//! `flask-setting`: a Flask setting in the production configuration must satisfy `require`.
//!
//! Where the setting is judged: `app.config[...] =` / `app.config.update(...)` /
//! `from_mapping(...)` / `app.secret_key =` writes in Flask application modules (they override
//! whatever config object was loaded); else every leaf production config class (settings
//! inherited from base classes count); else, with no config classes at all, the Flask
//! application itself (Flask's default applies). A value read from the environment is judged
//! by what the deployment gets when the variable is unset; an unknown value, or one written
//! inside `if`/`try`/a loop, never fires; nor, when the project has no config class, does a
//! setting the application does not write while it loads configuration from a file or object
//! named at run time (FlaskBB's `from_pyfile(config)`).
//!
//! `require`: `falsy` (unset is fine), `not-false` (unset is fine), `is-true` (unset fails),
//! `set` (unset or None fails). `fix-value` (Python source, empty for none) replaces the value
//! or inserts the setting into the config class or after `app = Flask(...)`. `when-used`:
//! fire only when some Python file of the project mentions one of these strings.
//! `needs-session = true`: fire only when the application keeps a session cookie at all
//! (`flask::uses_session_cookie`).

use crate::checks::builtins::{Builtin, Ctx, Hit};
use crate::finding::Location;
use crate::fix::Edit;
use crate::formats::python::{Value, ValueKind};
use crate::project::Project;
use crate::project::flask::{self, AppModule, SettingWrite};

pub const BUILTIN: Builtin = Builtin {
    name: "flask-setting",
    vars: &["setting", "value", "env", "place"],
    params: &[
        "setting",
        "require",
        "fix-value",
        "when-used",
        "needs-session",
    ],
    run,
};

fn run(ctx: &Ctx<'_>) -> Vec<Hit> {
    let setting = ctx.param_str("setting").unwrap_or("").to_string();
    let require = ctx.param_str("require").unwrap_or("set").to_string();
    let fix_value = ctx.param_str("fix-value").unwrap_or("").to_string();
    let when_used = ctx.param_strings("when-used");
    let modules = ctx.flask_modules();
    // NOTE: no Flask application, no hit: asked first, so a project without one is not read
    // whole for the `when-used` names.
    let needs_session = ctx
        .params
        .get("needs-session")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    if !modules.iter().any(AppModule::is_flask)
        || (!when_used.is_empty() && !mentions_any(ctx.project, &when_used))
        || (needs_session && !flask::uses_session_cookie(ctx.project))
    {
        return Vec::new();
    }
    let rule = Rule {
        setting: &setting,
        require: &require,
        fix_value: &fix_value,
    };
    rule.hits(modules)
}

/// Whether some Python file of the project contains one of `needles`.
pub fn mentions_any(project: &Project, needles: &[String]) -> bool {
    project.files_of(crate::project::FileKind::Python).any(|f| {
        f.text()
            .is_ok_and(|t| needles.iter().any(|n| t.content.contains(n.as_str())))
    })
}

pub struct Rule<'a> {
    pub setting: &'a str,
    pub require: &'a str,
    pub fix_value: &'a str,
}

impl Rule<'_> {
    /// `Some(true)` when the value breaks the rule; `None` when that cannot be known.
    fn bad(&self, value: Option<&Value>) -> Option<bool> {
        let Some(value) = value else {
            return Some(matches!(self.require, "is-true" | "set"));
        };
        if value.is_required_env() {
            return Some(false);
        }
        match self.require {
            "falsy" => value.when_unset()?.truthy(),
            "not-false" => value.when_unset()?.truthy().map(|t| !t),
            "is-true" => Some(value.when_unset()?.kind != ValueKind::Bool(true)),
            _ => Some(value.when_unset()?.kind == ValueKind::None),
        }
    }

    pub fn hits(&self, modules: &[AppModule]) -> Vec<Hit> {
        let mut hits = Vec::new();
        if !modules.iter().any(AppModule::is_flask) {
            return hits;
        }
        // Writes in application modules decide.
        let mut app_written = false;
        for module in modules.iter().filter(|m| m.is_flask()) {
            if let Some(write) = module.writes.iter().rev().find(|w| w.name == self.setting) {
                app_written = true;
                if !write.maybe && self.bad(Some(&write.value)) == Some(true) {
                    hits.push(self.value_hit(module, write, &module.path, "app.config"));
                }
            }
        }
        if app_written {
            return hits;
        }
        let classes = flask::production_classes(modules);
        if classes.is_empty() {
            // NOTE: with no config class of the project to judge, a configuration loaded from
            // a source named at run time may set anything: not Flask's default.
            if modules
                .iter()
                .filter(|m| m.is_flask())
                .any(|m| m.unseen_config_load().is_some())
            {
                return hits;
            }
            for module in modules.iter().filter(|m| m.is_flask()) {
                let Some(app) = module.flask_app() else {
                    continue;
                };
                if self.bad(None) != Some(true) {
                    continue;
                }
                let mut hit = self.vars(
                    Hit::at(Location::span(&module.path, app.span.clone())),
                    None,
                    "app.config",
                );
                if !self.fix_value.is_empty()
                    && let Some(target) = &app.target
                {
                    let indent = &app.indent;
                    let line = format!(
                        "\n{indent}{target}.config[\"{}\"] = {}",
                        self.setting, self.fix_value
                    );
                    hit = hit.edits(vec![Edit::insert(&module.path, app.stmt.end, line)]);
                }
                hits.push(hit);
            }
            return hits;
        }
        let runtime_config = modules.iter().any(|m| m.runtime_config_file().is_some());
        for resolved in classes {
            let place = resolved.class.name.clone();
            match resolved.settings.get(self.setting) {
                Some((write, from_module, from_class)) => {
                    if write.maybe || self.bad(Some(&write.value)) != Some(true) {
                        continue;
                    }
                    if from_class.name == resolved.class.name {
                        hits.push(self.value_hit(from_module, write, &from_module.path, &place));
                    } else {
                        let mut hit = self
                            .vars(
                                Hit::at(Location::span(
                                    &resolved.module.path,
                                    resolved.class.span.clone(),
                                )),
                                Some(&write.value),
                                &place,
                            )
                            .related(
                                Location::span(&from_module.path, write.span.clone()),
                                format!("{} set here in {}", self.setting, from_class.name),
                            );
                        if !self.fix_value.is_empty() {
                            hit = hit.edits(self.class_insert(&resolved));
                        }
                        hits.push(hit);
                    }
                }
                None => {
                    // NOTE: a setting the classes leave to Flask's default may be set by the
                    // deployment's own file, loaded from a place named at run time
                    // (privacyIDEA's `pi.cfg`): not known.
                    if self.bad(None) != Some(true) || runtime_config {
                        continue;
                    }
                    let mut hit = self.vars(
                        Hit::at(Location::span(
                            &resolved.module.path,
                            resolved.class.span.clone(),
                        )),
                        None,
                        &place,
                    );
                    if !self.fix_value.is_empty() {
                        hit = hit.edits(self.class_insert(&resolved));
                    }
                    hits.push(hit);
                }
            }
        }
        hits
    }

    fn class_insert(&self, resolved: &flask::ResolvedClass<'_>) -> Vec<Edit> {
        let class = resolved.class;
        let mut edits = vec![Edit::insert(
            &resolved.module.path,
            class.body_end,
            format!("\n{}{} = {}", class.indent, self.setting, self.fix_value),
        )];
        edits.extend(import_os(resolved.module, self.fix_value));
        edits
    }

    fn vars(&self, hit: Hit, value: Option<&Value>, place: &str) -> Hit {
        let env = value.and_then(Value::env_var).unwrap_or("").to_string();
        let shown = match value {
            Some(v) => v
                .when_unset()
                .map(crate::checks::matchers::django_setting::python_repr)
                .unwrap_or_default(),
            None => String::new(),
        };
        hit.var("setting", self.setting)
            .var("value", shown.clone())
            .var("env", env)
            .var("place", place)
            .fingerprint(format!("{} {shown}", self.setting))
    }

    fn value_hit(&self, module: &AppModule, write: &SettingWrite, path: &str, place: &str) -> Hit {
        let mut hit = self.vars(
            Hit::at(Location::span(path, write.span.clone())),
            Some(&write.value),
            place,
        );
        if !self.fix_value.is_empty() {
            let mut edits = vec![Edit::replace(path, write.span.clone(), self.fix_value)];
            edits.extend(import_os(module, self.fix_value));
            hit = hit.edits(edits);
        }
        hit
    }
}

/// The edit adding `import os` when `source` needs it and the module lacks it.
pub fn import_os(module: &AppModule, source: &str) -> Option<Edit> {
    if !source.contains("os.") || module.imports_os {
        return None;
    }
    Some(match (module.imports_end, module.docstring_end) {
        (Some(end), _) => Edit::insert(&module.path, end, "\nimport os"),
        (None, Some(end)) => Edit::insert(&module.path, end, "\n\nimport os"),
        (None, None) => Edit::insert(&module.path, 0, "import os\n"),
    })
}
