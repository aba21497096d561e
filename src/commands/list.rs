//! `harden checks`: every check with its severity, file kinds, profiles and whether it fixes.

use std::fmt::Write;

use serde::Serialize;

use crate::checks::Registry;
use crate::cli::ChecksArgs;
use crate::{Error, Outcome};

#[derive(Serialize)]
struct Row<'a> {
    id: &'a str,
    severity: &'a str,
    kinds: Vec<&'a str>,
    profiles: Vec<&'a str>,
    fixable: bool,
    title: &'a str,
}

pub fn run(args: &ChecksArgs) -> Result<Outcome, Error> {
    let registry = Registry::load(&[]).map_err(Error::Config)?;
    if args.markdown {
        super::emit(None, &super::explain::checks_markdown(&registry))?;
        return Ok(Outcome::Clean);
    }
    let selected = match &args.profile {
        Some(name) => {
            let profile = registry
                .profiles
                .get(name)
                .ok_or_else(|| Error::Usage(format!("unknown profile `{name}`")))?;
            Some(profile.resolve_ids(&registry).map_err(Error::Usage)?)
        }
        None => None,
    };
    let rows: Vec<Row<'_>> = registry
        .checks
        .iter()
        .filter(|c| selected.as_ref().is_none_or(|ids| ids.contains(&c.id)))
        .map(|check| Row {
            id: &check.id,
            severity: check.severity.as_str(),
            kinds: check.kinds.iter().map(|k| k.name()).collect(),
            profiles: registry.profiles_of(&check.id),
            fixable: check.fixable(),
            title: &check.title,
        })
        .collect();
    let text = if args.json {
        let mut text = serde_json::to_string_pretty(&rows).map_err(|e| Error::Io(e.to_string()))?;
        text.push('\n');
        text
    } else {
        table(&rows)
    };
    super::emit(None, &text)?;
    Ok(Outcome::Clean)
}

fn table(rows: &[Row<'_>]) -> String {
    let id_width = rows.iter().map(|r| r.id.len()).max().unwrap_or(2).max(2);
    let kinds: Vec<String> = rows
        .iter()
        .map(|r| {
            // A check that reads most kinds (the secret scanners) would make the column
            // unreadable; `--json` and `harden explain` give the full list.
            match r.kinds.len() {
                0 => "-".into(),
                1..=4 => r.kinds.join(","),
                n => format!("{n} kinds"),
            }
        })
        .collect();
    let kinds_width = kinds.iter().map(String::len).max().unwrap_or(5).max(5);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:id_width$}  {:8}  {:kinds_width$}  {:16}  {:7}  TITLE",
        "ID", "SEVERITY", "KINDS", "PROFILES", "FIX"
    );
    for (row, kinds) in rows.iter().zip(&kinds) {
        let _ = writeln!(
            out,
            "{:id_width$}  {:8}  {:kinds_width$}  {:16}  {:7}  {}",
            row.id,
            row.severity,
            kinds,
            row.profiles.join(","),
            if row.fixable { "yes" } else { "no" },
            row.title
        );
    }
    out
}
