//! `harden explain ID`: a check's documentation — why it matters, a bad and a good example,
//! how the fix works and how safe it is, references.

use std::fmt::Write;

use crate::checks::Registry;
use crate::cli::ExplainArgs;
use crate::fix::Applicability;
use crate::{Error, Outcome};

pub fn run(args: &ExplainArgs, _color: bool) -> Result<Outcome, Error> {
    let registry = Registry::load(&[]).map_err(Error::Config)?;
    let check = registry.get(&args.id).ok_or_else(|| {
        Error::Usage(format!("unknown check `{}` (see `harden checks`)", args.id))
    })?;
    super::emit(None, &explain(&registry, check))?;
    Ok(Outcome::Clean)
}

pub fn explain(registry: &Registry, check: &crate::checks::Check) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {}\n\n{}\n", check.id, check.title);
    let kinds: Vec<&str> = check.kinds.iter().map(|k| k.name()).collect();
    let _ = writeln!(
        out,
        "Severity: {}    Confidence: {}",
        check.severity,
        check.confidence.as_str()
    );
    if !kinds.is_empty() {
        let _ = writeln!(out, "Reads: {}", kinds.join(", "));
    }
    let profiles = registry.profiles_of(&check.id);
    let _ = writeln!(
        out,
        "Profiles: {}",
        if profiles.is_empty() {
            "none (enable with --select)".to_string()
        } else {
            profiles.join(", ")
        }
    );
    let _ = writeln!(out, "\n## Why\n\n{}", check.docs.why.trim());
    for (label, files) in [("Bad", &check.examples.bad), ("Good", &check.examples.good)] {
        if files.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n## {label}\n");
        for (path, content) in files {
            let _ = writeln!(out, "{path}:\n```\n{}\n```", content.trim_end());
        }
    }
    let _ = writeln!(out, "\n## Fix\n");
    match &check.fix {
        Some(fix) => {
            let safety = match fix.applicability {
                Applicability::Safe => "safe: `harden fix --yes` applies it",
                Applicability::Unsafe => {
                    "unsafe: it can change how the project behaves, so it is applied only when you accept it or pass `--unsafe-fixes`"
                }
                Applicability::DisplayOnly => {
                    "display-only: harden describes it but cannot know enough to write it"
                }
            };
            let _ = writeln!(out, "Fix safety: {safety}.");
        }
        None => {
            let _ = writeln!(out, "No automatic fix.");
        }
    }
    if let Some(fix) = &check.docs.fix {
        let _ = writeln!(out, "\n{}", fix.trim());
    }
    if !check.docs.references.is_empty() {
        let _ = writeln!(out, "\n## References\n");
        for reference in &check.docs.references {
            let _ = writeln!(out, "- {reference}");
        }
    }
    out
}
