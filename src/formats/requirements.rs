//! requirements*.txt (and constraints files, pip-tools `.in` files): pip's own file format.
//!
//! The grammar followed is pip's (`pip/_internal/req/req_file.py`), not a stricter one:
//! - physical lines ending in `\` are joined with the next one, unless they are comment lines;
//! - a comment starts at a `#` that begins the line or follows whitespace (so the `#egg=`
//!   fragment of a URL is not a comment);
//! - a line is split at its first token starting with `-`: what comes before is a requirement,
//!   what follows are options (`--hash`, `--config-settings`...). A line starting with an option
//!   is an option line (`-r`, `-c`, `-e`, `-i`, `--extra-index-url`, `--trusted-host`...).
//!
//! Every position kept is a byte offset into the ORIGINAL text, even across joined lines.
//! `${VAR}` references are kept as written, never expanded. Lines that do not parse become
//! [`ParseError`]s and the rest of the file is still read. Parsing is linear in the size of the
//! text and never panics, whatever the input.

use std::ops::Range;
use std::str::FromStr;

use pep508_rs::pep440_rs::{Operator, VersionSpecifiers};

use super::ParseError;

/// Markers longer or more deeply nested than this are kept as text but not validated: the
/// marker parser recurses on parentheses and builds a decision diagram, and harden promises
/// linear time on any input. Real markers are far below both limits.
const MAX_MARKER_LEN: usize = 2048;
const MAX_MARKER_DEPTH: usize = 16;

/// A parsed requirements file.
#[derive(Debug, Clone, Default)]
pub struct RequirementsFile {
    /// Requirement lines and `-e` editables, in file order.
    pub requirements: Vec<Requirement>,
    /// Options given on option lines (`-i`, `--extra-index-url`, `--trusted-host`, `-f`,
    /// `--no-binary`, `--pre`, unknown ones...), including `-r`/`-c`/`-e` themselves.
    pub options: Vec<PipOption>,
    /// `-r` and `-c` lines.
    pub includes: Vec<Include>,
    pub errors: Vec<ParseError>,
}

/// One requirement: `name[extras] specifiers ; marker`, `name @ url`, a bare URL or path, or
/// an `-e` editable.
#[derive(Debug, Clone)]
pub struct Requirement {
    /// PEP 503 normalised name; `None` for a path or URL that does not name its project
    /// (no `#egg=`).
    pub name: Option<String>,
    /// The requirement text, from its first character to the end of the marker (options and
    /// comment excluded). For an editable, the value of `-e`.
    pub span: Range<usize>,
    pub name_span: Option<Range<usize>>,
    /// The version part (`>=2,<3`, `==3.0.3`, `(>=1.0)`); when there is none, an empty range
    /// right after the name and extras, where a pin would go.
    pub version_span: Range<usize>,
    pub specifiers: Option<VersionSpecifiers>,
    /// The pinned version: the one `==` (without wildcard) or `===` specifier.
    pub pinned: Option<String>,
    pub extras: Vec<String>,
    pub marker: Option<String>,
    /// `--hash=algorithm:digest` options of this requirement, continuation lines included.
    pub hashes: Vec<Hash>,
    /// Other per-requirement options (`--config-settings`, `--global-option`...).
    pub options: Vec<PipOption>,
    pub editable: bool,
    pub source: Source,
    /// The whole logical line (all its physical lines, without the final line ending).
    pub line: Range<usize>,
}

impl Requirement {
    /// Name and version part: what a "not pinned" finding points at.
    pub fn name_and_version_span(&self) -> Range<usize> {
        match &self.name_span {
            Some(name) => name.start..self.version_span.end.max(name.end),
            None => self.span.clone(),
        }
    }
}

/// Where a requirement is installed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// A package index, by name and version.
    Index,
    /// A URL: `name @ https://...`, a bare URL, or a VCS URL (`git+https://...@ref`).
    Url(UrlSource),
    /// A local path (directory, wheel, sdist).
    Path(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlSource {
    pub url: String,
    pub span: Range<usize>,
    pub vcs: Option<Vcs>,
}

/// The version control part of a `git+`/`hg+`/`svn+`/`bzr+` URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vcs {
    /// `git`, `hg`, `svn` or `bzr`.
    pub tool: String,
    /// What follows the last `@` of the URL path: a branch, tag or commit.
    pub reference: Option<String>,
}

impl Vcs {
    /// Whether the reference is a full commit hash (40 hex digits, or 64 for SHA-256 git
    /// repositories), the only reference that cannot move.
    pub fn pinned_to_commit(&self) -> bool {
        self.reference.as_deref().is_some_and(|r| {
            (r.len() == 40 || r.len() == 64) && r.bytes().all(|b| b.is_ascii_hexdigit())
        })
    }
}

/// A `--hash=algorithm:digest` option.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hash {
    pub algorithm: String,
    pub digest: String,
    pub span: Range<usize>,
}

/// An option as written: canonical long name (`--index-url` for `-i`; unknown options keep
/// the name they were written with), its value, where the option and its value are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PipOption {
    pub name: String,
    pub value: Option<String>,
    /// From the option's first character to the end of its value.
    pub span: Range<usize>,
    pub value_span: Option<Range<usize>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IncludeKind {
    /// `-r FILE`: more requirements.
    Requirements,
    /// `-c FILE`: constraints on versions, installing nothing by themselves.
    Constraints,
}

/// A `-r` or `-c` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Include {
    pub kind: IncludeKind,
    /// The path (or URL) as written.
    pub path: String,
    pub span: Range<usize>,
}

