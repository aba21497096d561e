//! Shared pieces of the differential tests against other tools (hadolint, zizmor): the tool
//! from the environment, harden's findings as JSON, the one-sided findings, the final report.

use std::collections::BTreeSet;
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The tool named by the environment variable `var`. Tests that need one are `#[ignore]`d with
/// the reason (cargo's summary counts them), so when one runs it was asked for: a missing tool
/// fails it with the variable to set, never a silent pass.
pub fn external_tool(var: &str, test: &str) -> Option<PathBuf> {
    Some(super::required_tool(var, test))
}

/// The harden ids of a `(their rule, harden id)` mapping, for `--select`.
pub fn selected_ids(mapping: &[(&str, &str)]) -> String {
    let ids: BTreeSet<&str> = mapping.iter().map(|(_, id)| *id).collect();
    ids.into_iter().collect::<Vec<_>>().join(",")
}

/// harden's findings (JSON) for `harden check <dir> <args> --format json`.
pub fn harden_findings(dir: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let output = Command::new(env!("CARGO_BIN_EXE_harden"))
        .arg("check")
        .arg(dir)
        .args(args)
        .args(["--format", "json"])
        .output()
        .expect("harden runs");
    let report: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("harden prints JSON");
    report["findings"].as_array().cloned().unwrap_or_default()
}

/// What only one side reported: `(true, item)` for harden's, `(false, item)` for the other
/// tool's.
pub fn one_sided<'a, K: Ord>(
    ours: &'a BTreeSet<K>,
    theirs: &'a BTreeSet<K>,
) -> impl Iterator<Item = (bool, &'a K)> {
    ours.difference(theirs)
        .map(|k| (true, k))
        .chain(theirs.difference(ours).map(|k| (false, k)))
}

/// Print what was compared and the deliberate differences; fail on unexplained ones.
pub fn finish<D: Debug>(
    tool: &str,
    compared: usize,
    what: &str,
    skipped: &[String],
    differences: &[(D, &str)],
    unexplained: &[D],
) {
    eprintln!(
        "compared {compared} {what} with {tool}; {} deliberate differences; skipped: {skipped:#?}",
        differences.len()
    );
    for (difference, reason) in differences {
        eprintln!("{difference:?}: {reason}");
    }
    assert!(compared > 0);
    assert!(
        unexplained.is_empty(),
        "differences from {tool} that are neither fixed nor explained:\n{unexplained:#?}"
    );
}
