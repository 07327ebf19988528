//! Shell completions: `runbook completions bash|zsh|fish` prints the registration, and the shell
//! then asks `runbook` itself for candidates, so that runbook names come from the runbooks folder.

use clap_complete::env::{Bash, EnvCompleter, Fish, Zsh};

use super::failure::Failure;
use crate::cli::{COMPLETE_VARIABLE, Shell};
use crate::settings::Settings;

pub fn execute(settings: &Settings, shell: Shell) -> Result<(), Failure> {
    let completer: &dyn EnvCompleter = match shell {
        Shell::Bash => &Bash,
        Shell::Zsh => &Zsh,
        Shell::Fish => &Fish,
    };
    let mut script = Vec::new();
    completer
        .write_registration(COMPLETE_VARIABLE, "runbook", "runbook", "runbook", &mut script)
        .map_err(|error| {
        Failure::usage(format!("cannot write the completions: {error}"), "try another shell")
    })?;
    settings.printer.out_text(&String::from_utf8_lossy(&script));
    Ok(())
}