impl Include {
    /// The included file as a `/`-separated path relative to the project root, given the
    /// directory of the including file (also relative to the root). `None` for URLs, absolute
    /// paths, paths with `${VAR}` references, and paths leaving the root.
    pub fn resolve(&self, file_dir: &str) -> Option<String> {
        let path = self.path.replace('\\', "/");
        if path.is_empty()
            || path.starts_with('/')
            || path.contains("${")
            || path.contains("://")
            || has_drive(&path)
        {
            return None;
        }
        let mut parts: Vec<&str> = file_dir.split('/').filter(|p| !p.is_empty()).collect();
        for part in path.split('/') {
            match part {
                "" | "." => {}
                ".." => {
                    parts.pop()?;
                }
                other => parts.push(other),
            }
        }
        if parts.is_empty() {
            return None;
        }
        Some(parts.join("/"))
    }
}

fn has_drive(path: &str) -> bool {
    let bytes = path.as_bytes();
    bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':'
}

/// PEP 503 name normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut separator = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            separator = true;
        } else {
            if separator && !out.is_empty() {
                out.push('-');
            }
            separator = false;
            out.push(c.to_ascii_lowercase());
        }
    }
    out
}

/// Whether `name` is a valid PEP 508 name: ASCII letters, digits, `-_.`, starting and ending
/// with a letter or digit.
pub fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

impl RequirementsFile {
    pub fn parse(text: &str) -> Self {
        let mut file = Self::default();
        for line in logical_lines(text) {
            file.parse_line(&line);
        }
        file
    }

    /// Whether any requirement carries a `--hash`.
    pub fn has_hashes(&self) -> bool {
        self.requirements.iter().any(|r| !r.hashes.is_empty())
    }

    fn error(&mut self, message: impl Into<String>, span: Range<usize>) {
        self.errors.push(ParseError {
            message: message.into(),
            span: Some(span),
        });
    }

    fn parse_line(&mut self, line: &LogicalLine) {
        let content_end = comment_start(&line.text);
        let tokens = split_whitespace(&line.text, 0..content_end);
        if tokens.is_empty() {
            return;
        }
        let first_option = tokens
            .iter()
            .position(|t| line.text[t.clone()].starts_with('-'));
        let arg_tokens = &tokens[..first_option.unwrap_or(tokens.len())];
        let options = match first_option {
            Some(index) => match shell_tokens(&line.text, tokens[index].start..content_end) {
                Ok(options) => options,
                Err(position) => {
                    self.error(
                        "unterminated quote in the options",
                        line.span(position..content_end),
                    );
                    return;
                }
            },
            None => Vec::new(),
        };
        let options = self.parse_options(line, &options);
        if arg_tokens.is_empty() {
            self.option_line(line, options);
        } else {
            let args = Args::join(&line.text, arg_tokens);
            match parse_requirement(line, &args) {
                Ok(mut requirement) => {
                    for (option, _) in options {
                        match option.name.as_str() {
                            "--hash" => self.add_hash(&mut requirement, option),
                            _ => requirement.options.push(option),
                        }
                    }
                    self.requirements.push(requirement);
                }
                Err((message, span)) => self.error(message, span),
            }
        }
    }

    fn option_line(&mut self, line: &LogicalLine, options: Vec<(PipOption, Option<Range<usize>>)>) {
        let mut editable: Option<Requirement> = None;
        for (option, logical) in options {
            match option.name.as_str() {
                "--requirement" | "--constraint" => {
                    if let Some(value) = &option.value {
                        let kind = if option.name == "--requirement" { IncludeKind::Requirements } else { IncludeKind::Constraints };
                        self.includes.push(Include { kind, path: value.clone(), span: option.span.clone() });
                    }
                }
                "--editable" => {
                    if let (Some(value), Some(span)) = (&option.value, &option.value_span) {
                        match parse_editable(line, value, span.clone(), logical.clone()) {
                            Ok(requirement) => editable = Some(requirement),
                            Err((message, span)) => self.error(message, span),
                        }
                    }
                }
                "--hash" => match editable.as_mut() {
                    Some(requirement) => self.add_hash(requirement, option.clone()),
                    None => self.error(
                        "`--hash` on a line without a requirement applies to nothing (is the `\\` missing at the end of the line before?)",
                        option.span.clone(),
                    ),
                },
                "--config-settings" | "--global-option" | "--install-option" if editable.is_some() => {
                    if let Some(requirement) = editable.as_mut() {
                        requirement.options.push(option.clone());
                    }
                }
                _ => {}
            }
            self.options.push(option);
        }
        if let Some(requirement) = editable {
            self.requirements.push(requirement);
        }
    }

    fn add_hash(&mut self, requirement: &mut Requirement, option: PipOption) {
        let value = option.value.unwrap_or_default();
        match value.split_once(':') {
            Some((algorithm, digest)) if !algorithm.is_empty() && !digest.is_empty() => {
                requirement.hashes.push(Hash {
                    algorithm: algorithm.to_ascii_lowercase(),
                    digest: digest.to_string(),
                    span: option.span,
                });
            }
            _ => self.error(
                format!("`--hash` expects `algorithm:digest`, found `{value}`"),
                option.span,
            ),
        }
    }

