//! Completion of runbook names: the shell calls `runbook` back with `COMPLETE` set (clap_complete's
//! dynamic engine), before any settings exist, so the runbooks folder is found here as `--dir`
//! would find it (`RUNBOOK_DIR`, else `runbooks/` walking up).

use std::ffi::OsStr;

use clap_complete::CompletionCandidate;

use crate::runbook::Library;

/// The variable that switches `runbook` into answering completions.
pub const COMPLETE_VARIABLE: &str = "COMPLETE";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Shell {
    Bash,
    Zsh,
    Fish,
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
