//! Applying fixes in memory: all-or-nothing per fix, conflicting fixes dropped whole, every
//! changed file re-parsed in its format before anything is written.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;

use super::{Edit, Fix};
use crate::formats;
use crate::project::{FileKind, Project, kind::classify};

/// The new content of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub path: String,
    /// `None` when the file is created.
    pub old: Option<String>,
    pub new: String,
    /// The file starts with a UTF-8 BOM, to be written back.
    pub bom: bool,
}

/// Why a fix was not applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    /// It touches what an earlier fix in this round touches; it is offered again next round.
    Conflict,
    /// The file would no longer parse, does not parse already, or the fix is malformed.
    Broken(String),
    /// Applied, the fix leaves its own finding in place: it would change the file on every
    /// run and fix nothing.
    Persists,
}

#[derive(Debug, Default)]
pub struct Applied {
    pub changes: BTreeMap<String, FileChange>,
    /// Indexes (into the input) of the fixes applied.
    pub applied: Vec<usize>,
    pub rejected: Vec<(usize, Rejection)>,
    /// Per changed file, its edits in order: the range replaced in the old text and the length
    /// of what replaced it, to follow a position from the old text into the new.
    pub edited: BTreeMap<String, Vec<(Range<usize>, usize)>>,
}

impl Applied {
    /// Where the byte `offset` of `path`'s old text is in its new text: shifted by the edits
    /// before it (an insertion at `offset` included), moved to the start of an edit that
    /// replaced it.
    pub fn map_offset(&self, path: &str, offset: usize) -> usize {
        let Some(edits) = self.edited.get(path) else {
            return offset;
        };
        let mut shift: isize = 0;
        for (range, len) in edits {
            if range.end <= offset {
                shift += *len as isize - range.len() as isize;
            } else if range.start < offset {
                return offset.min(range.start).saturating_add_signed(shift);
            } else {
                break;
            }
        }
        offset.saturating_add_signed(shift)
    }
}

/// Apply `fixes` (in order of preference) on top of the project's current text. A fix either
/// applies whole or not at all.
pub fn apply(project: &Project, fixes: &[&Fix]) -> Applied {
    apply_without(project, fixes, BTreeMap::new())
}

/// [`apply`], with the fixes in `left_out` (indexes into `fixes`) rejected up front for the
/// reason given: how the fix loop drops a fix whose finding stayed and applies the rest again.
pub fn apply_without(
    project: &Project,
    fixes: &[&Fix],
    left_out: BTreeMap<usize, Rejection>,
) -> Applied {
    let mut excluded = left_out;
    // Re-run without the fixes that break a file until every file verifies; each pass removes
    // at least one fix, so this ends.
    loop {
        let (accepted, conflicts) = select(project, fixes, &excluded);
        for index in conflicts {
            excluded.insert(index, Rejection::Conflict);
        }
        match build_changes(project, fixes, &accepted) {
            Ok((changes, edited)) => {
                return Applied {
                    changes,
                    applied: accepted,
                    rejected: excluded.into_iter().collect(),
                    edited,
                };
            }
            Err((path, message)) => {
                let culprits: Vec<usize> = accepted
                    .iter()
                    .copied()
                    .filter(|&i| fixes[i].edits.iter().any(|e| e.path() == path))
                    .collect();
                for index in culprits {
                    excluded.insert(index, Rejection::Broken(format!("{path}: {message}")));
                }
            }
        }
    }
}

/// Pick fixes in order, skipping any that overlaps one already picked.
fn select(
    project: &Project,
    fixes: &[&Fix],
    excluded: &BTreeMap<usize, Rejection>,
) -> (Vec<usize>, Vec<usize>) {
    let mut taken: BTreeMap<&str, Vec<Range<usize>>> = BTreeMap::new();
    let mut created: BTreeSet<&str> = BTreeSet::new();
    let mut accepted = Vec::new();
    let mut conflicts = Vec::new();
    for (index, fix) in fixes.iter().enumerate() {
        if excluded.contains_key(&index) || fix.edits.is_empty() {
            continue;
        }
        let clashes = fix.edits.iter().any(|edit| match edit {
            Edit::Replace { path, range, .. } => {
                created.contains(path.as_str())
                    || taken
                        .get(path.as_str())
                        .is_some_and(|ranges| ranges.iter().any(|r| overlaps(r, range)))
            }
            Edit::Create { path, .. } => {
                created.contains(path.as_str())
                    || taken.contains_key(path.as_str())
                    || project.file(path).is_some()
            }
        });
        if clashes {
            conflicts.push(index);
            continue;
        }
        for edit in &fix.edits {
            match edit {
                Edit::Replace { path, range, .. } => {
                    taken.entry(path).or_default().push(range.clone())
                }
                Edit::Create { path, .. } => {
                    created.insert(path);
                }
            }
        }
        accepted.push(index);
    }
    (accepted, conflicts)
}

