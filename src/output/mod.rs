//! Rendering findings: text (annotate-snippets), JSON, SARIF, GitHub annotations, Markdown.
//! Printing happens only here and in the commands that call it.

pub mod github;
pub mod json;
pub mod markdown;
pub mod sarif;
pub mod text;

use std::io::IsTerminal;

use crate::checks::Registry;
use crate::cli::{ColorChoice, Format};
use crate::finding::{Finding, Location, Severity};
use crate::project::Project;

/// Everything an output format may show.
pub struct Report<'a> {
    pub findings: &'a [Finding],
    pub project: &'a Project,
    pub registry: &'a Registry,
    /// The profile the run used (`baseline`, `strict` or a file).
    pub profile: &'a str,
    /// Ids of the checks that ran.
    pub checks_run: &'a [String],
}

impl Report<'_> {
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

    /// Counts of active findings by severity, most severe first.
    pub fn counts(&self) -> Vec<(Severity, usize)> {
        Severity::ALL
            .into_iter()
            .map(|s| (s, self.active().filter(|f| f.severity == s).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

pub fn render(format: Format, report: &Report<'_>, color: bool, show_suppressed: bool) -> String {
    match format {
        Format::Text => text::render(report, color, show_suppressed),
        Format::Json => json::render(report),
        Format::Sarif => sarif::render(report),
        Format::Github => github::render(report),
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