    /// Options from shell-split tokens, each with the position of its value in the logical
    /// line when the value is written as is (not quoted). Errors (a missing value) are
    /// recorded.
    fn parse_options(
        &mut self,
        line: &LogicalLine,
        tokens: &[ShellToken],
    ) -> Vec<(PipOption, Option<Range<usize>>)> {
        let mut out = Vec::new();
        let mut index = 0;
        while let Some(token) = tokens.get(index) {
            index += 1;
            let raw = token.value.as_str();
            let (name, inline_value, takes_value) = if let Some(long) = raw.strip_prefix("--") {
                let (written, value) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value.to_string())),
                    None => (long, None),
                };
                match long_option(written) {
                    Some((canonical, takes_value)) => (canonical.to_string(), value, takes_value),
                    None => (format!("--{written}"), value, false),
                }
            } else if let Some(short) = raw.strip_prefix('-').and_then(|s| s.chars().next()) {
                let rest = &raw[1 + short.len_utf8()..];
                let inline = (!rest.is_empty()).then(|| rest.to_string());
                match short_option(short) {
                    Some(canonical) => (canonical.to_string(), inline, true),
                    None => (raw.to_string(), None, false),
                }
            } else {
                // A stray word after the options: pip's option parser drops it silently, which
                // is never what the author meant; an unknown option before it takes it as value.
                if let Some((last, logical)) =
                    out.last_mut().filter(|(o, _): &&mut (PipOption, _)| {
                        o.value.is_none()
                            && long_option(o.name.trim_start_matches('-')).is_none()
                            && short_option_name(&o.name).is_none()
                    })
                {
                    last.value = Some(token.value.clone());
                    last.span = last.span.start..line.span(token.span.clone()).end;
                    last.value_span = Some(line.span(token.span.clone()));
                    *logical = (!token.quoted).then(|| token.span.clone());
                } else {
                    self.error(
                        format!("unexpected `{raw}` after the options of this line"),
                        line.span(token.span.clone()),
                    );
                }
                continue;
            };
            let token_span = line.span(token.span.clone());
            let option = if let Some(value) = inline_value {
                let value_start = token
                    .span
                    .end
                    .saturating_sub(value.len())
                    .max(token.span.start);
                let value_span = if token.quoted {
                    token_span.clone()
                } else {
                    line.span(value_start..token.span.end)
                };
                let option = PipOption {
                    name,
                    value: Some(value),
                    span: token_span,
                    value_span: Some(value_span),
                };
                (
                    option,
                    (!token.quoted).then_some(value_start..token.span.end),
                )
            } else if takes_value {
                match tokens.get(index) {
                    Some(value) => {
                        index += 1;
                        let value_span = line.span(value.span.clone());
                        let option = PipOption {
                            name,
                            value: Some(value.value.clone()),
                            span: token_span.start..value_span.end,
                            value_span: Some(value_span),
                        };
                        (option, (!value.quoted).then(|| value.span.clone()))
                    }
                    None => {
                        self.error(format!("option `{name}` needs a value"), token_span);
                        continue;
                    }
                }
            } else {
                let option = PipOption {
                    name,
                    value: None,
                    span: token_span,
                    value_span: None,
                };
                (option, None)
            };
            out.push(option);
        }
        out
    }
}

impl Default for Requirement {
    fn default() -> Self {
        Self {
            name: None,
            span: 0..0,
            name_span: None,
            version_span: 0..0,
            specifiers: None,
            pinned: None,
            extras: Vec::new(),
            marker: None,
            hashes: Vec::new(),
            options: Vec::new(),
            editable: false,
            source: Source::Index,
            line: 0..0,
        }
    }
}

/// Long options pip accepts in requirements files: canonical name and whether it takes a
/// value. Unambiguous prefixes are accepted, as pip's option parser does.
fn long_option(written: &str) -> Option<(&'static str, bool)> {
    const LONG: &[(&str, bool)] = &[
        ("--config-settings", true),
        ("--constraint", true),
        ("--editable", true),
        ("--extra-index-url", true),
        ("--find-links", true),
        ("--global-option", true),
        ("--hash", true),
        ("--index-url", true),
        ("--install-option", true),
        ("--no-binary", true),
        ("--no-index", false),
        ("--only-binary", true),
        ("--pre", false),
        ("--prefer-binary", false),
        ("--require-hashes", false),
        ("--requirement", true),
        ("--trusted-host", true),
        ("--use-feature", true),
    ];
    if written.is_empty() {
        return None;
    }
    if let Some(exact) = LONG.iter().find(|(name, _)| &name[2..] == written) {
        return Some(*exact);
    }
    let mut candidates = LONG
        .iter()
        .filter(|(name, _)| name[2..].starts_with(written));
    match (candidates.next(), candidates.next()) {
        (Some(only), None) => Some(*only),
        _ => None,
    }
}

fn short_option(short: char) -> Option<&'static str> {
    match short {
        'r' => Some("--requirement"),
        'c' => Some("--constraint"),
        'e' => Some("--editable"),
        'i' => Some("--index-url"),
        'f' => Some("--find-links"),
        _ => None,
    }
}

fn short_option_name(name: &str) -> Option<&'static str> {
    let mut chars = name.strip_prefix('-')?.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => short_option(c),
        _ => None,
    }
}

/// One logical line: physical lines joined, with a map back to the original text.
#[derive(Debug)]
struct LogicalLine {
    text: String,
    /// (offset in `text`, offset in the original, length) of each joined piece.
    segments: Vec<(usize, usize, usize)>,
}

impl LogicalLine {
    fn position(&self, at: usize) -> usize {
        let index = self
            .segments
            .partition_point(|(start, _, _)| *start <= at)
            .saturating_sub(1);
        match self.segments.get(index) {
            Some((start, original, _)) => original + at.saturating_sub(*start),
            None => at,
        }
    }

    /// A range of `text` as a range of the original text.
    fn span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.position(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let end = self.position(range.end - 1) + 1;
        start..end.max(start)
    }

    fn whole(&self) -> Range<usize> {
        match (self.segments.first(), self.segments.last()) {
            (Some(first), Some(last)) => first.1..last.1 + last.2,
            _ => 0..0,
        }
    }
}

/// Join continuation lines the way pip does: a line ending in `\` continues on the next one,
/// unless it is a comment line (which also ends a continuation).
fn logical_lines(text: &str) -> Vec<LogicalLine> {
    let mut out = Vec::new();
    let mut current: Option<LogicalLine> = None;
    let mut offset = 0;
    for raw in text.split_inclusive('\n') {
        let start = offset;
        offset += raw.len();
        let content = raw.strip_suffix('\n').unwrap_or(raw);
        let content = content.strip_suffix('\r').unwrap_or(content);
        let is_comment = content.trim_start().starts_with('#');
        let line = current.get_or_insert_with(|| LogicalLine {
            text: String::new(),
            segments: Vec::new(),
        });
        if content.ends_with('\\') && !is_comment {
            let kept = content.trim_end_matches('\\');
            line.segments.push((line.text.len(), start, kept.len()));
            line.text.push_str(kept);
            continue;
        }
        if is_comment && !line.text.is_empty() {
            // pip puts a space before a comment line that ends a continuation, so the comment
            // is recognised; nothing of it is kept anyway.
            line.text.push(' ');
        }
        line.segments.push((line.text.len(), start, content.len()));
        line.text.push_str(content);
        if let Some(line) = current.take() {
            out.push(line);
        }
    }
    if let Some(line) = current.take()
        && !line.segments.is_empty()
    {
        out.push(line);
    }
    out
}

