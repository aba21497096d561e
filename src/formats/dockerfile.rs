//! Dockerfile / Containerfile: instructions with spans for every keyword, flag and argument.
//!
//! What is understood: the `# escape=` and `# syntax=` parser directives, line continuations
//! with the escape character (comment and blank lines inside a continuation are dropped, as
//! BuildKit does), heredocs (`<<EOF`, `<<-EOF`, quoted delimiters, several on one line), exec
//! (JSON) versus shell form, stages (`FROM [--platform=..] image [AS name]`), global `ARG`s
//! substituted into `FROM` (`$X`, `${X}`, `${X:-y}`, `${X-y}`, `${X:+y}`, `${X+y}`, with each
//! `ARG`'s default as its value, as a build without `--build-arg` sees it; the written span is
//! kept), and the simple commands of a `RUN` split across `&&`, `||`, `;`, `|`
//! and newlines. Words are unquoted with `shlex` (a POSIX word splitter); only the boundaries of
//! words and operators are found here, because the spans must point into the original text.
//!
//! Text joined from several physical lines is kept as a [`Logical`]: the joined string plus the
//! original offset of each of its bytes, so any range of it maps back to the file.

use std::ops::Range;

use super::ParseError;

/// The instructions Docker knows.
pub const INSTRUCTIONS: &[&str] = &[
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// Text joined from pieces of the file, with the original offset of every byte.
#[derive(Debug, Clone, Default)]
pub struct Logical {
    pub text: String,
    map: Vec<usize>,
    /// Original offset just past the last piece.
    end: usize,
}

impl Logical {
    fn push(&mut self, source: &str, range: Range<usize>) {
        if let Some(piece) = source.get(range.clone()) {
            self.text.push_str(piece);
            self.map.extend(range.clone());
            self.end = range.end;
        }
    }

    /// The original byte range of `range` (a range of [`Logical::text`]).
    pub fn span(&self, range: Range<usize>) -> Range<usize> {
        let start = self.map.get(range.start).copied().unwrap_or(self.end);
        if range.end <= range.start {
            return start..start;
        }
        let end = self
            .map
            .get(range.end - 1)
            .map_or(self.end, |offset| offset + 1);
        start..end.max(start)
    }

    /// The original offset of logical byte `at` (or the end).
    pub fn offset(&self, at: usize) -> usize {
        self.map.get(at).copied().unwrap_or(self.end)
    }

    /// Text whose bytes come from known offsets of another file (`offsets[i]` for byte `i`),
    /// such as a shell script in a YAML block scalar. `None` when the lengths differ.
    pub fn mapped(text: String, offsets: Vec<usize>, end: usize) -> Option<Self> {
        (text.len() == offsets.len()).then_some(Self {
            text,
            map: offsets,
            end,
        })
    }
}

/// The simple commands of a shell script, with spans in the file the script came from.
pub fn shell_commands(script: &Logical) -> Vec<Command> {
    scan(script, 0..script.text.len(), true)
}

/// A parser directive at the top of the file (`# syntax=...`, `# escape=...`).
#[derive(Debug, Clone)]
pub struct Directive {
    pub name: String,
    pub value: String,
    pub span: Range<usize>,
}

/// A word with its unquoted value and its original span (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    pub span: Range<usize>,
}

/// `--name=value` or `--name` before an instruction's arguments.
#[derive(Debug, Clone)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
    pub span: Range<usize>,
}

/// A heredoc attached to an instruction.
#[derive(Debug, Clone)]
pub struct Heredoc {
    pub delimiter: String,
    /// `<<-`: leading tabs are stripped from the body and the terminator.
    pub strip_tabs: bool,
    /// The delimiter was quoted: no expansion in the body.
    pub quoted: bool,
    /// The `<<EOF` marker in the original text.
    pub marker: Range<usize>,
    pub body: Logical,
}

/// How a command-taking instruction's arguments are written.
#[derive(Debug, Clone)]
pub enum Form {
    /// `["executable", "arg"]`: the words, each with its span.
    Exec(Vec<Word>),
    /// Anything else: run by the shell.
    Shell,
}

#[derive(Debug, Clone)]
pub struct Instruction {
    /// Upper-cased keyword.
    pub keyword: String,
    pub keyword_span: Range<usize>,
    /// From the keyword to the end of its last continuation line (heredoc bodies excluded).
    pub span: Range<usize>,
    /// Offset of the start of the instruction's first line.
    pub line_start: usize,
    /// Offset just past the instruction's last line (heredocs included), newline included.
    pub end: usize,
    /// Everything after the keyword, continuations joined.
    pub args: Logical,
    pub flags: Vec<Flag>,
    /// The range of `args.text` after the flags.
    pub rest: Range<usize>,
    pub form: Form,
    pub heredocs: Vec<Heredoc>,
    /// The stage the instruction belongs to; `None` before the first `FROM`.
    pub stage: Option<usize>,
}

/// An image reference as written in `FROM`, and after global `ARG` substitution.
#[derive(Debug, Clone)]
pub struct ImageRef {
    pub written: Word,
    /// After substitution of global ARGs (defaults).
    pub resolved: String,
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The reference used `$VAR` / `${VAR}`.
    pub uses_args: bool,
    /// A variable had no value to substitute.
    pub unresolved: bool,
}

impl ImageRef {
    fn new(written: Word, args: &[(String, Option<String>)]) -> Self {
        let (resolved, uses_args, unresolved) = substitute(&written.value, args);
        let (name, tag, digest) = split_reference(&resolved);
        let (name, tag, digest) = (
            name.to_string(),
            tag.map(str::to_string),
            digest.map(str::to_string),
        );
        Self {
            written,
            resolved,
            name,
            tag,
            digest,
            uses_args,
            unresolved,
        }
    }

