//! Shell completions: `runbook completions bash|zsh|fish` prints the registration, and the shell
//! then asks `runbook` itself for candidates, so that runbook names come from the runbooks folder.

use std::ffi::OsStr;

use clap_complete::CompletionCandidate;
use clap_complete::env::{Bash, EnvCompleter, Fish, Zsh};

use crate::error::Failure;
use crate::runbook::Library;
use crate::settings::Settings;

/// The variable that switches `runbook` into answering completions.
pub const VARIABLE: &str = "COMPLETE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
}

pub fn completions(settings: &Settings, shell: Shell) -> Result<(), Failure> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
    };
    let mut script = Vec::new();
    completer
        .write_registration(VARIABLE, "runbook", "runbook", "runbook", &mut script)
        .map_err(|error| {
            Failure::usage(
                format!("cannot write the completions: {error}"),
                "try another shell",
            )
        })?;
    settings.printer.out_text(&String::from_utf8_lossy(&script));
    Ok(())
}

/// The names `run` takes (`restart`, `restart-production`...) that start with what is typed.
pub fn runbook_names(typed: &OsStr) -> Vec<CompletionCandidate> {
    let typed = typed.to_string_lossy();
    let directory = std::env::var_os("RUNBOOK_DIR").map(std::path::PathBuf::from);
    let Ok(library) = Library::open(directory.as_deref()) else {
        return Vec::new();
    };
    library
        .runnable_names()
        .into_iter()
        .filter(|name| name.starts_with(typed.as_ref()))
        .map(CompletionCandidate::new)
        .collect()
}
