//! Human output, rustc/ruff-style: `path:line:col`, severity, id, message, a code frame with the
//! span marked, a `help:` line, and a closing summary.

use std::fmt::Write;

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

use super::Report;
use crate::finding::{Finding, Severity, Suppression};
use crate::fix::Applicability;

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
    let text = report
        .project
        .file(&finding.primary.path)
        .and_then(|f| f.text().ok());
    let help = help_line(finding);
    let mut groups: Vec<Group<'_>> = Vec::new();
    let head = level(finding.severity)
        .primary_title(title)
        .id(finding.check.as_str());
    let sensitive = report
        .registry
        .get(&finding.check)
        .is_some_and(|c| c.sensitive);
    let shown_path = report.local_path(&finding.primary.path);
    let snippet_group = match (&finding.primary.span, text) {
        (Some(span), Some(text)) if sensitive => {
            // Print the position, not the line: the line holds the secret.
            let (line, col) = text.line_col(span.start);
            head.element(annotate_snippets::Origin::path(format!(
                "{}:{line}:{col}",
                report.local_path(&finding.primary.path)
            )))
        }
        (Some(span), Some(text)) => {
            let mut snippet = Snippet::source(&*text.content)
                .path(shown_path.as_str())
                .fold(true)
                .annotation(AnnotationKind::Primary.span(span.clone()));
            for related in &finding.related {
                if related.location.path == finding.primary.path
                    && let Some(span) = &related.location.span
                {
                    snippet = snippet.annotation(
                        AnnotationKind::Context
                            .span(span.clone())
                            .label(related.note.as_str()),
                    );
                }
            }
            head.element(snippet)
        }
        _ => head.element(annotate_snippets::Origin::path(shown_path.as_str())),
    };
    groups.push(snippet_group);
    for related in &finding.related {
        if related.location.path != finding.primary.path {
            let position = report
                .line_cols(&related.location)
                .map_or(String::new(), |((line, col), _)| format!(":{line}:{col}"));
            groups.push(Group::with_title(Level::NOTE.secondary_title(format!(
                "{} ({}{position})",
                related.note,
                report.local_path(&related.location.path)
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
    out
}

fn plural(count: usize, noun: &str) -> String {
    format!("{count} {noun}{}", if count == 1 { "" } else { "s" })
}
