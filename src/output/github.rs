//! `--format github`: one GitHub Actions workflow command per active finding, which GitHub
//! shows as an annotation on the file and in the pull request diff:
//!
//! `::error file=app/settings.py,line=3,col=9,endLine=3,endColumn=13,title=harden (django-debug-enabled)::DEBUG is True`
//!
//! critical and high findings are `error`s, medium `warning`s, low `notice`s.

use std::fmt::Write as _;

use super::text::help_line;
use super::{Report, printable, printable_lines};
use crate::finding::{Finding, Severity};

pub fn render(report: &Report<'_>) -> String {
    let mut out = String::new();
    for finding in report.active() {
        out.push_str(&command(report, finding));
        out.push('\n');
    }
    // A check that could not run, or old data: a workflow notice, so the run log shows it.
    for note in report.notes {
        let text = note
            .replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A");
        let _ = writeln!(out, "::notice title=harden::{text}");
    }
    out
}

fn command(report: &Report<'_>, finding: &Finding) -> String {
    let name = match finding.severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "notice",
    };
    let mut properties = vec![format!(
        "file={}",
        escape_property(&printable(&report.repo_path(&finding.primary.path), false))
    )];
    if let Some((start, end)) = report.positions(&finding.primary) {
        let last = super::last_line(start, end);
        properties.push(format!("line={}", start.line));
        // NOTE: GitHub takes columns only for an annotation on a single line.
        if last == start.line {
            let end_column = if end.line == start.line {
                end.column
            } else {
                line_end_column(report, finding, start.line)
            };
            properties.push(format!("col={}", start.column));
            properties.push(format!("endLine={last}"));
            properties.push(format!("endColumn={end_column}"));
        } else {
            properties.push(format!("endLine={last}"));
        }
    }
    properties.push(format!(
        "title={}",
        escape_property(&format!("harden ({})", finding.check))
    ));
    let mut message = finding.message.clone();
    if let Some(help) = help_line(finding) {
        message.push('\n');
        message.push_str(&help);
    }
    format!(
        "::{name} {}::{}",
        properties.join(","),
        escape_data(&printable_lines(&message))
    )
}

/// The column just past the last character of `line` (for a span that runs to the line break).
fn line_end_column(report: &Report<'_>, finding: &Finding, line: usize) -> usize {
    report
        .text(&finding.primary.path)
        .and_then(|text| {
            text.line_range(line)
                .and_then(|range| text.content.get(range))
        })
        .map_or(1, |content| content.chars().count() + 1)
}

/// Escaping for a command's message: `%`, CR and LF.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escaping for a property value: as for data, plus `:` and `,`, which end a value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape_data("50% done\r\nnext: a, b"),
            "50%25 done%0D%0Anext: a, b"
        );
        assert_eq!(escape_property("a:b,c%\n"), "a%3Ab%2Cc%25%0A");
    }
}
