//! `harden fix`: apply fixes interactively (a coloured diff and a question per fix, like
//! `git add -p`), all at once with `--yes`, or print them as one patch with `--diff`.
//!
//! Fixes are applied in rounds, in memory: a fix that conflicts with another in one round is
//! offered again in the next, on the updated text, until nothing changes. Files are written
//! only at the end, each atomically.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use super::Mode;
use crate::cli::FixArgs;
use crate::finding::Finding;
use crate::fix::apply::{self, FileChange, Rejection};
use crate::fix::prompt::{self, Answer};
use crate::fix::{Applicability, diff, write};
use crate::project::Project;
use crate::session::Session;
use crate::{Error, Outcome};

/// Enough for fixes that unlock other fixes; a project needing more is fixed by running again.
const MAX_ROUNDS: usize = 10;

pub fn run(args: &FixArgs, color: bool) -> Result<Outcome, Error> {
    let session = Session::discover(&args.selection)?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = anstream::AutoStream::auto(std::io::stdout());
    let mode = Mode::from_flags(args.diff, args.yes, "fixes", &mut input, &mut output)?;
    let result = fix_project(&session, mode, args.unsafe_fixes, color)?;
    Ok(result)
}

/// Run the fix loop; exposed for tests that drive the questions through a reader.
pub fn fix_project(
    session: &Session,
    mut mode: Mode<'_>,
    unsafe_fixes: bool,
    color: bool,
) -> Result<Outcome, Error> {
    let base = session.walk();
    let interactive = matches!(mode, Mode::Interactive { .. });
    let allowed = |applicability: Applicability| match applicability {
        Applicability::Safe => true,
        Applicability::Unsafe => unsafe_fixes || interactive,
        Applicability::DisplayOnly => false,
    };
    let mut changes: BTreeMap<String, FileChange> = BTreeMap::new();
    // Answers carry over to later rounds, where offsets and fingerprints have moved: a finding
    // is recognised by its identity (check, path, message, line text), counted as a multiset
    // because identical lines can repeat.
    let mut declined: BTreeMap<Identity, usize> = BTreeMap::new();
    let mut accepted: BTreeMap<Identity, usize> = BTreeMap::new();
    let mut broken: Vec<String> = Vec::new();
    // Fixes applied, by the file of their first edit: what a refused write takes back.
    let mut fixed_in: BTreeMap<String, usize> = BTreeMap::new();
    let mut accept_all = false;
    let mut quit = false;

    // Each round starts from the project and findings the previous round verified its fixes
    // on: one check per round.
    let mut verified: Option<(Project, Vec<Finding>)> = None;
    for _ in 0..MAX_ROUNDS {
        let (project, findings) = verified.take().unwrap_or_else(|| {
            let project = base.with_changes(changed_texts(&changes));
            let findings = session.check(&project);
            (project, findings)
        });
        let mut still_declined = declined.clone();
        let mut still_accepted = accepted.clone();
        let candidates: Vec<(&Finding, Identity)> = findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|fix| !fix.edits.is_empty() && allowed(fix.applicability))
            })
            .map(|f| (f, identity(&project, f)))
            .filter(|(_, id)| !take(&mut still_declined, id))
            .collect();
        if candidates.is_empty() {
            break;
        }
        let mut chosen: Vec<(&Finding, Identity)> = Vec::new();
        let total = candidates.len();
        for (index, (finding, id)) in candidates.iter().cloned().enumerate() {
            // Accepted in an earlier round but held back by a conflict: not asked again.
            let answered_before = take(&mut still_accepted, &id);
            let answer = match &mut mode {
                Mode::Interactive { input, output } if !accept_all && !answered_before => {
                    let progress = Progress {
                        index,
                        total,
                        rest: &candidates[index + 1..],
                    };
                    ask_about(
                        session,
                        &project,
                        finding,
                        &progress,
                        &mut **input,
                        &mut **output,
                        color,
                    )
                    .map_err(|e| Error::Io(e.to_string()))?
                }
                _ => Answer::Yes,
            };
            match answer {
                Answer::Yes | Answer::All => {
                    accept_all |= answer == Answer::All;
                    if !answered_before {
                        *accepted.entry(id.clone()).or_default() += 1;
                    }
                    chosen.push((finding, id));
                }
                Answer::No => *declined.entry(id).or_default() += 1,
                Answer::Quit => {
                    quit = true;
                    break;
                }
            }
        }
        let fixes: Vec<&crate::fix::Fix> =
            chosen.iter().filter_map(|(f, _)| f.fix.as_ref()).collect();
        let chosen_findings: Vec<&Finding> = chosen.iter().map(|(f, _)| *f).collect();
        let (applied, next) = apply_verified(
            session,
            &base,
            &changes,
            (&project, &findings),
            &chosen_findings,
            &fixes,
        );
        for (index, rejection) in &applied.rejected {
            let Some((finding, id)) = chosen.get(*index) else {
                continue;
            };
            let why = match rejection {
                Rejection::Conflict => continue,
                Rejection::Broken(message) => message.clone(),
                Rejection::Persists => "its finding remains after it".to_string(),
            };
            broken.push(format!(
                "{} ({}): {why}",
                finding.check, finding.primary.path
            ));
            *declined.entry(id.clone()).or_default() += 1;
            take(&mut accepted, id);
        }
        // Applied fixes are gone next round; what stays accepted is what conflicted.
        for index in &applied.applied {
            if let Some((_, id)) = chosen.get(*index) {
                take(&mut accepted, id);
            }
        }
        for &index in &applied.applied {
            if let Some(path) = fixes[index].edits.first().map(|e| e.path()) {
                *fixed_in.entry(path.to_string()).or_default() += 1;
            }
        }
        changes = merged(&changes, applied.changes);
        verified = next;
        if applied.applied.is_empty() || quit {
            break;
        }
    }

    let mut stderr = anstream::stderr();
    for message in &broken {
        let _ = writeln!(stderr, "harden: fix not applied: {message}");
    }
    if let Mode::Diff = mode {
        let remaining = remaining_after(session, &base, &changes);
        let fixed: usize = fixed_in.values().sum();
        // Paths from the repository root (else the current directory): where `git apply`
        // resolves them.
        let prefix = &session.workspace.repo_prefix;
        let patch: String = changes
            .values()
            .map(|change| {
                diff::unified(&FileChange {
                    path: format!("{prefix}{}", change.path),
                    ..change.clone()
                })
            })
            .collect();
        super::emit(None, &patch)?;
        let _ = writeln!(
            stderr,
            "harden: {fixed} fix(es) in the patch above; {remaining} finding(s) would remain."
        );
        return Ok(if patch.is_empty() {
            Outcome::Clean
        } else {
            Outcome::Findings
        });
    }
    // Decide every write before the first: a refusal (a path through a symlink out of the
    // root, a file changed since it was read) drops that file's changes, never half a run.
    let mut refused: Vec<String> = Vec::new();
    changes.retain(
        |path, change| match write::check_writable(&session.root, change) {
            Ok(()) => true,
            Err(refusal) => {
                refused.push(refusal.to_string());
                fixed_in.remove(path);
                false
            }
        },
    );
    let mut failed: Vec<String> = Vec::new();
    for change in changes.values() {
        if let Err(refusal) = write::write_change(&session.root, change) {
            refused.push(format!("cannot write {}: {refusal}", change.path));
            failed.push(change.path.clone());
        }
    }
    for path in &failed {
        changes.remove(path);
        fixed_in.remove(path);
    }
    for message in &refused {
        let _ = writeln!(stderr, "harden: {message}");
    }
    let written = changes.len();
    let remaining = remaining_after(session, &base, &changes);
    let fixed: usize = fixed_in.values().sum();
    let _ = writeln!(
        stderr,
        "harden: fixed {fixed} finding(s) in {written} file(s); {remaining} finding(s) remain{}.",
        if remaining > 0 {
            " (run `harden check` to see them)"
        } else {
            ""
        }
    );
    Ok(if remaining > 0 || !refused.is_empty() {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Active findings once `changes` are applied.
fn remaining_after(
    session: &Session,
    base: &Project,
    changes: &BTreeMap<String, FileChange>,
) -> usize {
    session
        .check(&base.with_changes(changed_texts(changes)))
        .into_iter()
        .filter(|f| f.suppressed.is_none())
        .count()
}

/// `earlier` with `later` on top; a file keeps the text it had before the first round.
fn merged(
    earlier: &BTreeMap<String, FileChange>,
    later: BTreeMap<String, FileChange>,
) -> BTreeMap<String, FileChange> {
    let mut out = earlier.clone();
    for (path, change) in later {
        let original = earlier
            .get(&path)
            .map_or(change.old.clone(), |first| first.old.clone());
        out.insert(
            path,
            FileChange {
                old: original,
                ..change
            },
        );
    }
    out
}

/// Apply the chosen fixes, then check the project as they leave it: a fix is kept only when
/// its finding is gone. A finding is followed by place, not by wording (a fix that rewrites
/// its own match changes the message but not the problem): the same check at the same
/// position, carried through the edits, or for a finding on a whole file the same check and
/// message there. Counted, as identical findings can repeat. A fix whose finding stays is
/// dropped and the rest applied again. Returns the applied fixes and the project and findings
/// they leave, which the next round starts from.
fn apply_verified(
    session: &Session,
    base: &Project,
    changes: &BTreeMap<String, FileChange>,
    (project, findings): (&Project, &[Finding]),
    chosen: &[&Finding],
    fixes: &[&crate::fix::Fix],
) -> (apply::Applied, Option<(Project, Vec<Finding>)>) {
    let mut left_out: BTreeMap<usize, Rejection> = BTreeMap::new();
    loop {
        let applied = apply::apply_without(project, fixes, left_out.clone());
        if applied.applied.is_empty() {
            return (applied, None);
        }
        let trial = base.with_changes(changed_texts(&merged(changes, applied.changes.clone())));
        let after_findings = session.check(&trial);
        let counts = |places: &mut dyn Iterator<Item = Place>| {
            let mut counts: BTreeMap<Place, usize> = BTreeMap::new();
            for place in places {
                *counts.entry(place).or_default() += 1;
            }
            counts
        };
        let active = |f: &&Finding| f.suppressed.is_none();
        let before = counts(
            &mut findings
                .iter()
                .filter(active)
                .map(|f| place(f, Some(&applied))),
        );
        let after = counts(&mut after_findings.iter().filter(active).map(|f| place(f, None)));
        let fixed = counts(
            &mut applied
                .applied
                .iter()
                .map(|&i| place(chosen[i], Some(&applied))),
        );
        let count = |counts: &BTreeMap<Place, usize>, place: &Place| {
            counts.get(place).copied().unwrap_or(0)
        };
        let persisting: Vec<usize> = applied
            .applied
            .iter()
            .copied()
            .filter(|&index| {
                let moved = place(chosen[index], Some(&applied));
                count(&after, &moved) + count(&fixed, &moved) > count(&before, &moved)
            })
            .collect();
        if persisting.is_empty() {
            return (applied, Some((trial, after_findings)));
        }
        for index in persisting {
            left_out.insert(index, Rejection::Persists);
        }
    }
}

/// Where a finding is, to recognise it once fixes moved the text: check, path, and the start
/// of its span (in the new text when `applied` is given) or, for a whole file, its message.
type Place = (String, String, Option<usize>, String);

fn place(finding: &Finding, applied: Option<&apply::Applied>) -> Place {
    let path = &finding.primary.path;
    match &finding.primary.span {
        Some(span) => (
            finding.check.clone(),
            path.clone(),
            Some(applied.map_or(span.start, |a| a.map_offset(path, span.start))),
            String::new(),
        ),
        None => (
            finding.check.clone(),
            path.clone(),
            None,
            finding.message.clone(),
        ),
    }
}

/// What recognises a finding across rounds: check, path, message and the text of its line.
type Identity = (String, String, String, String);

fn identity(project: &Project, finding: &Finding) -> Identity {
    let line = finding.primary.span.as_ref().and_then(|span| {
        let text = project.file(&finding.primary.path)?.text().ok()?;
        let range = text.line_range(text.line_col(span.start).0)?;
        text.content.get(range).map(|l| l.trim().to_string())
    });
    (
        finding.check.clone(),
        finding.primary.path.clone(),
        finding.message.clone(),
        line.unwrap_or_default(),
    )
}

/// Use up one count of `id`, if any is left.
fn take(counts: &mut BTreeMap<Identity, usize>, id: &Identity) -> bool {
    match counts.get_mut(id) {
        Some(count) if *count > 0 => {
            *count -= 1;
            true
        }
        _ => false,
    }
}

/// Where the question for one fix stands among the fixes of its round.
struct Progress<'a, 'f> {
    index: usize,
    total: usize,
    /// The fixes after this one in the round, with their identities.
    rest: &'a [(&'f Finding, Identity)],
}