    /// `scratch` is no image at all.
    pub fn is_scratch(&self) -> bool {
        self.name.eq_ignore_ascii_case("scratch")
    }
}

/// An image reference split into name, tag and digest: `registry:5000/app:1.2@sha256:...`.
/// A registry port is not a tag. Shared with GitLab CI's `image:` and `services:`.
pub fn split_reference(reference: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, digest) = match reference.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (reference, None),
    };
    match rest.rfind(':') {
        Some(colon) if !rest[colon..].contains('/') => {
            (&rest[..colon], Some(&rest[colon + 1..]), digest)
        }
        _ => (rest, None, digest),
    }
}

/// One build stage.
#[derive(Debug, Clone)]
pub struct Stage {
    /// Index of its `FROM` in [`Dockerfile::instructions`].
    pub from: usize,
    pub image: Option<ImageRef>,
    pub name: Option<String>,
    pub platform: Option<String>,
    /// The earlier stage this one is built on (`FROM builder`).
    pub parent: Option<usize>,
    /// Indices of its instructions (the `FROM` included).
    pub instructions: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Dockerfile {
    pub escape: char,
    pub directives: Vec<Directive>,
    pub instructions: Vec<Instruction>,
    pub stages: Vec<Stage>,
    /// The last stage of each name (lower-cased): stage lookups stay linear on files with
    /// thousands of stages.
    stage_names: std::collections::HashMap<String, usize>,
    /// `ARG`s before the first `FROM`, with their defaults.
    pub global_args: Vec<(String, Option<String>)>,
    pub errors: Vec<ParseError>,
    /// `FROM`s seen so far while parsing.
    froms: usize,
}

/// What separates a simple command from the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sep {
    And,
    Or,
    Seq,
    Pipe,
    Background,
    End,
}

/// A simple command of a `RUN`: its words (assignments and reserved words included as written,
/// except leading shell keywords) and what follows it.
#[derive(Debug, Clone)]
pub struct Command {
    pub words: Vec<Word>,
    pub sep: Sep,
}

impl Command {
    pub fn span(&self) -> Range<usize> {
        match (self.words.first(), self.words.last()) {
            (Some(first), Some(last)) => first.span.start..last.span.end,
            _ => 0..0,
        }
    }
}

struct Line {
    start: usize,
    /// End of the content, line break excluded.
    end: usize,
    /// Start of the next line.
    next: usize,
}

fn lines(text: &str) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let content = piece.trim_end_matches('\n').trim_end_matches('\r');
        out.push(Line {
            start,
            end: start + content.len(),
            next: start + piece.len(),
        });
        start += piece.len();
    }
    out
}

fn is_blank_or_comment(text: &str, line: &Line) -> bool {
    let content = text.get(line.start..line.end).unwrap_or("").trim_start();
    content.is_empty() || content.starts_with('#')
}

impl Dockerfile {
    pub fn parse(text: &str) -> Self {
        let lines = lines(text);
        let mut file = Dockerfile {
            escape: '\\',
            directives: Vec::new(),
            instructions: Vec::new(),
            stages: Vec::new(),
            stage_names: std::collections::HashMap::new(),
            global_args: Vec::new(),
            errors: Vec::new(),
            froms: 0,
        };
        let mut i = 0;
        // Parser directives: only before any comment, blank line or instruction.
        while let Some(line) = lines.get(i) {
            let content = text.get(line.start..line.end).unwrap_or("");
            let Some((name, value)) = directive(content) else {
                break;
            };
            if name == "escape" {
                match value.as_str() {
                    "\\" => file.escape = '\\',
                    "`" => file.escape = '`',
                    _ => file.errors.push(ParseError {
                        message: format!("invalid escape directive `{value}`: use `\\` or `` ` ``"),
                        span: Some(line.start..line.end),
                    }),
                }
            }
            file.directives.push(Directive {
                name,
                value,
                span: line.start..line.end,
            });
            i += 1;
        }
        while i < lines.len() {
            if lines.get(i).is_some_and(|l| is_blank_or_comment(text, l)) {
                i += 1;
                continue;
            }
            i = file.instruction(text, &lines, i);
        }
        file.build_stages();
        file
    }

