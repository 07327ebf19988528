//! Where the journal lives: `RUNBOOK_STATE_DIR`, else `$XDG_STATE_HOME/runbook`, else `~/.local/state/runbook`.

use std::path::PathBuf;

pub fn state_folder() -> Option<PathBuf> {
    if let Some(folder) = non_empty("RUNBOOK_STATE_DIR") {
        return Some(folder);
    }
    if let Some(state) = non_empty("XDG_STATE_HOME") {
        return Some(state.join("runbook"));
    }
    non_empty("HOME").map(|home| home.join(".local").join("state").join("runbook"))
}

fn non_empty(variable: &str) -> Option<PathBuf> {
    std::env::var_os(variable)
        .filter(|value| !value.is_empty())
        .map(PathBuf::from)
}