/// Where the comment of a logical line starts: the first `#` at the start or after whitespace.
fn comment_start(text: &str) -> usize {
    let mut previous_whitespace = true;
    for (i, c) in text.char_indices() {
        if c == '#' && previous_whitespace {
            return i;
        }
        previous_whitespace = c.is_whitespace();
    }
    text.len()
}

fn split_whitespace(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(slice) = text.get(range.clone()) else {
        return out;
    };
    let mut start = None;
    for (i, c) in slice.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push(range.start + s..range.start + i);
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(range.start + s..range.end);
    }
    out
}

/// A shell word of the options part (pip splits it with `shlex`): its value with quotes
/// removed, and where it was written.
#[derive(Debug)]
struct ShellToken {
    value: String,
    span: Range<usize>,
    quoted: bool,
}

/// Split `range` of `text` into shell words: whitespace separates, `'...'` and `"..."` quote.
/// Backslashes are kept as written (Windows paths). `Err(position)` for an unterminated quote.
fn shell_tokens(text: &str, range: Range<usize>) -> Result<Vec<ShellToken>, usize> {
    let mut out = Vec::new();
    let Some(slice) = text.get(range.clone()) else {
        return Ok(out);
    };
    let mut current: Option<ShellToken> = None;
    let mut quote: Option<(char, usize)> = None;
    for (i, c) in slice.char_indices() {
        let at = range.start + i;
        if let Some((q, _)) = quote {
            if c == q {
                quote = None;
            } else if let Some(token) = current.as_mut() {
                token.value.push(c);
            }
            if let Some(token) = current.as_mut() {
                token.span.end = at + c.len_utf8();
            }
            continue;
        }
        if c.is_whitespace() {
            if let Some(token) = current.take() {
                out.push(token);
            }
            continue;
        }
        let token = current.get_or_insert_with(|| ShellToken {
            value: String::new(),
            span: at..at,
            quoted: false,
        });
        token.span.end = at + c.len_utf8();
        if c == '"' || c == '\'' {
            quote = Some((c, at));
            token.quoted = true;
        } else {
            token.value.push(c);
        }
    }
    if let Some((_, at)) = quote {
        return Err(at);
    }
    if let Some(token) = current.take() {
        out.push(token);
    }
    Ok(out)
}

/// The requirement part of a line: its words joined by single spaces (as pip does), with a
/// map from positions in `text` to positions in the logical line.
struct Args {
    text: String,
    /// (offset in `text`, offset in the logical line) per word.
    words: Vec<(usize, usize)>,
}

impl Args {
    fn join(line: &str, tokens: &[Range<usize>]) -> Self {
        let mut text = String::new();
        let mut words = Vec::with_capacity(tokens.len());
        for token in tokens {
            if !text.is_empty() {
                text.push(' ');
            }
            words.push((text.len(), token.start));
            text.push_str(line.get(token.clone()).unwrap_or_default());
        }
        Self { text, words }
    }

    fn position(&self, at: usize) -> usize {
        let index = self
            .words
            .partition_point(|(start, _)| *start <= at)
            .saturating_sub(1);
        match self.words.get(index) {
            Some((start, logical)) => logical + at.saturating_sub(*start),
            None => at,
        }
    }

    /// A range of `text` as a range of the logical line.
    fn span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.position(range.start);
        if range.end <= range.start {
            return start..start;
        }
        let end = self.position(range.end - 1) + 1;
        start..end.max(start)
    }
}

type LineError = (String, Range<usize>);

/// `-e VALUE`: a local path or a VCS URL, installed in development mode.
fn parse_editable(
    line: &LogicalLine,
    value: &str,
    value_span: Range<usize>,
    logical: Option<Range<usize>>,
) -> Result<Requirement, LineError> {
    // A value written as is maps position by position; a quoted one only as a whole.
    let to_original = |r: Range<usize>| match &logical {
        Some(logical) => line.span(logical.start + r.start..logical.start + r.end),
        None => value_span.clone(),
    };
    let mut requirement = if looks_like_url(value) {
        url_requirement(value, &to_original)?
    } else {
        let (path, extras) = split_path_extras(value);
        Requirement {
            extras,
            span: value_span.clone(),
            version_span: value_span.end..value_span.end,
            source: Source::Path(path.to_string()),
            ..Requirement::default()
        }
    };
    requirement.editable = true;
    requirement.span = value_span;
    requirement.line = line.whole();
    Ok(requirement)
}

/// A requirement line's requirement part.
fn parse_requirement(line: &LogicalLine, args: &Args) -> Result<Requirement, LineError> {
    let text = args.text.as_str();
    let to_original = |range: Range<usize>| line.span(args.span(range));
    let mut requirement = if looks_like_url(text) {
        url_requirement(text, &to_original)?
    } else {
        let (before_marker, _) = text.split_once(';').unwrap_or((text, ""));
        let before_marker = before_marker.trim_end();
        let path_like = looks_like_path(before_marker) || looks_like_archive(before_marker);
        let pep508_url = before_marker
            .split_once('@')
            .is_some_and(|(before, _)| !looks_like_path(before));
        if path_like && !pep508_url {
            let (path, extras) = split_path_extras(before_marker);
            let marker = text
                .split_once(';')
                .map(|(_, m)| m.trim().to_string())
                .filter(|m| !m.is_empty());
            let span = to_original(0..text.len());
            Requirement {
                extras,
                marker,
                version_span: span.end..span.end,
                span,
                source: Source::Path(path.to_string()),
                ..Requirement::default()
            }
        } else {
            named_requirement(text, &to_original)?
        }
    };
    requirement.line = line.whole();
    Ok(requirement)
}

