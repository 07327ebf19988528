//! `runbook`: parse the command line, resolve settings, dispatch, and exit with the right code.

use std::process::ExitCode;

use runbook::{cli, commands, crash};

fn main() -> ExitCode {
    crash::install();
    clap_complete::CompleteEnv::with_factory(cli::command).var(cli::COMPLETE_VARIABLE).complete();
    match cli::parse() {
        Ok(arguments) => ExitCode::from(commands::dispatch(arguments)),
        Err(said) => ExitCode::from(commands::command_line_said(&said)),
    }
}
