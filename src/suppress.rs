//! Inline suppression: `# harden: ignore[check-id, other-id] reason` on the finding's line, or
//! alone on the line just above it (the own-line form, for formats such as Dockerfiles where a
//! trailing comment is not allowed). A whole-file finding is suppressed by the comment on the
//! file's first line.

use std::sync::LazyLock;

use regex::Regex;

use crate::finding::{Finding, Suppression};
use crate::project::SourceFile;

static IGNORE_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"#\s*harden:\s*ignore\[(?P<ids>[a-z0-9,\s-]+)\](?P<reason>[^\n]*)")
        .expect("static regex")
});

/// A parsed suppression comment.
#[derive(Debug, PartialEq, Eq)]
pub struct IgnoreComment {
    pub ids: Vec<String>,
    pub reason: Option<String>,
    /// The comment is the whole line.
    pub own_line: bool,
}

pub fn parse_comment(line: &str) -> Option<IgnoreComment> {
    let captures = IGNORE_COMMENT.captures(line)?;
    let whole = captures.get(0)?;
    let ids = captures["ids"]
        .split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let reason = captures["reason"].trim();
    Some(IgnoreComment {
        ids,
        reason: (!reason.is_empty()).then(|| reason.to_string()),
        own_line: line[..whole.start()].trim().is_empty(),
    })
}

/// The suppression that applies to `finding` in `file`, if any.
pub fn inline(file: &SourceFile, finding: &Finding) -> Option<Suppression> {
    if !file.kind.has_hash_comments() {
        return None;
    }
    let text = file.text().ok()?;
    let line = finding
        .primary
        .span
        .as_ref()
        .map_or(1, |span| text.line_col(span.start).0);
    let matches = |comment: &IgnoreComment| {
        comment
            .ids
            .iter()
            .any(|id| *id == finding.check || id == "all")
    };
    let line_text = |n: usize| text.line_range(n).and_then(|r| text.content.get(r));

    if let Some(comment) = line_text(line).and_then(parse_comment)
        && matches(&comment)
    {
        return Some(Suppression::Inline {
            reason: comment.reason,
        });
    }
    // Own-line comments directly above, possibly several stacked.
    let mut above = line.checked_sub(1)?;
    while above >= 1 {
        let Some(comment) = line_text(above)
            .and_then(parse_comment)
            .filter(|c| c.own_line)
        else {
            break;
        };
        if matches(&comment) {
            return Some(Suppression::Inline {
                reason: comment.reason,
            });
        }
        above -= 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comment_grammar() {
        type Expected<'a> = Option<(&'a [&'a str], Option<&'a str>, bool)>;
        let cases: &[(&str, Expected<'_>)] = &[
            (
                "# harden: ignore[deps-unpinned-requirement]",
                Some((&["deps-unpinned-requirement"], None, true)),
            ),
            (
                "flask  # harden: ignore[a, b] vendored",
                Some((&["a", "b"], Some("vendored"), false)),
            ),
            ("#harden:ignore[x]", Some((&["x"], None, true))),
            ("# harden: ignore[]", None),
            ("# harden: ignore", None),
            ("# harden ignore[x]", None),
            ("# harden: ignore[UPPER]", None),
        ];
        for (line, expected) in cases {
            let parsed = parse_comment(line);
            let expected = expected.map(|(ids, reason, own_line)| IgnoreComment {
                ids: ids.iter().map(|s| s.to_string()).collect(),
                reason: reason.map(str::to_string),
                own_line,
            });
            assert_eq!(parsed, expected, "{line}");
        }
    }
}