fn ask_about(
    session: &Session,
    project: &Project,
    finding: &Finding,
    progress: &Progress<'_, '_>,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    color: bool,
) -> std::io::Result<Answer> {
    let Some(fix) = &finding.fix else {
        return Ok(Answer::No);
    };
    let workspace = &session.workspace;
    let shown = |path: &str| {
        crate::output::local_path(&workspace.local_prefix, &workspace.cwd_in_project, path)
    };
    let preview = apply::apply(project, &[fix]);
    let patch: String = preview
        .changes
        .values()
        .map(|change| {
            diff::unified(&FileChange {
                path: shown(&change.path),
                ..change.clone()
            })
        })
        .collect();
    let patch = if color { diff::colorize(&patch) } else { patch };
    let tag = match fix.applicability {
        Applicability::Unsafe => " [unsafe: may change behaviour]",
        _ => "",
    };
    writeln!(
        output,
        "\n[{}/{}] {}[{}] {}: {}",
        progress.index + 1,
        progress.total,
        finding.severity.as_str(),
        finding.check,
        shown(&finding.primary.path),
        finding.message
    )?;
    if let Some(help) = &finding.help {
        writeln!(output, "help: {help}")?;
    }
    writeln!(output, "Fix: {}{tag}", fix.title)?;
    write!(output, "{patch}")?;
    loop {
        let answer = prompt::ask(input, output, "Apply this fix")?;
        if answer != Answer::All {
            return Ok(answer);
        }
        // `a` applies more than what is on the screen: say how much, and ask once.
        let more = progress.rest.len();
        let unsafe_count = std::iter::once(finding)
            .chain(progress.rest.iter().map(|(f, _)| *f))
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|fix| fix.applicability == Applicability::Unsafe)
            })
            .count();
        writeln!(
            output,
            "This applies this fix and the {more} after it ({unsafe_count} of them unsafe), and every fix they make possible in later rounds, without asking."
        )?;
        if prompt::confirm(input, output, "Apply them all")? {
            return Ok(Answer::All);
        }
    }
}

/// The pending changes as the project model takes them.
fn changed_texts(
    changes: &BTreeMap<String, crate::fix::apply::FileChange>,
) -> impl Iterator<Item = crate::project::ChangedText<'_>> {
    changes.values().map(|c| crate::project::ChangedText {
        path: &c.path,
        text: &c.new,
        bom: c.bom,
    })
}
