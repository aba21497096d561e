//! Flask and FastAPI applications read statically: the calls an application module makes
//! (`Flask(__name__)`, `app.run(...)`, `FastAPI(...)`, `uvicorn.run(...)`), the settings it
//! writes (`app.config[...] = `, `app.config.update(...)`, `from_mapping(...)`,
//! `app.secret_key = `) and the config classes it can load (`class ProductionConfig(Config)`),
//! with inheritance resolved by class name across the project.
//!
//! Every function and class body is walked, so `create_app` factories count like module-level
//! code. A class is a config class when its name contains `Config` or `Settings`; it is a
//! production config unless its name says development, testing or local, and only leaf
//! classes (no other config class derives from them) are judged, as in a split Django setup;
//! when every `app.config.from_object(...)` names a class of the project, exactly those
//! classes are judged instead.
//!
//! `app.config.from_pyfile("config.py")` loads a Python file of upper-case assignments: when
//! the file is in the project (next to the application module, or in its `instance/` folder),
//! it is read as a config class of its own, named after the file, and judged like a class
//! `from_object` loads (each loaded source on its own: a file that only completes a class is
//! not merged with it). `from_envvar(...)` names its file at run time, and
//! `from_prefixed_env()` only changes settings whose `FLASK_*` variable is set: neither
//! changes what a deployment with an unset environment gets, so both are read as no-ops.
//!
//! A write inside `if`/`try`/`for`/`while`/`match` is "maybe": it makes the setting unknown,
//! so it never gives a confident finding (the same rule as Django settings).

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use tree_sitter::{Node, Parser};

use crate::formats::Parsed;
use crate::formats::python::{PythonFile, Value, ValueKind, eval_expression};
use crate::project::{FileKind, Project, SourceFile};

/// Bytes that make a `.py` file worth reading as a Flask or FastAPI module.
pub(crate) const MARKERS: &[&str] = &[
    "Flask(", "FastAPI(", "Config", "Settings", "uvicorn", ".run(",
];

/// Bytes that show the project has an application at all.
const APP_MARKERS: &[&str] = &["Flask(", "FastAPI(", "uvicorn.run"];

/// Class-name parts that mark a config class as not production (a `FakeWallet` or
/// `MockSettings` class configures a stand-in, not the deployed service).
const NOT_PRODUCTION: &[&str] = &[
    "develop", "dev", "test", "local", "debug", "ci", "fake", "mock", "dummy", "example", "sample",
];

/// A keyword argument of a call.
#[derive(Debug, Clone)]
pub struct Kwarg {
    pub name: String,
    pub value: Value,
    pub span: Range<usize>,
}

/// A call: `callee` is the dotted text before the parentheses (`app.run`, `FastAPI`).
#[derive(Debug, Clone)]
pub struct Call {
    pub callee: String,
    pub span: Range<usize>,
    pub args: Vec<Value>,
    /// The text of each positional argument.
    pub arg_texts: Vec<String>,
    pub kwargs: Vec<Kwarg>,
    /// The statement holding the call, and the name it is assigned to (`app = Flask(...)`).
    pub stmt: Range<usize>,
    pub target: Option<String>,
    /// The indentation of the statement's line.
    pub indent: String,
    /// The call runs only under `if __name__ == "__main__":` (a runner script).
    pub main_guard: bool,
    /// The module-level function the call is in, if any.
    pub function: Option<String>,
    /// The start of the nearest `if` statement whose branch holds the call.
    pub if_stmt: Option<usize>,
}

impl Call {
    pub fn kwarg(&self, name: &str) -> Option<&Kwarg> {
        self.kwargs.iter().rev().find(|k| k.name == name)
    }

    /// The last dotted part of the callee (`run` for `app.run`).
    pub fn method(&self) -> &str {
        self.callee.rsplit('.').next().unwrap_or("")
    }
}

/// A setting written by an assignment or a keyword argument.
#[derive(Debug, Clone)]
pub struct SettingWrite {
    pub name: String,
    pub value: Value,
    /// The value's span (what a fix replaces).
    pub span: Range<usize>,
    pub stmt: Range<usize>,
    /// Written inside a conditional or loop: the setting may or may not take this value.
    pub maybe: bool,
}

#[derive(Debug, Clone)]
pub struct ConfigClass {
    pub name: String,
    pub bases: Vec<String>,
    pub span: Range<usize>,
    /// The indentation of the class's body statements and the end of its last one.
    pub indent: String,
    pub body_end: usize,
    pub writes: Vec<SettingWrite>,
    /// A file loaded with `app.config.from_pyfile(...)`, read as a class of its own.
    pub from_pyfile: bool,
}

impl ConfigClass {
    pub fn production(&self) -> bool {
        !name_is_development(&self.name)
    }

    /// Whether the class is a namespace of key names rather than configuration: most of its
    /// attributes hold their own name as a string (privacyIDEA's `ConfigKey`:
    /// `SECRET_KEY = "SECRET_KEY"`, `SESSION_COOKIE_SECURE = "PI_SESSION_COOKIE_SECURE"`).
    pub fn names_keys(&self) -> bool {
        let own_name = |write: &SettingWrite| {
            write.value.as_str().is_some_and(|value| {
                value == write.name || value.ends_with(&format!("_{}", write.name))
            })
        };
        let named = self.writes.iter().filter(|w| own_name(w)).count();
        named > 0 && named * 2 >= self.writes.len()
    }
}

/// Words in a class name that say it is for production.
const PRODUCTION_WORDS: &[&str] = &["prod", "production", "live", "deploy", "deployment"];

/// Whether a class is for production, judged by its own name and, when that says nothing
/// either way, its project bases' names: `class AltUIConfig(TestingConfig)` is test
/// configuration (privacyIDEA), `class ProductionConfig(DevelopmentConfig)` is production.
fn production_by_lineage(class: &ConfigClass, all: &[(&AppModule, &ConfigClass)]) -> bool {
    if !class.production() {
        return false;
    }
    if scope_words(&class.name)
        .iter()
        .any(|w| PRODUCTION_WORDS.contains(&w.as_str()))
    {
        return true;
    }
    let mut pending: Vec<(&str, usize)> = class.bases.iter().map(|b| (b.as_str(), 0)).collect();
    while let Some((name, depth)) = pending.pop() {
        let Some((_, base)) = all.iter().find(|(_, c)| c.name == name) else {
            continue;
        };
        if !base.production() {
            return false;
        }
        if depth < 16 {
            pending.extend(base.bases.iter().map(|b| (b.as_str(), depth + 1)));
        }
    }
    true
}