/// A bare URL requirement: `https://.../pkg.whl`, `git+https://...@ref#egg=name`.
fn url_requirement(
    text: &str,
    to_original: &dyn Fn(Range<usize>) -> Range<usize>,
) -> Result<Requirement, LineError> {
    // pip only splits a marker off a URL at "; " (a `;` may be part of a URL).
    let (url, marker) = match text.find("; ") {
        Some(at) => (
            text[..at].trim_end(),
            Some(text[at + 2..].trim().to_string()),
        ),
        None => (text, None),
    };
    let url_span = to_original(0..url.len());
    let name = egg_name(url);
    let vcs = vcs_of(url);
    Ok(Requirement {
        name,
        span: to_original(0..text.len()),
        version_span: url_span.end..url_span.end,
        marker: marker.filter(|m| !m.is_empty()),
        source: Source::Url(UrlSource {
            url: url.to_string(),
            span: url_span,
            vcs,
        }),
        ..Requirement::default()
    })
}

/// `name [extras] (version | @ url) ; marker`: scanned here for positions, validated by
/// pep508_rs for meaning.
fn named_requirement(
    text: &str,
    to_original: &dyn Fn(Range<usize>) -> Range<usize>,
) -> Result<Requirement, LineError> {
    let bytes = text.as_bytes();
    let skip_spaces = |mut i: usize| {
        while bytes.get(i).is_some_and(|b| b.is_ascii_whitespace()) {
            i += 1;
        }
        i
    };
    let name_end = bytes
        .iter()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
        .unwrap_or(bytes.len());
    let name = &text[..name_end];
    if !is_valid_name(name) {
        let end = if name_end == 0 {
            text.chars().next().map_or(0, char::len_utf8)
        } else {
            name_end
        };
        return Err((
            format!(
                "`{}` is not a requirement: expected a package name (letters, digits, `-`, `_`, `.`), a URL or a path",
                first_word(text)
            ),
            to_original(0..end),
        ));
    }
    let mut extras = Vec::new();
    let mut i = skip_spaces(name_end);
    let mut after_extras = name_end;
    if bytes.get(i) == Some(&b'[') {
        let Some(close) = text[i..].find(']').map(|c| i + c) else {
            return Err((
                "missing `]` after the extras".to_string(),
                to_original(i..text.len()),
            ));
        };
        let inner = &text[i + 1..close];
        if !inner.trim().is_empty() {
            for extra in inner.split(',') {
                let extra = extra.trim();
                if !is_valid_name(extra) {
                    return Err((
                        format!("invalid extra name `{extra}`"),
                        to_original(i..close + 1),
                    ));
                }
                extras.push(normalize_name(extra));
            }
        }
        after_extras = close + 1;
        i = skip_spaces(after_extras);
    }
    let marker_at = |from: usize| text[from..].find(';').map(|m| from + m);
    let (version_span, url, marker_start) = match bytes.get(i) {
        Some(b'@') => {
            let url_start = skip_spaces(i + 1);
            let url_end = text[url_start..]
                .find(" ;")
                .map_or(text.len(), |m| url_start + m);
            let url_range = url_start..text[..url_end].trim_end().len().max(url_start);
            let marker = text[url_end..].find(';').map(|m| url_end + m);
            (i..url_range.end, Some(url_range), marker)
        }
        Some(b'(' | b'<' | b'=' | b'>' | b'~' | b'!') => {
            let marker = marker_at(i);
            let end = text[..marker.unwrap_or(text.len())].trim_end().len().max(i);
            (i..end, None, marker)
        }
        Some(b';') => (after_extras..after_extras, None, Some(i)),
        None => (after_extras..after_extras, None, None),
        Some(_) => {
            return Err((
                format!(
                    "expected a version (`==`, `>=`, `~=`...), `@ URL` or `;` after `{}`, found `{}`",
                    &text[..after_extras],
                    first_word(&text[i..])
                ),
                to_original(i..text.len()),
            ));
        }
    };
    let marker_text = marker_start.map(|m| text[m + 1..].trim());
    if marker_start.is_some() && marker_text.is_some_and(str::is_empty) {
        return Err((
            "empty environment marker after `;`".to_string(),
            to_original(marker_start.unwrap_or(0)..text.len()),
        ));
    }
    // Validate with pep508_rs. A marker too big for the promise of linear time is kept as text.
    let checked = match (marker_start, marker_text) {
        (Some(m), Some(marker)) if !marker_is_tractable(marker) => &text[..m],
        _ => text,
    };
    let parsed = pep508(checked).map_err(|(message, range)| {
        let range =
            range.start.min(text.len())..range.end.min(text.len()).max(range.start.min(text.len()));
        (message, to_original(range))
    })?;
    let specifiers = match &parsed.version_or_url {
        Some(pep508_rs::VersionOrUrl::VersionSpecifier(specifiers)) => Some(specifiers.clone()),
        _ => None,
    };
    let pinned = specifiers.as_ref().and_then(pinned_version);
    let source = match url {
        Some(range) => {
            let url = text[range.clone()].to_string();
            let vcs = vcs_of(&url);
            Source::Url(UrlSource {
                url,
                span: to_original(range),
                vcs,
            })
        }
        None => Source::Index,
    };
    let span_end = match marker_start {
        Some(_) => text.trim_end().len(),
        None => version_span.end.max(after_extras),
    };
    let version_original = if version_span.is_empty() {
        let at = to_original(0..version_span.start).end;
        at..at
    } else {
        to_original(version_span)
    };
    Ok(Requirement {
        name: Some(parsed.name.as_ref().to_string()),
        span: to_original(0..span_end),
        name_span: Some(to_original(0..name_end)),
        version_span: version_original,
        specifiers,
        pinned,
        extras,
        marker: marker_text.map(str::to_string),
        source,
        ..Requirement::default()
    })
}

fn first_word(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or(text)
}