    /// Parse the instruction starting on line `i`; returns the next line to look at.
    fn instruction(&mut self, text: &str, lines: &[Line], mut i: usize) -> usize {
        let Some(first) = lines.get(i) else {
            return i + 1;
        };
        let content = text.get(first.start..first.end).unwrap_or("");
        let indent = content.len() - content.trim_start().len();
        let keyword_start = first.start + indent;
        let keyword_len = content
            .get(indent..)
            .unwrap_or("")
            .bytes()
            .take_while(|b| !b.is_ascii_whitespace())
            .count();
        let keyword_span = keyword_start..keyword_start + keyword_len;
        let keyword_text = text.get(keyword_span.clone()).unwrap_or("");
        let keyword = keyword_text.to_ascii_uppercase();

        // Join continuation lines.
        let mut args = Logical::default();
        let mut piece_start = keyword_span.end;
        let mut last_end = first.end;
        let mut end = first.next;
        while let Some(line) = lines.get(i) {
            let piece = text.get(piece_start..line.end).unwrap_or("");
            let trimmed = piece.trim_end_matches([' ', '\t']);
            last_end = line.end;
            end = line.next;
            i += 1;
            if trimmed.ends_with(self.escape) {
                let cut = piece_start + trimmed.len() - self.escape.len_utf8();
                args.push(text, piece_start..cut);
                // Comment and blank lines inside a continuation are dropped.
                while lines.get(i).is_some_and(|l| is_blank_or_comment(text, l)) {
                    i += 1;
                }
                match lines.get(i) {
                    Some(next) => piece_start = next.start,
                    None => break,
                }
            } else {
                args.push(text, piece_start..line.end);
                break;
            }
        }
        let span = keyword_span.start..last_end.max(keyword_span.end);

        if !INSTRUCTIONS.contains(&keyword.as_str()) {
            self.errors.push(ParseError {
                message: format!("unknown instruction `{keyword_text}`"),
                span: Some(keyword_span),
            });
            return i;
        }
        if keyword != "ARG" && keyword != "FROM" && self.stages_started() == 0 {
            self.errors.push(ParseError {
                message: format!(
                    "`{keyword}` before the first `FROM`: no build stage to run it in"
                ),
                span: Some(keyword_span.clone()),
            });
        }

        // Heredocs: bodies follow the instruction's last line.
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for marker in heredoc_markers(&args.text) {
                let mut body = Logical::default();
                let mut found = false;
                while let Some(line) = lines.get(i) {
                    i += 1;
                    let content = text.get(line.start..line.end).unwrap_or("");
                    let check = if marker.strip_tabs {
                        content.trim_start_matches('\t')
                    } else {
                        content
                    };
                    end = line.next;
                    if check == marker.delimiter {
                        found = true;
                        break;
                    }
                    let skip = if marker.strip_tabs {
                        content.len() - content.trim_start_matches('\t').len()
                    } else {
                        0
                    };
                    body.push(text, line.start + skip..line.next);
                }
                let marker_span = args.span(marker.range.clone());
                if !found {
                    self.errors.push(ParseError {
                        message: format!(
                            "heredoc `{}` is never terminated: no line `{}` follows",
                            marker.delimiter, marker.delimiter
                        ),
                        span: Some(marker_span.clone()),
                    });
                }
                heredocs.push(Heredoc {
                    delimiter: marker.delimiter,
                    strip_tabs: marker.strip_tabs,
                    quoted: marker.quoted,
                    marker: marker_span,
                    body,
                });
            }
        }

        let leading = args.text.len() - args.text.trim_start().len();
        let (flags, rest_start) = parse_flags(&args, leading);
        let rest_end = args.text.trim_end().len().max(rest_start);
        let rest = rest_start..rest_end;
        let form = match args.text.get(rest.clone()) {
            Some(body) if takes_exec_form(&keyword) && body.starts_with('[') => {
                match exec_words(&args, rest.clone()) {
                    Some(words) => Form::Exec(words),
                    None => {
                        if body[1..].trim_start().starts_with('"') {
                            self.errors.push(ParseError {
                                message: format!(
                                    "`{keyword}` argument starts like a JSON array but is not one \
                                     (Docker would run it through a shell as written)"
                                ),
                                span: Some(args.span(rest.clone())),
                            });
                        }
                        Form::Shell
                    }
                }
            }
            _ => Form::Shell,
        };
        let stage = self.stages_started().checked_sub(1);
        let stage = if keyword == "FROM" {
            self.froms += 1;
            Some(self.froms - 1)
        } else {
            stage
        };
        self.instructions.push(Instruction {
            keyword,
            keyword_span,
            span,
            line_start: first.start,
            end,
            args,
            flags,
            rest,
            form,
            heredocs,
            stage,
        });
        i
    }

    fn stages_started(&self) -> usize {
        self.froms
    }

    fn build_stages(&mut self) {
        let mut global_args = Vec::new();
        let mut stages: Vec<Stage> = Vec::new();
        let mut stage_names = std::collections::HashMap::new();
        for (index, ins) in self.instructions.iter().enumerate() {
            if ins.keyword == "ARG" && stages.is_empty() {
                for (name, value) in ins.pairs() {
                    global_args.push((name.value, value.map(|v| v.value)));
                }
                continue;
            }
            if ins.keyword != "FROM" {
                continue;
            }
            if let Some(last) = stages.last_mut() {
                last.instructions.end = index;
            }
            let words = ins.words();
            let image_word = words.first().cloned();
            let name = match (words.get(1), words.get(2)) {
                (Some(kw), Some(name)) if kw.value.eq_ignore_ascii_case("as") => {
                    Some(name.value.clone())
                }
                _ => None,
            };
            let image = image_word.map(|w| ImageRef::new(w, &global_args));
            let parent = image.as_ref().and_then(|image| {
                stage_names
                    .get(&image.resolved.to_ascii_lowercase())
                    .copied()
            });
            if let Some(name) = &name {
                stage_names.insert(name.to_ascii_lowercase(), stages.len());
            }
            stages.push(Stage {
                from: index,
                image,
                name,
                platform: ins.flag("platform").map(str::to_string),
                parent,
                instructions: index..self.instructions.len(),
            });
        }
        self.global_args = global_args;
        self.stages = stages;
        self.stage_names = stage_names;
    }

    /// The last stage: the image that is shipped.
    pub fn final_stage(&self) -> Option<(usize, &Stage)> {
        self.stages.len().checked_sub(1).zip(self.stages.last())
    }

    /// The instructions of stage `index`.
    pub fn stage_instructions(&self, index: usize) -> impl Iterator<Item = &Instruction> {
        let range = self
            .stages
            .get(index)
            .map_or(0..0, |s| s.instructions.clone());
        self.instructions.get(range).unwrap_or(&[]).iter()
    }

    /// Whether `name` is an earlier stage (for `COPY --from=` and `FROM <stage>`).
    pub fn is_stage_name(&self, name: &str) -> bool {
        self.stage_names.contains_key(&name.to_ascii_lowercase())
    }
}

impl Instruction {
    pub fn is(&self, keyword: &str) -> bool {
        self.keyword == keyword
    }