/// Two edits conflict when their ranges overlap, or when both insert at the same point (their
/// order would be arbitrary).
fn overlaps(a: &Range<usize>, b: &Range<usize>) -> bool {
    if a.start == b.start {
        return true;
    }
    a.start < b.end && b.start < a.end
}

type ChangesAndEdits = (
    BTreeMap<String, FileChange>,
    BTreeMap<String, Vec<(Range<usize>, usize)>>,
);

fn build_changes(
    project: &Project,
    fixes: &[&Fix],
    accepted: &[usize],
) -> Result<ChangesAndEdits, (String, String)> {
    let mut per_file: BTreeMap<&str, Vec<(Range<usize>, &str)>> = BTreeMap::new();
    let mut changes = BTreeMap::new();
    let mut edited = BTreeMap::new();
    for &index in accepted {
        for edit in &fixes[index].edits {
            match edit {
                Edit::Replace {
                    path,
                    range,
                    content,
                } => per_file
                    .entry(path)
                    .or_default()
                    .push((range.clone(), content)),
                Edit::Create { path, content } => {
                    check_relative(path).map_err(|m| (path.clone(), m))?;
                    verify(path, None, None, content)?;
                    changes.insert(
                        path.clone(),
                        FileChange {
                            path: path.clone(),
                            old: None,
                            new: content.clone(),
                            bom: false,
                        },
                    );
                }
            }
        }
    }
    for (path, mut edits) in per_file {
        let file = project.file(path).ok_or_else(|| {
            (
                path.to_string(),
                "the file to edit is not part of the project".to_string(),
            )
        })?;
        let text = file.text().map_err(|e| (path.to_string(), e.to_string()))?;
        let old = text.content.to_string();
        let newline = text.newline();
        edits.sort_by_key(|(range, _)| (range.start, range.end));
        let mut new = String::with_capacity(old.len() + 256);
        let mut cursor = 0;
        let mut spans = Vec::with_capacity(edits.len());
        for (range, content) in edits {
            let (Some(before), true) = (
                old.get(cursor..range.start),
                range.end <= old.len() && old.is_char_boundary(range.end),
            ) else {
                return Err((
                    path.to_string(),
                    format!("edit range {range:?} is outside the file"),
                ));
            };
            new.push_str(before);
            let content = with_newline(content, newline);
            new.push_str(&content);
            spans.push((range.clone(), content.len()));
            cursor = range.end;
        }
        new.push_str(&old[cursor..]);
        keep_final_newline_state(&old, &mut new);
        verify(path, Some(file.kind), Some(file.parsed()), &new)?;
        edited.insert(path.to_string(), spans);
        changes.insert(
            path.to_string(),
            FileChange {
                path: path.to_string(),
                old: Some(old),
                new,
                bom: text.bom,
            },
        );
    }
    Ok((changes, edited))
}

/// A file that does not parse gets no fix: harden cannot tell where its edits land (an
/// unterminated heredoc swallows the lines appended after it, an unclosed call in a settings
/// module the assignments), so the fix would not remove its finding and every run would add
/// the same lines again. The fixed text must parse too.
fn verify(
    path: &str,
    kind: Option<FileKind>,
    old: Option<&formats::Parsed>,
    new: &str,
) -> Result<(), (String, String)> {
    let Some(kind) = kind.or_else(|| classify(path)) else {
        return Ok(());
    };
    // The old text as the project parsed it already (a fix round parsed it to check it): one
    // parse per fixed file and round, of the new text.
    if let Some(error) = old.and_then(formats::first_error) {
        return Err((
            path.to_string(),
            format!(
                "the file does not parse ({}): fix that first",
                error.message
            ),
        ));
    }
    match formats::verify(kind, new) {
        Ok(()) => Ok(()),
        Err(error) => Err((
            path.to_string(),
            format!("the fixed file would not parse: {}", error.message),
        )),
    }
}

/// README: files "keep their final-newline state". Fixes are written as whole lines; appended
/// to a file whose last line has no newline, the result ends without one too.
fn keep_final_newline_state(old: &str, new: &mut String) {
    if old.is_empty() || old.ends_with('\n') || !new.ends_with('\n') {
        return;
    }
    new.pop();
    if new.ends_with('\r') {
        new.pop();
    }
}

