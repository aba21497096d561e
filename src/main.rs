//! The `harden` binary: parse arguments, run, map the result to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = harden::cli::Cli::parse();
    match harden::run(cli) {
        Ok(outcome) => outcome.exit_code(),
        Err(error) => {
            anstream::eprintln!("harden: error: {error}");
            ExitCode::from(2)
        }
    }
}