/// Whether a class or module name says development, testing or local.
pub fn name_is_development(name: &str) -> bool {
    scope_words(name).iter().any(|w| {
        NOT_PRODUCTION.contains(&w.as_str())
            || w.starts_with("develop")
            || w.starts_with("testing")
            || w == "tests"
    })
}

/// A CamelCase or snake_case name split into lower-case words.
fn scope_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    for c in name.chars() {
        if c == '_' || c.is_uppercase() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if c == '_' {
                continue;
            }
        }
        word.extend(c.to_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// One Python module as the Flask and FastAPI checks see it.
#[derive(Debug, Default)]
pub struct AppModule {
    pub path: String,
    pub calls: Vec<Call>,
    pub classes: Vec<ConfigClass>,
    /// `app.config[...] = `, `app.config.update(K=v)`, `from_mapping(K=v)`, `app.secret_key =`.
    pub writes: Vec<SettingWrite>,
    pub imports_os: bool,
    pub imports_end: Option<usize>,
    /// End of the module docstring, if any (a new first import goes after it).
    pub docstring_end: Option<usize>,
    /// Module-level upper-case `NAME = value` statements (what `from_pyfile` would load), and
    /// the end of the module's last statement.
    pub top_level: Vec<SettingWrite>,
    pub body_end: usize,
    /// Classes of the module that derive from `Flask`.
    pub flask_subclasses: Vec<String>,
}

impl AppModule {
    pub fn parse(path: &str, src: &str) -> Self {
        let mut parser = Parser::new();
        if parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .is_err()
        {
            return Self::empty(path);
        }
        match parser.parse(src, None) {
            Some(tree) => Self::read(path, src, &tree),
            None => Self::empty(path),
        }
    }

    fn empty(path: &str) -> Self {
        AppModule {
            path: path.to_string(),
            ..Default::default()
        }
    }

    /// The module from a tree already parsed from `src`.
    pub fn read(path: &str, src: &str, tree: &tree_sitter::Tree) -> Self {
        let mut module = Self::empty(path);
        let root = tree.root_node();
        module.docstring_end = root
            .named_child(0)
            .filter(|c| {
                c.kind() == "expression_statement"
                    && c.named_child(0).is_some_and(|s| s.kind() == "string")
            })
            .map(|c| c.end_byte());
        let mut cursor = root.walk();
        for child in root.named_children(&mut cursor) {
            if matches!(child.kind(), "import_statement" | "import_from_statement") {
                module.imports_end = Some(child.end_byte());
                let text = src.get(child.byte_range()).unwrap_or("");
                if child.kind() == "import_statement"
                    && text
                        .trim_start_matches("import")
                        .split(',')
                        .any(|p| p.trim() == "os" || p.trim().starts_with("os."))
                {
                    module.imports_os = true;
                }
            }
        }
        let reader = walk(src, root, &mut module);
        body_writes(&reader, root, false, 0, &mut module.top_level);
        module.top_level.retain(|w| {
            w.name
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
        });
        let mut cursor = root.walk();
        module.body_end = root
            .named_children(&mut cursor)
            .filter(|c| c.kind() != "comment")
            .last()
            .map_or(0, |c| c.end_byte());
        module
    }

    /// This module read as the config `app.config.from_pyfile(...)` loads: a class named
    /// after the file whose body is the module.
    fn as_pyfile_config(&self) -> ConfigClass {
        let name = self.path.rsplit('/').next().unwrap_or(&self.path);
        let stem = name.split('.').next().unwrap_or(name);
        ConfigClass {
            name: stem.to_string(),
            bases: Vec::new(),
            span: 0..0,
            indent: String::new(),
            body_end: self.body_end,
            writes: self.top_level.clone(),
            from_pyfile: true,
        }
    }

    pub fn is_flask(&self) -> bool {
        self.calls.iter().any(|c| self.creates_flask(&c.callee))
    }

    /// Whether calling `callee` creates a Flask application: `Flask`, or a subclass of it
    /// the module defines (fittrackee's `class CustomFlask(Flask)`).
    fn creates_flask(&self, callee: &str) -> bool {
        callee == "Flask" || self.flask_subclasses.iter().any(|c| c == callee)
    }

    pub fn is_fastapi(&self) -> bool {
        self.calls.iter().any(|c| c.callee == "FastAPI")
    }

    /// A configuration load whose source is computed at run time: `app.config.from_pyfile(path)`,
    /// `from_object(config)` or `from_file(path, ...)` with a variable (FlaskBB loads the file
    /// `flaskbb makeconfig` wrote for the deployment). What it sets cannot be read.
    pub fn unseen_config_load(&self) -> Option<&Call> {
        self.calls.iter().find(|c| {
            [
                "config.from_pyfile",
                "config.from_object",
                "config.from_file",
            ]
            .iter()
            .any(|m| c.callee.ends_with(m))
                && c.args.first().is_some_and(|a| a.as_str().is_none())
        })
    }

    /// A configuration file the application loads from a place named at run time
    /// (`app.config.from_pyfile(config_file)`, `from_envvar("APP_SETTINGS")`): the deployment's
    /// own file, which may set whatever the project's classes leave unset.
    pub fn runtime_config_file(&self) -> Option<&Call> {
        self.calls.iter().find(|c| {
            c.callee.ends_with("config.from_envvar")
                || (["config.from_pyfile", "config.from_file"]
                    .iter()
                    .any(|m| c.callee.ends_with(m))
                    && c.args.first().is_some_and(|a| a.as_str().is_none()))
        })
    }

    /// The `app = Flask(...)` statement.
    pub fn flask_app(&self) -> Option<&Call> {
        self.calls
            .iter()
            .find(|c| self.creates_flask(&c.callee) && c.target.is_some())
    }
}

fn text<'s>(src: &'s str, node: Node<'_>) -> &'s str {
    src.get(node.byte_range()).unwrap_or("")
}

/// Expressions taller than this (in tree levels) are not evaluated: their value is unknown.
/// CPython itself refuses more than 200 nested parentheses; a tree level is less than one
/// Python nesting level, so real code stays far below this, and the evaluator's recursion
/// stays bounded on hostile input.
const MAX_EVAL_HEIGHT: usize = 256;

/// Nesting of statement blocks read in a class body or module. CPython refuses more than 100
/// levels of indentation, so nothing deeper is Python.
const MAX_BLOCK_DEPTH: usize = 100;

/// Positional argument texts longer than this are not kept (they are only compared with short
/// names such as `CORSMiddleware`; keeping every nested call's text would be quadratic).
const MAX_ARG_TEXT: usize = 256;

/// Node kinds whose children are statements.
const STATEMENT_PARENTS: &[&str] = &["block", "module", "class_definition", "function_definition"];

/// Node kinds whose body runs only under a condition or in a loop (a `with` block runs
/// unconditionally).
const CONDITIONAL_KINDS: &[&str] = &[
    "if_statement",
    "elif_clause",
    "else_clause",
    "try_statement",
    "except_clause",
    "finally_clause",
    "for_statement",
    "while_statement",
    "match_statement",
    "conditional_expression",
];

/// What the walk knows about a node from its ancestors. Computed top-down, so the reader never
/// asks tree-sitter for a parent: `Node::parent` searches from the root, and calling it in
/// loops made a 28 KB module with one long broken line take minutes.
#[derive(Clone, Copy)]
struct Context<'t> {
    /// The statement holding the node (the node itself when it is a statement).
    stmt: Node<'t>,
    /// The statement is directly in a class body.
    stmt_in_class_body: bool,
    /// The node runs only under a condition or in a loop within its function or class.
    conditional: bool,
    /// The node is inside `if __name__ == "__main__":`.
    main_guard: bool,
    /// The node is a class body block.
    class_block: bool,
    /// The outermost function definition the node is in.
    function: Option<Node<'t>>,
    /// The start of the nearest `if` statement whose branch the node is in.
    if_stmt: Option<usize>,
}

