//! `harden fix`: apply fixes interactively (a coloured diff and a question per fix, like
//! `git add -p`), all at once with `--yes`, or print them as one patch with `--diff`.
//!
//! Fixes are applied in rounds, in memory: a fix that conflicts with another in one round is
//! offered again in the next, on the updated text, until nothing changes. Files are written
//! only at the end, each atomically.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, IsTerminal, Write};

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

pub enum Mode<'io> {
    Diff,
    Yes,
    Interactive {
        input: &'io mut dyn BufRead,
        output: &'io mut dyn Write,
    },
}

pub fn run(args: &FixArgs, color: bool) -> Result<Outcome, Error> {
    let session = Session::new(&args.selection)?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut output = anstream::AutoStream::auto(std::io::stdout());
    let mode = if args.diff {
        Mode::Diff
    } else if args.yes {
        Mode::Yes
    } else if std::io::stdin().is_terminal() {
        Mode::Interactive {
            input: &mut input,
            output: &mut output,
        }
    } else {
        return Err(Error::Usage(
            "standard input is not a terminal, so fixes cannot be confirmed one by one: pass --yes to apply them, or --diff to print them".into(),
        ));
    };
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
    let mut declined: BTreeSet<(String, String)> = BTreeSet::new();
    let mut broken: Vec<String> = Vec::new();
    let mut fixed = 0usize;
    let mut accept_all = false;
    let mut quit = false;

    for _ in 0..MAX_ROUNDS {
        let project = base.with_changes(&changes);
        let findings = session.check(&project);
        let candidates: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.suppressed.is_none())
            .filter(|f| {
                f.fix
                    .as_ref()
                    .is_some_and(|fix| !fix.edits.is_empty() && allowed(fix.applicability))
            })
            .filter(|f| !declined.contains(&(f.check.clone(), f.fingerprint.clone())))
            .collect();
        if candidates.is_empty() {
            break;
        }
        let mut chosen = Vec::new();
        for finding in candidates {
            let answer = match &mut mode {
                Mode::Interactive { input, output } if !accept_all => {
                    ask_about(&project, finding, &mut **input, &mut **output, color)
                        .map_err(|e| Error::Io(e.to_string()))?
                }
                _ => Answer::Yes,
            };
            match answer {
                Answer::Yes => chosen.push(finding),
                Answer::No => {
                    declined.insert((finding.check.clone(), finding.fingerprint.clone()));
                }
                Answer::All => {
                    accept_all = true;
                    chosen.push(finding);
                }
                Answer::Quit => {
                    quit = true;
                    break;
                }
            }
        }
        let fixes: Vec<&crate::fix::Fix> = chosen.iter().filter_map(|f| f.fix.as_ref()).collect();
        let applied = apply::apply(&project, &fixes);
        for (index, rejection) in &applied.rejected {
            if let Rejection::Broken(message) = rejection {
                broken.push(format!(
                    "{} ({}): {message}",
                    chosen[*index].check, chosen[*index].primary.path
                ));
                declined.insert((
                    chosen[*index].check.clone(),
                    chosen[*index].fingerprint.clone(),
                ));
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
        .check(&base.with_changes(&changes))
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
            let patch: String = changes.values().map(diff::unified).collect();
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

fn ask_about(
    project: &Project,
    finding: &Finding,
    input: &mut dyn BufRead,
    output: &mut dyn Write,
    color: bool,
) -> std::io::Result<Answer> {
    let Some(fix) = &finding.fix else {
        return Ok(Answer::No);
    };
    let preview = apply::apply(project, &[fix]);
    let patch: String = preview.changes.values().map(diff::unified).collect();
    let patch = if color { diff::colorize(&patch) } else { patch };
    let tag = match fix.applicability {
        Applicability::Unsafe => " [unsafe: may change behaviour]",
        _ => "",
    };
    writeln!(
        output,
        "\n{} ({}): {}",
        finding.check, finding.primary.path, finding.message
    )?;
    writeln!(output, "Fix: {}{tag}", fix.title)?;
    write!(output, "{patch}")?;
    prompt::ask(input, output, "Apply this fix")
}
