//! `--format markdown`: a summary for `$GITHUB_STEP_SUMMARY` or a pull request comment: a
//! heading, counts by severity, and a table of the active findings, most severe first.

use std::fmt::Write;

use super::{Report, printable, printable_lines};
use crate::finding::Finding;
use crate::fix::Applicability;

/// Rows shown at most: a pull request comment holds 65,536 characters.
pub const MAX_ROWS: usize = 250;

pub fn render(report: &Report<'_>) -> String {
    let mut active: Vec<&Finding> = report.active().collect();
    // Most severe first; the sort is stable, so path order is kept within a severity.
    active.sort_by_key(|f| std::cmp::Reverse(f.severity));
    let suppressed = report.findings.len() - active.len();

    let mut out = String::new();
    if active.is_empty() {
        out.push_str("## harden: no findings\n\nNo findings");
        if suppressed > 0 {
            let _ = write!(out, " ({suppressed} suppressed)");
        }
        out.push_str(".\n");
    } else {
        let _ = writeln!(out, "## harden: {}\n", plural(active.len(), "finding"));
        let mut parts: Vec<String> = report
            .counts()
            .iter()
            .map(|(s, n)| format!("**{n}** {s}"))
            .collect();
        let fixable_count = active.iter().filter(|f| f.is_fixable()).count();
        parts.push(format!("{fixable_count} fixable with `harden fix`"));
        if suppressed > 0 {
            parts.push(format!("{suppressed} suppressed"));
        }
        let _ = writeln!(out, "{}\n", parts.join(" · "));
        out.push_str("| Severity | Check | Location | Message | Fixable |\n");
        out.push_str("| --- | --- | --- | --- | --- |\n");
        for finding in active.iter().take(MAX_ROWS) {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                finding.severity,
                code_span(&finding.check),
                code_span(&printable(&location(report, finding), false)),
                escape_cell(&printable_lines(&finding.message)),
                fixable(finding)
            );
        }
        if active.len() > MAX_ROWS {
            let _ = writeln!(
                out,
                "\n…and {} more; run `harden check` to see them all.",
                active.len() - MAX_ROWS
            );
        }
    }
    let _ = writeln!(
        out,
        "\n<sub>harden {} · profile {} · {} · {}</sub>",
        env!("CARGO_PKG_VERSION"),
        escape_cell(report.profile),
        plural(report.checks_run.len(), "check"),
        plural(report.project.files.len(), "file")
    );
    for note in report.notes {
        let _ = writeln!(out, "\n> {note}");
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}

fn location(report: &Report<'_>, finding: &Finding) -> String {
    match report.positions(&finding.primary) {
        Some((start, _)) => format!(
            "{}:{}",
            report.local_path(&finding.primary.path),
            start.line
        ),
        None => report.local_path(&finding.primary.path),
    }
}

fn fixable(finding: &Finding) -> &'static str {
    match &finding.fix {
        Some(fix) if finding.is_fixable() && fix.applicability == Applicability::Safe => "yes",
        Some(_) if finding.is_fixable() => "yes (unsafe)",
        _ => "no",
    }
}

/// Text for a table cell. Messages are Markdown already (`code` in backticks), so only what
/// would break the table or vanish is escaped: `|` everywhere (GFM splits cells before it
/// reads code spans), line breaks (`<br>` in prose, a space inside code), and `<` outside code,
/// which could start an HTML tag.
pub fn escape_cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    // Length of the backtick run that opened the code span we are in, if any.
    let mut in_code: Option<usize> = None;
    while let Some(c) = chars.next() {
        match c {
            '`' => {
                let mut run = 1;
                while chars.next_if_eq(&'`').is_some() {
                    run += 1;
                }
                out.extend(std::iter::repeat_n('`', run));
                in_code = match in_code {
                    None if text_has_closing(&chars, run) => Some(run),
                    Some(open) if open == run => None,
                    other => other,
                };
            }
            '|' => out.push_str("\\|"),
            '\r' => {}
            '\n' if in_code.is_some() => out.push(' '),
            '\n' => out.push_str("<br>"),
            '<' if in_code.is_none() => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
    out
}

/// Whether a backtick run of exactly `run` follows: only then does an opening run start a
/// code span (CommonMark), otherwise the backticks are literal.
fn text_has_closing(rest: &std::iter::Peekable<std::str::Chars<'_>>, run: usize) -> bool {
    let rest: String = rest.clone().collect();
    rest.split(|c| c != '`').any(|r| r.len() == run)
}

/// `text` as an inline code span that survives any backticks, `|` or line break in it.
pub fn code_span(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    let inner = text.replace('|', "\\|").replace(['\r', '\n'], " ");
    format!("{fence}{pad}{inner}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(escape_cell("a | b"), "a \\| b");
        assert_eq!(escape_cell("line\nnext\r\n"), "line<br>next<br>");
        assert_eq!(escape_cell("<script> `<b>|x`"), "&lt;script> `<b>\\|x`");
        assert_eq!(escape_cell("`a\nb` c\nd"), "`a b` c<br>d");
        // An unclosed backtick is literal, so what follows is prose.
        assert_eq!(escape_cell("it`s <b>"), "it`s &lt;b>");
    }

    #[test]
    fn code_spans() {
        assert_eq!(code_span("a.txt:3"), "`a.txt:3`");
        assert_eq!(code_span("a`b"), "``a`b``");
        assert_eq!(code_span("`x|y"), "`` `x\\|y ``");
    }
}
