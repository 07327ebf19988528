//! What an operation does to the world, which decides how dry-run treats it.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// Only reads: runs for real in dry-run.
    Read,
    /// Changes an app through the API: recorded, not sent, in dry-run.
    Write,
    /// Runs a command on this machine (`git push`): recorded, not run, in dry-run.
    Local,
}

impl Effect {
    pub fn name(self) -> &'static str {
        match self {
            Effect::Read => "read",
            Effect::Write => "write",
            Effect::Local => "local",
        }
    }
}
