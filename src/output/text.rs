//! Human output, rustc/ruff-style: `path:line:col`, severity, id, message, a code frame with the
//! span marked, a `help:` line, and a closing summary.

use std::fmt::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use std::ops::Range;

use super::{Report, printable, printable_lines};
use crate::finding::{Finding, Severity, Suppression};
use crate::fix::Applicability;
use crate::project::Text;

pub fn render(report: &Report<'_>, color: bool, show_suppressed: bool) -> String {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let mut out = String::new();
    for finding in report.findings {
        if finding.suppressed.is_some() && !show_suppressed {
            continue;
        }
        out.push_str(&render_finding(report, &renderer, finding));
        out.push_str("\n\n");
    }
    out.push_str(&summary(report));
    out
}

fn level(severity: Severity) -> Level<'static> {
    let level = match severity {
        Severity::Critical | Severity::High => Level::ERROR,
        Severity::Medium => Level::WARNING,
        Severity::Low => Level::NOTE,
    };
    level.with_name(severity.as_str())
}

/// What the `help:` line says: the check's help, then whether and how harden can fix it.
pub fn help_line(finding: &Finding) -> Option<String> {
    let fix_text = finding.fix.as_ref().map(|fix| match fix.applicability {
        Applicability::Safe => format!("fix available: {} (`harden fix`)", fix.title),
        Applicability::Unsafe => format!(
            "unsafe fix available: {} (`harden fix --unsafe-fixes`)",
            fix.title
        ),
        Applicability::DisplayOnly => format!("to fix: {}", fix.title),
    });
    match (&finding.help, fix_text) {
        (Some(help), Some(fix)) => Some(format!("{help}\n{fix}")),
        (Some(help), None) => Some(help.clone()),
        (None, fix) => fix,
    }
}

fn render_finding(report: &Report<'_>, renderer: &Renderer, finding: &Finding) -> String {
    let mut title = finding.message.clone();
    if let Some(suppressed) = &finding.suppressed {
        let why = match suppressed {
            Suppression::Inline {
                reason: Some(reason),
            } => format!("suppressed inline: {reason}"),
            Suppression::Inline { reason: None } => "suppressed inline".to_string(),
            Suppression::Baseline => "in baseline".to_string(),
            Suppression::Settings { reason } => reason.clone(),
        };
        let _ = write!(title, " ({why})");
    }
    let title = printable(&title, false).into_owned();
    let path = printable(&report.local_path(&finding.primary.path), false).into_owned();
    let text = report
        .project
        .file(&finding.primary.path)
        .and_then(|f| f.text().ok());
    let help = help_line(finding).map(|help| printable_lines(&help));
    let mut groups: Vec<Group<'_>> = Vec::new();
    let head = level(finding.severity)
        .primary_title(title)
        .id(finding.check.as_str());
    let sensitive = report
        .registry
        .get(&finding.check)
        .is_some_and(|c| c.sensitive);
    // The notes of the related spans shown in the code frame, in the order of
    // `nearby_related`.
    let related_notes: Vec<String> = match (&finding.primary.span, text) {
        (Some(span), Some(text)) => nearby_indices(finding, text, span.start)
            .map(|i| printable(&finding.related[i].note, false).into_owned())
            .collect(),
        _ => Vec::new(),
    };
    let frame = match (&finding.primary.span, text) {
        (Some(span), Some(text)) if !sensitive => {
            let mut spans = vec![span.clone()];
            spans.extend(nearby_related(finding, text, span.start));
            Some(Frame::new(text, &spans))
        }
        _ => None,
    };
    let snippet_group = match (&finding.primary.span, text, &frame) {
        (Some(span), Some(text), _) if sensitive => {
            // Print the position, not the line: the line holds the secret.
            let (line, col) = text.line_col(span.start);
            head.element(annotate_snippets::Origin::path(format!(
                "{path}:{line}:{col}"
            )))
        }
        (_, _, Some(frame)) => {
            let mut snippet = Snippet::source(frame.source.as_str())
                .line_start(frame.first_line)
                .path(path.as_str())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(frame.spans[0].clone()));
            for (related, span) in related_notes.iter().zip(&frame.spans[1..]) {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(span.clone())
                        .label(related.as_str()),
                );
            }
            head.element(snippet)
        }
        _ => head.element(annotate_snippets::Origin::path(path.as_str())),
    };
    groups.push(snippet_group);
    let in_frame: Vec<usize> = match (&finding.primary.span, text) {
        (Some(span), Some(text)) if !sensitive => {
            nearby_indices(finding, text, span.start).collect()
        }
        _ => Vec::new(),
    };
    for (index, related) in finding.related.iter().enumerate() {
        if !in_frame.contains(&index) {
            let position = report
                .line_cols(&related.location)
                .map_or(String::new(), |((line, col), _)| format!(":{line}:{col}"));
            groups.push(Group::with_title(Level::NOTE.secondary_title(format!(
                "{} ({}{position})",
                printable(&related.note, false),
                printable(&report.local_path(&related.location.path), false)
            ))));
        }
    }
    if let Some(help) = &help {
        groups.push(Group::with_title(
            Level::HELP.secondary_title(help.as_str()),
        ));
    }
    renderer.render(&groups)
}

/// Related spans in the primary's file close enough to it to share its code frame; the others
/// are printed as notes with their position.
const FRAME_REACH_LINES: usize = 20;

