//! pydantic-settings classes read statically: `class Settings(BaseSettings)` (and settings-named
//! `BaseModel` classes), their fields with the default each gets when its environment variable
//! is unset, and what the class says about how the environment is read.
//!
//! A field is `name: Type = default`; `Field(default=...)` / `Field(x, ...)` give the default,
//! `default_factory` an unknown one, no default (or `...`) makes the field required: a
//! deployment that does not set it fails at start-up, which is what fail-closed means here.
//! `SecretStr("x")` is the literal `"x"`. `model_config = SettingsConfigDict(env_prefix=...)`
//! (or `{...}`) and pydantic v1's nested `class Config: env_prefix = ...` give the variable
//! prefix, inherited through project base classes; `Field(alias=...)` /
//! `validation_alias=...` name the variable outright.
//!
//! Methods are read for two things only: the `self.FIELD` names a `@computed_field` property
//! returns (so `allow_origins=settings.all_cors_origins` leads to the fields it combines), and
//! whether a validator rejects a field's literal default (`if self.SECRET_KEY == "changethis":
//! raise ...`), which makes the default fail closed.

use std::collections::{BTreeMap, HashSet};
use std::ops::Range;

use tree_sitter::{Node, Parser};

use super::flask::name_is_development;
use crate::formats::Parsed;
use crate::formats::python::{PythonFile, Value, ValueKind, eval_expression};
use crate::project::{FileKind, Project, SourceFile};

/// Bytes that make a Python file worth reading for settings classes.
pub(crate) const MARKERS: &[&str] = &["BaseSettings", "BaseModel"];

/// How FastAPI applications name the models of their API's requests and responses
/// (`UserCreate`, `UserPublic`, `ConfigResponse`): a model so named is no settings.
const API_SCHEMA_SUFFIXES: &[&str] = &[
    "Response", "Request", "Schema", "Create", "Update", "Patch", "Read", "Public", "Payload",
    "Body", "Params", "Query", "Filter",
];

/// Expressions taller than this are not evaluated (see the Flask reader).
const MAX_EVAL_HEIGHT: usize = 256;

/// How a fix removes a field's default.
#[derive(Debug, Clone, PartialEq)]
pub enum DefaultEdit {
    /// Delete this range (` = "x"` after the annotation): the field becomes required.
    Delete(Range<usize>),
    /// Replace this range (the default inside `Field(...)`) with `...`: required.
    Ellipsis(Range<usize>),
}

/// One field of a settings class.
#[derive(Debug, Clone)]
pub struct SettingsField {
    pub name: String,
    /// The annotation's text (`str`, `SecretStr`, `list[str]`).
    pub annotation: String,
    /// The default as evaluated; `None` when the field is required.
    pub default: Option<Value>,
    /// The default expression as written (what a finding points at).
    pub default_span: Option<Range<usize>>,
    /// How to make the field required, when the default can be removed by a local edit.
    pub edit: Option<DefaultEdit>,
    /// The field's name in the source.
    pub span: Range<usize>,
    /// `Field(alias=...)` / `validation_alias=...`: the variable's name outright.
    pub alias: Option<String>,
}

/// A method of a settings class, as far as the checks need it.
#[derive(Debug, Clone)]
pub struct Method {
    pub name: String,
    pub validator: bool,
    pub computed: bool,
    /// The `self.NAME` attributes the body reads.
    pub reads: Vec<String>,
    /// String literals the body compares with (`== "changethis"`, `in ("", "dev")`).
    pub compared: Vec<String>,
    pub raises: bool,
    /// Methods of the class it calls (`self._check_default_secret(...)`).
    pub calls: Vec<String>,
}

/// A pydantic settings (or settings-named model) class.
#[derive(Debug, Clone)]
pub struct SettingsClass {
    pub path: String,
    pub name: String,
    pub bases: Vec<String>,
    /// The class name in the source.
    pub span: Range<usize>,
    pub fields: Vec<SettingsField>,
    pub methods: Vec<Method>,
    /// Set by `model_config` or `class Config` in this class itself.
    pub env_prefix: Option<String>,
}

