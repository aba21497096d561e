//! `harden check`: report findings in the chosen format; the exit code says whether any at or
//! above `--fail-on` remain.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use crate::baseline::BaselineFile;
use crate::cli::{CheckArgs, Format};
use crate::finding::Severity;
use crate::output::{self, PathPrefixes, Report};
use crate::session::Session;
use crate::{Error, Outcome};

pub fn run(args: &CheckArgs, color: bool) -> Result<Outcome, Error> {
    let session = Session::discover(&args.selection)?;
    if args.show_settings {
        super::emit(None, &show_settings(&session))?;
        return Ok(Outcome::Clean);
    }
    if let Some(path) = &args.output {
        warn_if_format_name(path, args.quiet);
    }
    let progress = output::progress::Progress::start("walking the project");
    let project = session.walk();
    progress.stage(&format!("checking {} files", project.files.len()));
    let findings = session.check(&project);
    drop(progress);
    // Advisory cache files are read lazily, per package pinned: what could not be read is
    // known only now.
    let mut notes = session.notes.clone();
    notes.extend(crate::advisories::unreadable_notes());

    if let Some(path) = &args.write_baseline {
        let baseline = BaselineFile::from_findings(&findings);
        std::fs::write(path, baseline.to_json())
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
        if !args.quiet {
            eprintln!(
                "harden: wrote {} finding(s) to {}",
                baseline.findings.len(),
                path.display()
            );
        }
        return Ok(Outcome::Clean);
    }

    let fail_on = match &args.fail_on {
        Some(level) => Severity::parse(level)
            .ok_or_else(|| Error::Usage(format!("unknown severity `{level}`")))?,
        None => session.config.fail_on.unwrap_or(Severity::Low),
    };
    let report = Report {
        findings: &findings,
        project: &project,
        registry: &session.registry,
        profile: &session.profile_name,
        checks_run: &session.plan.enabled,
        notes: &notes,
        paths: PathPrefixes {
            local: session.workspace.local_prefix.clone(),
            repo: session.workspace.repo_prefix.clone(),
            cwd_in_project: session.workspace.cwd_in_project.clone(),
        },
    };
    if args.format == Format::Json && !args.statistics {
        super::emit_with(args.output.as_deref(), |mut out| {
            output::json::write(&report, &mut out)
        })?;
        let outcome = outcome(&findings, fail_on, args.exit_zero);
        forget_at_exit(project, findings, session);
        return Ok(outcome);
    }
    let rendered = if args.statistics {
        statistics(&report, args.format)?
    } else {
        let color = color && args.output.is_none() && args.format == Format::Text;
        let rendered = output::render(args.format, &report, color, args.show_suppressed);
        if args.quiet && args.format == Format::Text {
            without_summary(&rendered)
        } else {
            rendered
        }
    };
    super::emit(args.output.as_deref(), &rendered)?;
    let outcome = outcome(&findings, fail_on, args.exit_zero);
    forget_at_exit(project, findings, session);
    Ok(outcome)
}

/// The run is over and the process exits next: the operating system takes its memory back at
/// once, where freeing a 200,000-file project, its findings and the checks piece by piece took
/// 3 to 5% of a run.
fn forget_at_exit(
    project: crate::project::Project,
    findings: Vec<crate::finding::Finding>,
    session: Session,
) {
    std::mem::forget(project);
    std::mem::forget(findings);
    std::mem::forget(session);
}

/// Findings when any unsuppressed one is at or above `fail_on` (unless `--exit-zero`).
fn outcome(findings: &[crate::finding::Finding], fail_on: Severity, exit_zero: bool) -> Outcome {
    let failing = findings
        .iter()
        .any(|f| f.suppressed.is_none() && f.severity >= fail_on);
    if failing && !exit_zero {
        Outcome::Findings
    } else {
        Outcome::Clean
    }
}

/// `--output json` writes a file named `json`: almost always a mistyped `--format json`.
fn warn_if_format_name(path: &std::path::Path, quiet: bool) {
    use clap::ValueEnum;
    let name = path.to_string_lossy();
    let is_format = Format::value_variants()
        .iter()
        .filter_map(|f| f.to_possible_value())
        .any(|v| v.get_name() == name);
    if is_format && !quiet {
        anstream::eprintln!(
            "harden: warning: writing the report to a file named `{name}`; for that output format use `--format {name}` (or `--output-format {name}`)"
        );
    }
}

/// The text report less its closing summary (the last paragraph).
fn without_summary(rendered: &str) -> String {
    match rendered.rfind("\n\n") {
        Some(end) => format!("{}\n", &rendered[..end]),
        None => String::new(),
    }
}

