//! `harden completions SHELL` and `harden man`: generated from the clap definitions, so they
//! never drift from the real command line.

use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::{Error, Outcome};

pub fn completions(args: &CompletionsArgs) -> Result<Outcome, Error> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "harden", &mut script);
    super::emit(None, &String::from_utf8_lossy(&script))?;
    Ok(Outcome::Clean)
}

/// harden(1), whose SUBCOMMANDS section names harden-check(1) and the others, or one of those.
pub fn man(args: &ManArgs) -> Result<Outcome, Error> {
    let command = Cli::command();
    let page_of = match &args.subcommand {
        None => command,
        Some(name) => {
            let sub = command.find_subcommand(name).ok_or_else(|| {
                Error::Usage(format!("no subcommand `{name}` (see `harden --help`)"))
            })?;
            sub.clone()
                .name(format!("harden-{name}"))
                .version(env!("CARGO_PKG_VERSION"))
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(page_of)
        .render(&mut page)
        .map_err(|e| Error::Io(e.to_string()))?;
    super::emit(None, &String::from_utf8_lossy(&page))?;
    Ok(Outcome::Clean)
}
