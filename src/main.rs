//! `runbook`: parse the command line, resolve settings, dispatch, and exit with the right code.

use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use runbook::{cli, commands, crash};

fn main() -> ExitCode {
    crash::install();
    clap_complete::CompleteEnv::with_factory(cli::Arguments::command)
        .var(cli::COMPLETE_VARIABLE)
        .complete();
    let arguments = cli::Arguments::parse();
    ExitCode::from(commands::dispatch(arguments))
}
