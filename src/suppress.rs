//! Inline suppression: `# harden: ignore[check-id, other-id] reason` on the finding's line, or
//! alone on the line just above it (the own-line form, for formats such as Dockerfiles where a
//! trailing comment is not allowed). A whole-file finding is suppressed by the comment on the
//! file's first line.
//!
//! In a Dockerfile only the own-line form counts: Docker reads a `#` after an instruction as
//! part of its arguments, not as a comment. [`audit`] reports the suppressions that tell
//! untruths: unknown check ids, ids that suppress nothing, trailing ones in Dockerfiles, and
//! (when the profile asks) ones without a reason.

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::checks::Registry;
use crate::finding::{Finding, Location, Suppression};
use crate::fix::Edit;
use crate::project::{FileKind, Project, SourceFile};

/// The check that reports suppressions which tell untruths; the engine runs it after every
/// other check, since it judges their findings.
pub const UNUSED_SUPPRESSION: &str = "harden-unused-suppression";

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
    inline_at(file, finding).map(|(suppression, _)| suppression)
}

/// The suppression that applies to `finding` and the 1-based line of the comment that gave it.
pub fn inline_at(file: &SourceFile, finding: &Finding) -> Option<(Suppression, usize)> {
    if !file.kind.has_hash_comments() {
        return None;
    }
    let dockerfile = file.kind == FileKind::Dockerfile;
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
        && (comment.own_line || !dockerfile)
    {
        return Some((
            Suppression::Inline {
                reason: comment.reason,
            },
            line,
        ));
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
            return Some((
                Suppression::Inline {
                    reason: comment.reason,
                },
                above,
            ));
        }
        above -= 1;
    }
    None
}

/// One place an inline suppression was used: file, comment line, check id (or `all`).
pub type Use = (String, usize, String);

/// A suppression comment that does not tell the truth, with what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Untruth {
    pub location: Location,
    pub problem: String,
    pub fix_title: String,
    pub edit: Option<Edit>,
}

/// Every suppression comment in the project that names an unknown check, suppresses nothing
/// (of the checks that ran: an id whose check did not run cannot be judged), sits after a
/// Dockerfile instruction, or (with `require_reason`) gives no reason.
pub fn audit(
    project: &Project,
    registry: &Registry,
    enabled: &BTreeSet<&str>,
    used: &BTreeSet<Use>,
    require_reason: bool,
) -> Vec<Untruth> {
    let mut out = Vec::new();
    for file in &project.files {
        // A module dropped after its first read has no `harden:` (see `project::TextInterest`).
        if !file.kind.has_hash_comments() || project.text_dropped(file) {
            continue;
        }
        let Ok(text) = file.text() else {
            continue;
        };
        if !text.content.contains("harden:") {
            continue;
        }
        let triple_quotes = matches!(
            file.kind,
            FileKind::Python | FileKind::Pyproject | FileKind::TomlConfig | FileKind::HardenConfig
        );
        // Whether the line starts inside a `"""` or `'''` string (Python, TOML): a
        // suppression there is text, not a comment (a check's documentation quoting one).
        let mut in_string: Option<&str> = None;
        for line in 1..=text.line_count() {
            let Some(range) = text.line_range(line) else {
                continue;
            };
            let line_text = &text.content[range.clone()];
            let starts_in_string = in_string.is_some();
            if triple_quotes {
                in_string = after_triple_quotes(line_text, in_string);
            }
            if starts_in_string || !line_text.contains("harden:") {
                continue;
            }
            let Some(captures) = IGNORE_COMMENT.captures(line_text) else {
                continue;
            };
            let hash = captures.get(0).map_or(0, |m| m.start());
            // A comment starts a line or follows a blank; `x#harden:` or a quoted one is text.
            let before = &line_text[..hash];
            if !(before.is_empty() || before.ends_with([' ', '\t']))
                || before.matches('"').count() % 2 == 1
                || before.matches('\'').count() % 2 == 1
            {
                continue;
            }
            let Some(comment) = parse_comment(line_text) else {
                continue;
            };
            let whole = captures.get(0).map_or(0..0, |m| m.range());
            let comment_span = range.start + whole.start..range.start + whole.end;
            let is_used = |id: &str| used.contains(&(file.path.clone(), line, id.to_string()));
            let mut problems: Vec<String> = Vec::new();
            let mut drop: Vec<&str> = Vec::new();
            for id in &comment.ids {
                if id == "all" {
                    continue;
                }
                if registry.get(id).is_none() {
                    problems.push(format!("`{id}` is not a check"));
                    drop.push(id);
                } else if enabled.contains(id.as_str()) && !is_used(id) {
                    problems.push(format!("`{id}` has no finding here to suppress"));
                    drop.push(id);
                }
            }
            let dockerfile_trailing = file.kind == FileKind::Dockerfile && !comment.own_line;
            let location = Location::span(file.path.clone(), comment_span.clone());
            let keep: Vec<&str> = comment
                .ids
                .iter()
                .map(String::as_str)
                .filter(|id| !drop.contains(id))
                .collect();
            if dockerfile_trailing {
                // Move it above the instruction, as the own-line form, with what is still true.
                let indent: String = line_text
                    .chars()
                    .take_while(|c| c.is_whitespace())
                    .collect();
                let mut trailing_start = whole.start;
                while trailing_start > 0
                    && line_text.as_bytes()[trailing_start - 1].is_ascii_whitespace()
                {
                    trailing_start -= 1;
                }
                let reason = comment
                    .reason
                    .as_deref()
                    .map_or(String::new(), |r| format!(" {r}"));
                let own_line = format!(
                    "{indent}# harden: ignore[{}]{reason}{}",
                    keep.join(", "),
                    text.newline()
                );
                problems.insert(
                    0,
                    "Docker reads a `#` after an instruction as part of its arguments, not as a comment: put the suppression on its own line above".to_string(),
                );
                let edit = if keep.is_empty() {
                    Edit::replace(
                        file.path.clone(),
                        range.start + trailing_start..range.end,
                        "",
                    )
                } else {
                    Edit::replace(
                        file.path.clone(),
                        range.start..range.end,
                        format!("{}{}", own_line, &line_text[..trailing_start]),
                    )
                };
                out.push(Untruth {
                    location,
                    problem: problems.join("; "),
                    fix_title: "Move the suppression to its own line above the instruction"
                        .to_string(),
                    edit: Some(edit),
                });
                continue;
            }
            if !problems.is_empty() {
                let edit = if keep.is_empty() {
                    remove_comment(file, text, &range, &whole, comment.own_line)
                } else {
                    let ids_at = captures.name("ids").map_or(0..0, |m| m.range());
                    Edit::replace(
                        file.path.clone(),
                        range.start + ids_at.start..range.start + ids_at.end,
                        keep.join(", "),
                    )
                };
                let fix_title = if keep.is_empty() {
                    "Remove the suppression comment".to_string()
                } else {
                    format!("Keep only `{}` in the suppression", keep.join(", "))
                };
                out.push(Untruth {
                    location,
                    problem: problems.join("; "),
                    fix_title,
                    edit: Some(edit),
                });
            } else if require_reason && comment.reason.is_none() {
                out.push(Untruth {
                    location,
                    problem: "the suppression gives no reason: say why the finding does not apply after `]`".to_string(),
                    fix_title: "Add the reason after the closing `]`".to_string(),
                    edit: None,
                });
            }
        }
    }
    out
}

