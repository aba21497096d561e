//! Python modules read with tree-sitter, never executed: the module-level statements a
//! settings or application module is made of, with each value evaluated as far as static
//! reading allows.
//!
//! The model keeps what the settings checks need: top-level assignments in order (a statement
//! inside `if`/`try`/`for`/`while`/`with` is "maybe": it may or may not run), star imports,
//! whether `os` is imported, and the ways lists are built in steps (`+=`, `.append`,
//! `.insert`, `.extend`). Values read from the environment keep the variable's name and the
//! value the module gets when it is unset.
//!
//! Parsing is error-tolerant: a syntax error still yields every statement tree-sitter could
//! read, and the first ERROR/MISSING node becomes a [`ParseError`].

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use tree_sitter::{Node, Parser};

use super::ParseError;

mod huge_literals;

/// Bytes that make a `.py` file worth parsing. Everything else is kept as plain text, so a
/// tree with tens of thousands of Python files only parses its settings and app modules.
///
/// NOTE: a bare `settings` is not a marker: every Django view imports `django.conf.settings`,
/// and parsing those would cost much and find nothing. Settings modules assign at least one
/// of these names, or star-import a module that does.
const MARKERS: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "SECURE_",
    "SESSION_COOKIE",
    "CSRF_",
    "DJANGO_SETTINGS_MODULE",
    "import *",
    "Flask(",
    "FastAPI(",
    "uvicorn.run",
];

/// Names whose top-level assignment makes a module a settings module for the purpose of
/// reporting its syntax errors (ordinary Python files are not harden's business).
const SETTINGS_NAMES: &[&str] = &[
    "INSTALLED_APPS",
    "MIDDLEWARE",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "ROOT_URLCONF",
    "DATABASES",
];

/// How deeply expressions and blocks are followed. Past it a value is unknown: a 2,000-term
/// `'ab' + 'ab' + ...` or 2,000 nested brackets are valid Python, and following them by
/// recursion would overflow a worker thread's stack.
pub const MAX_EVAL_DEPTH: u32 = 100;

/// The work one module-level statement may cost (nodes visited plus the size of the values
/// built). Past it the value is unknown: 40 lines of `S = S + S` would otherwise build a
/// gigabyte string, and `S = [S, S]` an exponential tree.
pub const MAX_STATEMENT_WORK: usize = 200_000;

/// The largest value (string bytes, or items counted through nested containers) the
/// evaluator keeps; a bigger one is unknown.
pub const MAX_VALUE_SIZE: usize = 100_000;

/// Whether `text` is worth parsing as a settings or application module.
pub fn is_candidate(text: &str) -> bool {
    MARKERS.iter().any(|m| text.contains(m))
}

/// Whether a parse of `text` can come out settings-like (see `PythonFile::is_settings_like`):
/// a byte test that is true whenever the parse would be, so callers that only care about
/// settings-like modules (syntax errors are reported for those alone) skip the parse of a
/// large data or test module.
pub fn may_be_settings_like(text: &str) -> bool {
    SETTINGS_NAMES.iter().any(|n| text.contains(n))
        || text.contains("Flask(")
        || text.contains("FastAPI(")
        || has_star_import(text)
}

/// Whether `import` is followed by `*` (after spaces, tabs or backslash continuations)
/// somewhere in `text`: a star import needs it.
fn has_star_import(text: &str) -> bool {
    text.match_indices("import").any(|(at, word)| {
        text[at + word.len()..]
            .chars()
            .find(|c| !matches!(c, ' ' | '\t' | '\\' | '\r' | '\n' | '('))
            == Some('*')
    })
}

/// A value as far as it can be known without running the module.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub kind: ValueKind,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ValueKind {
    Str(String),
    Int(i64),
    Bool(bool),
    None,
    List(Vec<Value>),
    Tuple(Vec<Value>),
    Dict(Vec<(Value, Value)>),
    /// Read from the environment variable `var`. `default` is the value the expression takes
    /// when the variable is unset (after any cast or comparison); `required` when reading an
    /// unset variable fails (`os.environ["X"]`, `env("X")` without a default).
    Env {
        var: String,
        default: Option<Box<Value>>,
        required: bool,
    },
    /// Another module-level name, resolved against the settings namespace.
    Name(String),
    /// `*X` inside a list or tuple display.
    Splat(Box<Value>),
    /// `A + B` where a part is only known once names are resolved.
    Concat(Vec<Value>),
    /// `not X` where `X` is only known once names are resolved.
    Not(Box<Value>),
    /// A call of a function this module imports (`from .utils import envbool`) or may get
    /// from a star import: evaluated once the project resolves where the function is defined
    /// (see [`call_function`]); until then unknown.
    Call {
        callee: String,
        args: Vec<Value>,
        keywords: Vec<(String, Value)>,
    },
    Unknown,
}

impl Value {
    pub fn new(kind: ValueKind, span: Range<usize>) -> Self {
        Self { kind, span }
    }

    fn unknown(span: Range<usize>) -> Self {
        Self::new(ValueKind::Unknown, span)
    }

    /// The value the expression takes when every environment variable it reads is unset;
    /// `None` when that is not known (or reading fails because the variable is required).
    pub fn when_unset(&self) -> Option<&Value> {
        match &self.kind {
            ValueKind::Env { default, .. } => default.as_deref().and_then(Value::when_unset),
            ValueKind::Unknown
            | ValueKind::Name(_)
            | ValueKind::Splat(_)
            | ValueKind::Concat(_)
            | ValueKind::Not(_)
            | ValueKind::Call { .. } => None,
            _ => Some(self),
        }
    }