    /// The value of flag `--name`.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.as_deref())
    }

    /// The arguments after the flags, as written (continuations joined).
    pub fn rest_text(&self) -> &str {
        self.args.text.get(self.rest.clone()).unwrap_or("")
    }

    /// The arguments after the flags split into words (no shell operators).
    pub fn words(&self) -> Vec<Word> {
        match &self.form {
            Form::Exec(words) => words.clone(),
            Form::Shell => scan(&self.args, self.rest.clone(), false)
                .into_iter()
                .flat_map(|c| c.words)
                .collect(),
        }
    }

    /// `ENV`/`ARG`/`LABEL` pairs: `key=value` words, or the legacy `ENV key value` form.
    pub fn pairs(&self) -> Vec<(Word, Option<Word>)> {
        let words = scan(&self.args, self.rest.clone(), false)
            .into_iter()
            .flat_map(|c| c.words)
            .collect::<Vec<_>>();
        let legacy =
            self.keyword == "ENV" && words.first().is_some_and(|w| !raw_has_eq(&self.args, w));
        if legacy {
            let Some(key) = words.first() else {
                return Vec::new();
            };
            let value = words.get(1).map(|second| Word {
                value: words
                    .get(1..)
                    .unwrap_or(&[])
                    .iter()
                    .map(|w| w.value.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                span: second.span.start..words.last().map_or(second.span.end, |w| w.span.end),
            });
            return vec![(key.clone(), value)];
        }
        words
            .into_iter()
            .map(|w| match w.value.split_once('=') {
                Some((key, value)) => {
                    let key_end = w.span.start + key.len();
                    (
                        Word {
                            value: key.to_string(),
                            span: w.span.start..key_end.min(w.span.end),
                        },
                        Some(Word {
                            value: value.to_string(),
                            span: (key_end + 1).min(w.span.end)..w.span.end,
                        }),
                    )
                }
                None => (w, None),
            })
            .collect()
    }

    /// The simple commands a `RUN` (or `CMD`, `ENTRYPOINT`) executes: the shell form split at operators, the exec form
    /// as one command, and heredoc bodies when the shell runs them as a script.
    pub fn commands(&self) -> Vec<Command> {
        if !matches!(self.keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT") {
            return Vec::new();
        }
        match &self.form {
            Form::Exec(words) => vec![Command {
                words: words.clone(),
                sep: Sep::End,
            }],
            Form::Shell => {
                let mut commands = scan(&self.args, self.rest.clone(), true);
                let runs_script = commands.is_empty()
                    || commands.first().is_some_and(|c| {
                        c.words.len() == 1
                            && c.words.first().is_some_and(|w| {
                                matches!(
                                    w.value.rsplit('/').next(),
                                    Some("sh" | "bash" | "ash" | "dash" | "zsh")
                                )
                            })
                    });
                if runs_script {
                    for heredoc in &self.heredocs {
                        commands.extend(scan(&heredoc.body, 0..heredoc.body.text.len(), true));
                    }
                }
                commands
            }
        }
    }
}

fn raw_has_eq(args: &Logical, word: &Word) -> bool {
    // The raw first word; `ENV A="b c"` has `=` before any quote.
    let raw_start = args.map.iter().position(|&o| o == word.span.start);
    raw_start
        .and_then(|s| args.text.get(s..))
        .is_some_and(|raw| {
            raw.split(|c: char| c.is_whitespace())
                .next()
                .is_some_and(|first| first.contains('='))
        })
}

fn takes_exec_form(keyword: &str) -> bool {
    matches!(
        keyword,
        "RUN" | "CMD" | "ENTRYPOINT" | "SHELL" | "COPY" | "ADD" | "VOLUME"
    )
}

fn directive(line: &str) -> Option<(String, String)> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim().to_ascii_lowercase();
    if !matches!(name.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    Some((name, value.trim().to_string()))
}

struct Marker {
    delimiter: String,
    strip_tabs: bool,
    quoted: bool,
    range: Range<usize>,
}

/// `<<EOF`, `<<-EOF`, `<<"EOF"`, `<<'EOF'` outside quotes (not `<<<`).
fn heredoc_markers(text: &str) -> Vec<Marker> {
    let bytes = text.as_bytes();
    let mut markers = Vec::new();
    let mut pos = 0;
    let mut quote: Option<u8> = None;
    while let Some(&c) = bytes.get(pos) {
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            pos += 1;
            continue;
        }
        match c {
            b'\'' | b'"' => {
                quote = Some(c);
                pos += 1;
            }
            b'<' if bytes.get(pos + 1) == Some(&b'<') && bytes.get(pos + 2) != Some(&b'<') => {
                let start = pos;
                let mut at = pos + 2;
                let strip_tabs = bytes.get(at) == Some(&b'-');
                if strip_tabs {
                    at += 1;
                }
                let open = bytes.get(at).copied().filter(|b| *b == b'"' || *b == b'\'');
                if open.is_some() {
                    at += 1;
                }
                let name_start = at;
                while bytes
                    .get(at)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'-')
                {
                    at += 1;
                }
                let name_end = at;
                let closed = match open {
                    Some(q) if bytes.get(at) == Some(&q) => {
                        at += 1;
                        true
                    }
                    Some(_) => false,
                    None => true,
                };
                if name_end > name_start && closed {
                    markers.push(Marker {
                        delimiter: text.get(name_start..name_end).unwrap_or("").to_string(),
                        strip_tabs,
                        quoted: open.is_some(),
                        range: start..at,
                    });
                }
                pos = at.max(pos + 2);
            }
            _ => pos += 1,
        }
    }
    markers
}