/// The settings classes of a project, with inheritance resolved by name.
#[derive(Debug, Default)]
pub struct SettingsModel {
    pub classes: Vec<SettingsClass>,
    /// Each class's lineage (itself, then its project ancestors breadth-first), as indices
    /// into `classes`: computed once, since real projects compose settings from a hundred
    /// mixins and every question walks them.
    lineages: Vec<Vec<usize>>,
}

impl SettingsModel {
    pub fn new(classes: Vec<SettingsClass>) -> Self {
        let mut by_name: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, class) in classes.iter().enumerate() {
            by_name.entry(class.name.as_str()).or_insert(index);
        }
        let lineages = (0..classes.len())
            .map(|start| {
                let mut out = vec![start];
                let mut next = 0;
                while next < out.len() && out.len() < 512 {
                    for base in &classes[out[next]].bases {
                        if let Some(&found) = by_name.get(base.as_str())
                            && !out.contains(&found)
                        {
                            out.push(found);
                        }
                    }
                    next += 1;
                }
                out
            })
            .collect();
        Self { classes, lineages }
    }

    fn index_of(&self, class: &SettingsClass) -> Option<usize> {
        self.classes.iter().position(|c| std::ptr::eq(c, class))
    }

    /// The class and its project ancestors, nearest first (bounded, cycle-safe).
    pub fn lineage<'a>(&'a self, class: &'a SettingsClass) -> Vec<&'a SettingsClass> {
        match self.index_of(class).and_then(|i| self.lineages.get(i)) {
            Some(lineage) => lineage.iter().map(|&i| &self.classes[i]).collect(),
            None => vec![class],
        }
    }

    /// Whether the class derives from pydantic-settings' `BaseSettings` (through project
    /// bases), so that its fields are read from the environment.
    pub fn reads_environment(&self, class: &SettingsClass) -> bool {
        self.lineage(class)
            .iter()
            .any(|c| c.bases.iter().any(|b| b == "BaseSettings"))
    }

    /// Whether the class is settings: a `BaseSettings` subclass, or a `BaseModel` whose name
    /// says settings or config and does not end as an API schema's does (fides'
    /// `OAuthConfigResponse` is what its API answers, `client_secret = "**********"` a mask).
    pub fn is_settings(&self, class: &SettingsClass) -> bool {
        self.reads_environment(class)
            || ((class.name.contains("Settings") || class.name.contains("Config"))
                && !API_SCHEMA_SUFFIXES
                    .iter()
                    .any(|suffix| class.name.ends_with(suffix))
                && self
                    .lineage(class)
                    .iter()
                    .any(|c| c.bases.iter().any(|b| b == "BaseModel")))
    }

    /// Whether the class is judged as production: settings, not named for development,
    /// testing or local use, and not in a test, example or docs folder.
    pub fn is_production(&self, class: &SettingsClass) -> bool {
        self.is_settings(class)
            && !name_is_development(&class.name)
            && !super::flask::not_app_path(&class.path)
    }

    /// The environment prefix the class reads its variables with.
    pub fn env_prefix(&self, class: &SettingsClass) -> String {
        self.lineage(class)
            .iter()
            .find_map(|c| c.env_prefix.clone())
            .unwrap_or_default()
    }

    /// The environment variable a field is read from (`None` for a plain `BaseModel`).
    pub fn env_name(&self, class: &SettingsClass, field: &SettingsField) -> Option<String> {
        if !self.reads_environment(class) {
            return None;
        }
        Some(match &field.alias {
            Some(alias) => alias.clone(),
            None => format!("{}{}", self.env_prefix(class), field.name).to_uppercase(),
        })
    }

    /// Every field a production settings class gets, each declaration once: the class that
    /// declares it (the settings class itself or a mixin/base it inherits from), the field,
    /// and the settings class it is judged in (whose prefix and validators apply). A
    /// declaration that a nearer class or a production subclass declares again is skipped,
    /// and so are declarations in classes named for development, testing or faking.
    pub fn judged_fields(&self) -> Vec<(&SettingsClass, &SettingsField, &SettingsClass)> {
        let mut seen = HashSet::new();
        let mut out = Vec::new();
        // Classes that read the environment first: a mixin is judged in the BaseSettings
        // class that reads its fields from variables, not in a plain model that also has it.
        let mut production: Vec<&SettingsClass> = self
            .classes
            .iter()
            .filter(|c| self.is_production(c))
            .collect();
        production.sort_by_key(|c| !self.reads_environment(c));
        for settings in production {
            let lineage = self.lineage(settings);
            for (depth, declaring) in lineage.iter().enumerate() {
                if name_is_development(&declaring.name)
                    || super::flask::not_app_path(&declaring.path)
                {
                    continue;
                }
                for field in &declaring.fields {
                    let nearer = lineage[..depth]
                        .iter()
                        .any(|c| c.fields.iter().any(|f| f.name == field.name));
                    if nearer || !seen.insert((declaring.path.clone(), field.span.start)) {
                        continue;
                    }
                    if !self.overridden(declaring, &field.name) {
                        out.push((*declaring, field, settings));
                    }
                }
            }
        }
        out
    }

    /// Whether a production subclass of `class` declares `field` again (then the subclass's
    /// declaration is the one judged).
    pub fn overridden(&self, class: &SettingsClass, field: &str) -> bool {
        self.classes.iter().any(|c| {
            !std::ptr::eq(c, class)
                && self.is_production(c)
                && c.fields.iter().any(|f| f.name == field)
                && self
                    .lineage(c)
                    .iter()
                    .skip(1)
                    .any(|a| std::ptr::eq(*a, class))
        })
    }

    /// Whether a validator of the class (or its ancestors) rejects `literal` as the value of
    /// `field`: it reads the field, directly or through a helper method, and a method on that
    /// path compares with the literal and raises.
    pub fn rejects_default(&self, class: &SettingsClass, field: &str, literal: &str) -> bool {
        let lineage = self.lineage(class);
        let methods: Vec<&Method> = lineage.iter().flat_map(|c| &c.methods).collect();
        methods.iter().filter(|m| m.validator).any(|validator| {
            let mut path = vec![*validator];
            let mut index = 0;
            while index < path.len() && path.len() < 16 {
                let calls = path[index].calls.clone();
                for call in calls {
                    if let Some(m) = methods.iter().find(|m| m.name == call)
                        && !path.iter().any(|p| std::ptr::eq(*p, *m))
                    {
                        path.push(m);
                    }
                }
                index += 1;
            }
            let reads = path.iter().any(|m| m.reads.iter().any(|r| r == field));
            let rejects = path
                .iter()
                .any(|m| m.raises && m.compared.iter().any(|c| c == literal));
            reads && rejects
        })
    }

    /// A field of `class` or its ancestors, nearest declaration first.
    pub fn field<'a>(
        &'a self,
        class: &'a SettingsClass,
        name: &str,
    ) -> Option<(&'a SettingsClass, &'a SettingsField)> {
        self.lineage(class)
            .into_iter()
            .find_map(|c| c.fields.iter().find(|f| f.name == name).map(|f| (c, f)))
    }

    /// The fields a name refers to: the field itself, or the fields a computed property of
    /// that name reads.
    pub fn fields_behind<'a>(
        &'a self,
        class: &'a SettingsClass,
        name: &str,
    ) -> Vec<(&'a SettingsClass, &'a SettingsField)> {
        if let Some(found) = self.field(class, name) {
            return vec![found];
        }
        let lineage = self.lineage(class);
        let Some(method) = lineage
            .iter()
            .flat_map(|c| &c.methods)
            .find(|m| m.computed && m.name == name)
        else {
            return Vec::new();
        };
        method
            .reads
            .iter()
            .filter_map(|r| self.field(class, r))
            .collect()
    }
}