    /// The environment variable this value is read from, if any.
    pub fn env_var(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Env { var, .. } => Some(var),
            _ => None,
        }
    }

    pub fn is_required_env(&self) -> bool {
        matches!(self.kind, ValueKind::Env { required: true, .. })
    }

    /// Python truthiness of a known value (`bool(x)`): any non-empty string is true,
    /// including `"0"` and `"False"`.
    pub fn truthy(&self) -> Option<bool> {
        Some(match &self.kind {
            ValueKind::Str(s) => !s.is_empty(),
            ValueKind::Int(i) => *i != 0,
            ValueKind::Bool(b) => *b,
            ValueKind::None => false,
            ValueKind::List(items) | ValueKind::Tuple(items) => {
                if items.iter().any(|i| matches!(i.kind, ValueKind::Splat(_))) {
                    return None;
                }
                !items.is_empty()
            }
            ValueKind::Dict(items) => !items.is_empty(),
            _ => return None,
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            ValueKind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_int(&self) -> Option<i64> {
        match &self.kind {
            ValueKind::Int(i) => Some(*i),
            ValueKind::Bool(b) => Some(i64::from(*b)),
            _ => None,
        }
    }

    /// Items of a list or tuple.
    pub fn items(&self) -> Option<&[Value]> {
        match &self.kind {
            ValueKind::List(items) | ValueKind::Tuple(items) => Some(items),
            _ => None,
        }
    }

    /// The value of string key `key` in a dict.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match &self.kind {
            ValueKind::Dict(items) => items
                .iter()
                .rev()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python equality of two known values (`None` when either is not known).
    fn py_eq(&self, other: &Value) -> Option<bool> {
        use ValueKind::*;
        Some(match (&self.kind, &other.kind) {
            (Str(a), Str(b)) => a == b,
            (Int(a), Int(b)) => a == b,
            (Bool(a), Bool(b)) => a == b,
            (Int(a), Bool(b)) | (Bool(b), Int(a)) => *a == i64::from(*b),
            (None, None) => true,
            (None, Str(_) | Int(_) | Bool(_)) | (Str(_) | Int(_) | Bool(_), None) => false,
            (Str(_), Int(_) | Bool(_)) | (Int(_) | Bool(_), Str(_)) => false,
            _ => return Option::None,
        })
    }
}

/// What a module-level statement does.
#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `NAME = value` (also annotated and chained assignments, one per name). A value whose
    /// span is the whole statement was set by a library call (`django_heroku.settings(...)`):
    /// there is no expression a fix could edit in place.
    Assign { name: String, value: Value },
    /// `NAME += value`
    AddAssign { name: String, value: Value },
    /// `NAME.append(value)`
    Append { name: String, value: Value },
    /// `NAME.insert(index, value)`
    Insert {
        name: String,
        index: Value,
        value: Value,
    },
    /// `NAME.extend(value)`
    Extend { name: String, value: Value },
    /// `NAME.remove(value)`
    Remove { name: String, value: Value },
    /// `NAME[key] = value` (one level)
    SetItem {
        name: String,
        key: Value,
        value: Value,
    },
    /// `from module import *`; `level` counts the leading dots of a relative import.
    StarImport { module: String, level: usize },
    /// Code harden does not follow may rewrite any module-level name here: a call handed
    /// `globals()`, `locals()` or `vars()` (or an object holding them), `globals().update(...)`,
    /// `globals()[k] = v`, `exec(...)`. Every name is unknown after it until assigned again.
    RewriteNamespace,
}

impl StmtKind {
    /// The setting name this statement changes, if any.
    pub fn name(&self) -> Option<&str> {
        match self {
            Self::Assign { name, .. }
            | Self::AddAssign { name, .. }
            | Self::Append { name, .. }
            | Self::Insert { name, .. }
            | Self::Extend { name, .. }
            | Self::Remove { name, .. }
            | Self::SetItem { name, .. } => Some(name),
            Self::StarImport { .. } | Self::RewriteNamespace => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    /// The whole statement (for a chained assignment, the whole chain).
    pub span: Range<usize>,
    /// Inside `if`/`try`/`for`/`while`/`with`: may or may not run.
    pub maybe: bool,
}

/// A Python module as the settings checks see it.
#[derive(Debug, Default)]
pub struct PythonFile {
    pub stmts: Vec<Stmt>,
    /// `import os` (or `import os.path`, `import os as os`) at module level.
    pub imports_os: bool,
    /// Where a new import goes after: the end of the module's leading import block (the
    /// imports before its first other statement, after the docstring and `from __future__`
    /// imports), else the end of the docstring; `None` means the start of the file. Any
    /// statement that uses a name comes after it.
    pub imports_end: Option<usize>,
    /// Start of each definite top-level `import os`.
    pub os_imports: Vec<usize>,
    /// Names bound by definite top-level `from m import a, b as c` statements, with the
    /// start of the statement (for "is `config` imported before this line?").
    pub imported_names: Vec<(String, usize)>,
    /// Every syntax error found (the first one per parse).
    pub errors: Vec<ParseError>,
    /// Whether this module is a settings or application module, whose syntax errors the
    /// `parse-error` check reports.
    pub is_settings_like: bool,
    /// The syntax tree, kept so the Flask/FastAPI reader walks the same parse.
    pub tree: Option<tree_sitter::Tree>,
    /// Definite top-level `from m import a as b` statements, one per name.
    pub from_imports: Vec<FromImport>,
    /// Definite top-level `import a.b` / `import a.b as e`: the name the module binds for it
    /// (`a.b` as written, or the alias) and the dotted module (for `e.helper(...)`).
    pub module_imports: Vec<(String, String)>,
    /// Top-level functions (definite, undecorated), by name: the start byte of each `def`.
    pub functions: BTreeMap<String, usize>,
    /// The module-level names known when the module ends (for a helper another module calls).
    pub globals: BTreeMap<String, Value>,
    /// Whether the module has a definite star import (a name it calls may come from there).
    pub has_star_import: bool,
    /// Definite top-level classes, with the statements of their bodies read as a module's
    /// (django-configurations: the attributes of the selected class and its bases are the
    /// settings).
    pub classes: Vec<ClassDef>,
    /// Definite module-level statements that load a settings class into the module (see
    /// [`ClassLoad`]).
    pub class_loads: Vec<ClassLoad>,
    /// Definite module-level calls that load a `.env` file into the environment.
    pub dotenv_loads: Vec<DotenvLoad>,
}

/// `load_dotenv(...)` (python-dotenv) or `environ.Env.read_env(...)` (django-environ): the
/// variables a `.env` file sets are set when the module runs.
#[derive(Debug, Clone, PartialEq)]
pub struct DotenvLoad {
    pub span: Range<usize>,
    /// The file's name: the last string literal the argument holds (`BASE_DIR / ".env"`), else
    /// `.env`.
    pub file: String,
    /// Where it is looked for: `false` for the calling module's own directory only
    /// (django-environ's `read_env()` without a path); `true` for that directory or any
    /// above it (python-dotenv's `load_dotenv()` searches upwards; a path harden cannot
    /// evaluate, `BASE_DIR / ".env"`, may name any of them).
    pub upwards: bool,
}

/// A module-level statement that makes a class's attributes the module's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassLoad {
    /// The whole statement.
    pub span: Range<usize>,
    pub how: LoadKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum LoadKind {
    /// The class's upper-case attributes are copied into the module here: Read the Docs'
    /// `ProdSettings.load_settings(__name__)`, django-classy-settings' `cbs.apply("Prod",
    /// globals())`. `class` is the class named (last dotted part), `None` when the argument is
    /// not a literal name; the statement is also a [`StmtKind::RewriteNamespace`].
    Copy { class: Option<String> },
    /// django-classy-settings 3: `__getattr__, __dir__ = BaseSettings.use(env="DJANGO_MODE")`
    /// makes the module fall back to the attributes of class `<Mode>Settings`, where `Mode` is
    /// the variable `env` names, title-cased (`Settings` when it is unset). `dir` is whether
    /// `__dir__` is bound too (Django lists settings with `dir(module)`).
    Fallback { env: String, dir: bool },
}

/// A top-level `class NAME(BASES): ...`.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    pub name: String,
    /// The base classes as written, last dotted part only (`configurations.Configuration` is
    /// `Configuration`).
    pub bases: Vec<String>,
    /// The body's statements (class attributes).
    pub stmts: Vec<Stmt>,
}

/// `from <level dots><module> import <name> as <alias>`.
#[derive(Debug, Clone, PartialEq)]
pub struct FromImport {
    pub module: String,
    pub level: usize,
    pub name: String,
    /// The name the module binds (`alias`, or `name`).
    pub bound: String,
}

impl PythonFile {
    pub fn parse(text: &str) -> Self {
        let mut parser = Parser::new();
        let mut file = PythonFile::default();
        if parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .is_err()
        {
            return file;
        }
        // NOTE: literals with more items than a value may hold are left out of the parse
        // (see huge_literals): their tree alone cost gigabytes.
        let elided = huge_literals::huge_literals(text, MAX_VALUE_SIZE);
        if !elided.is_empty()
            && parser
                .set_included_ranges(&included(text, &elided))
                .is_err()
        {
            return file;
        }
        let Some(tree) = parser.parse(text, None) else {
            file.errors.push(ParseError {
                message: "tree-sitter could not parse this file".to_string(),
                span: None,
            });
            return file;
        };
        let root = tree.root_node();
        if root.has_error()
            && let Some(node) = first_error(root)
        {
            let message = if node.is_missing() {
                format!("syntax error: missing `{}`", node.kind())
            } else {
                "invalid Python syntax".to_string()
            };
            // The ERROR node can cover the rest of the file: point at its first line.
            let range = node.byte_range();
            let end = text
                .get(range.clone())
                .and_then(|t| t.find('\n'))
                .filter(|&i| i > 0)
                .map_or(range.end, |i| range.start + i);
            file.errors.push(ParseError {
                message,
                span: Some(range.start..end),
            });
        }
        let mut reader = Reader::new(text);
        reader.block(root, false, &mut file);
        file.functions = reader
            .functions
            .iter()
            .map(|(name, def)| (name.clone(), def.start_byte()))
            .collect();
        file.globals = std::mem::take(&mut reader.locals);
        file.has_star_import = reader.star_import;
        file.imports_end = leading_imports_end(root);
        file.is_settings_like = file.stmts.iter().any(|s| match &s.kind {
            StmtKind::Assign { name, .. } => SETTINGS_NAMES.contains(&name.as_str()),
            // `from .base import *`, `from proj.settings.base import *`; not `from tkinter
            // import *` in an ordinary script.
            StmtKind::StarImport { module, level } => *level > 0 || module.contains("settings"),
            _ => false,
        }) || text.contains("Flask(")
            || text.contains("FastAPI(");
        file.tree = Some(tree);
        file
    }

    /// The last definite assignment of `name` in this module alone (no imports followed).
    pub fn assigned(&self, name: &str) -> Option<&Value> {
        self.stmts.iter().rev().find_map(|s| match &s.kind {
            StmtKind::Assign { name: n, value } if n == name && !s.maybe => Some(value),
            _ => None,
        })
    }
}

/// The end of the module's leading import block (see [`PythonFile::imports_end`]).
fn leading_imports_end(root: Node<'_>) -> Option<usize> {
    let mut end = None;
    for (i, child) in named_children(root).into_iter().enumerate() {
        match child.kind() {
            "comment" => {}
            "import_statement" | "import_from_statement" | "future_import_statement" => {
                end = Some(child.end_byte());
            }
            // The docstring: only as the first statement.
            "expression_statement" if i == 0 || end.is_none() && docstring_only(root, i) => {
                let is_string = named_children(child)
                    .first()
                    .is_some_and(|e| matches!(e.kind(), "string" | "concatenated_string"));
                if !is_string {
                    break;
                }
                end = Some(child.end_byte());
            }
            _ => break,
        }
    }
    end
}

/// Whether every named child of `root` before index `i` is a comment.
fn docstring_only(root: Node<'_>, i: usize) -> bool {
    named_children(root)
        .iter()
        .take(i)
        .all(|c| c.kind() == "comment")
}

impl PythonFile {
    /// Whether `os` is imported at module level before byte `at` (a use before a later
    /// `import os` raises NameError on import).
    pub fn os_imported_before(&self, at: usize) -> bool {
        self.os_imports.iter().any(|&start| start < at)
    }

    /// Whether `name` is bound by a `from m import name` before byte `at`.
    pub fn imports_name_before(&self, name: &str, at: usize) -> bool {
        self.imported_names
            .iter()
            .any(|(n, start)| n == name && *start < at)
    }
}

/// The first ERROR or MISSING node in document order (walked with an explicit stack: a tree
/// can be thousands of levels deep).
fn first_error(root: Node<'_>) -> Option<Node<'_>> {
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.is_error() || node.is_missing() {
            return Some(node);
        }
        let mut cursor = node.walk();
        let children: Vec<Node<'_>> = node
            .children(&mut cursor)
            .filter(|c| c.has_error() || c.is_missing() || c.is_error())
            .collect();
        stack.extend(children.into_iter().rev());
    }
    None
}

/// The byte ranges tree-sitter parses: all of `text` but the `elided` ones (sorted, disjoint).
fn included(text: &str, elided: &[Range<usize>]) -> Vec<tree_sitter::Range> {
    // Points are counted forward once: (offset, row, start of that row).
    let mut at = (0, 0, 0);
    let mut point = |offset: usize| {
        let (from, mut row, mut line_start) = at;
        for (i, &b) in text.as_bytes()[from..offset].iter().enumerate() {
            if b == b'\n' {
                row += 1;
                line_start = from + i + 1;
            }
        }
        at = (offset, row, line_start);
        tree_sitter::Point {
            row,
            column: offset - line_start,
        }
    };
    let mut ranges = Vec::with_capacity(elided.len() + 1);
    let mut start = 0;
    for gap in elided
        .iter()
        .chain(std::iter::once(&(text.len()..text.len())))
    {
        let start_point = point(start);
        ranges.push(tree_sitter::Range {
            start_byte: start,
            end_byte: gap.start,
            start_point,
            end_point: point(gap.start),
        });
        start = gap.end;
    }
    ranges
}

/// A node whose items were left out of the parse (see huge_literals): a literal, or a call's
/// arguments, longer than any value may be and with nothing parsed inside.
fn holds_elided(node: Node<'_>) -> bool {
    let empty_and_long =
        |n: Node<'_>| n.named_child_count() == 0 && n.byte_range().len() > MAX_VALUE_SIZE;
    node.byte_range().len() > MAX_VALUE_SIZE
        && (empty_and_long(node)
            || node
                .child_by_field_name("arguments")
                .is_some_and(empty_and_long))
}

struct Reader<'s, 't> {
    src: &'s str,
    /// Names bound to a django-environ `Env(...)`, with their schemes (`DEBUG=(bool, False)`).
    env_objects: BTreeMap<String, BTreeMap<String, (Option<String>, Value)>>,
    /// Module-level names assigned so far (definite assignments only), for references such as
    /// `SESSION_COOKIE_SECURE = not DEBUG`.
    locals: BTreeMap<String, Value>,
    /// How deep `eval`/`block` are now (see [`MAX_EVAL_DEPTH`]).
    depth: Cell<u32>,
    /// Work left for the current statement (see [`MAX_STATEMENT_WORK`]).
    work_left: Cell<usize>,
    /// Module-level functions defined so far (`def env_bool(name, default): ...`), called
    /// with the environment unset (see [`Reader::call_helper`]).
    functions: BTreeMap<String, Node<'t>>,
    /// The local scopes of the helper calls being evaluated, innermost last.
    frames: RefCell<Vec<BTreeMap<String, Value>>>,
    /// The helpers being called (their start bytes): a recursive call is unknown.
    calling: RefCell<Vec<usize>>,
    /// Names bound by `from m import name` so far: a call of one is a [`ValueKind::Call`].
    imported: BTreeSet<String>,
    /// Names bound by `import a.b [as e]` so far (`a.b` as written, or `e`): a call of
    /// `e.helper(...)` is a [`ValueKind::Call`] of `e.helper`.
    module_imports: BTreeSet<String>,
    /// A definite star import was read: a call of an unknown name may be a helper from there.
    star_import: bool,
    /// Calls of functions defined in other modules, answered by the project (see
    /// [`call_function`]); `None` while a module is parsed on its own.
    external: Option<&'s ExternalCalls<'s>>,
    /// The name an assignment being read binds (django-configurations' `values.*Value`
    /// read `DJANGO_<NAME>`).
    assigning: RefCell<Option<String>>,
    /// Names bound to something handed the module's namespace (`ns = Settings(globals())`):
    /// a later use of one (`ns.update_globals()`) may rewrite any name.
    namespace_holders: BTreeSet<String>,
    /// For each helper call being evaluated (innermost last), the environment variables its
    /// `if` conditions read, in order: a value the helper returns because a variable is unset
    /// (`if value is None: return default`) is that variable's default (see
    /// [`Reader::call_helper`]).
    helper_env: RefCell<Vec<Vec<String>>>,
    /// A class body is being read: an upper-case method is a setting computed when read
    /// (`@property def DATABASES(self)`, django-classy-settings' `@env def SECRET_KEY(self)`).
    in_class: bool,
}

/// How [`call_function`] evaluates a call of a function defined in another module:
/// `(callee, positional, keywords, span)`, `None` when it is not known.
pub type ExternalCalls<'a> =
    dyn Fn(&str, Vec<Value>, Vec<(String, Value)>, Range<usize>) -> Option<Value> + 'a;

/// The work one call of another module's helper may cost (statements run plus expression
/// nodes evaluated); past it the value is unknown.
pub const MAX_HELPER_STEPS: usize = 10_000;

/// Call top-level function `name` of `file` (whose text is `src`) with argument values, the way
/// Python would run it with the environment unset (see [`Reader::call_helper`]). `external`
/// answers the calls it makes of functions from other modules. The value carries `span` (the
/// call site), also on every part of it: the caller's file is where its text is.
pub fn call_function(
    src: &str,
    file: &PythonFile,
    name: &str,
    args: Vec<Value>,
    keywords: Vec<(String, Value)>,
    span: Range<usize>,
    external: &ExternalCalls<'_>,
) -> Value {
    let (Some(tree), Some(&start)) = (file.tree.as_ref(), file.functions.get(name)) else {
        return Value::unknown(span);
    };
    let root = tree.root_node();
    let functions: BTreeMap<String, Node<'_>> = named_children(root)
        .into_iter()
        .filter(|n| n.kind() == "function_definition")
        .filter_map(|def| {
            let def_name = src.get(def.child_by_field_name("name")?.byte_range())?;
            (file.functions.get(def_name) == Some(&def.start_byte()))
                .then(|| (def_name.to_string(), def))
        })
        .collect();
    let Some(def) = functions
        .values()
        .find(|d| d.start_byte() == start)
        .copied()
    else {
        return Value::unknown(span);
    };
    let mut reader = Reader::new(src);
    reader.work_left.set(MAX_HELPER_STEPS);
    reader.locals = file.globals.clone();
    reader.functions = functions;
    reader.imported = file.from_imports.iter().map(|i| i.bound.clone()).collect();
    reader.module_imports = file.module_imports.iter().map(|(b, _)| b.clone()).collect();
    reader.star_import = file.has_star_import;
    reader.external = Some(external);
    let value = reader.call_helper(def, args, keywords.into_iter().collect(), span.clone());
    with_span(value, &span)
}

/// What a helper call returns, at the call site `span`: the value it returned, read from the
/// environment when it was decided by `if`s on environment variables (`consulted`, in the
/// order read). `if value is None: return default` returns the caller's default *because*
/// the variable is unset, so the value is that variable's default, as with a direct
/// `os.environ.get(name, default)`; the first variable read is the one a deployment sets
/// (Label Studio's `get_env` tries `LABEL_STUDIO_X` first).
fn marked_by(value: Value, consulted: Vec<String>, span: Range<usize>) -> Value {
    match (&value.kind, consulted.into_iter().next()) {
        // Already an environment read, or not known at all: as it is.
        (ValueKind::Env { .. } | ValueKind::Unknown, _) | (_, None) => Value::new(value.kind, span),
        (_, Some(var)) => Value::new(
            ValueKind::Env {
                var,
                default: Some(Box::new(value)),
                required: false,
            },
            span,
        ),
    }
}

/// `value` with every span (nested ones too) set to `span`.
fn with_span(mut value: Value, span: &Range<usize>) -> Value {
    let mut stack = vec![&mut value];
    while let Some(v) = stack.pop() {
        v.span = span.clone();
        match &mut v.kind {
            ValueKind::List(items) | ValueKind::Tuple(items) | ValueKind::Concat(items) => {
                stack.extend(items.iter_mut())
            }
            ValueKind::Dict(items) => {
                for (k, v) in items.iter_mut() {
                    stack.push(k);
                    stack.push(v);
                }
            }
            ValueKind::Env {
                default: Some(d), ..
            } => stack.push(d),
            ValueKind::Splat(inner) | ValueKind::Not(inner) => stack.push(inner),
            ValueKind::Call { args, keywords, .. } => {
                stack.extend(args.iter_mut());
                stack.extend(keywords.iter_mut().map(|(_, v)| v));
            }
            _ => {}
        }
    }
    value
}

/// Calls that rewrite the settings module handed to them by `__name__` (see
/// [`Reader::touches_namespace`]).
const SETTINGS_LOADERS: &[&str] = &["DjangoDynaconf", "load_settings"];

/// Whether the `globals()`/`locals()`/`vars()` call `call` only reads the namespace: a method
/// that does not change it (`.get`, `.items`, ...), `in` tests, iteration, or a subscript that
/// is read (not assigned or deleted).
fn namespace_only_read(src: &str, call: Node<'_>) -> bool {
    let Some(parent) = call.parent() else {
        return false;
    };
    match parent.kind() {
        "attribute" => parent
            .child_by_field_name("attribute")
            .and_then(|a| src.get(a.byte_range()))
            .is_some_and(|method| {
                matches!(
                    method,
                    "get" | "keys" | "values" | "items" | "copy" | "__contains__" | "__getitem__"
                )
            }),
        "comparison_operator" | "for_in_clause" | "for_statement" => true,
        "subscript" => {
            let assigned = parent.parent().is_some_and(|grand| {
                matches!(grand.kind(), "assignment" | "augmented_assignment")
                    && grand
                        .child_by_field_name("left")
                        .is_some_and(|left| left.byte_range() == parent.byte_range())
                    || matches!(
                        grand.kind(),
                        "delete_statement" | "pattern_list" | "tuple_pattern"
                    )
            });
            !assigned
        }
        _ => false,
    }
}

/// How a helper's statement ends.
enum Flow {
    Next,
    Return(Value),
    /// Something harden does not follow (a loop, a raise, I/O, `try`): the call is unknown.
    GiveUp,
}

impl Value {
    /// Push the values this one holds (items, dict keys and values, an environment read's
    /// default, a call's arguments) onto `stack`: the one definition of a value's children
    /// for the walks over values, which use explicit stacks (nesting is the input's to choose).
    pub fn push_children<'a>(&'a self, stack: &mut Vec<&'a Value>) {
        match &self.kind {
            ValueKind::List(items) | ValueKind::Tuple(items) | ValueKind::Concat(items) => {
                stack.extend(items)
            }
            ValueKind::Dict(items) => {
                for (k, v) in items {
                    stack.push(k);
                    stack.push(v);
                }
            }
            ValueKind::Env {
                default: Some(d), ..
            } => stack.push(d),
            ValueKind::Splat(inner) | ValueKind::Not(inner) => stack.push(inner),
            ValueKind::Call { args, keywords, .. } => {
                stack.extend(args);
                stack.extend(keywords.iter().map(|(_, v)| v));
            }
            _ => {}
        }
    }
}

/// The size of a value, counted up to `cap` (string bytes, one per other node).
pub fn value_size(value: &Value, cap: usize) -> usize {
    let mut size = 0usize;
    let mut stack = vec![value];
    while let Some(v) = stack.pop() {
        size = size.saturating_add(1);
        if let ValueKind::Str(s) = &v.kind {
            size = size.saturating_add(s.len());
        }
        v.push_children(&mut stack);
        if size > cap {
            return size;
        }
    }
    size
}

fn named_children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).collect()
}

fn children(node: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).collect()
}

/// Evaluate one expression node of `src` as a module-level value (used by the Flask and
/// FastAPI model, which walks function and class bodies itself).
pub fn eval_expression(src: &str, node: Node<'_>) -> Value {
    Reader::new(src).eval(node)
}

impl<'s, 't> Reader<'s, 't> {
    fn new(src: &'s str) -> Self {
        Self {
            src,
            env_objects: BTreeMap::new(),
            locals: BTreeMap::new(),
            depth: Cell::new(0),
            work_left: Cell::new(MAX_STATEMENT_WORK),
            functions: BTreeMap::new(),
            frames: RefCell::new(Vec::new()),
            calling: RefCell::new(Vec::new()),
            imported: BTreeSet::new(),
            module_imports: BTreeSet::new(),
            star_import: false,
            external: None,
            assigning: RefCell::new(None),
            namespace_holders: BTreeSet::new(),
            helper_env: RefCell::new(Vec::new()),
            in_class: false,
        }
    }

    /// Spend `amount` of the statement's work; `false` once it is used up.
    fn spend(&self, amount: usize) -> bool {
        let left = self.work_left.get();
        self.work_left.set(left.saturating_sub(amount));
        left >= amount
    }