/// An interesting node found by the walk, with its parent and context.
struct Found<'t> {
    node: Node<'t>,
    parent: Option<Node<'t>>,
    ctx: Context<'t>,
}

/// The context of `child`, from its parent and the parent's context.
fn child_context<'t>(
    src: &str,
    parent: Node<'t>,
    ctx: &Context<'t>,
    child: Node<'t>,
) -> Context<'t> {
    let kind = parent.kind();
    let new_stmt = STATEMENT_PARENTS.contains(&kind);
    Context {
        stmt: if new_stmt { child } else { ctx.stmt },
        stmt_in_class_body: if new_stmt {
            ctx.class_block
        } else {
            ctx.stmt_in_class_body
        },
        conditional: match kind {
            "function_definition" | "class_definition" | "module" => false,
            k if CONDITIONAL_KINDS.contains(&k) => true,
            _ => ctx.conditional,
        },
        main_guard: ctx.main_guard
            || (kind == "if_statement"
                && child.kind() == "block"
                && parent
                    .child_by_field_name("condition")
                    .is_some_and(|c| is_main_check(text(src, c)))),
        class_block: child.kind() == "block" && kind == "class_definition",
        function: ctx
            .function
            .or((kind == "function_definition").then_some(parent)),
        if_stmt: match kind {
            "if_statement" if child.kind() != "comparison_operator" => Some(parent.start_byte()),
            "function_definition" | "class_definition" => None,
            _ => ctx.if_stmt,
        },
    }
}

/// Whether a condition is `__name__ == "__main__"` (either way round, either quotes).
fn is_main_check(condition: &str) -> bool {
    let compact: String = condition
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '\'' { '"' } else { c })
        .collect();
    compact == "__name__==\"__main__\"" || compact == "\"__main__\"==__name__"
}

/// The ids of nodes whose subtree is taller than `limit`, found in one post-order pass with
/// an explicit stack.
pub(crate) fn tall_nodes(root: Node<'_>, limit: usize) -> HashSet<usize> {
    let mut tall = HashSet::new();
    let mut cursor = root.walk();
    // The tallest finished child of each node on the current path.
    let mut tallest = vec![0usize];
    loop {
        if cursor.goto_first_child() {
            tallest.push(0);
            continue;
        }
        loop {
            let height = tallest.pop().unwrap_or(0) + 1;
            if height > limit {
                tall.insert(cursor.node().id());
            }
            if let Some(parent) = tallest.last_mut() {
                *parent = (*parent).max(height);
            }
            if cursor.goto_next_sibling() {
                tallest.push(0);
                break;
            }
            if !cursor.goto_parent() {
                return tall;
            }
        }
    }
}

/// Walk the whole tree once, top-down with an explicit stack (no recursion: nesting depth is
/// the input's to choose), then read the calls, assignments and classes it found.
fn walk<'s>(src: &'s str, root: Node<'_>, module: &mut AppModule) -> Reader<'s> {
    let mut found = Vec::new();
    let mut max_depth = 0;
    let root_ctx = Context {
        stmt: root,
        stmt_in_class_body: false,
        conditional: false,
        main_guard: false,
        class_block: false,
        function: None,
        if_stmt: None,
    };
    let mut stack = vec![(root, None, root_ctx, 0usize)];
    while let Some((node, parent, ctx, depth)) = stack.pop() {
        max_depth = max_depth.max(depth);
        if matches!(node.kind(), "call" | "assignment" | "class_definition") {
            found.push(Found { node, parent, ctx });
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node.named_children(&mut cursor).collect();
        // Reversed, so the stack pops children in source order.
        for child in children.into_iter().rev() {
            let child_ctx = child_context(src, node, &ctx, child);
            stack.push((child, Some(node), child_ctx, depth + 1));
        }
    }
    let reader = Reader {
        src,
        tall: if max_depth > MAX_EVAL_HEIGHT {
            tall_nodes(root, MAX_EVAL_HEIGHT)
        } else {
            HashSet::new()
        },
    };
    for f in found {
        match f.node.kind() {
            "call" => reader.call(f.node, f.parent, &f.ctx, module),
            "assignment" => reader.assignment(f.node, &f.ctx, module),
            _ => class(&reader, f.node, module),
        }
    }
    guard_main_functions(&mut module.calls);
    reader
}

/// A call inside a function the module calls only under `if __name__ == "__main__":` runs
/// only there too: `def main(): app.run(debug=True)` then `if __name__ == "__main__": main()`
/// (I Hate Money's run.py) is a runner script's call.
fn guard_main_functions(calls: &mut [Call]) {
    let guarded: Vec<String> = calls
        .iter()
        .filter_map(|c| c.function.clone())
        .filter(|name| {
            let mut callers = calls.iter().filter(|c| &c.callee == name).peekable();
            callers.peek().is_some() && callers.all(|c| c.main_guard)
        })
        .collect();
    for call in calls.iter_mut() {
        if call
            .function
            .as_ref()
            .is_some_and(|name| guarded.contains(name))
        {
            call.main_guard = true;
        }
    }
}

/// Evaluates expressions, refusing those too tall to evaluate safely.
struct Reader<'s> {
    src: &'s str,
    tall: HashSet<usize>,
}