/// Every settings class in the project's Python files. Files are only parsed when they
/// mention `BaseSettings` or `BaseModel`.
pub fn read(project: &Project) -> SettingsModel {
    let mut classes = Vec::new();
    for file in project.files_of(FileKind::Python) {
        // A module with none of the markers was dropped after its first read.
        if project.text_dropped(file) {
            continue;
        }
        let Ok(text) = file.text() else {
            continue;
        };
        let content: &str = &text.content;
        if !MARKERS.iter().any(|m| content.contains(m)) {
            continue;
        }
        classes.extend(read_file(file, content));
    }
    SettingsModel::new(classes)
}

fn read_file(file: &SourceFile, content: &str) -> Vec<SettingsClass> {
    if let Parsed::Python(PythonFile {
        tree: Some(tree), ..
    }) = file.parsed()
    {
        return classes(&file.path, content, tree.root_node());
    }
    let mut parser = Parser::new();
    if parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .is_err()
    {
        return Vec::new();
    }
    match parser.parse(content, None) {
        Some(tree) => classes(&file.path, content, tree.root_node()),
        None => Vec::new(),
    }
}

/// The module-level classes of a module (`if`/`try` blocks around them included).
pub fn classes(path: &str, src: &str, root: Node<'_>) -> Vec<SettingsClass> {
    let reader = Reader {
        src,
        tall: super::flask::tall_nodes(root, MAX_EVAL_HEIGHT),
    };
    let mut out = Vec::new();
    let mut pending = vec![(root, 0usize)];
    while let Some((node, depth)) = pending.pop() {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            match child.kind() {
                "class_definition" => out.extend(reader.class(path, child)),
                "decorated_definition" => {
                    if let Some(def) = child
                        .child_by_field_name("definition")
                        .filter(|d| d.kind() == "class_definition")
                    {
                        out.extend(reader.class(path, def));
                    }
                }
                "if_statement" | "try_statement" | "block" | "else_clause" | "except_clause"
                | "finally_clause" | "elif_clause"
                    if depth < 8 =>
                {
                    pending.push((child, depth + 1));
                }
                _ => {}
            }
        }
    }
    out.sort_by_key(|c| c.span.start);
    out
}