    fn text(&self, node: Node<'_>) -> &'s str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn block(&mut self, node: Node<'t>, maybe: bool, file: &mut PythonFile) {
        // NOTE: blocks nest through `if`/`try`/...; past the depth bound their statements are
        // not read (CPython itself refuses 100 levels of indentation).
        if self.depth.get() >= MAX_EVAL_DEPTH {
            return;
        }
        self.depth.set(self.depth.get() + 1);
        for child in named_children(node) {
            self.work_left.set(MAX_STATEMENT_WORK);
            self.statement(child, maybe, file);
        }
        self.depth.set(self.depth.get() - 1);
    }

    fn statement(&mut self, node: Node<'t>, maybe: bool, file: &mut PythonFile) {
        if self.in_class
            && let Some(name) = self.setting_method(node)
        {
            // NOTE: its value is whatever the method computes: unknown, and spanning the
            // whole definition (no expression a fix could edit).
            file.stmts.push(Stmt {
                kind: StmtKind::Assign {
                    name,
                    value: Value::unknown(node.byte_range()),
                },
                span: node.byte_range(),
                maybe,
            });
            return;
        }
        match node.kind() {
            "expression_statement" => {
                if self.rewrites_namespace(node) {
                    if !maybe && let Some(class) = self.copied_class(node) {
                        file.class_loads.push(ClassLoad {
                            span: node.byte_range(),
                            how: LoadKind::Copy { class },
                        });
                    }
                    self.namespace_rewritten(node, maybe, file);
                } else if !maybe && let Some(load) = self.dotenv_load(node) {
                    file.dotenv_loads.push(load);
                } else if !maybe && let Some(how) = self.fallback_class(node) {
                    file.class_loads.push(ClassLoad {
                        span: node.byte_range(),
                        how,
                    });
                }
                for expr in named_children(node) {
                    self.expression_statement(expr, node.byte_range(), maybe, file);
                }
            }
            "import_statement" => {
                for name in named_children(node) {
                    let module = match name.kind() {
                        "aliased_import" => name
                            .child_by_field_name("name")
                            .map(|n| self.text(n))
                            .unwrap_or(""),
                        _ => self.text(name),
                    };
                    let alias = name.child_by_field_name("alias").map(|n| self.text(n));
                    if (module == "os" || module.starts_with("os."))
                        && alias.is_none_or(|a| a == "os")
                        && !maybe
                    {
                        file.imports_os = true;
                        file.os_imports.push(node.start_byte());
                    }
                    let module: String = module.split_whitespace().collect();
                    let bound = alias.map_or_else(|| module.clone(), str::to_string);
                    if maybe {
                        self.module_imports.remove(&bound);
                    } else if !module.is_empty() && module != "os" && !module.starts_with("os.") {
                        self.module_imports.insert(bound.clone());
                        file.module_imports.push((bound, module));
                    }
                }
            }
            "import_from_statement" | "future_import_statement" => {
                let (level, module_name) = match node.child_by_field_name("module_name") {
                    Some(module) if module.kind() == "relative_import" => {
                        let mut level = 0;
                        let mut name = String::new();
                        for part in named_children(module) {
                            match part.kind() {
                                "import_prefix" => {
                                    level = self.text(part).chars().filter(|c| *c == '.').count()
                                }
                                _ => name = self.text(part).to_string(),
                            }
                        }
                        (level, name)
                    }
                    Some(module) => (0, self.text(module).to_string()),
                    None => (0, String::new()),
                };
                let module_name: String = module_name.split_whitespace().collect();
                let mut cursor = node.walk();
                for name in node.children_by_field_name("name", &mut cursor) {
                    let (original, bound) = match name.kind() {
                        "aliased_import" => (
                            name.child_by_field_name("name"),
                            name.child_by_field_name("alias"),
                        ),
                        _ => (Some(name), Some(name)),
                    };
                    let (Some(original), Some(bound)) = (original, bound) else {
                        continue;
                    };
                    let text = self.text(bound);
                    let last = text.rsplit('.').next().unwrap_or(text).to_string();
                    self.functions.remove(&last);
                    self.locals.remove(&last);
                    if maybe {
                        self.imported.remove(&last);
                        continue;
                    }
                    self.imported.insert(last.clone());
                    file.imported_names.push((last.clone(), node.start_byte()));
                    if node.kind() == "import_from_statement" {
                        file.from_imports.push(FromImport {
                            module: module_name.clone(),
                            level,
                            name: self.text(original).to_string(),
                            bound: last,
                        });
                    }
                }
                let wildcard = named_children(node)
                    .iter()
                    .any(|c| c.kind() == "wildcard_import");
                if wildcard && node.child_by_field_name("module_name").is_some() {
                    self.star_import |= !maybe;
                    let (level, name) = (level, module_name);
                    file.stmts.push(Stmt {
                        kind: StmtKind::StarImport {
                            module: name,
                            level,
                        },
                        span: node.byte_range(),
                        maybe,
                    });
                }
            }
            "if_statement" if self.if_known(node, maybe, file) => {}
            "try_statement" if self.handlers_end_the_program(node) => {
                // Every handler raises or exits: when the module loads at all, its `try` body
                // (and `else`) ran to the end, so their statements are as certain as the
                // `try` itself (Review Board's `try: from settings_local import *` whose
                // `except ImportError` calls `sys.exit(1)`).
                for child in named_children(node) {
                    match child.kind() {
                        "block" => self.block(child, maybe, file),
                        "else_clause"
                        | "except_clause"
                        | "finally_clause"
                        | "except_group_clause" => {
                            let certain = child.kind() == "else_clause";
                            for part in named_children(child) {
                                if part.kind() == "block" {
                                    self.block(part, maybe || !certain, file);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            "if_statement" | "try_statement" | "for_statement" | "while_statement"
            | "with_statement" => {
                for child in named_children(node) {
                    match child.kind() {
                        "block" => self.block(child, true, file),
                        "elif_clause"
                        | "else_clause"
                        | "except_clause"
                        | "finally_clause"
                        | "except_group_clause" => {
                            for part in named_children(child) {
                                if part.kind() == "block" {
                                    self.block(part, true, file);
                                }
                            }
                        }
                        _ => {}
                    }
                }
            }
            "function_definition" if !maybe => {
                if let Some(name) = node.child_by_field_name("name") {
                    self.functions.insert(self.text(name).to_string(), node);
                }
            }
            "class_definition" if !maybe => self.class_definition(node, file),
            "decorated_definition" => {
                // A decorator can replace the function: not a helper harden evaluates.
                if let Some(def) = node.child_by_field_name("definition")
                    && let Some(name) = def.child_by_field_name("name")
                {
                    self.functions.remove(self.text(name));
                }
            }
            _ => {}
        }
    }

    /// Whether `try` statement `node` has handlers and each ends by raising or exiting
    /// (`raise`, `sys.exit(...)`, `exit()`, `quit()`, `os._exit(...)`): no exception its body
    /// raises lets the module go on loading. A `try`/`finally` without handlers is not
    /// counted: rare at module level, and read as before.
    fn handlers_end_the_program(&self, node: Node<'_>) -> bool {
        let handlers: Vec<Node<'_>> = named_children(node)
            .into_iter()
            .filter(|c| matches!(c.kind(), "except_clause" | "except_group_clause"))
            .collect();
        !handlers.is_empty()
            && handlers.iter().all(|handler| {
                let Some(block) = named_children(*handler)
                    .into_iter()
                    .rfind(|c| c.kind() == "block")
                else {
                    return false;
                };
                let Some(last) = named_children(block).into_iter().last() else {
                    return false;
                };
                match last.kind() {
                    "raise_statement" => true,
                    "expression_statement" => named_children(last).first().is_some_and(|call| {
                        call.kind() == "call"
                            && call.child_by_field_name("function").is_some_and(|f| {
                                matches!(
                                    self.text(f),
                                    "sys.exit" | "exit" | "quit" | "os._exit" | "os.abort"
                                )
                            })
                    }),
                    _ => false,
                }
            })
    }

    /// Whether expression statement `node` may rewrite module-level names behind harden's back
    /// (see [`StmtKind::RewriteNamespace`]). Reading the namespace (`globals().get("X")`,
    /// `"X" in globals()`, `globals()["X"]`) rewrites nothing; `django_heroku.settings(locals())`
    /// is read by its documented effect instead.
    fn rewrites_namespace(&self, node: Node<'_>) -> bool {
        self.touches_namespace(node, true)
    }

    /// See [`Reader::rewrites_namespace`]; with `follow`, a call of a function this module
    /// defines looks into its body once (`def load(): globals().update(...)`, then `load()`).
    fn touches_namespace(&self, node: Node<'_>, follow: bool) -> bool {
        let text = self.text(node);
        let mentions_holder = || {
            self.namespace_holders
                .iter()
                .any(|holder| text.contains(holder.as_str()))
        };
        let calls_own_function = || {
            follow
                && self
                    .functions
                    .keys()
                    .any(|name| text.contains(&format!("{name}(")))
        };
        if !([
            "globals(",
            "locals(",
            "vars(",
            "exec(",
            "execfile(",
            "sys.modules",
            "global ",
            "__name__",
        ]
        .iter()
        .any(|marker| text.contains(marker))
            || mentions_holder()
            || calls_own_function())
        {
            return false;
        }
        // NOTE: walked with an explicit stack; an expression can nest thousands deep.
        let mut stack = vec![node];
        while let Some(at) = stack.pop() {
            match at.kind() {
                // A function defined inline runs later, if ever.
                "lambda" => continue,
                // `def configure(): global DEBUG; DEBUG = ...`, then `configure()`.
                "global_statement" => return true,
                "identifier" if self.namespace_holders.contains(self.text(at)) => return true,
                "call" => {
                    let function = at.child_by_field_name("function");
                    let callee = function.map(|f| self.text(f)).unwrap_or("");
                    let no_arguments = at
                        .child_by_field_name("arguments")
                        .is_some_and(|a| named_children(a).is_empty());
                    let loader = callee.rsplit('.').next().unwrap_or(callee);
                    let hands_module_name = || {
                        at.child_by_field_name("arguments").is_some_and(|a| {
                            named_children(a)
                                .iter()
                                .any(|arg| self.text(*arg) == "__name__")
                        })
                    };
                    // Loaders documented to rewrite the module they are handed by name from
                    // outside files and the environment: dynaconf's `DjangoDynaconf(__name__)`
                    // (pulpcore), `Settings.load_settings(__name__)`.
                    if SETTINGS_LOADERS.contains(&loader) && hands_module_name() {
                        return true;
                    }
                    match callee {
                        "django_heroku.settings" => continue,
                        "exec" | "execfile" => return true,
                        "globals" | "locals" | "vars"
                            if no_arguments && !namespace_only_read(self.src, at) =>
                        {
                            return true;
                        }
                        "globals" | "locals" | "vars" => {}
                        name if follow
                            && self.functions.get(name).is_some_and(|def| {
                                def.child_by_field_name("body")
                                    .is_some_and(|body| self.touches_namespace(body, false))
                            }) =>
                        {
                            return true;
                        }
                        _ => {}
                    }
                }
                "subscript" if self.text(at).replace(' ', "") == "sys.modules[__name__]" => {
                    return true;
                }
                _ => {}
            }
            stack.extend(named_children(at));
        }
        false
    }

    /// The name of an upper-case method (decorated or not) that `node` defines.
    fn setting_method(&self, node: Node<'_>) -> Option<String> {
        let def = match node.kind() {
            "function_definition" => node,
            "decorated_definition" => node.child_by_field_name("definition")?,
            _ => return None,
        };
        let name = self.text(def.child_by_field_name("name")?);
        (def.kind() == "function_definition"
            && name.chars().any(|c| c.is_ascii_uppercase())
            && !name.chars().any(|c| c.is_ascii_lowercase()))
        .then(|| name.to_string())
    }

    /// The class a statement copies into the module (see [`LoadKind::Copy`]): `Some(None)`
    /// for a load whose class is not a literal name, `None` for any other statement.
    fn copied_class(&self, node: Node<'_>) -> Option<Option<String>> {
        let [call] = named_children(node)[..] else {
            return None;
        };
        let (function, arguments) = (
            call.child_by_field_name("function")?,
            call.child_by_field_name("arguments")?,
        );
        if call.kind() != "call" {
            return None;
        }
        let args: Vec<Node<'_>> = named_children(arguments)
            .into_iter()
            .filter(|a| a.kind() != "comment")
            .collect();
        let callee = self.text(function);
        let last = |text: &str| text.rsplit('.').next().unwrap_or(text).to_string();
        // `ProdSettings.load_settings(__name__)`: the class is the object.
        if function.kind() == "attribute"
            && callee.ends_with(".load_settings")
            && let [arg] = args[..]
            && self.text(arg) == "__name__"
        {
            let object = function.child_by_field_name("object")?;
            return Some(
                matches!(object.kind(), "identifier" | "attribute")
                    .then(|| last(self.text(object))),
            );
        }
        // `cbs.apply("ProdSettings", globals())`, `apply(ProdSettings, globals())`.
        let from_cbs =
            callee == "cbs.apply" || callee == "apply" && self.imported.contains("apply");
        if from_cbs
            && let [class, namespace] = args[..]
            && self.text(namespace).replace(' ', "") == "globals()"
        {
            return Some(match class.kind() {
                "identifier" | "attribute" => Some(last(self.text(class))),
                _ => self.string(class).map(|s| last(&s)),
            });
        }
        None
    }

    /// A `load_dotenv(...)` / `read_env(...)` statement (see [`DotenvLoad`]).
    fn dotenv_load(&self, node: Node<'_>) -> Option<DotenvLoad> {
        let [call] = named_children(node)[..] else {
            return None;
        };
        if call.kind() != "call" {
            return None;
        }
        let callee = self.text(call.child_by_field_name("function")?);
        let last = callee.rsplit('.').next().unwrap_or(callee);
        if !matches!(last, "load_dotenv" | "read_env") {
            return None;
        }
        let args: Vec<Node<'_>> = named_children(call.child_by_field_name("arguments")?)
            .into_iter()
            .filter(|a| a.kind() != "comment" && a.kind() != "keyword_argument")
            .collect();
        let Some(arg) = args.first() else {
            return Some(DotenvLoad {
                span: node.byte_range(),
                file: ".env".to_string(),
                upwards: last == "load_dotenv",
            });
        };
        // The last string literal inside the argument (walked with an explicit stack).
        let mut literal = None;
        let mut stack = vec![*arg];
        while let Some(at) = stack.pop() {
            if at.kind() == "string"
                && let Some(text) = self.string(at)
                && literal
                    .as_ref()
                    .is_none_or(|(start, _): &(usize, String)| at.start_byte() > *start)
            {
                literal = Some((at.start_byte(), text));
            }
            stack.extend(named_children(at));
        }
        let file = literal
            .map(|(_, text)| text.rsplit(['/', '\\']).next().unwrap_or("").to_string())
            .filter(|name| !name.is_empty())
            .unwrap_or_else(|| ".env".to_string());
        Some(DotenvLoad {
            span: node.byte_range(),
            file,
            upwards: true,
        })
    }

    /// `__getattr__ = Settings.use()` / `__getattr__, __dir__ = BaseSettings.use(env=...)`
    /// (see [`LoadKind::Fallback`]).
    fn fallback_class(&self, node: Node<'_>) -> Option<LoadKind> {
        let [assignment] = named_children(node)[..] else {
            return None;
        };
        let (left, right) = (
            assignment.child_by_field_name("left")?,
            assignment.child_by_field_name("right")?,
        );
        if assignment.kind() != "assignment" || right.kind() != "call" {
            return None;
        }
        let targets: Vec<&str> = match left.kind() {
            "identifier" => vec![self.text(left)],
            "pattern_list" | "tuple_pattern" => named_children(left)
                .into_iter()
                .map(|t| self.text(t))
                .collect(),
            _ => return None,
        };
        if !targets.contains(&"__getattr__") {
            return None;
        }
        let function = right.child_by_field_name("function")?;
        if function.kind() != "attribute" || !self.text(function).ends_with(".use") {
            return None;
        }
        let mut env = "DJANGO_MODE".to_string();
        for arg in named_children(right.child_by_field_name("arguments")?) {
            let value = match arg.kind() {
                "keyword_argument"
                    if arg
                        .child_by_field_name("name")
                        .is_some_and(|n| self.text(n) == "env") =>
                {
                    arg.child_by_field_name("value")?
                }
                "comment" => continue,
                "keyword_argument" => return None,
                _ => arg,
            };
            env = self.string(value)?;
        }
        Some(LoadKind::Fallback {
            env,
            dir: targets.contains(&"__dir__"),
        })
    }

    /// Record a namespace rewrite: every name known so far is unknown after it, and the names
    /// an assignment binds to the namespace's holder are holders too.
    fn namespace_rewritten(&mut self, node: Node<'_>, maybe: bool, file: &mut PythonFile) {
        self.locals.clear();
        for expr in named_children(node) {
            let mut current = expr;
            while current.kind() == "assignment" {
                if let Some(left) = current.child_by_field_name("left")
                    && left.kind() == "identifier"
                {
                    self.namespace_holders.insert(self.text(left).to_string());
                }
                match current.child_by_field_name("right") {
                    Some(right) => current = right,
                    None => break,
                }
            }
        }
        file.stmts.push(Stmt {
            kind: StmtKind::RewriteNamespace,
            span: node.byte_range(),
            maybe,
        });
    }

    /// A top-level class: its body read as statements of their own, with the module's names
    /// visible and unchanged afterwards.
    fn class_definition(&mut self, node: Node<'t>, file: &mut PythonFile) {
        let Some(name) = node.child_by_field_name("name") else {
            return;
        };
        let bases = node
            .child_by_field_name("superclasses")
            .map(|list| {
                named_children(list)
                    .into_iter()
                    .filter(|b| matches!(b.kind(), "identifier" | "attribute"))
                    .map(|b| {
                        let text = self.text(b);
                        text.rsplit('.').next().unwrap_or(text).to_string()
                    })
                    .collect()
            })
            .unwrap_or_default();
        let (locals, functions) = (self.locals.clone(), self.functions.clone());
        let mut body = PythonFile::default();
        let in_class = std::mem::replace(&mut self.in_class, true);
        if let Some(block) = node.child_by_field_name("body") {
            self.block(block, false, &mut body);
        }
        self.in_class = in_class;
        (self.locals, self.functions) = (locals, functions);
        file.classes.push(ClassDef {
            name: self.text(name).to_string(),
            bases,
            stmts: body.stmts,
        });
    }

    /// `if COND: ... elif ...: ... else: ...` whose conditions are known with the environment
    /// unset (`if DEBUG:` with DEBUG known, `if os.environ.get("X"):`): the branch taken is
    /// read as definite (or as `maybe` when the statement itself is), the others skipped.
    /// `false` when a condition is not known: the caller reads every branch as "maybe".
    fn if_known(&mut self, node: Node<'t>, maybe: bool, file: &mut PythonFile) -> bool {
        let mut branches: Vec<(Option<Node<'t>>, Option<Node<'t>>)> = vec![(
            node.child_by_field_name("condition"),
            node.child_by_field_name("consequence"),
        )];
        let mut cursor = node.walk();
        for alternative in node.children_by_field_name("alternative", &mut cursor) {
            match alternative.kind() {
                "elif_clause" => branches.push((
                    alternative.child_by_field_name("condition"),
                    alternative.child_by_field_name("consequence"),
                )),
                _ => branches.push((None, alternative.child_by_field_name("body"))),
            }
        }
        // Decide first, then read: a branch is taken only when every condition before it is
        // known false and its own is known true (or it is the `else`).
        let mut taken = None;
        for (condition, body) in &branches {
            let truth = match condition {
                None => Some(true),
                Some(c) => self.eval(*c).when_unset().and_then(Value::truthy),
            };
            match truth {
                Some(true) => {
                    taken = Some(*body);
                    break;
                }
                Some(false) => {}
                None => return false,
            }
        }
        if let Some(Some(body)) = taken {
            self.block(body, maybe, file);
        }
        true
    }

    /// A call of a module-level helper, evaluated as Python would run it with the environment
    /// unset: parameters bound, `if`/`elif`/`else` on known conditions, assignments to local
    /// names, `return`, `for` over a short known sequence. Other loops, `raise`, `try`, nested
    /// definitions, expression statements (I/O), recursion and anything past the depth bound or
    /// the work budget make the value unknown.
    fn call_helper(
        &self,
        def: Node<'t>,
        positional: Vec<Value>,
        mut keywords: BTreeMap<String, Value>,
        span: Range<usize>,
    ) -> Value {
        if self.calling.borrow().contains(&def.start_byte())
            || self.depth.get() + 8 >= MAX_EVAL_DEPTH
        {
            return Value::unknown(span);
        }
        let Some(parameters) = def.child_by_field_name("parameters") else {
            return Value::unknown(span);
        };
        let mut scope = BTreeMap::new();
        let mut next_positional = positional.into_iter();
        for param in named_children(parameters) {
            let (name, default) = match param.kind() {
                "identifier" => (Some(param), None),
                "typed_parameter" => (
                    named_children(param)
                        .into_iter()
                        .find(|c| c.kind() == "identifier"),
                    None,
                ),
                "default_parameter" | "typed_default_parameter" => (
                    param.child_by_field_name("name"),
                    param.child_by_field_name("value"),
                ),
                "comment" => continue,
                // `*args`, `**kwargs`, `/`, `*`: not followed.
                _ => return Value::unknown(span),
            };
            let Some(name) = name else {
                return Value::unknown(span);
            };
            let name = self.text(name);
            let value = if let Some(arg) = next_positional.next() {
                arg
            } else if let Some(arg) = keywords.remove(name) {
                arg
            } else if let Some(default) = default {
                self.eval(default)
            } else {
                return Value::unknown(span);
            };
            scope.insert(name.to_string(), value);
        }
        if next_positional.next().is_some() || !keywords.is_empty() {
            return Value::unknown(span);
        }
        let Some(body) = def.child_by_field_name("body") else {
            return Value::unknown(span);
        };
        self.calling.borrow_mut().push(def.start_byte());
        self.frames.borrow_mut().push(scope);
        self.helper_env.borrow_mut().push(Vec::new());
        let depth = self.depth.get();
        self.depth.set(depth + 1);
        let flow = self.exec_block(body);
        self.depth.set(depth);
        let consulted = self.helper_env.borrow_mut().pop().unwrap_or_default();
        self.frames.borrow_mut().pop();
        self.calling.borrow_mut().pop();
        let value = match flow {
            Flow::Return(value) => value,
            Flow::Next => Value::new(ValueKind::None, span.clone()),
            Flow::GiveUp => return Value::unknown(span),
        };
        marked_by(value, consulted, span)
    }

    /// Run a helper's block (see [`Reader::call_helper`]).
    fn exec_block(&self, block: Node<'_>) -> Flow {
        for stmt in named_children(block) {
            if !self.spend(1) {
                return Flow::GiveUp;
            }
            match stmt.kind() {
                "comment" | "pass_statement" => {}
                "expression_statement" => {
                    let exprs = named_children(stmt);
                    match exprs.as_slice() {
                        // A docstring.
                        [e] if e.kind() == "string" => {}
                        [e] if e.kind() == "assignment" => {
                            let (Some(left), Some(right)) = (
                                e.child_by_field_name("left"),
                                e.child_by_field_name("right"),
                            ) else {
                                return Flow::GiveUp;
                            };
                            if left.kind() != "identifier" {
                                return Flow::GiveUp;
                            }
                            let value = self.eval(right);
                            if let Some(frame) = self.frames.borrow_mut().last_mut() {
                                frame.insert(self.text(left).to_string(), value);
                            }
                        }
                        _ => return Flow::GiveUp,
                    }
                }
                "return_statement" => {
                    let value = match named_children(stmt).first() {
                        Some(expr) => self.eval(*expr),
                        None => Value::new(ValueKind::None, stmt.byte_range()),
                    };
                    return Flow::Return(value);
                }
                "if_statement" => {
                    let mut branches = vec![(
                        stmt.child_by_field_name("condition"),
                        stmt.child_by_field_name("consequence"),
                    )];
                    let mut cursor = stmt.walk();
                    for alternative in stmt.children_by_field_name("alternative", &mut cursor) {
                        match alternative.kind() {
                            "elif_clause" => branches.push((
                                alternative.child_by_field_name("condition"),
                                alternative.child_by_field_name("consequence"),
                            )),
                            _ => branches.push((None, alternative.child_by_field_name("body"))),
                        }
                    }
                    for (condition, body) in branches {
                        let truth = match condition {
                            None => Some(true),
                            Some(c) => {
                                let value = self.eval(c);
                                if let Some(var) = value.env_var()
                                    && let Some(read) = self.helper_env.borrow_mut().last_mut()
                                    && !read.iter().any(|v| v == var)
                                {
                                    read.push(var.to_string());
                                }
                                value.when_unset().and_then(Value::truthy)
                            }
                        };
                        match (truth, body) {
                            (Some(true), Some(body)) => match self.exec_block(body) {
                                Flow::Next => break,
                                other => return other,
                            },
                            (Some(true), None) | (None, _) => return Flow::GiveUp,
                            (Some(false), _) => {}
                        }
                    }
                }
                "for_statement" => match self.exec_for(stmt) {
                    Flow::Next => {}
                    other => return other,
                },
                _ => return Flow::GiveUp,
            }
        }
        Flow::Next
    }

    /// A helper's `for NAME in <known list or tuple>:` with no `else`, unrolled: Label
    /// Studio's `get_env` tries `LABEL_STUDIO_X`, `HEARTEX_X` and `X` in turn and returns the
    /// default when none is set. Longer or unknown sequences, other targets, `break` and
    /// `continue` (not followed) make the value unknown.
    fn exec_for(&self, stmt: Node<'_>) -> Flow {
        const MAX_ITERATIONS: usize = 16;
        let (Some(target), Some(iterable), Some(body)) = (
            stmt.child_by_field_name("left"),
            stmt.child_by_field_name("right"),
            stmt.child_by_field_name("body"),
        ) else {
            return Flow::GiveUp;
        };
        if target.kind() != "identifier" || stmt.child_by_field_name("alternative").is_some() {
            return Flow::GiveUp;
        }
        let sequence = self.eval(iterable);
        let Some(items) = sequence
            .when_unset()
            .and_then(Value::items)
            .filter(|items| items.len() <= MAX_ITERATIONS)
            .filter(|items| !items.iter().any(|i| matches!(i.kind, ValueKind::Splat(_))))
            .map(<[Value]>::to_vec)
        else {
            return Flow::GiveUp;
        };
        let name = self.text(target).to_string();
        for item in items {
            if !self.spend(1) {
                return Flow::GiveUp;
            }
            if let Some(frame) = self.frames.borrow_mut().last_mut() {
                frame.insert(name.clone(), item);
            }
            match self.exec_block(body) {
                Flow::Next => {}
                other => return other,
            }
        }
        Flow::Next
    }

    fn expression_statement(
        &mut self,
        expr: Node<'_>,
        stmt_span: Range<usize>,
        maybe: bool,
        file: &mut PythonFile,
    ) {
        match expr.kind() {
            "assignment" => {
                // `A = B = value`: the right side of the outer assignment is another assignment.
                let mut targets = Vec::new();
                let mut current = expr;
                let value_node = loop {
                    if let Some(left) = current.child_by_field_name("left") {
                        targets.push(left);
                    }
                    match current.child_by_field_name("right") {
                        Some(right) if right.kind() == "assignment" => current = right,
                        other => break other,
                    }
                };
                let Some(value_node) = value_node else {
                    return;
                };
                *self.assigning.borrow_mut() = targets
                    .first()
                    .filter(|t| t.kind() == "identifier")
                    .map(|t| self.text(*t).to_string());
                let value = self.eval(value_node);
                *self.assigning.borrow_mut() = None;
                if value_node.kind() == "call" {
                    self.remember_env_object(&targets, value_node);
                }
                for target in targets {
                    match target.kind() {
                        "identifier" => {
                            let name = self.text(target).to_string();
                            if maybe {
                                self.locals.remove(&name);
                            } else {
                                self.locals.insert(name.clone(), value.clone());
                            }
                            file.stmts.push(Stmt {
                                kind: StmtKind::Assign {
                                    name,
                                    value: value.clone(),
                                },
                                span: stmt_span.clone(),
                                maybe,
                            });
                        }
                        // `A, B = f(...)`: each name gets its item when the value is a known
                        // sequence of the same length, else an unknown value (never the one
                        // it had before).
                        "pattern_list" | "tuple_pattern" | "list_pattern" => {
                            let names: Vec<Node<'_>> = named_children(target);
                            let items = value
                                .items()
                                .filter(|items| {
                                    items.len() == names.len()
                                        && !items
                                            .iter()
                                            .any(|i| matches!(i.kind, ValueKind::Splat(_)))
                                })
                                .map(<[Value]>::to_vec);
                            for (i, name) in names.iter().enumerate() {
                                let item = items.as_ref().and_then(|items| items.get(i)).cloned();
                                // NOTE: an unknown item spans the whole statement: there is
                                // no expression of its own a fix could edit.
                                let item =
                                    item.unwrap_or_else(|| Value::unknown(stmt_span.clone()));
                                if name.kind() != "identifier" {
                                    continue;
                                }
                                let name = self.text(*name).to_string();
                                if maybe {
                                    self.locals.remove(&name);
                                } else {
                                    self.locals.insert(name.clone(), item.clone());
                                }
                                file.stmts.push(Stmt {
                                    kind: StmtKind::Assign { name, value: item },
                                    span: stmt_span.clone(),
                                    maybe,
                                });
                            }
                        }
                        "subscript" => {
                            let (Some(object), Some(key)) = (
                                target.child_by_field_name("value"),
                                target.child_by_field_name("subscript"),
                            ) else {
                                continue;
                            };
                            if object.kind() == "identifier" {
                                let name = self.text(object).to_string();
                                self.locals.remove(&name);
                                file.stmts.push(Stmt {
                                    kind: StmtKind::SetItem {
                                        name,
                                        key: self.eval(key),
                                        value: value.clone(),
                                    },
                                    span: stmt_span.clone(),
                                    maybe,
                                });
                            }
                        }
                        _ => {}
                    }
                }
            }
            "augmented_assignment" => {
                let (Some(left), Some(op), Some(right)) = (
                    expr.child_by_field_name("left"),
                    expr.child_by_field_name("operator"),
                    expr.child_by_field_name("right"),
                ) else {
                    return;
                };
                if left.kind() == "identifier" && self.text(op) == "+=" {
                    let name = self.text(left).to_string();
                    self.locals.remove(&name);
                    file.stmts.push(Stmt {
                        kind: StmtKind::AddAssign {
                            name,
                            value: self.eval(right),
                        },
                        span: stmt_span,
                        maybe,
                    });
                }
            }
            "call" => {
                let (Some(function), Some(arguments)) = (
                    expr.child_by_field_name("function"),
                    expr.child_by_field_name("arguments"),
                ) else {
                    return;
                };
                if self.text(function) == "django_heroku.settings" {
                    self.django_heroku(arguments, stmt_span, maybe, file);
                    return;
                }
                if function.kind() != "attribute" {
                    return;
                }
                let (Some(object), Some(method)) = (
                    function.child_by_field_name("object"),
                    function.child_by_field_name("attribute"),
                ) else {
                    return;
                };
                if object.kind() != "identifier" {
                    return;
                }
                let name = self.text(object).to_string();
                let args: Vec<Node<'_>> = named_children(arguments)
                    .into_iter()
                    .filter(|a| a.kind() != "comment")
                    .collect();
                let kind = match (self.text(method), args.as_slice()) {
                    ("append", [value]) => StmtKind::Append {
                        name,
                        value: self.eval(*value),
                    },
                    ("extend", [value]) => StmtKind::Extend {
                        name,
                        value: self.eval(*value),
                    },
                    ("remove", [value]) => StmtKind::Remove {
                        name,
                        value: self.eval(*value),
                    },
                    ("insert", [index, value]) => StmtKind::Insert {
                        name,
                        index: self.eval(*index),
                        value: self.eval(*value),
                    },
                    _ => return,
                };
                if let Some(name) = kind.name() {
                    self.locals.remove(name);
                }
                file.stmts.push(Stmt {
                    kind,
                    span: stmt_span,
                    maybe,
                });
            }
            _ => {}
        }
    }

    /// `django_heroku.settings(locals())`, by its documented effect with the environment unset
    /// (django-heroku's `settings()`): `ALLOWED_HOSTS = ["*"]` unless `allowed_hosts=False`,
    /// WhiteNoise first in the middleware list unless `staticfiles=False`. DATABASES, SECRET_KEY
    /// and the test runner change only when DATABASE_URL, SECRET_KEY or CI is set. The
    /// assignments it makes have no expression of their own: their value span is the whole
    /// statement (see [`StmtKind::Assign`]).
    fn django_heroku(
        &mut self,
        arguments: Node<'_>,
        stmt_span: Range<usize>,
        maybe: bool,
        file: &mut PythonFile,
    ) {
        let args: Vec<Node<'_>> = named_children(arguments)
            .into_iter()
            .filter(|a| a.kind() != "comment")
            .collect();
        let Some((first, rest)) = args.split_first() else {
            return;
        };
        if self.text(*first).split_whitespace().collect::<String>() != "locals()" {
            return;
        }
        let enabled = |option: &str| {
            rest.iter().all(|arg| {
                arg.kind() != "keyword_argument"
                    || arg
                        .child_by_field_name("name")
                        .is_none_or(|n| self.text(n) != option)
                    || arg
                        .child_by_field_name("value")
                        .is_some_and(|v| self.eval(v).truthy() == Some(true))
            })
        };
        let (hosts, staticfiles) = (enabled("allowed_hosts"), enabled("staticfiles"));
        let at = |kind| Value::new(kind, stmt_span.clone());
        if staticfiles {
            // NOTE: it prepends to MIDDLEWARE_CLASSES when that name exists, else to
            // MIDDLEWARE; names this module cannot see (star-imported) are not guessed.
            let list = ["MIDDLEWARE_CLASSES", "MIDDLEWARE"]
                .into_iter()
                .find(|n| self.locals.contains_key(*n));
            if let Some(list) = list {
                self.locals.remove(list);
                file.stmts.push(Stmt {
                    kind: StmtKind::Insert {
                        name: list.to_string(),
                        index: at(ValueKind::Int(0)),
                        value: at(ValueKind::Str(
                            "whitenoise.middleware.WhiteNoiseMiddleware".to_string(),
                        )),
                    },
                    span: stmt_span.clone(),
                    maybe,
                });
            }
        }
        if hosts {
            let value = at(ValueKind::List(vec![at(ValueKind::Str("*".to_string()))]));
            if !maybe {
                self.locals
                    .insert("ALLOWED_HOSTS".to_string(), value.clone());
            }
            file.stmts.push(Stmt {
                kind: StmtKind::Assign {
                    name: "ALLOWED_HOSTS".to_string(),
                    value,
                },
                span: stmt_span,
                maybe,
            });
        }
    }

    /// `env = environ.Env(DEBUG=(bool, False))`: remember the object and its scheme.
    fn remember_env_object(&mut self, targets: &[Node<'_>], call: Node<'_>) {
        let Some(function) = call.child_by_field_name("function") else {
            return;
        };
        let callee = self.text(function);
        if callee != "environ.Env" && callee != "Env" {
            return;
        }
        let mut scheme = BTreeMap::new();
        if let Some(arguments) = call.child_by_field_name("arguments") {
            for arg in named_children(arguments) {
                if arg.kind() != "keyword_argument" {
                    continue;
                }
                let (Some(name), Some(value)) = (
                    arg.child_by_field_name("name"),
                    arg.child_by_field_name("value"),
                ) else {
                    continue;
                };
                let parts: Vec<Node<'_>> = named_children(value);
                let (cast, default) = match (value.kind(), parts.as_slice()) {
                    ("tuple", [cast, default]) => {
                        (Some(self.text(*cast).to_string()), self.eval(*default))
                    }
                    _ => (None, Value::unknown(value.byte_range())),
                };
                scheme.insert(self.text(name).to_string(), (cast, default));
            }
        }
        for target in targets {
            if target.kind() == "identifier" {
                self.env_objects
                    .insert(self.text(*target).to_string(), scheme.clone());
            }
        }
    }

    /// Evaluate an expression within the depth bound and the statement's work budget; past
    /// either the value is unknown.
    fn eval(&self, node: Node<'_>) -> Value {
        let depth = self.depth.get();
        if depth >= MAX_EVAL_DEPTH || !self.spend(1) || holds_elided(node) {
            return Value::unknown(node.byte_range());
        }
        self.depth.set(depth + 1);
        let value = self.eval_node(node);
        self.depth.set(depth);
        if value_size(&value, MAX_VALUE_SIZE) > MAX_VALUE_SIZE {
            return Value::unknown(value.span);
        }
        value
    }

    fn eval_node(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let kind = match node.kind() {
            "string" => match self.string(node) {
                Some(s) => ValueKind::Str(s),
                None => ValueKind::Unknown,
            },
            "concatenated_string" => {
                let mut out = String::new();
                for part in named_children(node) {
                    match self.string(part) {
                        Some(s) => out.push_str(&s),
                        None => return Value::unknown(span),
                    }
                }
                ValueKind::Str(out)
            }
            "integer" => match parse_int(self.text(node)) {
                Some(i) => ValueKind::Int(i),
                None => ValueKind::Unknown,
            },
            "true" => ValueKind::Bool(true),
            "false" => ValueKind::Bool(false),
            "none" => ValueKind::None,
            "parenthesized_expression" => {
                return match named_children(node)
                    .into_iter()
                    .find(|c| c.kind() != "comment")
                {
                    Some(inner) => Value::new(self.eval(inner).kind, span),
                    None => Value::unknown(span),
                };
            }
            // NOTE: a literal with more items than a value may hold is unknown before any
            // item is looked at: an 8 MB settings module can list 1.6 million strings.
            "list" | "tuple" | "expression_list" | "set" | "dictionary"
                if node.named_child_count() > MAX_VALUE_SIZE =>
            {
                ValueKind::Unknown
            }
            "list" | "tuple" | "expression_list" => {
                let items = named_children(node)
                    .into_iter()
                    .filter(|c| c.kind() != "comment")
                    .map(|c| self.eval(c))
                    .collect();
                if node.kind() == "list" {
                    ValueKind::List(items)
                } else {
                    ValueKind::Tuple(items)
                }
            }
            "list_splat" => match named_children(node).first() {
                Some(inner) => ValueKind::Splat(Box::new(self.eval(*inner))),
                None => ValueKind::Unknown,
            },
            "dictionary" => {
                let mut items = Vec::new();
                for pair in named_children(node) {
                    match pair.kind() {
                        "pair" => {
                            if let (Some(k), Some(v)) = (
                                pair.child_by_field_name("key"),
                                pair.child_by_field_name("value"),
                            ) {
                                items.push((self.eval(k), self.eval(v)));
                            }
                        }
                        "comment" => {}
                        _ => return Value::unknown(span),
                    }
                }
                ValueKind::Dict(items)
            }
            "identifier" => {
                let name = self.text(node);
                let local = self
                    .frames
                    .borrow()
                    .last()
                    .and_then(|frame| frame.get(name).cloned());
                if let Some(value) = local {
                    return Value::new(value.kind, span);
                }
                return match self.locals.get(name) {
                    // Copying a name's value costs its size: `S = S + S` doubles each line.
                    Some(value) if !self.spend(value_size(value, MAX_VALUE_SIZE)) => {
                        Value::unknown(span)
                    }
                    Some(value) => Value::new(value.kind.clone(), span),
                    None => Value::new(ValueKind::Name(name.to_string()), span),
                };
            }
            "not_operator" => match node.child_by_field_name("argument") {
                Some(arg) => {
                    let inner = self.eval(arg);
                    return not(inner, span);
                }
                None => ValueKind::Unknown,
            },
            "unary_operator" => {
                let (Some(op), Some(arg)) = (
                    node.child_by_field_name("operator"),
                    node.child_by_field_name("argument"),
                ) else {
                    return Value::unknown(span);
                };
                match (self.text(op), self.eval(arg).kind) {
                    ("-", ValueKind::Int(i)) => {
                        i.checked_neg().map_or(ValueKind::Unknown, ValueKind::Int)
                    }
                    ("+", ValueKind::Int(i)) => ValueKind::Int(i),
                    _ => ValueKind::Unknown,
                }
            }
            "list_comprehension" | "set_comprehension" | "dictionary_comprehension" => {
                return self.comprehension(node);
            }
            "binary_operator" => return self.binary(node),
            "comparison_operator" => return self.comparison(node),
            "conditional_expression" => return self.conditional(node),
            "boolean_operator" => return self.boolean(node),
            "subscript" => return self.subscript(node),
            "call" => return self.call(node),
            _ => ValueKind::Unknown,
        };
        Value::new(kind, span)
    }

    /// `[body for name in iterable if cond ...]` over a known list, tuple or string split (one
    /// `for`, a plain name as its target): each item bound in a scope of its own. An item
    /// whose body or condition is not known makes the whole list unknown; a list derived from
    /// the environment stays so (its value when the variable is unset).
    fn comprehension(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let parts: Vec<Node<'_>> = named_children(node)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .collect();
        let Some((body, clauses)) = parts.split_first() else {
            return Value::unknown(span);
        };
        let (for_clauses, if_clauses): (Vec<Node<'_>>, Vec<Node<'_>>) =
            clauses.iter().partition(|c| c.kind() == "for_in_clause");
        let [for_clause] = for_clauses.as_slice() else {
            return Value::unknown(span);
        };
        if if_clauses.iter().any(|c| c.kind() != "if_clause") {
            return Value::unknown(span);
        }
        let (Some(target), Some(iterable)) = (
            for_clause.child_by_field_name("left"),
            for_clause.child_by_field_name("right"),
        ) else {
            return Value::unknown(span);
        };
        // The loop variable: one name, or `k, v` unpacking each item.
        let names: Vec<String> = match target.kind() {
            "identifier" => vec![self.text(target).to_string()],
            "pattern_list" | "tuple_pattern" => {
                let parts = named_children(target);
                if parts.iter().any(|p| p.kind() != "identifier") {
                    return Value::unknown(span);
                }
                parts.iter().map(|p| self.text(*p).to_string()).collect()
            }
            _ => return Value::unknown(span),
        };
        let source = self.eval(iterable);
        let env = matches!(source.kind, ValueKind::Env { .. }).then_some(&source);
        if env.is_some_and(Value::is_required_env) {
            return Value::new(source.kind.clone(), span);
        }
        let Some(items) = source.when_unset().and_then(Value::items) else {
            return wrap_env(env, None, span);
        };
        let mut out = Vec::new();
        for item in items {
            if !self.spend(1) {
                return Value::unknown(span);
            }
            // The comprehension's variable shadows the names around it (a scope of its own).
            let mut frame = self.frames.borrow().last().cloned().unwrap_or_default();
            match names.as_slice() {
                [name] => {
                    frame.insert(name.clone(), item.clone());
                }
                _ => match item.items() {
                    Some(parts) if parts.len() == names.len() => {
                        for (name, part) in names.iter().zip(parts) {
                            frame.insert(name.clone(), part.clone());
                        }
                    }
                    _ => return wrap_env(env, None, span),
                },
            }
            self.frames.borrow_mut().push(frame);
            let mut keep = Some(true);
            for clause in &if_clauses {
                let condition = named_children(*clause).into_iter().next();
                let truth =
                    condition.and_then(|c| self.eval(c).when_unset().and_then(Value::truthy));
                match truth {
                    Some(true) => {}
                    Some(false) => {
                        keep = Some(false);
                        break;
                    }
                    None => {
                        keep = None;
                        break;
                    }
                }
            }
            let value = if keep == Some(true) {
                self.comprehension_item(*body)
            } else {
                None
            };
            self.frames.borrow_mut().pop();
            match (keep, value) {
                (None, _) | (Some(true), None) => return wrap_env(env, None, span),
                (Some(true), Some(v)) => out.push(v),
                (Some(false), _) => {}
            }
        }
        let kind = match node.kind() {
            // Each item is a `(key, value)` pair (see `comprehension_item`).
            "dictionary_comprehension" => ValueKind::Dict(
                out.into_iter()
                    .filter_map(|pair| match pair.kind {
                        ValueKind::Tuple(mut kv) if kv.len() == 2 => {
                            let value = kv.pop()?;
                            Some((kv.pop()?, value))
                        }
                        _ => None,
                    })
                    .collect(),
            ),
            // NOTE: a set is kept as a list of its distinct items (settings read sets as
            // collections; their order does not matter to any check).
            "set_comprehension" => {
                let mut distinct: Vec<Value> = Vec::new();
                for item in out {
                    let mut seen = false;
                    for kept in &distinct {
                        match kept.py_eq(&item) {
                            Some(true) => seen = true,
                            Some(false) => {}
                            None => return wrap_env(env, None, span),
                        }
                    }
                    if !seen {
                        distinct.push(item);
                    }
                }
                ValueKind::List(distinct)
            }
            _ => ValueKind::List(out),
        };
        wrap_env(env, Some(kind), span)
    }

    /// One item of a comprehension with the environment unset: a `key: value` pair (a dict
    /// comprehension) as a 2-tuple, else the body's value; `None` when not known.
    fn comprehension_item(&self, body: Node<'_>) -> Option<Value> {
        if body.kind() == "pair" {
            let key = self.eval(body.child_by_field_name("key")?);
            let value = self.eval(body.child_by_field_name("value")?);
            let (key, value) = (key.when_unset()?.clone(), value.when_unset()?.clone());
            return Some(Value::new(
                ValueKind::Tuple(vec![key, value]),
                body.byte_range(),
            ));
        }
        self.eval(body).when_unset().cloned()
    }

    /// The name of an environment variable: a string literal, or a name bound to a known
    /// string (a helper's parameter).
    fn var_name(&self, node: Option<Node<'_>>) -> Option<String> {
        let node = node?;
        self.string(node)
            .or_else(|| self.eval(node).as_str().map(str::to_string))
    }

    /// A string literal's value; `None` for f-strings with interpolations and bytes.
    fn string(&self, node: Node<'_>) -> Option<String> {
        if node.kind() != "string" {
            return None;
        }
        let parts = named_children(node);
        let start = parts.iter().find(|p| p.kind() == "string_start")?;
        let end = parts.iter().find(|p| p.kind() == "string_end")?;
        if parts.iter().any(|p| p.kind() == "interpolation") {
            return None;
        }
        let prefix = self.text(*start).to_ascii_lowercase();
        if prefix.contains('b') {
            return None;
        }
        let raw = self.src.get(start.end_byte()..end.start_byte())?;
        Some(if prefix.contains('r') {
            raw.to_string()
        } else {
            unescape(raw)
        })
    }

    fn binary(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let (Some(left), Some(op), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("operator"),
            node.child_by_field_name("right"),
        ) else {
            return Value::unknown(span);
        };
        let (l, r) = (self.eval(left), self.eval(right));
        let op = self.text(op);
        let kind = match (op, &l.kind, &r.kind) {
            ("+", ValueKind::Int(a), ValueKind::Int(b)) => a.checked_add(*b).map(ValueKind::Int),
            ("-", ValueKind::Int(a), ValueKind::Int(b)) => a.checked_sub(*b).map(ValueKind::Int),
            ("*", ValueKind::Int(a), ValueKind::Int(b)) => a.checked_mul(*b).map(ValueKind::Int),
            ("//", ValueKind::Int(a), ValueKind::Int(b)) => floor_div(*a, *b).map(ValueKind::Int),
            ("%", ValueKind::Int(a), ValueKind::Int(b)) => floor_mod(*a, *b).map(ValueKind::Int),
            ("**", ValueKind::Int(a), ValueKind::Int(b)) => u32::try_from(*b)
                .ok()
                .and_then(|b| a.checked_pow(b))
                .map(ValueKind::Int),
            ("+", ValueKind::Str(a), ValueKind::Str(b))
                if a.len().saturating_add(b.len()) <= MAX_VALUE_SIZE
                    && self.spend(a.len() + b.len()) =>
            {
                Some(ValueKind::Str(format!("{a}{b}")))
            }
            ("+", ValueKind::List(a), ValueKind::List(b))
                if self.spend(a.len().saturating_add(b.len())) =>
            {
                Some(ValueKind::List(a.iter().chain(b).cloned().collect()))
            }
            ("+", ValueKind::Tuple(a), ValueKind::Tuple(b))
                if self.spend(a.len().saturating_add(b.len())) =>
            {
                Some(ValueKind::Tuple(a.iter().chain(b).cloned().collect()))
            }
            ("+", _, _)
                if is_sequence_like(&l.kind)
                    && is_sequence_like(&r.kind)
                    && (matches!(l.kind, ValueKind::Name(_))
                        || matches!(r.kind, ValueKind::Name(_))
                        || matches!(l.kind, ValueKind::Concat(_))) =>
            {
                let mut parts = match l.kind {
                    ValueKind::Concat(parts) => parts,
                    _ => vec![l],
                };
                parts.push(r);
                Some(ValueKind::Concat(parts))
            }
            _ => None,
        };
        Value::new(kind.unwrap_or(ValueKind::Unknown), span)
    }

    fn comparison(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let operands: Vec<Node<'_>> = named_children(node)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .collect();
        let operators: Vec<String> = children(node)
            .into_iter()
            .filter(|c| !c.is_named())
            .map(|c| self.text(c).to_string())
            .collect();
        let ([left, right], [op]) = (operands.as_slice(), operators.as_slice()) else {
            // `a == b == c`, `a not in b` (two tokens): not read.
            if let ([left, right], [a, b]) = (operands.as_slice(), operators.as_slice())
                && a == "not"
                && b == "in"
            {
                return self.compare(*left, *right, "not in", span);
            }
            if let ([left, right], [a, b]) = (operands.as_slice(), operators.as_slice())
                && a == "is"
                && b == "not"
            {
                return self.compare(*left, *right, "is not", span);
            }
            return Value::unknown(span);
        };
        self.compare(*left, *right, op, span)
    }

    fn compare(&self, left: Node<'_>, right: Node<'_>, op: &str, span: Range<usize>) -> Value {
        // `name in os.environ`: false when the variable is unset.
        if matches!(op, "in" | "not in") && matches!(self.text(right), "os.environ" | "environ") {
            let Some(var) = self.var_name(Some(left)) else {
                return Value::unknown(span);
            };
            let unset = Value::new(ValueKind::Bool(op == "not in"), span.clone());
            return env_value(var, Some(unset), span);
        }
        let (l, r) = (self.eval(left), self.eval(right));
        let (env, l_unset, r_unset) = match (&l.kind, &r.kind) {
            (ValueKind::Env { .. }, _) => (Some(&l), l.when_unset(), r.when_unset()),
            (_, ValueKind::Env { .. }) => (Some(&r), l.when_unset(), r.when_unset()),
            _ => (None, l.when_unset(), r.when_unset()),
        };
        let result = match (l_unset, r_unset) {
            (Some(a), Some(b)) => match op {
                "==" => a.py_eq(b),
                // `x is None`: identity is only known against None (and True/False).
                "is" | "is not"
                    if matches!(a.kind, ValueKind::None | ValueKind::Bool(_))
                        || matches!(b.kind, ValueKind::None | ValueKind::Bool(_)) =>
                {
                    a.py_eq(b)
                        .map(|same| {
                            same && std::mem::discriminant(&a.kind)
                                == std::mem::discriminant(&b.kind)
                        })
                        .map(|same| if op == "is" { same } else { !same })
                }
                "!=" => a.py_eq(b).map(|e| !e),
                "in" | "not in" => b.items().and_then(|items| {
                    let mut found = Some(false);
                    for item in items {
                        match a.py_eq(item) {
                            Some(true) => {
                                found = Some(true);
                                break;
                            }
                            Some(false) => {}
                            None => found = None,
                        }
                    }
                    found.map(|f| if op == "in" { f } else { !f })
                }),
                _ => None,
            },
            _ => None,
        };
        wrap_env(env, result.map(ValueKind::Bool), span)
    }

    fn conditional(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let parts: Vec<Node<'_>> = named_children(node)
            .into_iter()
            .filter(|c| c.kind() != "comment")
            .collect();
        let [then, cond, otherwise] = parts.as_slice() else {
            return Value::unknown(span);
        };
        let cond = self.eval(*cond);
        let chosen = match cond.when_unset().and_then(Value::truthy) {
            Some(true) => self.eval(*then),
            Some(false) => self.eval(*otherwise),
            None => return Value::unknown(span),
        };
        match &cond.kind {
            ValueKind::Env { .. } => wrap_env(Some(&cond), Some(chosen.kind), span),
            _ => Value::new(chosen.kind, span),
        }
    }

    fn boolean(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let (Some(left), Some(op), Some(right)) = (
            node.child_by_field_name("left"),
            node.child_by_field_name("operator"),
            node.child_by_field_name("right"),
        ) else {
            return Value::unknown(span);
        };
        let op = self.text(op);
        let l = self.eval(left);
        // Python short-circuits: `"X" in os.environ and os.environ["X"] != ""` is False with X
        // unset, and the right side (which would fail) never runs.
        if let Some(lu) = l.when_unset()
            && matches!((op, lu.truthy()), ("or", Some(true)) | ("and", Some(false)))
        {
            let env = matches!(l.kind, ValueKind::Env { .. }).then_some(&l);
            return wrap_env(env, Some(lu.kind.clone()), span);
        }
        let r = self.eval(right);
        let env = [&l, &r]
            .into_iter()
            .find(|v| matches!(v.kind, ValueKind::Env { .. }));
        let (Some(lu), Some(ru)) = (l.when_unset(), r.when_unset()) else {
            return wrap_env(env, None, span);
        };
        let result = match (op, lu.truthy()) {
            ("or", Some(true)) | ("and", Some(false)) => Some(lu.kind.clone()),
            ("or", Some(false)) | ("and", Some(true)) => Some(ru.kind.clone()),
            _ => None,
        };
        wrap_env(env, result, span)
    }

    /// `os.environ["X"]`
    fn subscript(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let (Some(value), Some(key)) = (
            node.child_by_field_name("value"),
            node.child_by_field_name("subscript"),
        ) else {
            return Value::unknown(span);
        };
        if self.text(value) == "os.environ"
            && let Some(var) = self.string(key)
        {
            return Value::new(
                ValueKind::Env {
                    var,
                    default: None,
                    required: true,
                },
                span,
            );
        }
        let (container, key) = (self.eval(value), self.eval(key));
        match (container.when_unset(), key.as_str()) {
            (Some(c), Some(k)) if matches!(container.kind, ValueKind::Dict(_)) => match c.get(k) {
                Some(v) => Value::new(v.kind.clone(), span),
                None => Value::unknown(span),
            },
            _ => Value::unknown(span),
        }
    }

    fn call(&self, node: Node<'_>) -> Value {
        let span = node.byte_range();
        let (Some(function), Some(arguments)) = (
            node.child_by_field_name("function"),
            node.child_by_field_name("arguments"),
        ) else {
            return Value::unknown(span);
        };
        let mut positional = Vec::new();
        let mut keywords: BTreeMap<&str, Node<'_>> = BTreeMap::new();
        for arg in named_children(arguments) {
            match arg.kind() {
                "keyword_argument" => {
                    if let (Some(name), Some(value)) = (
                        arg.child_by_field_name("name"),
                        arg.child_by_field_name("value"),
                    ) {
                        keywords.insert(self.text(name), value);
                    }
                }
                "comment" => {}
                "list_splat" | "dictionary_splat" => return Value::unknown(span),
                _ => positional.push(arg),
            }
        }
        let callee = self.text(function);
        if function.kind() == "identifier"
            && let Some(def) = self.functions.get(callee)
        {
            let (args, keywords) = self.eval_arguments(&positional, &keywords);
            return self.call_helper(*def, args, keywords.into_iter().collect(), span);
        }
        // ast.literal_eval("True"), strtobool("yes") on a known string.
        if matches!(
            callee,
            "ast.literal_eval" | "literal_eval" | "strtobool" | "distutils.util.strtobool"
        ) && keywords.is_empty()
            && let [arg] = positional.as_slice()
        {
            let inner = self.eval(*arg);
            let env = matches!(inner.kind, ValueKind::Env { .. }).then_some(&inner);
            if env.is_some_and(Value::is_required_env) {
                return Value::new(inner.kind.clone(), span);
            }
            let converted = inner.when_unset().and_then(|v| match &v.kind {
                ValueKind::Str(text) if callee.ends_with("strtobool") => strtobool(text),
                ValueKind::Str(text) => literal_eval(text),
                _ => None,
            });
            return wrap_env(env, converted, span);
        }
        let (object, method) = match function.kind() {
            "attribute" => (
                function
                    .child_by_field_name("object")
                    .map(|o| self.text(o))
                    .unwrap_or(""),
                function
                    .child_by_field_name("attribute")
                    .map(|a| self.text(a))
                    .unwrap_or(""),
            ),
            _ => ("", callee),
        };
        // os.environ.get / os.getenv
        if matches!(
            callee,
            "os.environ.get" | "os.getenv" | "environ.get" | "getenv"
        ) {
            let Some(var) = self.var_name(positional.first().copied()) else {
                return Value::unknown(span);
            };
            let default = positional
                .get(1)
                .or_else(|| keywords.get("default"))
                .map(|n| self.eval(*n))
                .unwrap_or_else(|| Value::new(ValueKind::None, span.clone()));
            return Value::new(
                ValueKind::Env {
                    var,
                    default: Some(Box::new(default)),
                    required: false,
                },
                span,
            );
        }
        // django-configurations: `NAME = values.BooleanValue(False)` reads DJANGO_NAME.
        if let Some(kind) = callee
            .strip_prefix("values.")
            .filter(|k| k.ends_with("Value"))
        {
            return self.configurations_value(kind, &positional, &keywords, span);
        }
        // python-decouple: config("X", default=..., cast=...)
        if matches!(callee, "config" | "decouple.config") {
            let Some(var) = self.var_name(positional.first().copied()) else {
                return Value::unknown(span);
            };
            let default = positional
                .get(1)
                .or_else(|| keywords.get("default"))
                .map(|n| self.eval(*n));
            let cast = keywords.get("cast").map(|n| self.text(*n));
            let default = default.map(|d| decouple_cast(d, cast));
            return env_value(var, default, span);
        }
        // django-environ: env("X", default=...), env.bool("X", default=...)
        let env_scheme = self.env_objects.get(callee).or_else(|| {
            (function.kind() == "attribute")
                .then(|| self.env_objects.get(object))
                .flatten()
        });
        let is_env_object =
            env_scheme.is_some() || callee == "env" || (object == "env" && !method.is_empty());
        if is_env_object {
            let cast = if function.kind() == "attribute" {
                Some(method)
            } else {
                keywords.get("cast").map(|n| self.text(*n))
            };
            if !matches!(
                cast,
                None | Some(
                    "bool"
                        | "int"
                        | "str"
                        | "list"
                        | "tuple"
                        | "float"
                        | "dict"
                        | "json"
                        | "url"
                        | "db"
                        | "db_url"
                        | "cache"
                        | "cache_url"
                        | "email"
                        | "email_url"
                        | "search_url"
                        | "path"
                )
            ) {
                return Value::unknown(span);
            }
            let Some(var) = self.var_name(positional.first().copied()) else {
                return Value::unknown(span);
            };
            let explicit = positional
                .get(1)
                .or_else(|| keywords.get("default"))
                .map(|n| self.eval(*n));
            // NOTE: django-environ returns an explicit default as written (it does not parse
            // it unless `parse_default=True`); a scheme default is returned the same way.
            let default = explicit.or_else(|| {
                env_scheme
                    .and_then(|scheme| scheme.get(&var))
                    .map(|(_, d)| d.clone())
            });
            return env_value(var, default, span);
        }
        // bool(...), int(...), str(...)
        if matches!(callee, "bool" | "int" | "str")
            && keywords.is_empty()
            && let [arg] = positional.as_slice()
        {
            let inner = self.eval(*arg);
            let env = matches!(inner.kind, ValueKind::Env { .. }).then_some(&inner);
            if env.is_some_and(Value::is_required_env) {
                return Value::new(inner.kind.clone(), span);
            }
            let converted = inner.when_unset().and_then(|v| match callee {
                "bool" => v.truthy().map(ValueKind::Bool),
                "int" => match &v.kind {
                    ValueKind::Int(i) => Some(ValueKind::Int(*i)),
                    ValueKind::Bool(b) => Some(ValueKind::Int(i64::from(*b))),
                    ValueKind::Str(s) => parse_int(s.trim()).map(ValueKind::Int),
                    _ => None,
                },
                _ => match &v.kind {
                    ValueKind::Str(s) => Some(ValueKind::Str(s.clone())),
                    ValueKind::Int(i) => Some(ValueKind::Str(i.to_string())),
                    ValueKind::Bool(b) => Some(ValueKind::Str(
                        if *b { "True" } else { "False" }.to_string(),
                    )),
                    _ => None,
                },
            });
            return wrap_env(env, converted, span);
        }
        // "...".lower() / .upper() / .strip() on an environment value.
        if function.kind() == "attribute"
            && positional.is_empty()
            && matches!(method, "lower" | "upper" | "strip" | "casefold")
            && let Some(object_node) = function.child_by_field_name("object")
        {
            let inner = self.eval(object_node);
            let env = matches!(inner.kind, ValueKind::Env { .. }).then_some(&inner);
            let converted = inner.when_unset().and_then(|v| match &v.kind {
                ValueKind::Str(s) => Some(ValueKind::Str(match method {
                    "upper" => s.to_uppercase(),
                    "strip" => s.trim().to_string(),
                    _ => s.to_lowercase(),
                })),
                _ => None,
            });
            return wrap_env(env, converted, span);
        }
        // `.items()`, `.keys()`, `.values()` of a known dict (iterated by comprehensions).
        if function.kind() == "attribute"
            && positional.is_empty()
            && keywords.is_empty()
            && matches!(method, "items" | "keys" | "values")
            && let Some(object_node) = function.child_by_field_name("object")
        {
            let inner = self.eval(object_node);
            let ValueKind::Dict(pairs) = &inner.kind else {
                return Value::unknown(span);
            };
            let items = pairs
                .iter()
                .map(|(k, v)| match method {
                    "keys" => k.clone(),
                    "values" => v.clone(),
                    _ => Value::new(ValueKind::Tuple(vec![k.clone(), v.clone()]), span.clone()),
                })
                .collect();
            return Value::new(ValueKind::List(items), span);
        }
        // "a,b".split(",") on an environment value.
        if function.kind() == "attribute"
            && method == "split"
            && let Some(object_node) = function.child_by_field_name("object")
        {
            let inner = self.eval(object_node);
            let sep = self.var_name(positional.first().copied());
            let env = matches!(inner.kind, ValueKind::Env { .. }).then_some(&inner);
            let converted = inner.when_unset().and_then(|v| match (&v.kind, &sep) {
                (ValueKind::Str(s), Some(sep)) if !sep.is_empty() => Some(ValueKind::List(
                    s.split(sep.as_str())
                        .map(|p| Value::new(ValueKind::Str(p.to_string()), v.span.clone()))
                        .collect(),
                )),
                _ => None,
            });
            return wrap_env(env, converted, span);
        }
        // A function another module defines: the project answers when it is evaluating a
        // helper; while this module is parsed on its own, the call waits to be resolved.
        // ...or `utils.helper(...)` through `from . import utils` / `import proj.env as e`.
        let module_call = function.kind() == "attribute"
            && function
                .child_by_field_name("object")
                .is_some_and(|object| {
                    let qualifier: String = self.text(object).split_whitespace().collect();
                    !self.locals.contains_key(&qualifier)
                        && !self.env_objects.contains_key(&qualifier)
                        && (self.module_imports.contains(&qualifier)
                            || (object.kind() == "identifier"
                                && self.imported.contains(&qualifier)))
                });
        if module_call
            || function.kind() == "identifier"
                && (self.imported.contains(callee) || self.star_import)
        {
            let callee: String = callee.split_whitespace().collect();
            let callee = callee.as_str();
            let (args, keywords) = self.eval_arguments(&positional, &keywords);
            if let Some(external) = self.external {
                return external(callee, args, keywords, span.clone())
                    .unwrap_or_else(|| Value::unknown(span));
            }
            return Value::new(
                ValueKind::Call {
                    callee: callee.to_string(),
                    args,
                    keywords,
                },
                span,
            );
        }
        Value::unknown(span)
    }

    /// django-configurations' `values.<Kind>Value(default, environ=True, environ_name=None,
    /// environ_prefix="DJANGO", environ_required=False)` assigned to the name being read:
    /// with the environment unset it is its default; a `SecretValue` (or a required one) has
    /// none.
    fn configurations_value(
        &self,
        kind: &str,
        positional: &[Node<'_>],
        keywords: &BTreeMap<&str, Node<'_>>,
        span: Range<usize>,
    ) -> Value {
        let keyword = |name: &str| keywords.get(name).map(|n| self.eval(*n));
        let default = positional
            .first()
            .map(|n| self.eval(*n))
            .or_else(|| keyword("default"));
        if keyword("environ").is_some_and(|e| e.truthy() == Some(false)) {
            return default.unwrap_or_else(|| Value::new(ValueKind::None, span));
        }
        let Some(name) = keyword("environ_name")
            .and_then(|n| n.as_str().map(str::to_string))
            .or_else(|| self.assigning.borrow().clone())
        else {
            return Value::unknown(span);
        };
        let prefix = match keyword("environ_prefix") {
            Some(p) => match &p.kind {
                ValueKind::Str(p) => p.clone(),
                ValueKind::None => String::new(),
                _ => return Value::unknown(span),
            },
            None => "DJANGO".to_string(),
        };
        let var = if prefix.is_empty() {
            name
        } else {
            format!("{prefix}_{name}")
        };
        let required = kind == "SecretValue"
            || keyword("environ_required").is_some_and(|r| r.truthy() == Some(true));
        let default = if required {
            None
        } else {
            Some(default.unwrap_or_else(|| Value::new(ValueKind::None, span.clone())))
        };
        env_value(var, default, span)
    }

    /// The values of a call's arguments.
    fn eval_arguments(
        &self,
        positional: &[Node<'_>],
        keywords: &BTreeMap<&str, Node<'_>>,
    ) -> (Vec<Value>, Vec<(String, Value)>) {
        (
            positional.iter().map(|a| self.eval(*a)).collect(),
            keywords
                .iter()
                .map(|(k, v)| ((*k).to_string(), self.eval(*v)))
                .collect(),
        )
    }
}

/// Python's `a // b` (rounds toward negative infinity); `None` on division by zero and on
/// overflow (`i64::MIN // -1`).
fn floor_div(a: i64, b: i64) -> Option<i64> {
    let q = a.checked_div(b)?;
    let r = a.checked_rem(b)?;
    if r != 0 && ((r < 0) != (b < 0)) {
        q.checked_sub(1)
    } else {
        Some(q)
    }
}

/// Python's `a % b` (the sign of the divisor).
fn floor_mod(a: i64, b: i64) -> Option<i64> {
    let r = a.checked_rem(b)?;
    if r != 0 && ((r < 0) != (b < 0)) {
        r.checked_add(b)
    } else {
        Some(r)
    }
}

fn is_sequence_like(kind: &ValueKind) -> bool {
    matches!(
        kind,
        ValueKind::List(_) | ValueKind::Tuple(_) | ValueKind::Name(_) | ValueKind::Concat(_)
    )
}

/// Python's `not X` of a value (kept symbolic while `X` waits for names or calls).
pub fn not(inner: Value, span: Range<usize>) -> Value {
    match &inner.kind {
        ValueKind::Name(_) | ValueKind::Concat(_) | ValueKind::Not(_) | ValueKind::Call { .. } => {
            Value::new(ValueKind::Not(Box::new(inner)), span)
        }
        ValueKind::Env { .. } => {
            let negated = inner
                .when_unset()
                .and_then(Value::truthy)
                .map(|t| ValueKind::Bool(!t));
            wrap_env(Some(&inner), negated, span)
        }
        _ => match inner.truthy() {
            Some(t) => Value::new(ValueKind::Bool(!t), span),
            None => Value::unknown(span),
        },
    }
}

/// A value derived from `env` (if any): when the variable is unset it is `unset`.
fn wrap_env(env: Option<&Value>, unset: Option<ValueKind>, span: Range<usize>) -> Value {
    match env.map(|e| &e.kind) {
        Some(ValueKind::Env { var, required, .. }) => Value::new(
            ValueKind::Env {
                var: var.clone(),
                default: if *required {
                    None
                } else {
                    Some(Box::new(Value::new(
                        unset.unwrap_or(ValueKind::Unknown),
                        span.clone(),
                    )))
                },
                required: *required,
            },
            span,
        ),
        _ => Value::new(unset.unwrap_or(ValueKind::Unknown), span),
    }
}

fn env_value(var: String, default: Option<Value>, span: Range<usize>) -> Value {
    let required = default.is_none();
    Value::new(
        ValueKind::Env {
            var,
            default: default.map(Box::new),
            required,
        },
        span,
    )
}

/// What python-decouple's `cast` makes of a default: it casts defaults too, and `cast=bool`
/// parses strings ("1", "true", "yes", "on" / "0", "false", "no", "off", "").
fn decouple_cast(default: Value, cast: Option<&str>) -> Value {
    let span = default.span.clone();
    let kind = match (cast, &default.kind) {
        (None, _) => return default,
        // `default=not DEBUG`: a bool already; resolved once DEBUG is.
        (Some("bool"), ValueKind::Not(_) | ValueKind::Bool(_)) => return default,
        (Some("bool"), kind) => {
            let text = match kind {
                ValueKind::Str(s) => s.clone(),
                ValueKind::Bool(b) => if *b { "True" } else { "False" }.to_string(),
                ValueKind::Int(i) => i.to_string(),
                _ => return Value::unknown(span),
            };
            match text.to_lowercase().as_str() {
                "1" | "yes" | "y" | "true" | "on" | "t" => ValueKind::Bool(true),
                "0" | "no" | "n" | "false" | "off" | "f" | "" => ValueKind::Bool(false),
                _ => ValueKind::Unknown,
            }
        }
        (Some("int"), ValueKind::Int(i)) => ValueKind::Int(*i),
        (Some("int"), ValueKind::Str(s)) => parse_int(s.trim())
            .map(ValueKind::Int)
            .unwrap_or(ValueKind::Unknown),
        (Some("str"), ValueKind::Str(s)) => ValueKind::Str(s.clone()),
        (Some(c), ValueKind::Str(s)) if c.starts_with("Csv(") => ValueKind::List(
            s.split(',')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| Value::new(ValueKind::Str(p.to_string()), span.clone()))
                .collect(),
        ),
        _ => ValueKind::Unknown,
    };
    Value::new(kind, span)
}

/// `distutils.util.strtobool` (1 or 0; `None` where it raises ValueError).
fn strtobool(text: &str) -> Option<ValueKind> {
    match text.to_ascii_lowercase().as_str() {
        "y" | "yes" | "t" | "true" | "on" | "1" => Some(ValueKind::Int(1)),
        "n" | "no" | "f" | "false" | "off" | "0" => Some(ValueKind::Int(0)),
        _ => None,
    }
}

/// `ast.literal_eval` of the simple literals an environment default holds.
fn literal_eval(text: &str) -> Option<ValueKind> {
    let text = text.trim();
    match text {
        "True" => return Some(ValueKind::Bool(true)),
        "False" => return Some(ValueKind::Bool(false)),
        "None" => return Some(ValueKind::None),
        _ => {}
    }
    if let Some(i) = text.strip_prefix('-').map_or_else(
        || parse_int(text),
        |rest| parse_int(rest).and_then(i64::checked_neg),
    ) {
        return Some(ValueKind::Int(i));
    }
    for quote in ['"', '\''] {
        if let Some(inner) = text.strip_prefix(quote).and_then(|t| t.strip_suffix(quote))
            && !inner.contains(quote)
            && !inner.contains('\\')
        {
            return Some(ValueKind::Str(inner.to_string()));
        }
    }
    None
}

fn parse_int(text: &str) -> Option<i64> {
    let clean: String = text.chars().filter(|c| *c != '_').collect();
    let lower = clean.to_ascii_lowercase();
    if let Some(hex) = lower.strip_prefix("0x") {
        i64::from_str_radix(hex, 16).ok()
    } else if let Some(oct) = lower.strip_prefix("0o") {
        i64::from_str_radix(oct, 8).ok()
    } else if let Some(bin) = lower.strip_prefix("0b") {
        i64::from_str_radix(bin, 2).ok()
    } else {
        lower.parse().ok()
    }
}

fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('\\') => out.push('\\'),
            Some('\'') => out.push('\''),
            Some('"') => out.push('"'),
            Some('\n') => {}
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(src: &str) -> Value {
        let file = PythonFile::parse(src);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        match &file.stmts.last().unwrap().kind {
            StmtKind::Assign { value, .. } => value.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn unset(src: &str) -> Option<ValueKind> {
        value(src).when_unset().map(|v| v.kind.clone())
    }

    fn s(text: &str) -> ValueKind {
        ValueKind::Str(text.to_string())
    }

    #[test]
    fn literals() {
        assert_eq!(value("X = 'a\\nb'").kind, s("a\nb"));
        assert_eq!(value("X = r'a\\nb'").kind, s("a\\nb"));
        assert_eq!(value("X = 'a' 'b'").kind, s("ab"));
        assert_eq!(value("X = f'{y}'").kind, ValueKind::Unknown);
        assert_eq!(value("X = 31_536_000").kind, ValueKind::Int(31_536_000));
        assert_eq!(
            value("X = 60 * 60 * 24 * 365").kind,
            ValueKind::Int(31_536_000)
        );
        assert_eq!(value("X = True").kind, ValueKind::Bool(true));
        assert_eq!(value("X = None").kind, ValueKind::None);
        let v = value("X = {'a': 1, 'b': [1, 2]}");
        assert_eq!(v.get("a").map(|v| &v.kind), Some(&ValueKind::Int(1)));
        assert_eq!(value("X = (1,)").items().map(<[Value]>::len), Some(1));
        let span = value("X = 'abc'\n").span;
        assert_eq!(span, 4..9);
    }

    #[test]
    fn os_environ_forms() {
        assert_eq!(
            unset("import os\nX = os.environ.get('A', 'd')"),
            Some(s("d"))
        );
        assert_eq!(unset("X = os.getenv('A')"), Some(ValueKind::None));
        let v = value("X = os.environ['A']");
        assert!(v.is_required_env());
        assert_eq!(v.env_var(), Some("A"));
        assert_eq!(v.when_unset(), None);
        // The string "False" is truthy: assigned as-is, DEBUG is on.
        let debug = value("DEBUG = os.environ.get('DJANGO_DEBUG', 'False')");
        assert_eq!(debug.when_unset().and_then(Value::truthy), Some(true));
        // bool("0") is True in Python.
        assert_eq!(
            unset("DEBUG = bool(os.getenv('DEBUG', '0'))"),
            Some(ValueKind::Bool(true))
        );
        assert_eq!(
            unset("DEBUG = bool(int(os.getenv('DEBUG', '0')))"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(
            unset("X = int(os.getenv('A', '5'))"),
            Some(ValueKind::Int(5))
        );
    }

    #[test]
    fn comparisons() {
        assert_eq!(
            unset("DEBUG = os.getenv('DEBUG') == '1'"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(
            unset("DEBUG = os.getenv('DEBUG', '1') == '1'"),
            Some(ValueKind::Bool(true))
        );
        assert_eq!(
            unset("DEBUG = os.getenv('DEBUG', 'True').lower() in ('1', 'true')"),
            Some(ValueKind::Bool(true))
        );
        assert_eq!(
            unset("DEBUG = os.getenv('DEBUG', 'no').lower() in ('1', 'true')"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(
            unset("DEBUG = os.getenv('DEBUG', 'no') != 'no'"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(
            value("DEBUG = os.getenv('DEBUG') == '1'").env_var(),
            Some("DEBUG")
        );
    }

    #[test]
    fn django_environ() {
        assert_eq!(
            unset("DEBUG = env.bool('DEBUG', default=True)"),
            Some(ValueKind::Bool(true))
        );
        assert_eq!(unset("X = env('X', default='a')"), Some(s("a")));
        assert!(value("SECRET_KEY = env('SECRET_KEY')").is_required_env());
        assert_eq!(
            unset("import environ\nenv = environ.Env(DEBUG=(bool, False))\nDEBUG = env('DEBUG')"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(
            unset("X = env.list('HOSTS', default=['a'])").map(|k| matches!(k, ValueKind::List(_))),
            Some(true)
        );
        assert_eq!(
            unset("X = env.int('N', default=3)"),
            Some(ValueKind::Int(3))
        );
    }

    #[test]
    fn decouple() {
        assert_eq!(
            unset("DEBUG = config('DEBUG', default=False, cast=bool)"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(
            unset("DEBUG = config('DEBUG', default='true', cast=bool)"),
            Some(ValueKind::Bool(true))
        );
        assert_eq!(
            unset("DEBUG = config('DEBUG', default='0', cast=bool)"),
            Some(ValueKind::Bool(false))
        );
        assert!(value("SECRET_KEY = config('SECRET_KEY')").is_required_env());
        assert_eq!(
            unset("H = config('H', default='a, b', cast=Csv())"),
            Some(ValueKind::List(vec![
                Value::new(s("a"), 24..30),
                Value::new(s("b"), 24..30)
            ]))
        );
    }

    #[test]
    fn conditionals_and_names() {
        assert_eq!(unset("X = 'a' if os.getenv('P') else 'b'"), Some(s("b")));
        assert_eq!(
            value("DEBUG = False\nX = not DEBUG").kind,
            ValueKind::Bool(true)
        );
        assert_eq!(
            value("X = not OTHER").kind,
            ValueKind::Not(Box::new(Value::new(ValueKind::Name("OTHER".into()), 8..13)))
        );
        assert_eq!(
            unset("X = os.getenv('A') or 'fallback'"),
            Some(s("fallback"))
        );
    }

    #[test]
    fn try_whose_handlers_exit_is_certain() {
        let star = |src: &str| {
            PythonFile::parse(src)
                .stmts
                .iter()
                .find(|s| matches!(s.kind, StmtKind::StarImport { .. }))
                .map(|s| s.maybe)
        };
        // Review Board's settings: the module cannot load without settings_local.
        let exits = "import sys\ntry:\n    from settings_local import *\nexcept ImportError as e:\n    \
                     report(e)\n    sys.exit(1)\n";
        assert_eq!(star(exits), Some(false));
        let raises =
            "try:\n    from .local import *\nexcept ImportError:\n    raise RuntimeError('x')\n";
        assert_eq!(star(raises), Some(false));
        // One handler that goes on is enough for the body to be uncertain.
        let optional = "try:\n    from .local import *\nexcept ImportError:\n    pass\n";
        assert_eq!(star(optional), Some(true));
        let mixed = "try:\n    from .local import *\nexcept ImportError:\n    sys.exit(1)\nexcept ValueError:\n    pass\n";
        assert_eq!(star(mixed), Some(true));
        // Handlers themselves stay uncertain: they run only on an error.
        let handler = PythonFile::parse(
            "try:\n    import x\nexcept ImportError:\n    DEBUG = True\n    raise\n",
        );
        assert!(handler.stmts.iter().all(|s| s.maybe));
    }

    #[test]
    fn statements_and_lists() {
        let src = "\
import os
from .base import *
from project.settings.base import *
MIDDLEWARE = [*BASE, 'x']
MIDDLEWARE += ['y']
MIDDLEWARE.append('z')
MIDDLEWARE.insert(0, 'w')
APPS = BASE_APPS + ['a']
if SOMETHING_UNKNOWN:
    DEBUG = True
try:
    from .local import *
except ImportError:
    pass
def f():
    SECRET_KEY = 'nope'
";
        let file = PythonFile::parse(src);
        assert!(file.imports_os);
        let kinds: Vec<&StmtKind> = file.stmts.iter().map(|s| &s.kind).collect();
        assert!(matches!(kinds[0], StmtKind::StarImport { module, level: 1 } if module == "base"));
        assert!(
            matches!(kinds[1], StmtKind::StarImport { module, level: 0 } if module == "project.settings.base")
        );
        assert!(matches!(kinds[2], StmtKind::Assign { value, .. }
            if matches!(&value.items().unwrap()[0].kind, ValueKind::Splat(_))));
        assert!(matches!(kinds[3], StmtKind::AddAssign { .. }));
        assert!(matches!(kinds[4], StmtKind::Append { .. }));
        assert!(matches!(kinds[5], StmtKind::Insert { index, .. } if index.as_int() == Some(0)));
        assert!(matches!(kinds[6], StmtKind::Assign { value, .. }
            if matches!(value.kind, ValueKind::Concat(_))));
        assert!(file.stmts[7].maybe);
        assert!(matches!(kinds[8], StmtKind::StarImport { module, level: 1 } if module == "local"));
        assert!(file.stmts[8].maybe);
        assert_eq!(file.stmts.len(), 9);
        assert!(file.is_settings_like);
    }

    #[test]
    fn namespace_rewrites_are_seen_and_reads_are_not() {
        let rewrites = |src: &str| {
            PythonFile::parse(src)
                .stmts
                .iter()
                .filter(|s| s.kind == StmtKind::RewriteNamespace)
                .count()
        };
        // Rewrites: handed to a call, updated, assigned through, exec'd, held by an object.
        assert_eq!(rewrites("globals().update(load())\n"), 1);
        assert_eq!(rewrites("vars().update(x)\n"), 1);
        assert_eq!(rewrites("load_into(locals())\n"), 1);
        assert_eq!(rewrites("exec(open('x').read())\n"), 1);
        assert_eq!(
            rewrites("for k, v in d.items():\n    globals()[k] = v\n"),
            1
        );
        assert_eq!(
            rewrites("ns = Settings(table=globals())\nif x:\n    ns.update_globals()\n"),
            2
        );
        assert_eq!(
            rewrites("setattr(sys.modules[__name__], 'DEBUG', True)\n"),
            1
        );
        assert_eq!(
            rewrites("def load():\n    globals().update(x)\n\nload()\n"),
            1
        );
        assert_eq!(
            rewrites("def load():\n    global DEBUG\n    DEBUG = True\n\nload()\n"),
            1
        );
        // Reads, and django_heroku's documented effect, rewrite nothing.
        assert_eq!(rewrites("X = globals().get('Y', 1)\n"), 0);
        assert_eq!(rewrites("X = 'Y' in globals()\n"), 0);
        assert_eq!(rewrites("X = globals()['Y']\n"), 0);
        assert_eq!(rewrites("django_heroku.settings(locals())\n"), 0);
        assert_eq!(rewrites("def helper():\n    return 1\n\nX = helper()\n"), 0);
        // What was known before a rewrite is not known after it.
        let file = PythonFile::parse("DEBUG = False\nglobals().update(x)\nCOPY = DEBUG\n");
        assert!(matches!(file.stmts.last().map(|s| &s.kind),
            Some(StmtKind::Assign { value, .. }) if value.kind == ValueKind::Name("DEBUG".into())));
    }

    #[test]
    fn dict_and_set_comprehensions_over_known_values() {
        let src = "\
BASE = {'a': 1, 'b': 2}
D = {k: v * 2 for k, v in BASE.items() if k != 'b'}
S = {h.strip() for h in 'x, y,x'.split(',')}
K = [k for k in BASE.keys()]
U = {k: v for k, v in os.environ.items()}
";
        let file = PythonFile::parse(src);
        let value = |name: &str| file.assigned(name).unwrap().kind.clone();
        let ValueKind::Dict(pairs) = value("D") else {
            panic!("D is not a dict");
        };
        assert_eq!(pairs.len(), 1);
        assert_eq!(pairs[0].0.as_str(), Some("a"));
        assert_eq!(pairs[0].1.as_int(), Some(2));
        let ValueKind::List(hosts) = value("S") else {
            panic!("S is not a list");
        };
        let hosts: Vec<&str> = hosts.iter().filter_map(Value::as_str).collect();
        assert_eq!(hosts, ["x", "y"]);
        assert!(matches!(value("K"), ValueKind::List(keys) if keys.len() == 2));
        assert_eq!(value("U"), ValueKind::Unknown);
    }

    #[test]
    fn boolean_operators_short_circuit() {
        let src = "\
A = 'X' in os.environ and os.environ['X'] != ''
B = os.environ.get('Y', 'on') or os.environ['Z']
";
        let file = PythonFile::parse(src);
        let unset = |name: &str| {
            file.assigned(name)
                .unwrap()
                .when_unset()
                .map(|v| v.kind.clone())
        };
        assert_eq!(unset("A"), Some(ValueKind::Bool(false)));
        assert_eq!(unset("B"), Some(ValueKind::Str("on".into())));
    }

    #[test]
    fn unpacking_assigns_each_name() {
        let file = PythonFile::parse("A, B = True, 1\nC, D = f()\n");
        let kinds: Vec<&StmtKind> = file.stmts.iter().map(|s| &s.kind).collect();
        assert!(
            matches!(kinds[0], StmtKind::Assign { name, value } if name == "A" && value.kind == ValueKind::Bool(true))
        );
        assert!(
            matches!(kinds[1], StmtKind::Assign { name, value } if name == "B" && value.kind == ValueKind::Int(1))
        );
        assert!(
            matches!(kinds[3], StmtKind::Assign { name, value } if name == "D" && value.kind == ValueKind::Unknown)
        );
        assert_eq!(file.stmts.len(), 4);
    }

    #[test]
    fn syntax_errors_keep_what_can_be_read() {
        let file =
            PythonFile::parse("DEBUG = True\nSECRET_KEY = 'x'\nX = (\nINSTALLED_APPS = []\n");
        assert!(!file.errors.is_empty());
        assert!(file.errors[0].span.is_some());
        assert!(file.stmts.iter().any(|s| s.kind.name() == Some("DEBUG")));
        assert!(PythonFile::parse("x = 1\n").errors.is_empty());
        let script = PythonFile::parse("from tkinter import *\nDEBUG = (\n");
        assert!(!script.errors.is_empty() && !script.is_settings_like);
        assert!(PythonFile::parse("from .base import *\n").is_settings_like);
        assert!(!PythonFile::parse("def f(:\n").errors.is_empty());
    }

    #[test]
    fn helpers_are_evaluated_with_the_environment_unset() {
        let envbool = "import os\ndef envbool(name, default):\n    v = os.getenv(name, default=default)\n    return v == 'True'\n";
        let v = value(&format!("{envbool}DEBUG = envbool('DEBUG', 'True')"));
        assert_eq!(
            v.when_unset().map(|v| &v.kind),
            Some(&ValueKind::Bool(true))
        );
        assert_eq!(v.env_var(), Some("DEBUG"));
        assert_eq!(
            unset(&format!("{envbool}DEBUG = envbool('DEBUG', 'False')")),
            Some(ValueKind::Bool(false))
        );
        let in_environ = "import os, ast\ndef get_bool_from_env(name, default_value):\n    \"\"\"Doc.\"\"\"\n    if name in os.environ:\n        value = os.environ[name]\n        try:\n            return ast.literal_eval(value)\n        except ValueError as e:\n            raise ValueError('bad') from e\n    return default_value\n";
        assert_eq!(
            unset(&format!(
                "{in_environ}DEBUG = get_bool_from_env('DEBUG', True)"
            )),
            Some(ValueKind::Bool(true))
        );
        let lowered = "import os\ndef extract_bool(key, default=False):\n    raw = os.environ.get(key)\n    if raw is None:\n        return default\n    return raw.lower() in ('1', 'true')\n";
        // `raw is None` holds with the variable unset: the default is returned.
        assert_eq!(
            unset(&format!("{lowered}DEBUG = extract_bool('DEBUG', True)")),
            Some(ValueKind::Bool(true))
        );
        // The default returned because the variable is unset keeps its environment mark.
        let v = value(&format!(
            "{lowered}DEBUG = extract_bool('DJANGO_DEBUG', True)"
        ));
        assert_eq!(v.env_var(), Some("DJANGO_DEBUG"));
        let v = value(&format!(
            "{in_environ}DEBUG = get_bool_from_env('DEBUG', True)"
        ));
        assert_eq!(v.env_var(), Some("DEBUG"));
        let first = "import os\ndef get_env(name, default=None):\n    for key in ('APP_' + name, name):\n        if os.environ.get(key):\n            return os.environ[key]\n    return default\n";
        let v = value(&format!("{first}SECRET_KEY = get_env('SECRET_KEY', 'x')"));
        assert_eq!(v.env_var(), Some("APP_SECRET_KEY"));
        assert_eq!(v.when_unset().map(|v| &v.kind), Some(&s("x")));
        // No environment read decided it: a plain value.
        let plain = "def f(x):\n    if x:\n        return 1\n    return 2\nX = f(True)";
        assert_eq!(value(plain).kind, ValueKind::Int(1));
        assert_eq!(
            unset("import os\nX = os.environ.get('X') is not None"),
            Some(ValueKind::Bool(false))
        );
        assert_eq!(unset("X = 1 is True"), Some(ValueKind::Bool(false)));
        let strtobool_helper = "import os\nfrom distutils.util import strtobool\ndef flag(name, default='no'):\n    return bool(strtobool(os.getenv(name, default)))\n";
        assert_eq!(
            unset(&format!(
                "{strtobool_helper}DEBUG = flag('DEBUG', default='yes')"
            )),
            Some(ValueKind::Bool(true))
        );
        let intish = "import os\ndef envint(name, default):\n    return int(os.environ.get(name, default))\n";
        assert_eq!(
            unset(&format!(
                "{intish}SECURE_HSTS_SECONDS = envint('HSTS', '0')"
            )),
            Some(ValueKind::Int(0))
        );
        // Loops, recursion and raises give up.
        let looping = "def f(name):\n    for x in name:\n        return x\nX = f('ab')";
        assert_eq!(value(looping).kind, ValueKind::Unknown);
        let recursive = "def f(name):\n    return f(name)\nX = f('ab')";
        assert_eq!(value(recursive).kind, ValueKind::Unknown);
        let raising = "def f(name):\n    raise ValueError(name)\nX = f('ab')";
        assert_eq!(value(raising).kind, ValueKind::Unknown);
        let io = "def f(name):\n    print(name)\n    return 1\nX = f('ab')";
        assert_eq!(value(io).kind, ValueKind::Unknown);
    }

    #[test]
    fn settings_classes_loaded_by_a_call_are_recorded() {
        let file = PythonFile::parse(
            "import cbs\nfrom cbs import BaseSettings\nclass Prod(Base):\n    DEBUG = False\n    @property\n    def DATABASES(self):\n        return {}\n    def helper(self):\n        return 1\nProd.load_settings(__name__)\ncbs.apply('proj.settings.Prod', globals())\ncbs.apply(mode + 'Settings', globals())\n__getattr__, __dir__ = BaseSettings.use(env='APP_MODE')\n__getattr__ = BaseSettings.use()\n",
        );
        let hows: Vec<&LoadKind> = file.class_loads.iter().map(|l| &l.how).collect();
        let copy = |c: Option<&str>| LoadKind::Copy {
            class: c.map(str::to_string),
        };
        assert_eq!(
            hows,
            vec![
                &copy(Some("Prod")),
                &copy(Some("Prod")),
                &copy(None),
                &LoadKind::Fallback {
                    env: "APP_MODE".into(),
                    dir: true
                },
                &LoadKind::Fallback {
                    env: "DJANGO_MODE".into(),
                    dir: false
                },
            ]
        );
        // An upper-case method is a setting whose value is unknown; other methods are not.
        let names: Vec<(&str, bool)> = file.classes[0]
            .stmts
            .iter()
            .filter_map(|s| match &s.kind {
                StmtKind::Assign { name, value } => {
                    Some((name.as_str(), value.kind == ValueKind::Unknown))
                }
                _ => None,
            })
            .collect();
        assert_eq!(names, vec![("DEBUG", false), ("DATABASES", true)]);
    }

    #[test]
    fn dotenv_loads_are_recorded() {
        let file = PythonFile::parse(
            "import environ\nfrom dotenv import load_dotenv\nload_dotenv()\nenviron.Env.read_env()\nenviron.Env.read_env(os.path.join(BASE_DIR, 'prod.env'))\nenv.read_env(str(BASE_DIR / '.env'))\nif X:\n    load_dotenv()\n",
        );
        let loads: Vec<(&str, bool)> = file
            .dotenv_loads
            .iter()
            .map(|l| (l.file.as_str(), l.upwards))
            .collect();
        assert_eq!(
            loads,
            vec![
                (".env", true),
                (".env", false),
                ("prod.env", true),
                (".env", true)
            ]
        );
    }

    #[test]
    fn known_conditions_choose_a_branch() {
        let file = PythonFile::parse(
            "import os\nDEBUG = os.getenv('DEBUG') == '1'\nif DEBUG:\n    A = 1\nelif os.environ.get('X'):\n    B = 1\nelse:\n    C = 1\nif UNKNOWN:\n    D = 1\n",
        );
        let names: Vec<(&str, bool)> = file
            .stmts
            .iter()
            .filter_map(|s| s.kind.name().map(|n| (n, s.maybe)))
            .collect();
        assert_eq!(names, vec![("DEBUG", false), ("C", false), ("D", true)]);
    }

    #[test]
    fn decouple_casts() {
        assert_eq!(
            unset("X = config('SECURE_HSTS_SECONDS', default='0', cast=int)"),
            Some(ValueKind::Int(0))
        );
        assert_eq!(
            unset("DEBUG = False\nX = config('S', default=not DEBUG, cast=bool)"),
            Some(ValueKind::Bool(true))
        );
    }

    #[test]
    fn python_integer_arithmetic() {
        assert_eq!(value("X = -7 // 2").kind, ValueKind::Int(-4));
        assert_eq!(value("X = 7 // -2").kind, ValueKind::Int(-4));
        assert_eq!(value("X = -7 % 2").kind, ValueKind::Int(1));
        assert_eq!(value("X = 2 ** 10").kind, ValueKind::Int(1024));
        assert_eq!(
            value("X = (0 - 9223372036854775807 - 1) // (0 - 1)").kind,
            ValueKind::Unknown
        );
        assert_eq!(value("X = 1 // 0").kind, ValueKind::Unknown);
    }

    #[test]
    fn comprehensions_over_known_values() {
        let hosts = value(
            r#"X = [h.strip() for h in os.environ.get("HOSTS", "a, ,b").split(",") if h.strip()]"#,
        );
        let items: Vec<&str> = hosts
            .when_unset()
            .and_then(Value::items)
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(items, ["a", "b"]);
        assert_eq!(hosts.env_var(), Some("HOSTS"));
        assert_eq!(unset("X = [x for x in y]"), None);
        assert_eq!(unset("X = [x for x in [1, 2] for z in [3]]"), None);
        assert_eq!(unset("X = [f(x) for x in [1, 2]]"), None);
        assert_eq!(
            value("X = [x for x in ['a', 'b'] if x != 'a']")
                .items()
                .map(|i| i.len()),
            Some(1)
        );
    }

    #[test]
    fn settings_like_byte_test_holds_whenever_the_parse_is_settings_like() {
        let texts = [
            "from .base import *\n",
            "from proj.settings.base import  \\\n  *\n",
            "if X:\n    SECRET_KEY = 'x'\n",
            "DATABASES = {}\n",
            "app = Flask(__name__)\n",
            "app = FastAPI()\n",
            "DEBUG = True\nSECURE_SSL_REDIRECT = False\n",
            "ROWS = [{'level': 'DEBUG', 'key': 'SECRET_1'}]\n",
            "from tkinter import *\n",
        ];
        for text in texts {
            let parsed = PythonFile::parse(text);
            assert!(
                !parsed.is_settings_like || may_be_settings_like(text),
                "{text:?}"
            );
        }
        assert!(!may_be_settings_like("ROWS = [{'level': 'DEBUG'}]\n"));
        assert!(!may_be_settings_like(
            "@override_settings(DEBUG=True, SECURE_SSL_REDIRECT=False)\ndef test(): pass\n"
        ));
    }

    #[test]
    fn prefilter() {
        assert!(is_candidate("DEBUG = True"));
        assert!(is_candidate("app = Flask(__name__)"));
        assert!(!is_candidate("from django.conf import settings\n"));
    }
}