impl Reader<'_> {
    fn eval(&self, node: Node<'_>) -> Value {
        if self.tall.contains(&node.id()) {
            return Value::new(ValueKind::Unknown, node.byte_range());
        }
        eval_expression(self.src, node)
    }

    fn call(
        &self,
        node: Node<'_>,
        parent: Option<Node<'_>>,
        ctx: &Context<'_>,
        module: &mut AppModule,
    ) {
        let src = self.src;
        let (Some(function), Some(arguments)) = (
            node.child_by_field_name("function"),
            node.child_by_field_name("arguments"),
        ) else {
            return;
        };
        if !matches!(function.kind(), "identifier" | "attribute") {
            return;
        }
        let callee: String = text(src, function)
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut args = Vec::new();
        let mut arg_texts = Vec::new();
        let mut kwargs = Vec::new();
        let mut cursor = arguments.walk();
        for arg in arguments.named_children(&mut cursor) {
            if arg.kind() == "keyword_argument" {
                let (Some(name), Some(value)) = (
                    arg.child_by_field_name("name"),
                    arg.child_by_field_name("value"),
                ) else {
                    continue;
                };
                kwargs.push(Kwarg {
                    name: text(src, name).to_string(),
                    value: self.eval(value),
                    span: value.byte_range(),
                });
            } else if arg.kind() != "comment" {
                args.push(self.eval(arg));
                let arg_text = text(src, arg);
                arg_texts.push(if arg_text.len() <= MAX_ARG_TEXT {
                    arg_text.to_string()
                } else {
                    String::new()
                });
            }
        }
        let stmt = ctx.stmt;
        let target = parent
            .filter(|p| p.kind() == "assignment")
            .and_then(|p| p.child_by_field_name("left"))
            .filter(|l| l.kind() == "identifier")
            .map(|l| text(src, l).to_string());
        // `app.config.update(K=v)` and `app.config.from_mapping(K=v)` write settings.
        if callee.ends_with("config.update") || callee.ends_with("config.from_mapping") {
            for k in &kwargs {
                module.writes.push(SettingWrite {
                    name: k.name.clone(),
                    value: k.value.clone(),
                    span: k.span.clone(),
                    stmt: stmt.byte_range(),
                    maybe: ctx.conditional,
                });
            }
        }
        module.calls.push(Call {
            indent: indent_at(src, stmt.start_byte()),
            callee,
            span: node.byte_range(),
            args,
            arg_texts,
            kwargs,
            stmt: stmt.byte_range(),
            target,
            main_guard: ctx.main_guard,
            function: ctx
                .function
                .and_then(|f| f.child_by_field_name("name"))
                .map(|name| text(src, name).to_string()),
            if_stmt: ctx.if_stmt,
        });
    }

    fn assignment(&self, node: Node<'_>, ctx: &Context<'_>, module: &mut AppModule) {
        let src = self.src;
        let (Some(left), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("right"),
        ) else {
            return;
        };
        // Class-body assignments are read by `class`.
        if ctx.stmt_in_class_body {
            return;
        }
        let name = match left.kind() {
            "subscript" => {
                let value = left.child_by_field_name("value");
                let key = left.child_by_field_name("subscript");
                match (value, key) {
                    (Some(v), Some(k)) if text(src, v).ends_with(".config") => {
                        match self.eval(k).as_str() {
                            Some(s) => s.to_string(),
                            None => return,
                        }
                    }
                    _ => return,
                }
            }
            "attribute" => {
                let attr = left
                    .child_by_field_name("attribute")
                    .map(|a| text(src, a))
                    .unwrap_or("");
                match attr {
                    "secret_key" => "SECRET_KEY".to_string(),
                    "debug" => "DEBUG".to_string(),
                    _ => return,
                }
            }
            _ => return,
        };
        module.writes.push(SettingWrite {
            name,
            value: self.eval(right),
            span: right.byte_range(),
            stmt: ctx.stmt.byte_range(),
            maybe: ctx.conditional,
        });
    }
}

/// The indentation of the line holding byte `at`.
fn indent_at(src: &str, at: usize) -> String {
    let line_start = src
        .get(..at)
        .and_then(|s| s.rfind('\n'))
        .map_or(0, |i| i + 1);
    src.get(line_start..at)
        .unwrap_or("")
        .chars()
        .take_while(|c| *c == ' ' || *c == '\t')
        .collect()
}

fn class(reader: &Reader<'_>, node: Node<'_>, module: &mut AppModule) {
    let src = reader.src;
    let Some(name) = node.child_by_field_name("name").map(|n| text(src, n)) else {
        return;
    };
    let mut bases = Vec::new();
    if let Some(superclasses) = node.child_by_field_name("superclasses") {
        let mut cursor = superclasses.walk();
        for base in superclasses.named_children(&mut cursor) {
            // `metaclass=...` and other class keywords are not bases.
            if base.kind() == "keyword_argument" {
                continue;
            }
            let t = text(src, base);
            bases.push(t.rsplit('.').next().unwrap_or(t).to_string());
        }
    }
    if bases.iter().any(|b| b == "Flask") {
        module.flask_subclasses.push(name.to_string());
    }
    let Some(body) = node.child_by_field_name("body") else {
        return;
    };
    let mut writes = Vec::new();
    body_writes(reader, body, false, 0, &mut writes);
    // Only classes that could be configuration are kept: named so, or holding upper-case
    // settings. Which of them really are Flask configuration is decided once every module
    // is read (see `is_flask_config`).
    let named = name.contains("Config") || name.contains("Settings");
    if !named && !writes.iter().any(|w| is_setting_name(&w.name)) {
        return;
    }
    module.classes.push(ConfigClass {
        name: name.to_string(),
        bases,
        span: node
            .child_by_field_name("name")
            .map_or(node.byte_range(), |n| n.byte_range()),
        indent: indent_at(src, body.start_byte()),
        body_end: body.end_byte(),
        writes,
        from_pyfile: false,
    });
}