struct Reader<'s> {
    src: &'s str,
    tall: HashSet<usize>,
}

impl Reader<'_> {
    fn text(&self, node: Node<'_>) -> &str {
        self.src.get(node.byte_range()).unwrap_or("")
    }

    fn eval(&self, node: Node<'_>) -> Value {
        if self.tall.contains(&node.id()) {
            return Value::new(ValueKind::Unknown, node.byte_range());
        }
        eval_expression(self.src, node)
    }

    fn class(&self, path: &str, node: Node<'_>) -> Option<SettingsClass> {
        let name_node = node.child_by_field_name("name")?;
        let mut bases = Vec::new();
        if let Some(superclasses) = node.child_by_field_name("superclasses") {
            let mut cursor = superclasses.walk();
            for base in superclasses.named_children(&mut cursor) {
                if base.kind() == "keyword_argument" {
                    continue;
                }
                // `Generic[T]` and `pydantic.BaseModel` alike: the last dotted name.
                let text = self.text(base);
                let text = text.split('[').next().unwrap_or(text);
                bases.push(text.rsplit('.').next().unwrap_or(text).trim().to_string());
            }
        }
        let body = node.child_by_field_name("body")?;
        let mut class = SettingsClass {
            path: path.to_string(),
            name: self.text(name_node).to_string(),
            bases,
            span: name_node.byte_range(),
            fields: Vec::new(),
            methods: Vec::new(),
            env_prefix: None,
        };
        let mut cursor = body.walk();
        for stmt in body.named_children(&mut cursor) {
            match stmt.kind() {
                "expression_statement" => {
                    if let Some(assign) = stmt.named_child(0).filter(|a| a.kind() == "assignment") {
                        self.assignment(assign, &mut class);
                    }
                }
                "function_definition" => class.methods.push(self.method(stmt, &[])),
                "decorated_definition" => {
                    let decorators: Vec<String> = {
                        let mut c = stmt.walk();
                        stmt.named_children(&mut c)
                            .filter(|d| d.kind() == "decorator")
                            .map(|d| self.text(d).to_string())
                            .collect()
                    };
                    if let Some(def) = stmt
                        .child_by_field_name("definition")
                        .filter(|d| d.kind() == "function_definition")
                    {
                        class.methods.push(self.method(def, &decorators));
                    }
                }
                // pydantic v1: `class Config: env_prefix = "APP_"`.
                "class_definition"
                    if stmt
                        .child_by_field_name("name")
                        .is_some_and(|n| self.text(n) == "Config") =>
                {
                    if let Some(inner) = stmt.child_by_field_name("body") {
                        let mut c = inner.walk();
                        for s in inner.named_children(&mut c) {
                            let Some(a) = s.named_child(0).filter(|a| a.kind() == "assignment")
                            else {
                                continue;
                            };
                            let (Some(l), Some(r)) = (
                                a.child_by_field_name("left"),
                                a.child_by_field_name("right"),
                            ) else {
                                continue;
                            };
                            if self.text(l) == "env_prefix"
                                && let Some(prefix) = self.eval(r).as_str()
                            {
                                class.env_prefix = Some(prefix.to_string());
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        Some(class)
    }

    fn assignment(&self, assign: Node<'_>, class: &mut SettingsClass) {
        let Some(left) = assign.child_by_field_name("left") else {
            return;
        };
        if left.kind() != "identifier" {
            return;
        }
        let name = self.text(left).to_string();
        let right = assign.child_by_field_name("right");
        if name == "model_config" {
            if let Some(right) = right {
                class.env_prefix = self.config_prefix(right).or(class.env_prefix.take());
            }
            return;
        }
        // pydantic only makes annotated names fields.
        let Some(annotation) = assign.child_by_field_name("type") else {
            return;
        };
        let annotation_text = self.text(annotation).to_string();
        if annotation_text.starts_with("ClassVar") || annotation_text.contains(".ClassVar") {
            return;
        }
        let mut field = SettingsField {
            name,
            annotation: annotation_text,
            default: None,
            default_span: None,
            edit: None,
            span: left.byte_range(),
            alias: None,
        };
        let Some(right) = right else {
            class.fields.push(field);
            return;
        };
        let delete = annotation.end_byte()..right.end_byte();
        match self.call_parts(right) {
            Some((callee, args, kwargs)) if callee == "Field" => {
                for (key, value) in &kwargs {
                    if matches!(key.as_str(), "alias" | "validation_alias")
                        && let Some(alias) = self.eval(*value).as_str()
                    {
                        field.alias = Some(alias.to_string());
                    }
                }
                let default = kwargs
                    .iter()
                    .find(|(k, _)| k == "default")
                    .map(|(_, v)| *v)
                    .or_else(|| args.first().copied());
                if let Some(default) = default {
                    if self.text(default) != "..." {
                        field.default = Some(self.default_value(default));
                        field.default_span = Some(default.byte_range());
                        field.edit = Some(DefaultEdit::Ellipsis(default.byte_range()));
                    }
                } else if kwargs.iter().any(|(k, _)| k == "default_factory") {
                    field.default = Some(Value::new(ValueKind::Unknown, right.byte_range()));
                    field.default_span = Some(right.byte_range());
                }
            }
            _ => {
                if self.text(right) != "..." {
                    field.default = Some(self.default_value(right));
                    field.default_span = Some(right.byte_range());
                    field.edit = Some(DefaultEdit::Delete(delete));
                }
            }
        }
        class.fields.push(field);
    }

    /// A default's value: `SecretStr("x")` is `"x"`.
    fn default_value(&self, node: Node<'_>) -> Value {
        if let Some((callee, args, kwargs)) = self.call_parts(node)
            && matches!(callee.as_str(), "SecretStr" | "SecretBytes")
            && kwargs.is_empty()
            && let [arg] = args.as_slice()
        {
            return self.eval(*arg);
        }
        self.eval(node)
    }

    /// `env_prefix` from `SettingsConfigDict(env_prefix=...)`, `ConfigDict(...)` or a dict.
    fn config_prefix(&self, node: Node<'_>) -> Option<String> {
        if let Some((_, _, kwargs)) = self.call_parts(node) {
            let (_, value) = kwargs.iter().find(|(k, _)| k == "env_prefix")?;
            return self.eval(*value).as_str().map(str::to_string);
        }
        self.eval(node)
            .get("env_prefix")
            .and_then(Value::as_str)
            .map(str::to_string)
    }

    /// A call's callee (last dotted part), positional arguments and keyword arguments.
    #[allow(clippy::type_complexity)]
    fn call_parts<'t>(
        &self,
        node: Node<'t>,
    ) -> Option<(String, Vec<Node<'t>>, Vec<(String, Node<'t>)>)> {
        if node.kind() != "call" {
            return None;
        }
        let function = self.text(node.child_by_field_name("function")?);
        let callee = function.rsplit('.').next().unwrap_or(function).to_string();
        let arguments = node.child_by_field_name("arguments")?;
        let mut args = Vec::new();
        let mut kwargs = Vec::new();
        let mut cursor = arguments.walk();
        for arg in arguments.named_children(&mut cursor) {
            match arg.kind() {
                "keyword_argument" => {
                    if let (Some(k), Some(v)) = (
                        arg.child_by_field_name("name"),
                        arg.child_by_field_name("value"),
                    ) {
                        kwargs.push((self.text(k).to_string(), v));
                    }
                }
                "comment" => {}
                _ => args.push(arg),
            }
        }
        Some((callee, args, kwargs))
    }

    /// What a method reads, compares, raises and calls, from one walk of its body with an
    /// explicit stack.
    fn method(&self, def: Node<'_>, decorators: &[String]) -> Method {
        let name = def
            .child_by_field_name("name")
            .map(|n| self.text(n).to_string())
            .unwrap_or_default();
        let mut method = Method {
            name,
            validator: decorators.iter().any(|d| d.contains("validator")),
            computed: decorators.iter().any(|d| d.contains("computed_field")),
            reads: Vec::new(),
            compared: Vec::new(),
            raises: false,
            calls: Vec::new(),
        };
        // `@field_validator("SECRET_KEY")` names the fields it validates.
        for decorator in decorators.iter().filter(|d| d.contains("validator")) {
            for part in decorator.split(['"', '\'']).skip(1).step_by(2) {
                method.reads.push(part.to_string());
            }
        }
        let Some(body) = def.child_by_field_name("body") else {
            return method;
        };
        let mut stack = vec![body];
        let mut visited = 0usize;
        while let Some(node) = stack.pop() {
            visited += 1;
            if visited > 100_000 {
                break;
            }
            match node.kind() {
                "raise_statement" => method.raises = true,
                "attribute" => {
                    let object = node.child_by_field_name("object").map(|o| self.text(o));
                    let attr = node.child_by_field_name("attribute").map(|a| self.text(a));
                    if let (Some("self" | "cls" | "values" | "info"), Some(attr)) = (object, attr) {
                        method.reads.push(attr.to_string());
                    }
                }
                "call" => {
                    if let Some(function) = node.child_by_field_name("function") {
                        let text = self.text(function);
                        if let Some(called) = text.strip_prefix("self.") {
                            method.calls.push(called.to_string());
                        }
                    }
                }
                "comparison_operator" => {
                    let mut cursor = node.walk();
                    for part in node.named_children(&mut cursor) {
                        if part.kind() == "string" {
                            if let Some(s) = self.eval(part).as_str() {
                                method.compared.push(s.to_string());
                            }
                        } else if matches!(part.kind(), "tuple" | "list" | "set")
                            && let Some(items) = self.eval(part).items()
                        {
                            method.compared.extend(
                                items.iter().filter_map(|i| i.as_str().map(str::to_string)),
                            );
                        }
                    }
                }
                _ => {}
            }
            let mut cursor = node.walk();
            stack.extend(node.named_children(&mut cursor));
        }
        method
    }
}

/// Whether a field's name says it holds a secret (`secret_key`, `JWT_SECRET`, `db_password`,
/// `api_key`, `github_token`), and not something about one (`token_url`,
/// `access_token_expire_minutes`, `jwt_algorithm`, `secret_key_file`).
pub fn secret_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split('_').filter(|w| !w.is_empty()).collect();
    let Some(last) = words.last() else {
        return false;
    };
    const ABOUT: &[&str] = &[
        "url",
        "uri",
        "urls",
        "path",
        "file",
        "dir",
        "name",
        "header",
        "type",
        "algorithm",
        "algorithms",
        "algo",
        "expire",
        "expires",
        "expiry",
        "expiration",
        "minutes",
        "hours",
        "days",
        "seconds",
        "ttl",
        "lifetime",
        "length",
        "prefix",
        "env",
        "var",
        "field",
        "id",
        "endpoint",
        "method",
        "scheme",
        "location",
        "enabled",
        "required",
        "policy",
        "rounds",
        "salt",
        "size",
        "count",
        "version",
        "format",
        "placeholder",
        "hint",
    ];
    if ABOUT.contains(last) {
        return false;
    }
    words.iter().enumerate().any(|(i, w)| {
        matches!(
            *w,
            "secret" | "password" | "passwd" | "pwd" | "token" | "apikey" | "credentials"
        ) || (*w == "key"
            && i > 0
            && matches!(
                words[i - 1],
                "secret"
                    | "api"
                    | "private"
                    | "signing"
                    | "encryption"
                    | "jwt"
                    | "hmac"
                    | "access"
                    | "master"
                    | "session"
            ))
    })
}

/// Whether an annotation is pydantic's secret type.
pub fn secret_annotation(annotation: &str) -> bool {
    annotation.contains("SecretStr") || annotation.contains("SecretBytes")
}

/// The password of a URL with inline credentials (`postgresql://user:pw@host/db`), when it
/// is a literal (not empty, not a `${VAR}` / `{VAR}` placeholder).
pub fn url_password(value: &str) -> Option<&str> {
    let (scheme, rest) = value.split_once("://")?;
    if scheme.is_empty()
        || !scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let (credentials, _host) = authority.rsplit_once('@')?;
    let (_user, password) = credentials.split_once(':')?;
    if password.is_empty() || password.contains('{') || password.starts_with('$') {
        return None;
    }
    Some(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(src: &str) -> SettingsModel {
        let mut parser = Parser::new();
        parser
            .set_language(&tree_sitter_python::LANGUAGE.into())
            .unwrap();
        let tree = parser.parse(src, None).unwrap();
        SettingsModel::new(classes("app/config.py", src, tree.root_node()))
    }

    #[test]
    fn reads_fields_defaults_and_prefix() {
        let src = r#"
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_prefix="APP_")
    secret_key: str = "change-me"
    jwt: SecretStr = SecretStr("abc")
    db: str = Field(default="x", description="d")
    token: str = Field("y")
    required: str
    also_required: str = Field(...)
    listed: list[str] = Field(default_factory=list)
    aliased: str = Field("z", alias="OTHER")
    NOT_A_FIELD = 1
"#;
        let m = model(src);
        let class = &m.classes[0];
        assert!(m.is_production(class));
        assert_eq!(m.env_prefix(class), "APP_");
        let f = |n: &str| class.fields.iter().find(|f| f.name == n).unwrap();
        assert_eq!(
            f("secret_key").default.as_ref().unwrap().as_str(),
            Some("change-me")
        );
        assert_eq!(f("jwt").default.as_ref().unwrap().as_str(), Some("abc"));
        assert_eq!(f("db").default.as_ref().unwrap().as_str(), Some("x"));
        assert_eq!(f("token").default.as_ref().unwrap().as_str(), Some("y"));
        assert!(f("required").default.is_none());
        assert!(f("also_required").default.is_none());
        assert!(f("listed").default.as_ref().unwrap().when_unset().is_none());
        assert_eq!(
            m.env_name(class, f("secret_key")).unwrap(),
            "APP_SECRET_KEY"
        );
        assert_eq!(m.env_name(class, f("aliased")).unwrap(), "OTHER");
        assert!(!class.fields.iter().any(|f| f.name == "NOT_A_FIELD"));
    }

    #[test]
    fn validator_rejecting_the_default_fails_closed() {
        let src = r#"
class Settings(BaseSettings):
    SECRET_KEY: str = "changethis"

    def _check(self, name, value):
        if value == "changethis":
            raise ValueError(name)

    @model_validator(mode="after")
    def _enforce(self):
        self._check("SECRET_KEY", self.SECRET_KEY)
        return self
"#;
        let m = model(src);
        assert!(m.rejects_default(&m.classes[0], "SECRET_KEY", "changethis"));
        assert!(!m.rejects_default(&m.classes[0], "SECRET_KEY", "other"));
    }

    #[test]
    fn names_and_urls() {
        for secret in [
            "secret_key",
            "JWT_SECRET",
            "db_password",
            "api_key",
            "GITHUB_TOKEN",
        ] {
            assert!(secret_name(secret), "{secret}");
        }
        for not in [
            "token_url",
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            "jwt_algorithm",
            "secret_key_file",
            "cache_key",
            "project_name",
        ] {
            assert!(!secret_name(not), "{not}");
        }
        assert_eq!(url_password("postgresql://u:pw@db/app"), Some("pw"));
        assert_eq!(url_password("postgresql://u@db/app"), None);
        assert_eq!(url_password("postgresql://u:${PW}@db/app"), None);
        assert_eq!(url_password("sqlite:///./app.db"), None);
    }
}