/// Which triple-quoted string is open after `line`, given the one open before it.
fn after_triple_quotes<'q>(line: &str, mut open: Option<&'q str>) -> Option<&'q str> {
    let mut rest = line;
    loop {
        match open {
            Some(quote) => match rest.find(quote) {
                Some(at) => {
                    rest = &rest[at + 3..];
                    open = None;
                }
                None => return open,
            },
            None => {
                // A `#` outside strings ends the code on this line.
                let next = ["\"\"\"", "\'\'\'", "#"]
                    .into_iter()
                    .filter_map(|q| rest.find(q).map(|at| (at, q)))
                    .min();
                match next {
                    Some((_, "#")) | None => return None,
                    Some((at, quote)) => {
                        rest = &rest[at + 3..];
                        open = Some(quote);
                    }
                }
            }
        }
    }
}

/// The edit that removes a whole suppression comment: its line when it stands alone, else the
/// comment and the blanks before it.
fn remove_comment(
    file: &SourceFile,
    text: &crate::project::Text,
    line: &Range<usize>,
    whole: &Range<usize>,
    own_line: bool,
) -> Edit {
    let content = &text.content;
    if own_line {
        // The line and its line ending.
        let mut end = line.end;
        if content[end..].starts_with("\r\n") {
            end += 2;
        } else if content[end..].starts_with('\n') {
            end += 1;
        }
        return Edit::replace(file.path.clone(), line.start..end, "");
    }
    let line_text = &content[line.clone()];
    let mut start = whole.start;
    while start > 0 && line_text.as_bytes()[start - 1].is_ascii_whitespace() {
        start -= 1;
    }
    Edit::replace(file.path.clone(), line.start + start..line.end, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triple_quoted_strings_are_followed_across_lines() {
        let dq = "\"\"\"";
        assert_eq!(after_triple_quotes("why = \"\"\"", None), Some(dq));
        assert_eq!(after_triple_quotes("text\"\"\"", Some(dq)), None);
        assert_eq!(after_triple_quotes("x = '''a''' + '''", None), Some("'''"));
        assert_eq!(
            after_triple_quotes("x = 1  # \"\"\" in a comment", None),
            None
        );
        assert_eq!(after_triple_quotes("\"\"\"one line\"\"\"", None), None);
    }

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