/// Whether a name is written as a setting: upper-case letters, digits and underscores.
fn is_setting_name(name: &str) -> bool {
    name.chars().any(|c| c.is_ascii_uppercase())
        && name
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The `NAME = value` statements of a class body or module, descending into conditional
/// blocks (whose writes are maybe) but not into nested functions or classes, nor deeper than
/// Python itself allows.
fn body_writes(
    reader: &Reader<'_>,
    block: Node<'_>,
    maybe: bool,
    depth: usize,
    writes: &mut Vec<SettingWrite>,
) {
    if depth > MAX_BLOCK_DEPTH {
        return;
    }
    let src = reader.src;
    let mut cursor = block.walk();
    for stmt in block.named_children(&mut cursor) {
        match stmt.kind() {
            "expression_statement" => {
                let Some(assign) = stmt.named_child(0).filter(|a| a.kind() == "assignment") else {
                    continue;
                };
                let (Some(left), Some(right)) = (
                    assign.child_by_field_name("left"),
                    assign.child_by_field_name("right"),
                ) else {
                    continue;
                };
                if left.kind() != "identifier" {
                    continue;
                }
                writes.push(SettingWrite {
                    name: text(src, left).to_string(),
                    value: reader.eval(right),
                    span: right.byte_range(),
                    stmt: stmt.byte_range(),
                    maybe,
                });
            }
            "block" => body_writes(reader, stmt, maybe, depth + 1, writes),
            "if_statement" | "elif_clause" | "else_clause" | "try_statement" | "except_clause"
            | "finally_clause" | "for_statement" | "while_statement" | "with_statement" => {
                let nested = maybe || stmt.kind() != "with_statement";
                let mut inner = stmt.walk();
                for child in stmt.named_children(&mut inner) {
                    if matches!(
                        child.kind(),
                        "block"
                            | "elif_clause"
                            | "else_clause"
                            | "except_clause"
                            | "finally_clause"
                    ) {
                        body_writes(reader, child, nested, depth + 1, writes);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Folders whose Python files are not the project's application: tests, examples, docs and
/// tutorials (issue 9), and the package of a web framework itself (the Flask or FastAPI
/// repository creates `Flask(...)` objects in its own source), and virtual environments.
const NOT_APP_DIRS: &[&str] = &[
    "tests",
    "test",
    "testing",
    "examples",
    "example",
    "docs",
    "doc",
    "docs_src",
    "tutorial",
    "tutorials",
    "samples",
    "flask",
    "fastapi",
    "starlette",
    "quart",
    "werkzeug",
    "site-packages",
    ".venv",
    "venv",
];

/// Whether a Python file is, by its path, not part of a deployed application: a test module
/// (`conftest.py`, `test_*.py`, `*_test.py`) or a file under one of [`NOT_APP_DIRS`].
pub fn not_app_path(path: &str) -> bool {
    let mut parts = path.split('/');
    let name = parts.next_back().unwrap_or(path);
    let stem = name.strip_suffix(".py").unwrap_or(name);
    stem == "conftest"
        || stem == "tests"
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || parts.any(|dir| NOT_APP_DIRS.contains(&dir))
}

/// Commands that serve a WSGI/ASGI application in production.
const SERVERS: &[&str] = &[
    "gunicorn",
    "uvicorn",
    "hypercorn",
    "waitress-serve",
    "uwsgi",
    "daphne",
    "granian",
    "mod_wsgi",
];

/// Path parts that mark a deploy file as a development one (`.devcontainer/`,
/// `docker-compose.dev.yml`, `compose/local/`).
const DEV_DEPLOY_PARTS: &[&str] = &["dev", "devcontainer", "local", "test", "tests", "ci"];

/// The files that say how the project is deployed, with their text: Dockerfiles, compose
/// files, platform files (Procfile, fly.toml, render.yaml, app.yaml) and gunicorn's own
/// config file, minus those named for development.
fn deploy_texts(project: &Project) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for file in &project.files {
        let name = file.name();
        let deploy = file.kind == FileKind::Dockerfile
            || ((name.starts_with("docker-compose") || name.starts_with("compose"))
                && (name.ends_with(".yml") || name.ends_with(".yaml")))
            || matches!(name, "fly.toml" | "render.yaml" | "app.yaml")
            || name.starts_with("gunicorn");
        let development = file
            .path
            .split(['/', '.', '-', '_'])
            .any(|part| DEV_DEPLOY_PARTS.contains(&part.to_ascii_lowercase().as_str()));
        if !deploy || development {
            continue;
        }
        if let Ok(text) = file.text() {
            // gunicorn.conf.py names the server by being there.
            let content = if name.starts_with("gunicorn") && name.ends_with(".py") {
                format!("gunicorn\n{}", text.content)
            } else {
                text.content.to_string()
            };
            out.push((file.path.clone(), content));
        }
    }
    // The Procfile is not a kind of its own; read it beside the walk.
    if let Ok(text) = std::fs::read_to_string(project.root.join("Procfile")) {
        out.push(("Procfile".to_string(), text));
    }
    out
}

/// The deploy file that serves the application with a production server (gunicorn,
/// uvicorn, ...), if any: then `app.run(...)` under `if __name__ == "__main__":` is how a
/// developer starts it, not how it ships (issue 9).
pub fn served_by_server(project: &Project) -> Option<String> {
    deploy_texts(project)
        .into_iter()
        .find(|(_, text)| {
            SERVERS.iter().any(|server| {
                text.match_indices(server).any(|(at, _)| {
                    // A word of its own: not `my_gunicorn_helper`.
                    let before = text[..at].chars().next_back();
                    before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                })
            })
        })
        .map(|(path, _)| path)
        .or_else(|| wsgi_entry(project))
}

/// A `wsgi.py` or `asgi.py` of the application that defines `application`: the object WSGI
/// and ASGI servers load (PEP 3333's name), so the project is meant to be served by one (I Hate
/// Money ships `ihatemoney/wsgi.py`; its Dockerfile and gunicorn template are not in the sdist).
fn wsgi_entry(project: &Project) -> Option<String> {
    project
        .files_of(FileKind::Python)
        .filter(|f| matches!(f.name(), "wsgi.py" | "asgi.py") && !not_app_path(&f.path))
        .find(|f| {
            f.text().is_ok_and(|t| {
                t.content.lines().any(|line| {
                    line.starts_with("application =") || line.starts_with("application=")
                })
            })
        })
        .map(|f| f.path.clone())
}

/// Whether the project's packaging names `function` of `module` as a console script
/// (`ihatemoney = "ihatemoney.run:main"`): then the function is how the application is
/// started, not a developer's runner.
fn console_script(project: &Project, module: &str, function: &str) -> bool {
    let stem = module
        .rsplit('/')
        .next()
        .unwrap_or(module)
        .trim_end_matches(".py");
    let target = format!("{stem}:{function}");
    ["pyproject.toml", "setup.cfg", "setup.py"]
        .iter()
        .filter_map(|name| project.file(name))
        .filter_map(|f| f.text().ok())
        .any(|t| {
            t.content.match_indices(&target).any(|(at, _)| {
                let before = t.content[..at].chars().next_back();
                let after = t.content[at + target.len()..].chars().next();
                before.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
                    && after.is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
            })
        })
}

/// Whether a deploy file runs `module` as a script (`python run.py`, `python -m app.run`):
/// then its `__main__` block is the production path after all.
pub fn deploy_runs_script(project: &Project, module: &str) -> bool {
    let name = module.rsplit('/').next().unwrap_or(module);
    let dotted = module.trim_end_matches(".py").replace('/', ".");
    deploy_texts(project).iter().any(|(_, text)| {
        text.lines().any(|line| {
            line.contains("python")
                && (line.contains(name)
                    || line.contains(&format!("-m {dotted}"))
                    || line.contains(&format!("\"-m\", \"{dotted}\"")))
        })
    })
}

/// Whether a call in `module` runs only when a developer starts the module by hand: it is
/// under `if __name__ == "__main__":`, the deployment serves the application with a
/// production server, and no deploy file runs the module as a script. Returns the deploy
/// file that shows it.
pub fn development_runner(project: &Project, module: &AppModule, call: &Call) -> Option<String> {
    if !call.main_guard || deploy_runs_script(project, &module.path) {
        return None;
    }
    if let Some(function) = &call.function
        && console_script(project, &module.path, function)
    {
        return None;
    }
    served_by_server(project)
}

/// Whether a module imports Flask's `session` (`from flask import Flask, session`, also in a
/// parenthesized import spanning lines).
pub fn imports_flask_session(content: &str) -> bool {
    content.match_indices("from flask import").any(|(at, m)| {
        let rest = &content[at + m.len()..];
        let names = match rest.trim_start().strip_prefix('(') {
            Some(inner) => inner.split(')').next().unwrap_or(""),
            None => rest.lines().next().unwrap_or(""),
        };
        names
            .split([',', ' ', '\n', '\t', '\\'])
            .any(|name| name.trim() == "session")
    })
}

/// Text that shows a Flask application keeps a session cookie: logins (Flask-Login,
/// Flask-Security, Flask-Principal), server-side sessions, Flask-WTF's CSRF token (kept in the
/// session), OAuth clients that keep their state there (Authlib's Flask client, Flask-Dance).
const SESSION_MARKERS: &[&str] = &[
    "flask_login",
    "LoginManager",
    "flask_security",
    "flask_session",
    "flask_principal",
    "flask.session",
    "flask_wtf",
    "FlaskForm",
    "CSRFProtect",
    "flask_client",
    "flask_dance",
    "flask_oauthlib",
    "flask_openid",
];

/// Whether the project's Flask application sets a session cookie at all: some Python file
/// imports Flask's `session` or uses an extension that keeps one. Flask sets the cookie only
/// when the session is written; an API that authenticates with tokens (fittrackee's JWT
/// cookies, privacyIDEA's auth tokens) never sends it, and its `SESSION_COOKIE_*` settings
/// do nothing.
pub fn uses_session_cookie(project: &Project) -> bool {
    project.files_of(FileKind::Python).any(|f| {
        f.text().is_ok_and(|t| {
            SESSION_MARKERS.iter().any(|m| t.content.contains(m))
                || imports_flask_session(&t.content)
        })
    })
}

/// Every Flask or FastAPI related module of the project. Nothing is parsed unless some Python
/// file creates a Flask or FastAPI application or calls `uvicorn.run`, so the many checks that
/// call this cost a byte scan on projects without them.
pub fn modules(project: &Project) -> Vec<AppModule> {
    let texts: Vec<(&SourceFile, &str)> = project
        .files_of(FileKind::Python)
        .filter(|file| !not_app_path(&file.path) && !project.text_dropped(file))
        .filter_map(|file| Some((file, &*file.text().ok()?.content)))
        .filter(|(_, content)| MARKERS.iter().any(|m| content.contains(m)))
        .collect();
    let apps = texts
        .iter()
        .any(|(_, c)| APP_MARKERS.iter().any(|m| c.contains(m)));
    if !apps {
        return Vec::new();
    }
    let mut modules: Vec<AppModule> = texts
        .into_iter()
        .map(|(file, content)| match file.parsed() {
            // The settings reader's parse of the same text, when the file is one of its
            // candidates too (an app module usually is).
            Parsed::Python(PythonFile {
                tree: Some(tree), ..
            }) => AppModule::read(&file.path, content, tree),
            _ => AppModule::parse(&file.path, content),
        })
        .collect();
    let mut loaded = Vec::new();
    for module in &modules {
        for call in module
            .calls
            .iter()
            .filter(|c| c.callee.ends_with("config.from_pyfile"))
        {
            if let Some(name) = call.args.first().and_then(Value::as_str)
                && let Some(file) = pyfile(project, &module.path, name)
                && !loaded.iter().any(|f: &&SourceFile| f.path == file.path)
            {
                loaded.push(file);
            }
        }
    }
    for file in loaded {
        let index = match modules.iter().position(|m| m.path == file.path) {
            Some(i) => i,
            None => {
                let Ok(text) = file.text() else {
                    continue;
                };
                modules.push(AppModule::parse(&file.path, &text.content));
                modules.len() - 1
            }
        };
        if let Some(module) = modules.get_mut(index) {
            let config = module.as_pyfile_config();
            module.classes.push(config);
        }
    }
    modules
}

/// The project file `from_pyfile(name)` in `module` loads: relative to the application's
/// folder, or in an `instance/` folder beside it or at the root.
fn pyfile<'p>(project: &'p Project, module: &str, name: &str) -> Option<&'p SourceFile> {
    let dir = module.rsplit_once('/').map_or("", |(d, _)| d);
    let parent = dir.rsplit_once('/').map_or("", |(d, _)| d);
    let join = |base: &str, rest: &str| {
        if base.is_empty() {
            rest.to_string()
        } else {
            format!("{base}/{rest}")
        }
    };
    let candidates = [
        join(dir, name),
        join(&join(parent, "instance"), name),
        join(&join(dir, "instance"), name),
        join("instance", name),
    ];
    candidates
        .iter()
        .filter_map(|c| normalize(c))
        .find_map(|c| project.file(&c))
}

/// `a/./b/../c` as `a/c`; `None` when it climbs out of the root.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// A production config class with its settings after inheritance.
#[derive(Debug)]
pub struct ResolvedClass<'a> {
    pub module: &'a AppModule,
    pub class: &'a ConfigClass,
    /// Each setting's last write and the class (module path, class) it comes from.
    pub settings: BTreeMap<String, (&'a SettingWrite, &'a AppModule, &'a ConfigClass)>,
}

/// The leaf production config classes of a project that uses Flask.
pub fn production_classes(modules: &[AppModule]) -> Vec<ResolvedClass<'_>> {
    let every: Vec<(&AppModule, &ConfigClass)> = modules
        .iter()
        .flat_map(|m| m.classes.iter().map(move |c| (m, c)))
        .collect();
    let loaded = loaded_classes(modules, &every);
    let all: Vec<(&AppModule, &ConfigClass)> = every
        .iter()
        .copied()
        .filter(|(_, c)| is_flask_config(c, &every, loaded.as_deref()))
        .collect();
    let is_base = |name: &str| all.iter().any(|(_, c)| c.bases.iter().any(|b| b == name));
    let mut out = Vec::new();
    for (module, class) in &all {
        let judged = match &loaded {
            Some(names) => names.contains(&class.name),
            None => !is_base(&class.name),
        };
        if !production_by_lineage(class, &all) || !judged {
            continue;
        }
        let mut settings = BTreeMap::new();
        resolve(&all, module, class, &mut settings, 0);
        out.push(ResolvedClass {
            module,
            class,
            settings,
        });
    }
    out
}

/// Bases that make a class something other than Flask configuration, whatever its name or
/// attributes: Django app configs and django-configurations classes, forms, database models,
/// pydantic models and settings, enums, tests, views.
const NOT_CONFIG_BASES: &[&str] = &[
    "AppConfig",
    "Configuration",
    "Model",
    "FlaskForm",
    "Form",
    "BaseForm",
    "ModelForm",
    "BaseSettings",
    "BaseModel",
    "Enum",
    "IntEnum",
    "StrEnum",
    "Flag",
    "TestCase",
    "Schema",
    "Resource",
    "MethodView",
    "View",
    "DeclarativeBase",
    "NamedTuple",
    "TypedDict",
    "Exception",
];

/// Flask's own configuration keys and the key prefixes of its common extensions: a class
/// that sets one of them is configuration.
const FLASK_KEYS: &[&str] = &[
    "DEBUG",
    "TESTING",
    "SECRET_KEY",
    "SECRET_KEY_FALLBACKS",
    "PERMANENT_SESSION_LIFETIME",
    "MAX_CONTENT_LENGTH",
    "MAX_FORM_MEMORY_SIZE",
    "SERVER_NAME",
    "APPLICATION_ROOT",
    "PREFERRED_URL_SCHEME",
    "PROPAGATE_EXCEPTIONS",
    "TEMPLATES_AUTO_RELOAD",
    "EXPLAIN_TEMPLATE_LOADING",
    "USE_X_SENDFILE",
    "TRUSTED_HOSTS",
    "ENV",
    "JSON_AS_ASCII",
    "JSON_SORT_KEYS",
];
const FLASK_KEY_PREFIXES: &[&str] = &[
    "SESSION_",
    "REMEMBER_COOKIE_",
    "SQLALCHEMY_",
    "WTF_",
    "JWT_",
    "MAIL_",
    "CACHE_",
    "CELERY_",
    "RATELIMIT_",
    "SECURITY_",
    "BABEL_",
    "TRAP_",
    "SEND_FILE_",
    "DEBUG_TB_",
];

/// Whether a setting name is one Flask or a common extension reads.
pub fn is_flask_key(name: &str) -> bool {
    FLASK_KEYS.contains(&name) || FLASK_KEY_PREFIXES.iter().any(|p| name.starts_with(p))
}

/// Whether `class` is Flask configuration: a class `from_object` loads, or one that (itself or
/// through its project bases) sets a Flask configuration key and does not derive from
/// something that is not configuration (issue 9: a Django `AppConfig`, a WTForms form or a
/// database model with upper-case attributes is not a Flask config).
fn is_flask_config(
    class: &ConfigClass,
    all: &[(&AppModule, &ConfigClass)],
    loaded: Option<&[String]>,
) -> bool {
    if class.from_pyfile || loaded.is_some_and(|names| names.contains(&class.name)) {
        return true;
    }
    if class.names_keys() {
        return false;
    }
    let mut keys = false;
    let mut pending = vec![(class, 0usize)];
    while let Some((current, depth)) = pending.pop() {
        if current
            .bases
            .iter()
            .any(|b| NOT_CONFIG_BASES.contains(&b.as_str()))
        {
            return false;
        }
        keys |= current.writes.iter().any(|w| is_flask_key(&w.name));
        if depth < 16 {
            for base in &current.bases {
                if let Some((_, c)) = all.iter().find(|(_, c)| &c.name == base) {
                    pending.push((c, depth + 1));
                }
            }
        }
    }
    keys
}

/// The config classes `app.config.from_object(...)` loads, when every such call names a class
/// of the project (`"pkg.config.ProductionConfig"` or `ProductionConfig`); `None` when there
/// are no such calls or one loads something harden cannot name (a variable, an env lookup).
fn loaded_classes(
    modules: &[AppModule],
    all: &[(&AppModule, &ConfigClass)],
) -> Option<Vec<String>> {
    let mut names: Vec<String> = all
        .iter()
        .filter(|(_, c)| c.from_pyfile)
        .map(|(_, c)| c.name.clone())
        .collect();
    for call in modules
        .iter()
        .flat_map(|m| &m.calls)
        .filter(|c| c.callee.ends_with("config.from_object"))
    {
        let arg = call.args.first()?;
        let text = call.arg_texts.first()?;
        let name = match arg.as_str() {
            Some(path) => path.rsplit(['.', ':']).next()?.to_string(),
            None if text
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '.') =>
            {
                text.rsplit('.').next()?.to_string()
            }
            None => return None,
        };
        if !all.iter().any(|(_, c)| c.name == name) {
            return None;
        }
        names.push(name);
    }
    (!names.is_empty()).then_some(names)
}

type Settings<'a> = BTreeMap<String, (&'a SettingWrite, &'a AppModule, &'a ConfigClass)>;

fn resolve<'a>(
    all: &[(&'a AppModule, &'a ConfigClass)],
    module: &'a AppModule,
    class: &'a ConfigClass,
    settings: &mut Settings<'a>,
    depth: usize,
) {
    if depth > 16 {
        return;
    }
    // Python's MRO for simple hierarchies: later bases first, so earlier ones win.
    for base in class.bases.iter().rev() {
        if let Some((m, c)) = all.iter().find(|(_, c)| &c.name == base) {
            resolve(all, m, c, settings, depth + 1);
        }
    }
    for write in &class.writes {
        settings.insert(write.name.clone(), (write, module, class));
    }
}

