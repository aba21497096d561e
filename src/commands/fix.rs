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
    let mut fixed = 0usize;
    let mut accept_all = false;
    let mut quit = false;

    for _ in 0..MAX_ROUNDS {
        let project = base.with_changes(changed_texts(&changes));
        let findings = session.check(&project);
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
        let applied = apply::apply(&project, &fixes);
        for (index, rejection) in &applied.rejected {
            let Some((finding, id)) = chosen.get(*index) else {
                continue;
            };
            if let Rejection::Broken(message) = rejection {
                broken.push(format!(
                    "{} ({}): {message}",
                    finding.check, finding.primary.path
                ));
                *declined.entry(id.clone()).or_default() += 1;
                take(&mut accepted, id);
            }
        }
        // Applied fixes are gone next round; what stays accepted is what conflicted.
        for index in &applied.applied {
            if let Some((_, id)) = chosen.get(*index) {
                take(&mut accepted, id);
            }
        }
        fixed += applied.applied.len();
        for (path, change) in applied.changes {
            let original = changes
                .get(&path)
                .map_or(change.old.clone(), |earlier| earlier.old.clone());
            changes.insert(
                path,
                FileChange {
                    old: original,
                    ..change
                },
            );
        }
        if applied.applied.is_empty() || quit {
            break;
        }
    }

    let remaining = session
        .check(&base.with_changes(changed_texts(&changes)))
        .into_iter()
        .filter(|f| f.suppressed.is_none())
        .count();
    let mut stderr = anstream::stderr();
    for message in &broken {
        let _ = writeln!(
            stderr,
            "harden: fix not applied, it would break the file: {message}"
        );
    }
    match mode {
        Mode::Diff => {
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
        Mode::Yes | Mode::Interactive { .. } => {
            for change in changes.values() {
                write::write_change(&session.root, change)
                    .map_err(|e| Error::Io(format!("cannot write {}: {e}", change.path)))?;
            }
        }
    }
    let _ = writeln!(
        stderr,
        "harden: fixed {fixed} finding(s) in {} file(s); {remaining} finding(s) remain{}.",
        changes.len(),
        if remaining > 0 {
            " (run `harden check` to see them)"
        } else {
            ""
        }
    );
    Ok(if remaining > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
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