fn marker_is_tractable(marker: &str) -> bool {
    if marker.len() > MAX_MARKER_LEN {
        return false;
    }
    let mut depth = 0usize;
    for b in marker.bytes() {
        match b {
            b'(' => {
                depth += 1;
                if depth > MAX_MARKER_DEPTH {
                    return false;
                }
            }
            b')' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// The one `==` (no wildcard) or `===` specifier's version.
fn pinned_version(specifiers: &VersionSpecifiers) -> Option<String> {
    let mut exact = specifiers
        .iter()
        .filter(|s| matches!(s.operator(), Operator::Equal | Operator::ExactEqual));
    match (exact.next(), exact.next()) {
        (Some(only), None) => Some(only.version().to_string()),
        _ => None,
    }
}

/// A URL kept exactly as written: pep508_rs's own URL type expands `${VAR}` from harden's
/// environment and resolves paths against the working directory, neither of which a checker
/// should do.
#[derive(Debug)]
struct RawUrl(String);

impl std::fmt::Display for RawUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl pep508_rs::Pep508Url for RawUrl {
    type Err = std::convert::Infallible;

    fn parse_url(url: &str, _working_dir: Option<&std::path::Path>) -> Result<Self, Self::Err> {
        Ok(Self(url.to_string()))
    }
}

/// Parse with pep508_rs. The input was pre-scanned (valid name and extras, a known character
/// after them), which keeps pep508_rs off its paths that consult the environment or panic.
/// A panic inside it is still caught: a dependency's bug must not end the run.
fn pep508(text: &str) -> Result<pep508_rs::Requirement<RawUrl>, (String, Range<usize>)> {
    let result = std::panic::catch_unwind(|| pep508_rs::Requirement::<RawUrl>::from_str(text));
    match result {
        Ok(Ok(requirement)) => Ok(requirement),
        Ok(Err(error)) => {
            // Positions are bytes, but the length may count characters: snap both ends to
            // character boundaries inside the text.
            let mut start = error.start.min(text.len());
            while !text.is_char_boundary(start) {
                start -= 1;
            }
            let mut end = start.saturating_add(error.len.max(1)).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            Err((error.message.to_string(), start..end))
        }
        Err(_) => Err((
            "this requirement could not be parsed".to_string(),
            0..text.len(),
        )),
    }
}

/// A scheme followed by `://`, a `file:` URL, or a VCS prefix (`git+...`).
fn looks_like_url(text: &str) -> bool {
    if vcs_tool(text).is_some() {
        return true;
    }
    let Some((scheme, rest)) = text.split_once(':') else {
        return false;
    };
    let valid_scheme = scheme.len() >= 2
        && scheme
            .as_bytes()
            .first()
            .is_some_and(u8::is_ascii_alphabetic)
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    valid_scheme && (rest.starts_with("//") || scheme.eq_ignore_ascii_case("file"))
}

/// `git`, `hg`, `svn` or `bzr` for a `tool+...` URL (or `git://`).
fn vcs_tool(url: &str) -> Option<&'static str> {
    let lower: String = url.chars().take(6).collect::<String>().to_ascii_lowercase();
    ["git", "hg", "svn", "bzr"].into_iter().find(|tool| {
        lower
            .strip_prefix(tool)
            .is_some_and(|rest| rest.starts_with('+'))
            || (*tool == "git" && lower.starts_with("git://"))
    })
}

fn vcs_of(url: &str) -> Option<Vcs> {
    let tool = vcs_tool(url)?;
    // pip: the reference is what follows the last `@` of the URL's path (the part after the
    // host, so `git@host` user names do not count); fragment and query are not part of it.
    let without_fragment = url.split('#').next().unwrap_or(url);
    let without_query = without_fragment
        .split('?')
        .next()
        .unwrap_or(without_fragment);
    let after_scheme = match without_query.find("://") {
        Some(at) => &without_query[at + 3..],
        None => without_query
            .split_once('+')
            .map_or(without_query, |(_, rest)| rest),
    };
    let path = after_scheme.find('/').map_or("", |at| &after_scheme[at..]);
    let reference = path
        .rsplit_once('@')
        .map(|(_, r)| r.to_string())
        .filter(|r| !r.is_empty());
    Some(Vcs {
        tool: tool.to_string(),
        reference,
    })
}

/// The project name a URL gives with `#egg=name` (extras stripped), normalised.
fn egg_name(url: &str) -> Option<String> {
    let fragment = url.split_once('#')?.1;
    let value = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("egg="))?;
    let name = value.split('[').next().unwrap_or(value);
    is_valid_name(name).then(|| normalize_name(name))
}

fn looks_like_path(text: &str) -> bool {
    text.contains('/') || text.contains('\\') || text.starts_with('.') || text.starts_with('~')
}

fn looks_like_archive(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        ".whl",
        ".zip",
        ".tar.gz",
        ".tgz",
        ".tar.bz2",
        ".tbz",
        ".tar.xz",
        ".txz",
        ".tar",
        ".tar.lz",
        ".tlz",
        ".tar.lzma",
    ]
    .iter()
    .any(|ext| lower.ends_with(ext))
}

