//! Rendering findings: text (annotate-snippets), JSON, SARIF, GitHub annotations, GitLab Code
//! Quality, Markdown.
//! Printing happens only here and in the commands that call it.

pub mod github;
pub mod gitlab;
pub mod json;
pub mod markdown;
pub mod progress;
pub mod project;
pub mod sarif;
pub mod text;

use std::io::IsTerminal;
use std::ops::Range;

use crate::checks::{Check, Registry};
use crate::cli::{ColorChoice, Format};
use crate::finding::{Finding, Location, Severity};
use crate::fix::Applicability;
use crate::project::{Project, Text};

/// Everything an output format may show.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub project: &'a Project,
    pub registry: &'a Registry,
    /// The profile the run used (`baseline`, `strict` or a file).
    pub profile: &'a str,
    /// Ids of the checks that ran.
    pub checks_run: &'a [String],
    /// Lines the summary adds (`note: ...` / `warning: ...`): a check that could not run.
    pub notes: &'a [String],
    /// What goes before a project path when it is shown.
    pub paths: PathPrefixes,
}

/// Findings hold project-relative paths; these prefixes (each empty or `/`-terminated) make
/// them land where they are read: `local` for a terminal in the current directory (text,
/// Markdown), `repo` for the repository root (GitHub annotations, SARIF).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PathPrefixes {
    pub local: String,
    pub repo: String,
    /// The current directory relative to the project root (`/`-terminated) when it is inside
    /// the project: paths under it are shown without it, the others with `../`.
    pub cwd_in_project: String,
}

impl Report<'_> {
    /// A project path as the current directory reaches it.
    pub fn local_path(&self, path: &str) -> String {
        local_path(&self.paths.local, &self.paths.cwd_in_project, path)
    }

    /// A project path as the repository root reaches it.
    pub fn repo_path(&self, path: &str) -> String {
        format!("{}{path}", self.paths.repo)
    }

    pub fn active(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }

    /// 1-based (line, column) of the start and end of a location, when it has a span and the
    /// file's text can be read.
    pub fn line_cols(&self, location: &Location) -> Option<((usize, usize), (usize, usize))> {
        let span = location.span.clone()?;
        let text = self.project.file(&location.path)?.text().ok()?;
        Some((text.line_col(span.start), text.line_col(span.end)))
    }

    /// Start and end of a location's span, when it has one and the file's text can be read.
    pub fn positions(&self, location: &Location) -> Option<(Position, Position)> {
        let span = location.span.clone()?;
        self.span_positions(&location.path, span)
    }

    /// Start and end of a byte range of the file at `path`, when its text can be read.
    pub fn span_positions(&self, path: &str, span: Range<usize>) -> Option<(Position, Position)> {
        let text = self.text(path)?;
        Some((Position::of(text, span.start), Position::of(text, span.end)))
    }

    /// The text of a project file, when it exists and could be read.
    pub fn text(&self, path: &str) -> Option<&Text> {
        self.project.file(path)?.text().ok()
    }

    /// The definition of a finding's check (absent only for findings built by hand).
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.registry.get(id)
    }

    /// The check's one-line title, or its id when the check is unknown.
    pub fn title<'a>(&'a self, id: &'a str) -> &'a str {
        self.check(id).map_or(id, |check| check.title.as_str())
    }

    /// Counts of active findings by severity, most severe first.
    pub fn counts(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .into_iter()
            .map(|s| (s, self.active().filter(|f| f.severity == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// A project path as seen from the current directory: under `prefix` (the root relative to
/// the current directory) when the current directory is not inside the project, else with the
/// directories it shares with `cwd_in_project` stripped and `../` for the rest.
pub fn local_path(prefix: &str, cwd_in_project: &str, path: &str) -> String {
    if cwd_in_project.is_empty() {
        return format!("{prefix}{path}");
    }
    let mut shared = 0;
    for (i, _) in cwd_in_project.match_indices('/') {
        if path.len() > i && path.as_bytes()[i] == b'/' && path[..i] == cwd_in_project[..i] {
            shared = i + 1;
        } else {
            break;
        }
    }
    let up = cwd_in_project[shared..].matches('/').count();
    format!("{}{}", "../".repeat(up), &path[shared..])
}

/// A point in a file: 1-based line, 1-based column counted in characters (Unicode scalar
/// values), and the 0-based byte offset into the text as harden read it (without a BOM).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
    pub offset: usize,
}

impl Position {
    pub fn of(text: &Text, offset: usize) -> Self {
        let offset = offset.min(text.content.len());
        let (line, column) = text.line_col(offset);
        Self {
            line,
            column,
            offset,
        }
    }
}

/// The last line a span covers: a span that ends just after a line break (end column 1)
/// covers nothing of the line where it ends.
pub fn last_line(start: Position, end: Position) -> usize {
    if end.column == 1 && end.line > start.line {
        end.line - 1
    } else {
        end.line
    }
}

/// `text` with every control character made visible, so that a path or a value from a
/// scanned file cannot move the cursor, retitle the terminal or forge an output line: C0
/// controls become their Unicode control pictures (`\x1b` → `␛`, `\n` → `␤`), DEL `␡`, C1
/// controls `\u{9b}`. Tabs are kept only with `keep_tabs` (code frames).
pub fn printable(text: &str, keep_tabs: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && !(keep_tabs && c == '\t');
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            c if !unsafe_char(c) => out.push(c),
            '\n' => out.push('\u{2424}'),
            '\u{7f}' => out.push('\u{2421}'),
            c if (c as u32) < 0x20 => {
                out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'))
            }
            c => out.push_str(&c.escape_unicode().to_string()),
        }
    }
    std::borrow::Cow::Owned(out)
}

/// [`printable`] for text whose line breaks are meant (a message with its help): each line
/// escaped, the `\n` between them kept.
pub fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(|line| printable(line, false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// One sentence on how safe a check's automatic fix is and how to apply it.
pub fn fix_safety(applicability: Applicability) -> &'static str {
    match applicability {
        Applicability::Safe => {
            "The automatic fix is safe: it keeps the project working, and `harden fix --yes` applies it."
        }
        Applicability::Unsafe => {
            "The automatic fix is unsafe: it can change how the project behaves, so harden applies it only when you accept it or pass `--unsafe-fixes`."
        }
        Applicability::DisplayOnly => {
            "harden describes the fix but cannot know enough to write it, so there is no automatic fix."
        }
    }
}

pub fn render(format: Format, report: &Report<'_>, color: bool, show_suppressed: bool) -> String {
    match format {
        Format::Text => text::render(report, color, show_suppressed),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report, show_suppressed),
        Format::Github => github::render(report),
        Format::Gitlab => gitlab::render(report),
        Format::Markdown => markdown::render(report),
    }
}

/// Colour on a terminal unless NO_COLOR is set (https://no-color.org), or as forced.
pub fn color_enabled(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn local_paths_from_inside_and_outside_the_project() {
        assert_eq!(local_path("", "", "a/b.py"), "a/b.py");
        assert_eq!(local_path("svc/", "", "a/b.py"), "svc/a/b.py");
        assert_eq!(local_path("../", "", "a/b.py"), "../a/b.py");
        assert_eq!(local_path("", "config/", "config/app.yml"), "app.yml");
        assert_eq!(local_path("", "config/", "app.yml"), "../app.yml");
        assert_eq!(local_path("", "config/", "configs/x"), "../configs/x");
        assert_eq!(local_path("", "a/b/", "a/c/d"), "../c/d");
        assert_eq!(local_path("", "a/b/", "a/b/c/d"), "c/d");
    }
}