/// Whether a value is a literal the module gets when the environment is unset.
pub fn unset_kind(value: &Value) -> Option<&ValueKind> {
    value.when_unset().map(|v| &v.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_factory_and_classes() {
        let src = "import os\nfrom flask import Flask\n\nclass Config:\n    DEBUG = False\n    SECRET_KEY = 'x'\n\nclass ProductionConfig(Config):\n    SESSION_COOKIE_SECURE = True\n\nclass DevelopmentConfig(Config):\n    DEBUG = True\n\ndef create_app():\n    app = Flask(__name__)\n    app.config['MAX_CONTENT_LENGTH'] = 10\n    app.config.update(SESSION_COOKIE_SAMESITE='Lax')\n    app.secret_key = 'abc'\n    app.run(debug=True)\n    return app\n";
        let m = AppModule::parse("app.py", src);
        assert!(m.is_flask());
        assert!(m.imports_os);
        assert_eq!(m.classes.len(), 3);
        let names: Vec<&str> = m.writes.iter().map(|w| w.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "MAX_CONTENT_LENGTH",
                "SESSION_COOKIE_SAMESITE",
                "SECRET_KEY"
            ]
        );
        let run = m.calls.iter().find(|c| c.callee == "app.run").unwrap();
        assert_eq!(
            run.kwarg("debug").unwrap().value.kind,
            ValueKind::Bool(true)
        );
        let modules = vec![m];
        let prod = production_classes(&modules);
        assert_eq!(prod.len(), 1);
        assert_eq!(prod[0].class.name, "ProductionConfig");
        assert!(prod[0].settings.contains_key("SECRET_KEY"));
    }

    #[test]
    fn from_object_selects_the_loaded_class() {
        let src = "from flask import Flask\n\nclass Config:\n    DEBUG = False\n\nclass ProductionConfig(Config):\n    pass\n\nclass StagingConfig(Config):\n    pass\n\napp = Flask(__name__)\napp.config.from_object(\"app.StagingConfig\")\n";
        let modules = vec![AppModule::parse("app.py", src)];
        let prod = production_classes(&modules);
        assert_eq!(prod.len(), 1);
        assert_eq!(prod[0].class.name, "StagingConfig");
        let src = src.replace("\"app.StagingConfig\"", "os.environ[\"CFG\"]");
        let modules = vec![AppModule::parse("app.py", &src)];
        assert_eq!(production_classes(&modules).len(), 2);
    }

    #[test]
    fn development_names() {
        assert!(name_is_development("DevelopmentConfig"));
        assert!(name_is_development("DevConfig"));
        assert!(name_is_development("TestingConfig"));
        assert!(name_is_development("LocalSettings"));
        assert!(!name_is_development("ProductionConfig"));
        assert!(!name_is_development("Config"));
        assert!(!name_is_development("DeviceConfig"));
    }

    /// The reader's own walk needs little stack whatever the input's nesting: run it on a
    /// thread with a small stack over shapes far deeper than Python allows.
    #[test]
    fn deep_nesting_needs_no_deep_stack() {
        let depth = 3000;
        let mut sources = vec![
            format!(
                "app.run(debug={}1{})\n",
                "(".repeat(depth),
                ")".repeat(depth)
            ),
            format!(
                "def f():\n    x = {}1{}\n",
                "f(".repeat(depth),
                ")".repeat(depth)
            ),
            format!(
                "def f():\n    x = {}1{}\n",
                "[".repeat(depth),
                "]".repeat(depth)
            ),
        ];
        let mut class = String::from("class Config:\n");
        for level in 1..=1000 {
            class.push_str(&" ".repeat(level));
            class.push_str("if X:\n");
        }
        class.push_str(&" ".repeat(1001));
        class.push_str("DEBUG = True\n");
        sources.push(class);
        for src in sources {
            let handle = std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || AppModule::parse("app.py", &src).calls.len())
                .unwrap();
            assert!(handle.join().is_ok());
        }
    }
}