/// Fixes are written with `\n`; a CRLF file gets CRLF.
pub(crate) fn with_newline(content: &str, newline: &str) -> String {
    if newline == "\n" {
        return content.to_string();
    }
    let mut out = String::with_capacity(content.len() + 8);
    let mut previous = '\0';
    for c in content.chars() {
        if c == '\n' && previous != '\r' {
            out.push('\r');
        }
        out.push(c);
        previous = c;
    }
    out
}

/// A path a fix may write: relative, inside the root, no `..`.
pub fn check_relative(path: &str) -> Result<(), String> {
    let p = std::path::Path::new(path);
    if path.is_empty()
        || p.is_absolute()
        || p.components()
            .any(|c| !matches!(c, std::path::Component::Normal(_)))
    {
        return Err(format!(
            "refusing to write `{path}`: not a plain path inside the project"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::Applicability;

    fn project(files: &[(&str, &str)]) -> Project {
        Project::from_texts(files)
    }

    fn fix(edits: Vec<Edit>) -> Fix {
        Fix {
            title: "t".into(),
            applicability: Applicability::Safe,
            edits,
        }
    }

    #[test]
    fn conflicting_fix_is_dropped_whole() {
        let project = project(&[(".gitignore", "a\nb\n")]);
        let first = fix(vec![Edit::replace(".gitignore", 0..1, "x")]);
        let second = fix(vec![
            Edit::replace(".gitignore", 0..1, "y"),
            Edit::insert(".gitignore", 4, "c\n"),
        ]);
        let applied = apply(&project, &[&first, &second]);
        assert_eq!(applied.applied, vec![0]);
        assert_eq!(applied.rejected, vec![(1, Rejection::Conflict)]);
        assert_eq!(applied.changes[".gitignore"].new, "x\nb\n");
    }

    #[test]
    fn crlf_is_kept() {
        let project = project(&[(".gitignore", "a\r\nb\r\n")]);
        let append = fix(vec![Edit::insert(".gitignore", 6, ".env\n*.pem\n")]);
        let applied = apply(&project, &[&append]);
        assert_eq!(
            applied.changes[".gitignore"].new,
            "a\r\nb\r\n.env\r\n*.pem\r\n"
        );
    }

    #[test]
    fn fix_that_breaks_the_file_is_rejected() {
        let project = project(&[("pyproject.toml", "[tool]\n")]);
        let broken = fix(vec![Edit::insert("pyproject.toml", 7, "[[[\n")]);
        let applied = apply(&project, &[&broken]);
        assert!(applied.applied.is_empty());
        assert!(matches!(applied.rejected[0].1, Rejection::Broken(_)));
        assert!(applied.changes.is_empty());
    }

    #[test]
    fn offsets_follow_the_edits() {
        let project = project(&[(".gitignore", "a\nb\nc\n")]);
        let edit = fix(vec![
            Edit::insert(".gitignore", 0, "x\n"),
            Edit::replace(".gitignore", 2..3, "bbb"),
        ]);
        let applied = apply(&project, &[&edit]);
        assert_eq!(applied.changes[".gitignore"].new, "x\na\nbbb\nc\n");
        assert_eq!(applied.map_offset(".gitignore", 0), 2);
        assert_eq!(applied.map_offset(".gitignore", 2), 4);
        assert_eq!(applied.map_offset(".gitignore", 4), 8);
        assert_eq!(applied.map_offset("other", 4), 4);
    }

    #[test]
    fn a_file_that_does_not_parse_gets_no_fix() {
        let project = project(&[("pyproject.toml", "[tool\n")]);
        let edit = fix(vec![Edit::insert("pyproject.toml", 0, "# x\n")]);
        let applied = apply(&project, &[&edit]);
        assert!(applied.applied.is_empty());
        assert!(
            matches!(&applied.rejected[0].1, Rejection::Broken(m) if m.contains("does not parse")),
            "{:?}",
            applied.rejected
        );
    }

    #[test]
    fn appending_keeps_a_missing_final_newline_missing() {
        let project = project(&[(".gitignore", "a")]);
        let append = fix(vec![Edit::insert(".gitignore", 1, "\n.env\n")]);
        let applied = apply(&project, &[&append]);
        assert_eq!(applied.changes[".gitignore"].new, "a\n.env");
    }

    #[test]
    fn refuses_paths_outside_the_root() {
        assert!(check_relative("../x").is_err());
        assert!(check_relative("/etc/passwd").is_err());
        assert!(check_relative(".github/dependabot.yml").is_ok());
    }
}
