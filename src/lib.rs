//! harden: a declarative hardening checker and fixer for Python projects' configuration.
//!
//! The binary is a thin wrapper around [`run`]; everything else is reachable from here for
//! tests and benchmarks.

pub mod advisories;
pub mod baseline;
pub mod checks;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod engine;
pub mod finding;
pub mod fix;
pub mod formats;
pub mod init;
pub mod output;
pub mod project;
pub mod session;
pub mod suppress;
pub mod templates;
pub mod workspace;

use std::process::ExitCode;

use crate::diagnostic::ConfigErrors;

/// Why a run could not do its job. Findings are not errors: they are the job.
#[derive(Debug)]
pub enum Error {
    /// Bad arguments (exit 2).
    Usage(String),
    /// Bad configuration or check files (exit 2), every problem listed.
    Config(ConfigErrors),
    /// Could not write output or fixes (exit 2).
    Io(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Usage(message) | Self::Io(message) => f.write_str(message),
            Self::Config(errors) => write!(f, "invalid configuration:\n{errors}"),
        }
    }
}

impl std::error::Error for Error {}

/// What a successful run found: whether anything at or above the failure threshold remains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Clean,
    Findings,
}

impl Outcome {
    pub fn exit_code(self) -> ExitCode {
        match self {
            Self::Clean => ExitCode::SUCCESS,
            Self::Findings => ExitCode::from(1),
        }
    }
}

/// Stack size of rayon's worker threads. The evaluators are depth-bounded; this is the second
/// line of defence against deep input, since rayon's default (2 MiB on most platforms, less
/// on some) is smaller than the main thread's.
const WORKER_STACK_BYTES: usize = 16 * 1024 * 1024;

/// Run a parsed command line.
pub fn run(cli: cli::Cli) -> Result<Outcome, Error> {
    // NOTE: fails only when the global pool already exists (a second `run` in one process,
    // as tests do); that pool was built here with the same stack size.
    let _ = rayon::ThreadPoolBuilder::new()
        .stack_size(WORKER_STACK_BYTES)
        .build_global();
    let color = output::color_enabled(cli.color);
    // anstream strips escapes from a stream that is not a terminal unless told otherwise:
    // `--color always` must survive a pipe (`| less -R`), `--color never` a terminal.
    match cli.color {
        cli::ColorChoice::Always => anstream::ColorChoice::Always.write_global(),
        cli::ColorChoice::Never => anstream::ColorChoice::Never.write_global(),
        cli::ColorChoice::Auto => {}
    }
    match cli.command {
        cli::Command::Check(args) => commands::check::run(&args, color),
        cli::Command::Fix(args) => commands::fix::run(&args, color),
        cli::Command::Checks(args) => commands::list::run(&args),
        cli::Command::Explain(args) => commands::explain::run(&args, color),
        cli::Command::Project(args) => commands::project::run(&args),
        cli::Command::Init(args) => commands::init::run(&args, color),
        cli::Command::Completions(args) => commands::completions::completions(&args),
        cli::Command::Man(args) => commands::completions::man(&args),
        cli::Command::Advisories(args) => commands::advisories::run(&args),
    }
}