fn nearby_indices<'a>(
    finding: &'a Finding,
    text: &'a Text,
    primary_start: usize,
) -> impl Iterator<Item = usize> + 'a {
    let primary_line = text.line_col(primary_start).0;
    finding
        .related
        .iter()
        .enumerate()
        .filter(move |(_, related)| {
            related.location.path == finding.primary.path
                && related.location.span.as_ref().is_some_and(|span| {
                    let (start, _) = text.line_col(span.start);
                    let (end, _) = text.line_col(span.end);
                    start.abs_diff(primary_line) <= FRAME_REACH_LINES
                        && end.abs_diff(primary_line) <= FRAME_REACH_LINES
                })
        })
        .map(|(index, _)| index)
}

fn nearby_related<'a>(
    finding: &'a Finding,
    text: &'a Text,
    primary_start: usize,
) -> impl Iterator<Item = Range<usize>> + 'a {
    nearby_indices(finding, text, primary_start)
        .filter_map(|index| finding.related[index].location.span.clone())
}

/// The longest part of a line a code frame shows, in bytes; the rest is cut, marked `…`.
pub const MAX_FRAME_LINE: usize = 240;
/// The most lines of one span a code frame shows.
const MAX_SPAN_LINES: usize = 40;

/// What a code frame shows: only the lines its spans cover (so a finding in an 8 MB file
/// renders in time proportional to its lines, not to the file), each cut to
/// [`MAX_FRAME_LINE`] bytes around the spans, control characters made visible; the spans
/// moved to match.
struct Frame {
    source: String,
    first_line: usize,
    spans: Vec<Range<usize>>,
}

impl Frame {
    fn new(text: &Text, spans: &[Range<usize>]) -> Self {
        let content = &*text.content;
        let clamp = |offset: usize| {
            let mut offset = offset.min(content.len());
            while !content.is_char_boundary(offset) {
                offset -= 1;
            }
            offset
        };
        let mut spans: Vec<Range<usize>> = spans
            .iter()
            .map(|span| clamp(span.start)..clamp(span.end.max(span.start)))
            .collect();
        // A span over many lines shows its first lines only.
        for span in &mut spans {
            let (start_line, _) = text.line_col(span.start);
            if let Some(cut) = text.line_range(start_line + MAX_SPAN_LINES)
                && span.end > cut.start
            {
                span.end = cut.start;
            }
        }
        let first_line = spans
            .iter()
            .map(|s| text.line_col(s.start).0)
            .min()
            .unwrap_or(1);
        let last_line = spans
            .iter()
            .map(|s| text.line_col(s.end).0)
            .max()
            .unwrap_or(1);
        let mut source = String::new();
        // (original offset, offset in `source`) at every kept char boundary.
        let mut map: Vec<(usize, usize)> = Vec::new();
        for line in first_line..=last_line {
            let Some(range) = text.line_range(line) else {
                break;
            };
            let window = Self::window(content, &range, &spans);
            if window.start > range.start {
                source.push('…');
            }
            for (i, c) in content[window.clone()].char_indices() {
                map.push((window.start + i, source.len()));
                let mut buffer = [0u8; 4];
                source.push_str(&printable(c.encode_utf8(&mut buffer), true));
            }
            map.push((window.end, source.len()));
            if window.end < range.end {
                source.push('…');
            }
            if line < last_line {
                source.push('\n');
            }
        }
        let moved = |offset: usize| {
            let at = map.partition_point(|&(original, _)| original < offset);
            match map.get(at) {
                Some(&(original, new)) if original == offset => new,
                // Cut away or on a line break: the nearest kept position.
                Some(&(_, new)) => new,
                None => source.len(),
            }
        };
        let spans = spans
            .iter()
            .map(|span| {
                let start = moved(span.start);
                start..moved(span.end).max(start)
            })
            .collect();
        Self {
            source,
            first_line,
            spans,
        }
    }

    /// The part of the line `range` to show: all of it when it is short, else
    /// [`MAX_FRAME_LINE`] bytes starting a little before the first span on it.
    fn window(content: &str, range: &Range<usize>, spans: &[Range<usize>]) -> Range<usize> {
        if range.len() <= MAX_FRAME_LINE {
            return range.clone();
        }
        let first = spans
            .iter()
            .filter(|s| s.start <= range.end && s.end >= range.start)
            .map(|s| s.start.max(range.start))
            .min()
            .unwrap_or(range.start);
        let mut start = first.saturating_sub(MAX_FRAME_LINE / 4).max(range.start);
        while !content.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = (start + MAX_FRAME_LINE).min(range.end);
        while !content.is_char_boundary(end) {
            end -= 1;
        }
        start..end
    }
}

fn summary(report: &Report<'_>) -> String {
    let active: Vec<&Finding> = report.active().collect();
    let suppressed = report.findings.len() - active.len();
    let mut out = String::new();
    if active.is_empty() {
        out.push_str("No findings");
    } else {
        let fixable = active.iter().filter(|f| f.is_fixable()).count();
        let by_severity: Vec<String> = report
            .counts()
            .iter()
            .map(|(s, n)| format!("{n} {s}"))
            .collect();
        let _ = write!(
            out,
            "Found {} finding{} ({}); {fixable} fixable with `harden fix`",
            active.len(),
            if active.len() == 1 { "" } else { "s" },
            by_severity.join(", ")
        );
    }
    if suppressed > 0 {
        let _ = write!(out, "; {suppressed} suppressed");
    }
    let _ = writeln!(
        out,
        " ({}, profile {}, {}).",
        plural(report.checks_run.len(), "check"),
        report.profile,
        plural(report.project.files.len(), "file")
    );
    for note in report.notes {
        let _ = writeln!(out, "{note}");
    }
    out
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}
