//! One file per subcommand; each reads its arguments and calls the layers below.

mod app_names;
mod approvals;
mod approve;
mod check;
mod completions;
mod docs;
mod failure;
mod functions;
mod history;
mod identity;
mod list;
mod local_journal;
mod locks;
mod new;
mod note;
mod policy;
mod report;
mod run;
mod schema;
mod show;
mod sim_reset;
mod sim_serve;
mod team;
mod test;

use crate::cli::{Arguments, Command, SimCommand, TeamCommand};
use crate::exit;
use crate::runbook::LibraryError;
use crate::settings::Settings;
use failure::Failure;

/// What clap says of the command line (a usage error, the help, the version), shown as every
/// text is (written out where a terminal would act on it); its exit code.
pub fn command_line_said(said: &crate::cli::CommandLineError) -> u8 {
    let text = said.render().to_string();
    crate::output::command_line_text(&text, said.use_stderr());
    u8::try_from(said.exit_code()).unwrap_or(exit::USAGE)
}

/// Runs the chosen command and reports any failure; returns the exit code.
pub fn dispatch(arguments: Arguments) -> u8 {
    let settings = Settings::resolve(&arguments);
    if let Some(failure) = pointless_flag(&arguments) {
        return report(&settings, &failure);
    }
    let result = match &arguments.command {
        Command::List { .. } => list::execute(&settings),
        Command::Docs => docs::execute(&settings),
        Command::Schema { tests } => schema::execute(&settings, *tests),
        Command::Completions { shell } => completions::execute(&settings, *shell),
        Command::New(new_arguments) => new::execute(&settings, new_arguments),
        Command::Functions => functions::execute(&settings),
        Command::Show { name, env } => show::execute(&settings, name, env.as_deref()),
        Command::Check { names, deny_warnings, require_tests, .. } => check::execute(
            &settings,
            names,
            &check::CheckOptions { deny_warnings: *deny_warnings, require_tests: *require_tests },
        ),
        Command::Run(run_arguments) => run::execute(&settings, run_arguments),
        Command::Test(test_arguments) => test::execute(&settings, test_arguments),
        Command::History(history_arguments) => history::execute(&settings, history_arguments),
        Command::Approve(approve_arguments) => approve::execute(&settings, approve_arguments),
        Command::Note(note_arguments) => note::execute(&settings, note_arguments),
        Command::Report(report_arguments) => report::execute(&settings, report_arguments),
        Command::Locks { .. } => locks::execute(&settings),
        Command::Approvals { .. } => approvals::execute(&settings),
        Command::Team { command: TeamCommand::Policy(policy_arguments) } => {
            policy::execute(&settings, policy_arguments)
        }
        Command::Team { command: TeamCommand::Sync } => team::execute_sync(&settings),
        Command::Sim { command: SimCommand::Serve(serve_arguments) } => {
            sim_serve::execute(&settings, serve_arguments)
        }
        Command::Sim { command: SimCommand::Reset } => sim_reset::execute(&settings),
    };
    let code = match result {
        Ok(()) => exit::SUCCESS,
        Err(failure) => report(&settings, &failure),
    };
    if let Some(file) = &settings.peak_memory_file {
        record_peak_memory(file);
    }
    code
}

/// This program's peak memory (`VmHWM`: since it started, not the process it was forked from).
fn record_peak_memory(file: &std::path::Path) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    if let Some(line) = status.lines().find(|line| line.starts_with("VmHWM:")) {
        let kib: String = line.chars().filter(char::is_ascii_digit).collect();
        let _ = std::fs::write(file, kib);
    }
}

/// `--output` or `--no-input` given before a command where it would do nothing: said, not
/// ignored (after the command, clap refuses them itself).
fn pointless_flag(arguments: &Arguments) -> Option<Failure> {
    let command = &arguments.command;
    let flag = if arguments.output.is_some() && !command.has_json_output() {
        "--output"
    } else if arguments.no_input && !command.may_ask() {
        "--no-input"
    } else {
        return None;
    };
    Some(Failure::Usage {
        message: format!("{flag} does nothing for `runbook {}`", command.name()),
        hint: Some(format!("leave {flag} out")),
    })
}

fn report(settings: &Settings, failure: &Failure) -> u8 {
    let printer = &settings.printer;
    match failure {
        Failure::Reported(_) => {}
        Failure::Invalid(diagnostics)
        | Failure::Library(LibraryError::InvalidEnvironments(diagnostics)) => {
            for diagnostic in diagnostics {
                printer.diagnostic(diagnostic);
            }
        }
        other => printer.error(&other.to_string(), other.hint().as_deref()),
    }
    failure.exit_code()
}

/// A runtime for the commands that do I/O.
fn runtime() -> Result<tokio::runtime::Runtime, Failure> {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().map_err(
        |error| Failure::Usage {
            message: format!("cannot start the async runtime: {error}"),
            hint: None,
        },
    )
}
