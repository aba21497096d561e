//! The minijinja environment over `templates/` (embedded), used by fixes and by `init`.

pub mod gitlab_security;
pub mod security_workflow;

use include_dir::{Dir, include_dir};
use minijinja::Environment;

pub static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");

/// Embedded templates, loaded lazily by name (`fix/SECURITY.md.j2`).
pub struct Templates {
    env: Environment<'static>,
}

impl std::fmt::Debug for Templates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Templates")
    }
}

/// Instructions one render may execute (minijinja's fuel).
pub const RENDER_FUEL: u64 = 200_000;

impl Default for Templates {
    fn default() -> Self {
        Self::new()
    }
}

impl Templates {
    pub fn new() -> Self {
        let mut env = Environment::new();
        // Templates are file contents: keep their final newline, and let `{% %}` lines vanish.
        if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
            .keep_trailing_newline(true)
            .trim_blocks(true)
            .lstrip_blocks(true)
            .build()
        {
            env.set_syntax(syntax);
        }
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // A project's own check can loop over a value from the scanned files (megabytes long):
        // every render gets a budget of instructions, far above what harden's own templates
        // use; past it the render fails and the caller falls back.
        env.set_fuel(Some(RENDER_FUEL));
        env.set_loader(|name| {
            Ok(TEMPLATES
                .get_file(name)
                .and_then(|f| f.contents_utf8())
                .map(str::to_string))
        });
        Self { env }
    }

    pub fn render(
        &self,
        name: &str,
        context: minijinja::Value,
    ) -> Result<String, minijinja::Error> {
        self.env.get_template(name)?.render(context)
    }

    /// Compile an inline template once, to render it for many findings.
    pub fn compile<'s>(&'s self, source: &'s str) -> Option<minijinja::Template<'s, 's>> {
        self.env.template_from_str(source).ok()
    }

    /// Render an inline template (messages, fix titles) with a finding's variables.
    pub fn render_str(
        &self,
        source: &str,
        context: minijinja::Value,
    ) -> Result<String, minijinja::Error> {
        self.env.render_str(source, context)
    }
}

pub fn exists(name: &str) -> bool {
    TEMPLATES.get_file(name).is_some()
}

/// Every embedded template path, for the meta test that each one is used.
pub fn all_names() -> Vec<String> {
    fn walk(dir: &Dir<'_>, out: &mut Vec<String>) {
        for file in dir.files() {
            out.push(file.path().to_string_lossy().replace('\\', "/"));
        }
        for sub in dir.dirs() {
            walk(sub, out);
        }
    }
    let mut out = Vec::new();
    walk(&TEMPLATES, &mut out);
    out.sort();
    out
}