/// Leading `--flag[=value]` words; returns them and where the arguments start.
fn parse_flags(args: &Logical, mut pos: usize) -> (Vec<Flag>, usize) {
    let mut flags = Vec::new();
    let text = &args.text;
    while text.get(pos..).is_some_and(|t| t.starts_with("--")) {
        let len = text
            .get(pos..)
            .unwrap_or("")
            .find(char::is_whitespace)
            .unwrap_or(text.len() - pos);
        let raw = text.get(pos + 2..pos + len).unwrap_or("");
        let (name, value) = match raw.split_once('=') {
            Some((name, value)) => (name, Some(unquote(value))),
            None => (raw, None),
        };
        flags.push(Flag {
            name: name.to_string(),
            value,
            span: args.span(pos..pos + len),
        });
        pos += len;
        pos += text
            .get(pos..)
            .map_or(0, |t| t.len() - t.trim_start().len());
    }
    (flags, pos)
}

fn unquote(raw: &str) -> String {
    if !raw.contains(['\'', '"', '\\']) {
        return raw.to_string();
    }
    match shlex::split(raw) {
        Some(words) if words.len() == 1 => words.into_iter().next().unwrap_or_default(),
        Some(words) if words.is_empty() => String::new(),
        _ => raw.to_string(),
    }
}

/// A JSON array of strings, each with its span; `None` when the text is not one.
fn exec_words(args: &Logical, range: Range<usize>) -> Option<Vec<Word>> {
    let text = args.text.get(range.clone())?;
    let bytes = text.as_bytes();
    let skip_ws = |mut at: usize| {
        while bytes.get(at).is_some_and(|b| b.is_ascii_whitespace()) {
            at += 1;
        }
        at
    };
    let mut pos = skip_ws(1);
    let mut words = Vec::new();
    if bytes.get(pos) == Some(&b']') {
        return (skip_ws(pos + 1) == bytes.len()).then_some(words);
    }
    loop {
        if bytes.get(pos) != Some(&b'"') {
            return None;
        }
        let start = pos;
        pos += 1;
        loop {
            match bytes.get(pos)? {
                b'\\' => pos += 2,
                b'"' => break,
                _ => pos += 1,
            }
        }
        pos += 1;
        let value: String = serde_json::from_str(text.get(start..pos)?).ok()?;
        words.push(Word {
            value,
            span: args.span(range.start + start..range.start + pos),
        });
        pos = skip_ws(pos);
        match bytes.get(pos)? {
            b',' => pos = skip_ws(pos + 1),
            b']' => {
                return (skip_ws(pos + 1) == bytes.len()).then_some(words);
            }
            _ => return None,
        }
    }
}

/// Substitute `$NAME`, `${NAME}`, `${NAME:-word}`, `${NAME-word}`, `${NAME:+word}`,
/// `${NAME+word}`, `${NAME:?msg}` and `${NAME?msg}` with the values in `vars` (an `ARG` without
/// a default is declared but unset; no `--build-arg` is assumed, so every `ARG` has its
/// default). The words of the modifiers are substituted too. Returns the result, whether any
/// variable was used, and whether a value was needed that is not known (a plain reference to an
/// unset or undeclared variable, or a `?` modifier on one).
pub fn substitute(text: &str, vars: &[(String, Option<String>)]) -> (String, bool, bool) {
    // `None`: unset; `Some(value)`: set (possibly empty).
    let lookup = |name: &str| -> Option<String> {
        vars.iter()
            .rev()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.clone())
    };
    let mut out = String::new();
    let mut used = false;
    let mut missing = false;
    let mut rest = text;
    while let Some(dollar) = rest.find('$') {
        out.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        if let Some(braced) = after.strip_prefix('{') {
            let Some(close) = matching_brace(braced) else {
                out.push_str(&rest[dollar..]);
                rest = "";
                break;
            };
            let inner = &braced[..close];
            rest = &braced[close + 1..];
            used = true;
            let name_len = inner
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            let (name, modifier) = inner.split_at(name_len);
            let value = lookup(name);
            let (colon, modifier) = match modifier.strip_prefix(':') {
                Some(m) => (true, m),
                None => (false, modifier),
            };
            // With `:`, an empty value counts as unset.
            let set = value.as_ref().is_some_and(|v| !colon || !v.is_empty());
            let mut word = |w: &str| {
                let (w, _, m) = substitute(w, vars);
                missing |= m;
                w
            };
            let op = modifier.chars().next();
            let arg = modifier.get(1..).unwrap_or("");
            match op {
                None => match value {
                    Some(v) => out.push_str(&v),
                    None => missing = true,
                },
                Some('-') if set => out.push_str(value.as_deref().unwrap_or("")),
                Some('-') => out.push_str(&word(arg)),
                Some('+') if set => out.push_str(&word(arg)),
                Some('+') => {}
                Some('?') if set => out.push_str(value.as_deref().unwrap_or("")),
                // `?`: the build fails without a value, or something unknown: cannot be judged.
                _ => missing = true,
            }
        } else {
            let len = after
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if len == 0 {
                out.push('$');
                rest = after;
                continue;
            }
            used = true;
            match lookup(&after[..len]) {
                Some(value) => out.push_str(&value),
                None => missing = true,
            }
            rest = &after[len..];
        }
    }
    out.push_str(rest);
    (out, used, missing)
}

/// The index of the `}` closing a `${` whose body `text` starts, nested `${..}` skipped.
fn matching_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (at, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => return Some(at),
            '}' => depth -= 1,
            _ => {}
        }
    }
    None
}

const RESERVED: &[&str] = &[
    "!", "{", "}", "if", "then", "else", "elif", "fi", "do", "done", "while", "until",
];

