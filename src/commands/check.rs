//! `harden check`: report findings in the chosen format; the exit code says whether any at or
//! above `--fail-on` remain.

use crate::baseline::BaselineFile;
use crate::cli::{CheckArgs, Format};
use crate::finding::Severity;
use crate::output::{self, Report};
use crate::session::Session;
use crate::{Error, Outcome};

pub fn run(args: &CheckArgs, color: bool) -> Result<Outcome, Error> {
    let session = Session::new(&args.selection)?;
    let project = session.walk();
    let findings = session.check(&project);

    if let Some(path) = &args.write_baseline {
        let baseline = BaselineFile::from_findings(&findings);
        std::fs::write(path, baseline.to_json())
            .map_err(|e| Error::Io(format!("cannot write {}: {e}", path.display())))?;
        eprintln!(
            "harden: wrote {} finding(s) to {}",
            baseline.findings.len(),
            path.display()
        );
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
        notes: &session.notes,
    };
    let color = color && args.output.is_none() && args.format == Format::Text;
    let rendered = output::render(args.format, &report, color, args.show_suppressed);
    super::emit(args.output.as_deref(), &rendered)?;

    let failing = findings
        .iter()
        .any(|f| f.suppressed.is_none() && f.severity >= fail_on);
    Ok(if failing {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
