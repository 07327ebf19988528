//! `runbook`: parse the command line, resolve settings, dispatch, and exit with the right code.

mod authoring;
mod cli;
mod commands;
mod crash;
mod docs;
mod effects;
mod error;
mod exec;
mod heroku;
mod journal;
mod local;
mod ops;
mod output;
mod runbook;
mod script;
mod settings;
mod sim;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

fn main() -> ExitCode {
    crash::install();
    clap_complete::CompleteEnv::with_factory(cli::Arguments::command)
        .var(commands::completions::VARIABLE)
        .complete();
    let arguments = cli::Arguments::parse();
    ExitCode::from(commands::dispatch(arguments))
}