/// Split shell text into simple commands (with `operators`) or just into words. Finds word and
/// operator boundaries (quotes, `$(..)`, backticks, comments, redirections, line
/// continuations); each word's value is unquoted by `shlex`.
fn scan(src: &Logical, range: Range<usize>, operators: bool) -> Vec<Command> {
    let bytes = src.text.as_bytes();
    let end = range.end.min(bytes.len());
    let mut pos = range.start;
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut word_start: Option<usize> = None;

    let finish_word = |words: &mut Vec<Word>, start: &mut Option<usize>, at: usize| {
        if let Some(s) = start.take()
            && at > s
        {
            let raw = src.text.get(s..at).unwrap_or("");
            words.push(Word {
                value: unquote(raw),
                span: src.span(s..at),
            });
        }
    };
    let finish_command = |commands: &mut Vec<Command>, words: &mut Vec<Word>, sep: Sep| {
        let mut taken = std::mem::take(words);
        let lead = taken
            .iter()
            .take_while(|w| RESERVED.contains(&w.value.as_str()))
            .count();
        taken.drain(..lead);
        if !taken.is_empty() {
            commands.push(Command { words: taken, sep });
        } else if let Some(last) = commands.last_mut()
            && sep != Sep::Seq
        {
            last.sep = sep;
        }
    };
    // Skip a quoted or nested region starting at `at`; returns the position after it.
    let skip_quoted = |at: usize| -> usize {
        let Some(&open) = bytes.get(at) else {
            return at + 1;
        };
        let mut p = at + 1;
        match open {
            b'\'' | b'`' => {
                while bytes.get(p).is_some_and(|b| *b != open) {
                    p += 1;
                }
                p + 1
            }
            b'"' => {
                while let Some(&b) = bytes.get(p) {
                    match b {
                        b'\\' => p += 2,
                        b'"' => return p + 1,
                        _ => p += 1,
                    }
                }
                p
            }
            _ => {
                // `$(` or `${`: to the matching close, quotes skipped roughly.
                let (inc, dec) = if bytes.get(p) == Some(&b'{') {
                    (b'{', b'}')
                } else {
                    (b'(', b')')
                };
                let mut depth = 0usize;
                while let Some(&b) = bytes.get(p) {
                    if b == inc {
                        depth += 1;
                    } else if b == dec {
                        depth = depth.saturating_sub(1);
                        if depth == 0 {
                            return p + 1;
                        }
                    } else if b == b'\\' {
                        p += 1;
                    }
                    p += 1;
                }
                p
            }
        }
    };

    while pos < end {
        let Some(&c) = bytes.get(pos) else { break };
        match c {
            b' ' | b'\t' | b'\r' => {
                finish_word(&mut words, &mut word_start, pos);
                pos += 1;
            }
            b'\n' => {
                finish_word(&mut words, &mut word_start, pos);
                if operators {
                    finish_command(&mut commands, &mut words, Sep::Seq);
                }
                pos += 1;
            }
            b'\\' => {
                let next = bytes.get(pos + 1).copied();
                let crlf = next == Some(b'\r') && bytes.get(pos + 2) == Some(&b'\n');
                if next == Some(b'\n') || crlf {
                    finish_word(&mut words, &mut word_start, pos);
                    pos += if crlf { 3 } else { 2 };
                } else {
                    word_start.get_or_insert(pos);
                    pos += 2;
                }
            }
            b'\'' | b'"' | b'`' => {
                word_start.get_or_insert(pos);
                pos = skip_quoted(pos);
            }
            b'$' if matches!(bytes.get(pos + 1), Some(b'(' | b'{')) => {
                word_start.get_or_insert(pos);
                pos = skip_quoted(pos);
            }
            b'#' if word_start.is_none() => {
                while bytes.get(pos).is_some_and(|b| *b != b'\n') {
                    pos += 1;
                }
            }
            b';' | b'&' | b'|' | b'(' | b')' if operators => {
                finish_word(&mut words, &mut word_start, pos);
                let next = bytes.get(pos + 1).copied();
                let (sep, len) = match (c, next) {
                    (b'&', Some(b'&')) => (Sep::And, 2),
                    (b'|', Some(b'|')) => (Sep::Or, 2),
                    (b'|', Some(b'&')) => (Sep::Pipe, 2),
                    (b'|', _) => (Sep::Pipe, 1),
                    (b'&', Some(b'>')) => {
                        // `&>file`: a redirection.
                        pos = skip_redirect(bytes, pos + 1, end);
                        continue;
                    }
                    (b'&', _) => (Sep::Background, 1),
                    _ => (Sep::Seq, 1),
                };
                finish_command(&mut commands, &mut words, sep);
                pos += len;
            }
            b'<' | b'>' if operators => {
                // A file-descriptor number right before is part of the redirection.
                if let Some(s) = word_start
                    && src
                        .text
                        .get(s..pos)
                        .is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
                {
                    word_start = None;
                }
                finish_word(&mut words, &mut word_start, pos);
                pos = skip_redirect(bytes, pos, end);
            }
            _ => {
                word_start.get_or_insert(pos);
                pos += 1;
            }
        }
    }
    finish_word(&mut words, &mut word_start, pos.min(end));
    finish_command(&mut commands, &mut words, Sep::End);
    commands
}