/// `path[extra1,extra2]` → (`path`, extras).
fn split_path_extras(text: &str) -> (&str, Vec<String>) {
    if let Some(stripped) = text.strip_suffix(']')
        && let Some(open) = stripped.rfind('[')
    {
        let extras = stripped[open + 1..]
            .split(',')
            .map(str::trim)
            .filter(|e| is_valid_name(e))
            .map(normalize_name)
            .collect();
        return (&text[..open], extras);
    }
    (text, Vec::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> RequirementsFile {
        RequirementsFile::parse(text)
    }

    fn one(text: &str) -> Requirement {
        let file = parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.requirements.len(), 1, "{file:?}");
        file.requirements.into_iter().next().unwrap()
    }

    #[test]
    fn pinned_and_unpinned() {
        let text = "Flask==3.0.3\nrequests>=2,<3\nDjango_Rest.framework\nfoo===1.0\nbar==1.*\n";
        let file = parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let names: Vec<_> = file
            .requirements
            .iter()
            .map(|r| r.name.clone().unwrap())
            .collect();
        assert_eq!(
            names,
            ["flask", "requests", "django-rest-framework", "foo", "bar"]
        );
        let pins: Vec<_> = file.requirements.iter().map(|r| r.pinned.clone()).collect();
        assert_eq!(
            pins,
            [Some("3.0.3".into()), None, None, Some("1.0".into()), None]
        );
        let r = &file.requirements[1];
        assert_eq!(&text[r.version_span.clone()], ">=2,<3");
        assert_eq!(&text[r.name_and_version_span()], "requests>=2,<3");
        let r = &file.requirements[2];
        assert!(r.version_span.is_empty());
        assert_eq!(
            r.version_span.start,
            text.find("Django_Rest.framework").unwrap() + "Django_Rest.framework".len()
        );
    }

    #[test]
    fn extras_markers_and_comments() {
        let text = "uvicorn [standard] >= 0.30 ; python_version >= \"3.9\"  # server\n";
        let r = one(text);
        assert_eq!(r.extras, ["standard"]);
        assert_eq!(r.marker.as_deref(), Some("python_version >= \"3.9\""));
        assert_eq!(&text[r.version_span.clone()], ">= 0.30");
        assert_eq!(
            &text[r.span.clone()],
            "uvicorn [standard] >= 0.30 ; python_version >= \"3.9\""
        );
        let text = "pywin32 ; sys_platform == 'win32'\n";
        let r = one(text);
        assert_eq!(r.version_span, 7..7);
        assert_eq!(r.marker.as_deref(), Some("sys_platform == 'win32'"));
    }

    #[test]
    fn hashes_on_continuation_lines_keep_original_positions() {
        let text = "# top\r\nflask==3.0.3 \\\r\n    --hash=sha256:aaaa \\\r\n    --hash=sha256:bbbb\r\nclick==8.1.7\r\n";
        let file = parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let r = &file.requirements[0];
        assert_eq!(r.hashes.len(), 2);
        assert_eq!(&text[r.hashes[0].span.clone()], "--hash=sha256:aaaa");
        assert_eq!(&text[r.hashes[1].span.clone()], "--hash=sha256:bbbb");
        assert_eq!(r.hashes[1].digest, "bbbb");
        assert_eq!(&text[r.span.clone()], "flask==3.0.3");
        assert_eq!(&text[file.requirements[1].span.clone()], "click==8.1.7");
        assert!(file.has_hashes());
    }

    #[test]
    fn requirement_split_across_lines() {
        let text = "flask\\\n>=2\n";
        let r = one(text);
        assert_eq!(r.name.as_deref(), Some("flask"));
        assert_eq!(&text[r.version_span.clone()], ">=2");
        assert_eq!(&text[r.span.clone()], "flask\\\n>=2");
    }

    #[test]
    fn comment_line_ends_a_continuation() {
        let file = parse("flask \\\n# comment \\\nclick\n");
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let names: Vec<_> = file
            .requirements
            .iter()
            .filter_map(|r| r.name.clone())
            .collect();
        assert_eq!(names, ["flask", "click"]);
    }

    #[test]
    fn options_and_includes() {
        let text = "-i http://pypi.internal/simple\n--extra-index-url=https://x.example/simple\n--trusted-host pypi.internal\n-f ./wheels\n--no-binary :all:\n--only-binary=lxml\n--pre\n-r base.txt\n-c ../constraints.txt\n--requirement=more/dev.txt\n--frobnicate=1\n";
        let file = parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let names: Vec<_> = file.options.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "--index-url",
                "--extra-index-url",
                "--trusted-host",
                "--find-links",
                "--no-binary",
                "--only-binary",
                "--pre",
                "--requirement",
                "--constraint",
                "--requirement",
                "--frobnicate"
            ]
        );
        let index = &file.options[0];
        assert_eq!(&text[index.span.clone()], "-i http://pypi.internal/simple");
        assert_eq!(
            &text[index.value_span.clone().unwrap()],
            "http://pypi.internal/simple"
        );
        let extra = &file.options[1];
        assert_eq!(extra.value.as_deref(), Some("https://x.example/simple"));
        assert_eq!(
            &text[extra.value_span.clone().unwrap()],
            "https://x.example/simple"
        );
        assert_eq!(file.includes.len(), 3);
        assert_eq!(file.includes[0].resolve("svc"), Some("svc/base.txt".into()));
        assert_eq!(file.includes[1].kind, IncludeKind::Constraints);
        assert_eq!(
            file.includes[1].resolve("svc"),
            Some("constraints.txt".into())
        );
        assert_eq!(file.includes[1].resolve(""), None);
        assert_eq!(file.includes[2].resolve(""), Some("more/dev.txt".into()));
        assert_eq!(file.options[10].value.as_deref(), Some("1"));
    }

    #[test]
    fn urls_vcs_and_editables() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let text = format!(
            "-e .[dev]\n-e git+https://github.com/org/lib.git@main#egg=lib\nmypkg @ git+https://github.com/org/mypkg@{sha}\nhttps://example.com/pkg-1.0.tar.gz\n./local/thing\ngit+ssh://git@github.com/org/x.git#egg=x\nwheels/foo-1.0-py3-none-any.whl\nname@https://example.com/name-1.0.zip ; python_version > '3'\n"
        );
        let file = parse(&text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        let r = &file.requirements;
        assert_eq!(r.len(), 8);
        assert!(r[0].editable);
        assert_eq!(r[0].source, Source::Path(".".into()));
        assert_eq!(r[0].extras, ["dev"]);
        assert!(r[1].editable);
        assert_eq!(r[1].name.as_deref(), Some("lib"));
        let Source::Url(url) = &r[1].source else {
            panic!()
        };
        assert_eq!(url.vcs.as_ref().unwrap().reference.as_deref(), Some("main"));
        assert!(!url.vcs.as_ref().unwrap().pinned_to_commit());
        assert_eq!(
            &text[url.span.clone()],
            "git+https://github.com/org/lib.git@main#egg=lib"
        );
        let Source::Url(url) = &r[2].source else {
            panic!()
        };
        assert!(url.vcs.as_ref().unwrap().pinned_to_commit());
        assert_eq!(r[2].name.as_deref(), Some("mypkg"));
        let Source::Url(url) = &r[3].source else {
            panic!()
        };
        assert!(url.vcs.is_none());
        assert_eq!(r[4].source, Source::Path("./local/thing".into()));
        let Source::Url(url) = &r[5].source else {
            panic!()
        };
        assert_eq!(url.vcs.as_ref().unwrap().reference, None);
        assert_eq!(r[5].name.as_deref(), Some("x"));
        assert!(matches!(r[6].source, Source::Path(_)));
        assert_eq!(r[7].name.as_deref(), Some("name"));
        assert_eq!(r[7].marker.as_deref(), Some("python_version > '3'"));
    }

    #[test]
    fn bad_lines_become_errors_and_the_rest_is_read() {
        let text =
            "flask==3.0.3\nfoo- ==1\nbar >= \n-r\nok\nbaz[a,]\nqux ;\n    --hash=sha256:abc\n";
        let file = parse(text);
        let names: Vec<_> = file
            .requirements
            .iter()
            .filter_map(|r| r.name.clone())
            .collect();
        assert_eq!(names, ["flask", "ok"]);
        assert_eq!(file.errors.len(), 6, "{:?}", file.errors);
        for error in &file.errors {
            let span = error.span.clone().unwrap();
            assert!(
                span.end <= text.len() && span.start <= span.end,
                "{error:?}"
            );
        }
        assert_eq!(&text[file.errors[0].span.clone().unwrap()], "foo-");
    }

    #[test]
    fn option_forms() {
        let text = "--editable=./pkg[dev]\n-e \"git+https://x.example/y.git@main#egg=y\"\n-r\"more reqs.txt\"\n--frob value\n--extra-index https://x.example/simple\n--pre stray\n";
        let file = parse(text);
        assert_eq!(file.requirements.len(), 2);
        assert_eq!(file.requirements[0].source, Source::Path("./pkg".into()));
        assert_eq!(&text[file.requirements[0].span.clone()], "./pkg[dev]");
        let Source::Url(url) = &file.requirements[1].source else {
            panic!()
        };
        assert_eq!(url.url, "git+https://x.example/y.git@main#egg=y");
        assert_eq!(
            &text[url.span.clone()],
            "\"git+https://x.example/y.git@main#egg=y\""
        );
        assert_eq!(file.includes[0].path, "more reqs.txt");
        let frob = file.options.iter().find(|o| o.name == "--frob").unwrap();
        assert_eq!(frob.value.as_deref(), Some("value"));
        assert!(file.options.iter().any(|o| o.name == "--extra-index-url"));
        assert_eq!(file.errors.len(), 1, "{:?}", file.errors);
        assert!(file.errors[0].message.contains("stray"));
    }

    #[test]
    fn env_vars_are_kept() {
        let file = parse(
            "-i https://${USER}:${TOKEN}@pypi.example/simple\n${PROJECT_ROOT}/pkg\nfoo @ file://${PROJECT_ROOT}/foo\nbar${X}\n",
        );
        assert_eq!(
            file.options[0].value.as_deref(),
            Some("https://${USER}:${TOKEN}@pypi.example/simple")
        );
        assert_eq!(file.requirements.len(), 2);
        assert_eq!(file.errors.len(), 1);
    }

    #[test]
    fn normalises_names() {
        assert_eq!(
            normalize_name("Django_Rest..Framework"),
            "django-rest-framework"
        );
        assert_eq!(normalize_name("zope.interface"), "zope-interface");
    }

    #[test]
    fn long_lines_are_linear() {
        let mut text = String::from("foo @ https://x/");
        text.push_str(&" ".repeat(200_000));
        text.push_str("y\n");
        text.push_str(&format!("bar ; {}\n", "(".repeat(100_000)));
        text.push_str(&format!("baz{}\n", ",>=1".repeat(20_000)));
        text.push_str(&"\\\n".repeat(50_000));
        let start = std::time::Instant::now();
        let _ = parse(&text);
        assert!(start.elapsed() < std::time::Duration::from_secs(5));
    }

    /// Every span a parse hands out is a valid slice of the text (in bounds, on character
    /// boundaries), whatever the text.
    fn assert_spans_slice(text: &str, file: &RequirementsFile) {
        let mut spans: Vec<Range<usize>> = Vec::new();
        for r in &file.requirements {
            spans.extend([
                r.span.clone(),
                r.version_span.clone(),
                r.line.clone(),
                r.name_and_version_span(),
            ]);
            spans.extend(r.name_span.clone());
            spans.extend(r.hashes.iter().map(|h| h.span.clone()));
            if let Source::Url(url) = &r.source {
                spans.push(url.span.clone());
            }
        }
        for o in &file.options {
            spans.push(o.span.clone());
            spans.extend(o.value_span.clone());
        }
        spans.extend(file.includes.iter().map(|i| i.span.clone()));
        spans.extend(file.errors.iter().filter_map(|e| e.span.clone()));
        for span in spans {
            assert!(text.get(span.clone()).is_some(), "{span:?} in {text:?}");
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]

        #[test]
        fn never_panics_and_spans_slice(text in "(?s)(.|[a-z]{1,3}|é|€|\\\\\r\n|\\\\\n|\r\n|-e |-r |-i\"|--editable=|--hash=|'|\"|git\\+https|://|@|==|>=|;| #|\\[|\\]|\\(){0,40}") {
            assert_spans_slice(&text, &parse(&text));
        }

        #[test]
        fn never_panics_on_any_text(text in "(?s).{0,100}") {
            assert_spans_slice(&text, &parse(&text));
        }
    }
}