/// `--statistics`: how many active findings each check has, most first, like ruff's.
fn statistics(report: &Report<'_>, format: Format) -> Result<String, Error> {
    let mut counts: BTreeMap<&str, (usize, usize, Severity)> = BTreeMap::new();
    for finding in report.active() {
        let entry = counts
            .entry(finding.check.as_str())
            .or_insert((0, 0, finding.severity));
        entry.0 += 1;
        entry.1 += usize::from(finding.is_fixable());
        entry.2 = entry.2.max(finding.severity);
    }
    let mut rows: Vec<(&str, usize, usize, Severity)> = counts
        .into_iter()
        .map(|(id, (n, fixable, severity))| (id, n, fixable, severity))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    match format {
        Format::Json => {
            let rows: Vec<serde_json::Value> = rows
                .iter()
                .map(|(id, n, fixable, severity)| {
                    serde_json::json!({
                        "check": id,
                        "count": n,
                        "fixable": fixable,
                        "severity": severity.as_str(),
                        "title": report.title(id),
                    })
                })
                .collect();
            serde_json::to_string_pretty(&rows)
                .map(|json| json + "\n")
                .map_err(|e| Error::Io(e.to_string()))
        }
        Format::Text => {
            let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
            let mut out = String::new();
            for (id, n, fixable, severity) in &rows {
                let mark = if *fixable > 0 { "[*]" } else { "   " };
                let _ = writeln!(
                    out,
                    "{n:>5}  {id:<width$}  {mark} {:<8} {}",
                    severity.as_str(),
                    report.title(id)
                );
            }
            let total: usize = rows.iter().map(|r| r.1).sum();
            let _ = writeln!(
                out,
                "Found {total} finding(s) in {} check(s).{}",
                rows.len(),
                if rows.iter().any(|r| r.2 > 0) {
                    " [*] fixable with `harden fix`."
                } else {
                    ""
                }
            );
            Ok(out)
        }
        other => Err(Error::Usage(format!(
            "--statistics prints text or JSON, not {}",
            clap::ValueEnum::to_possible_value(&other)
                .map_or_else(String::new, |v| v.get_name().to_string())
        ))),
    }
}

/// `--show-settings`: what this run would use, and where each part came from.
fn show_settings(session: &Session) -> String {
    let config = &session.config;
    let mut out = String::new();
    let workspace = &session.workspace;
    let _ = writeln!(out, "project root: {}", workspace.root.display());
    if workspace.selected.is_empty() {
        let _ = writeln!(out, "reported: the whole project");
    } else {
        let _ = writeln!(out, "reported: {}", workspace.selected.join(", "));
    }
    let _ = writeln!(
        out,
        "configuration: {}",
        if config.file.is_empty() {
            "none (built-in defaults)"
        } else {
            &config.file
        }
    );
    let profile_from = if config.profile.is_some() {
        "from the configuration"
    } else {
        "default or --profile"
    };
    let _ = writeln!(out, "profile: {} ({profile_from})", session.profile_name);
    let fail_on = config.fail_on.map_or("low (default)".to_string(), |s| {
        format!("{} (from the configuration)", s.as_str())
    });
    let _ = writeln!(out, "fail-on: {fail_on}");
    let globs = |list: &[toml_span::Spanned<String>]| {
        list.iter()
            .map(|g| g.value.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (key, list) in [
        ("exclude", &config.exclude),
        ("production-settings", &config.production_settings),
        ("development-settings", &config.development_settings),
    ] {
        if !list.is_empty() {
            let _ = writeln!(out, "{key}: {}", globs(list));
        }
    }
    let _ = writeln!(out, "checks enabled ({}):", session.plan.enabled.len());
    for id in &session.plan.enabled {
        let Some(check) = session.registry.get(id) else {
            continue;
        };
        let configured = config.severity.iter().any(|(name, _)| name.value == *id);
        let (severity, from) = match session.plan.severity.get(id) {
            Some(severity) if configured => (*severity, " (severity from the configuration)"),
            Some(severity) if *severity != check.severity => {
                (*severity, " (severity from the profile)")
            }
            _ => (check.severity, ""),
        };
        let _ = write!(out, "  {id} [{}]{from}", severity.as_str());
        if let Some(params) = session.plan.params.get(id).filter(|p| !p.is_empty()) {
            let shown: Vec<String> = params.iter().map(|(k, v)| format!("{k} = {v}")).collect();
            let _ = write!(out, " params: {}", shown.join(", "));
        }
        out.push('\n');
    }
    out
}