/// Skip a redirection operator at `pos` and its target word.
fn skip_redirect(bytes: &[u8], mut pos: usize, end: usize) -> usize {
    while pos < end && matches!(bytes.get(pos), Some(b'<' | b'>')) {
        pos += 1;
    }
    if matches!(bytes.get(pos), Some(b'&' | b'-' | b'|')) {
        pos += 1;
    }
    while pos < end && matches!(bytes.get(pos), Some(b' ' | b'\t')) {
        pos += 1;
    }
    let mut quote: Option<u8> = None;
    while pos < end {
        let Some(&b) = bytes.get(pos) else { break };
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'\'' || b == b'"' => quote = Some(b),
            None if b.is_ascii_whitespace() || b";&|()<>".contains(&b) => break,
            None => {}
        }
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn values(words: &[Word]) -> Vec<&str> {
        words.iter().map(|w| w.value.as_str()).collect()
    }

    fn commands(text: &str) -> Vec<Vec<String>> {
        let file = Dockerfile::parse(text);
        file.instructions
            .iter()
            .flat_map(|i| i.commands())
            .map(|c| c.words.into_iter().map(|w| w.value).collect())
            .collect()
    }

    #[test]
    fn instructions_stages_and_spans() {
        let text = "# syntax=docker/dockerfile:1\nARG PY=3.12\nFROM --platform=linux/amd64 python:${PY}-slim AS build\nRUN pip install flask\nFROM build\nCOPY --from=build /a /b\nCMD [\"gunicorn\", \"app:app\"]\n";
        let file = Dockerfile::parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.directives.len(), 1);
        assert_eq!(file.instructions.len(), 6);
        assert_eq!(file.stages.len(), 2);
        let image = file.stages[0].image.as_ref().unwrap();
        assert_eq!(image.resolved, "python:3.12-slim");
        assert_eq!(image.name, "python");
        assert_eq!(image.tag.as_deref(), Some("3.12-slim"));
        assert!(image.uses_args);
        assert_eq!(&text[image.written.span.clone()], "python:${PY}-slim");
        assert_eq!(file.stages[0].name.as_deref(), Some("build"));
        assert_eq!(file.stages[0].platform.as_deref(), Some("linux/amd64"));
        assert_eq!(file.stages[1].parent, Some(0));
        let copy = &file.instructions[4];
        assert_eq!(copy.flag("from"), Some("build"));
        let Form::Exec(words) = &file.instructions[5].form else {
            panic!("exec form expected")
        };
        assert_eq!(values(words), ["gunicorn", "app:app"]);
        assert_eq!(&text[words[1].span.clone()], "\"app:app\"");
    }

    #[test]
    fn image_references() {
        let image = |s: &str| {
            ImageRef::new(
                Word {
                    value: s.into(),
                    span: 0..0,
                },
                &[],
            )
        };
        let r = image("localhost:5000/app");
        assert_eq!((r.name.as_str(), r.tag), ("localhost:5000/app", None));
        let r = image("python:3.12@sha256:abc");
        assert_eq!(r.tag.as_deref(), Some("3.12"));
        assert_eq!(r.digest.as_deref(), Some("sha256:abc"));
        let r = image("python:${MISSING}");
        assert!(r.unresolved && r.uses_args);
    }

    #[test]
    fn arg_substitution_in_from() {
        let vars = vec![
            ("PY".to_string(), Some("3.12".to_string())),
            ("EMPTY".to_string(), Some(String::new())),
            ("UNSET".to_string(), None),
            ("VARIANT".to_string(), Some("slim".to_string())),
        ];
        let sub = |s: &str| substitute(s, &vars);
        assert_eq!(sub("python:$PY"), ("python:3.12".into(), true, false));
        assert_eq!(sub("python:${PY}-slim").0, "python:3.12-slim");
        assert_eq!(sub("python:${UNSET:-3.11}").0, "python:3.11");
        assert_eq!(sub("python:${EMPTY:-3.11}").0, "python:3.11");
        assert_eq!(sub("python:${EMPTY-3.11}").0, "python:");
        assert_eq!(sub("python:${UNSET-3.11}").0, "python:3.11");
        assert_eq!(sub("python:${NOPE:-3.10}").0, "python:3.10");
        assert_eq!(
            sub("python:3.12${VARIANT:+-$VARIANT}").0,
            "python:3.12-slim"
        );
        assert_eq!(
            sub("python:3.12${VARIANT:+-${VARIANT}}").0,
            "python:3.12-slim"
        );
        assert_eq!(sub("python${UNSET:+:$PY}"), ("python".into(), true, false));
        assert_eq!(sub("python${EMPTY:+:x}").0, "python");
        assert_eq!(sub("python${EMPTY+:x}").0, "python:x");
        assert_eq!(sub("python:${PY:?required}").0, "python:3.12");
        assert!(sub("python:${UNSET:?required}").2);
        assert!(sub("python:${UNSET}").2);
        assert!(sub("python:$NOPE").2);
        assert!(sub("python:${PY%%.*}").2);
        assert_eq!(sub("python:${PY"), ("python:${PY".into(), false, false));
        assert_eq!(sub("a$").0, "a$");

        // In a Dockerfile: the spans stay those of the written reference.
        let text = "ARG PY=3.12\nARG VARIANT\nFROM python:${PY}${VARIANT:+-$VARIANT} AS a\nFROM python:${V:-3.11}-slim\n";
        let file = Dockerfile::parse(text);
        let image = file.stages[0].image.as_ref().unwrap();
        assert_eq!(image.resolved, "python:3.12");
        assert!(!image.unresolved);
        assert_eq!(
            &text[image.written.span.clone()],
            "python:${PY}${VARIANT:+-$VARIANT}"
        );
        let image = file.stages[1].image.as_ref().unwrap();
        assert_eq!(image.tag.as_deref(), Some("3.11-slim"));
    }

    #[test]
    fn continuations_with_comments_and_escape_directive() {
        let text =
            "FROM x\nRUN apt-get update \\\n    # a comment\n\n    && apt-get install -y curl\n";
        assert_eq!(
            commands(text),
            vec![
                vec!["apt-get", "update"],
                vec!["apt-get", "install", "-y", "curl"]
            ]
        );
        let file = Dockerfile::parse(text);
        let run = &file.instructions[1];
        let cmds = run.commands();
        assert_eq!(&text[cmds[1].words[3].span.clone()], "curl");
        assert_eq!(file.instructions[1].end, text.len());

        let text = "# escape=`\nFROM x\nRUN echo a `\n  && echo b\n";
        let file = Dockerfile::parse(text);
        assert_eq!(file.escape, '`');
        assert_eq!(commands(text), vec![vec!["echo", "a"], vec!["echo", "b"]]);
    }

    #[test]
    fn crlf() {
        let text = "FROM x\r\nRUN pip install a \\\r\n  b\r\nUSER app\r\n";
        let file = Dockerfile::parse(text);
        assert!(file.errors.is_empty());
        assert_eq!(commands(text), vec![vec!["pip", "install", "a", "b"]]);
        assert_eq!(file.instructions[2].words()[0].value, "app");
    }

    #[test]
    fn shell_operators_quotes_and_redirections() {
        let text = "FROM x\nRUN FOO=1 pip install 'a b' \"c\" >/dev/null 2>&1; curl -sSL $(echo u) | sh || true & wait\n";
        assert_eq!(
            commands(text),
            vec![
                vec!["FOO=1", "pip", "install", "a b", "c"],
                vec!["curl", "-sSL", "$(echo u)"],
                vec!["sh"],
                vec!["true"],
                vec!["wait"],
            ]
        );
        let file = Dockerfile::parse(text);
        let cmds = file.instructions[1].commands();
        assert_eq!(cmds[1].sep, Sep::Pipe);
        assert_eq!(&text[cmds[0].words[3].span.clone()], "'a b'");
        let text = "FROM x\nRUN if [ -f a ]; then pip install b; fi\n";
        assert_eq!(
            commands(text),
            vec![vec!["[", "-f", "a", "]"], vec!["pip", "install", "b"]]
        );
    }

    #[test]
    fn heredocs() {
        let text = "FROM x\nRUN <<EOF\napt-get update\npip install flask\nEOF\nRUN python3 <<'PY'\nimport os\nPY\nCOPY <<-A <<B /dst/\n\thello\n\tA\nworld\nB\nUSER app\n";
        let file = Dockerfile::parse(text);
        assert!(file.errors.is_empty(), "{:?}", file.errors);
        assert_eq!(file.instructions.len(), 5);
        assert_eq!(
            commands(text),
            vec![
                vec!["apt-get", "update"],
                vec!["pip", "install", "flask"],
                vec!["python3"]
            ]
        );
        let copy = &file.instructions[3];
        assert_eq!(copy.heredocs.len(), 2);
        assert_eq!(copy.heredocs[0].body.text, "hello\n");
        assert!(copy.heredocs[1].body.text.starts_with("world"));
        assert!(file.instructions[2].heredocs[0].quoted);
        let run = &file.instructions[1];
        let words = &run.commands()[1].words;
        assert_eq!(&text[words[2].span.clone()], "flask");
        assert!(file.instructions[4].is("USER"));
    }

    #[test]
    fn errors_have_spans() {
        let text = "FROM x\nRUNN echo\n";
        let file = Dockerfile::parse(text);
        assert_eq!(file.errors.len(), 1);
        assert_eq!(file.errors[0].span, Some(7..11));
        let file = Dockerfile::parse("FROM x\nRUN <<EOF\necho\n");
        assert!(file.errors[0].message.contains("never terminated"));
        let file = Dockerfile::parse("FROM x\nCMD [\"a\", \"b\"\n");
        assert!(file.errors[0].message.contains("JSON"));
        let file = Dockerfile::parse("FROM x\nRUN [ -f a ] && echo\n");
        assert!(file.errors.is_empty());
        let file = Dockerfile::parse("RUN echo\n");
        assert_eq!(file.errors.len(), 1);
    }

    #[test]
    fn env_pairs() {
        let text = "FROM x\nENV A=1 B=\"two words\"\nENV LEGACY some value\nARG TOKEN\n";
        let file = Dockerfile::parse(text);
        let pairs = file.instructions[1].pairs();
        assert_eq!(pairs[1].0.value, "B");
        assert_eq!(pairs[1].1.as_ref().unwrap().value, "two words");
        assert_eq!(&text[pairs[1].0.span.clone()], "B");
        let pairs = file.instructions[2].pairs();
        assert_eq!(pairs[0].1.as_ref().unwrap().value, "some value");
        let pairs = file.instructions[3].pairs();
        assert!(pairs[0].1.is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]
        #[test]
        fn never_panics(pieces in prop::collection::vec(prop::sample::select(vec![
            "FROM ", "RUN ", "CMD ", "ENV ", "ARG ", "COPY ", "USER ", "x", "a=b", "${A:-b}", "$A",
            "\n", "\r\n", "\\\n", "`\n", "# escape=`\n", "#", " ", "\t", "<<EOF", "<<-E", "EOF\n",
            "\tE\n", "[", "]", "\"", "'", ",", "&&", "||", "|", ";", "&", ">", "2>&1", "$(", ")",
            "é", "--from=a ", "AS ", "@sha256:", ":", "{", "}", "\\",
        ]), 0..40)) {
            let text: String = pieces.concat();
            let file = Dockerfile::parse(&text);
            for ins in &file.instructions {
                let _ = ins.commands();
                let _ = ins.pairs();
                let _ = ins.words();
                assert!(ins.span.end <= text.len());
            }
            for error in &file.errors {
                if let Some(span) = &error.span {
                    assert!(span.end <= text.len() && text.is_char_boundary(span.start));
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,200}") {
            let file = Dockerfile::parse(&text);
            for ins in &file.instructions {
                let _ = ins.commands();
                let _ = ins.pairs();
            }
        }
    }
}
