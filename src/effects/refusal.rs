//! Why a write (or a step) was not done although nothing failed: one value for every kind of
//! refusal, from which the message, the hint, the exit code, the journal's outcome and the words
//! of a Slack post are derived. A new kind is a new variant, and the compiler finds every place
//! that must say something about it.

use std::time::Duration;

use crate::exit;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not confirmed: declined at a prompt, a wrong name typed too often, no terminal to ask on,
    /// `--confirm` naming another app, a protected app nobody confirmed.
    NotConfirmed { message: String, hint: Option<String> },
    /// Another live run holds the app's team lock.
    Locked {
        app: String,
        holder: Box<LockHolder>,
        /// The run waited for it (`--wait-lock`) and gave up at the end of the wait.
        waited: Option<Duration>,
    },
    /// This run's own lock session ended: no further write may leave.
    LockLost { apps: String },
    /// A second operator rejected the run.
    Rejected { app: String, by: String, reason: Option<String> },
    /// No approval came in time.
    ApprovalExpired { app: String, after: Duration },
    /// The app needs a second operator's approval and this run is not in team mode.
    NeedsTeam { app: String },
    /// The team's database could not be used: nothing is sent without it.
    TeamUnreachable { message: String },
}

/// Who holds an app's lock, as the refused operator is told.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LockHolder {
    pub operator: String,
    /// `restart-production`.
    pub runbook: String,
    pub run_id: String,
    /// RFC 3339.
    pub since: String,
    /// `at step 3 of 4 (Restart dynos)`, when the shared journal says.
    pub progress: Option<String>,
}

/// How a refused run ends, as the journal, `history --status`, the report and Slack name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    NotConfirmed,
    Locked,
    Rejected,
    ApprovalExpired,
}

impl Refusal {
    pub fn not_confirmed(message: impl Into<String>, hint: Option<String>) -> Self {
        Refusal::NotConfirmed { message: message.into(), hint }
    }

    pub fn message(&self) -> String {
        match self {
            Refusal::NotConfirmed { message, .. } => message.clone(),
            Refusal::Locked { app, holder, waited } => {
                let still = match waited {
                    Some(wait) => {
                        format!(", still after --wait-lock {}", humantime::format_duration(*wait))
                    }
                    None => String::new(),
                };
                format!("{app} is locked by {}{still}", holder.describe())
            }
            Refusal::LockLost { apps } => format!(
                "the team lock on {apps} was lost (its database session ended): no further write is sent"
            ),
            Refusal::Rejected { by, reason, .. } => match reason {
                Some(reason) => format!("{by} rejected the run: {reason}"),
                None => format!("{by} rejected the run"),
            },
            Refusal::ApprovalExpired { app, after } => format!(
                "no approval came within {} (--approval-timeout): nothing was sent to {app}",
                humantime::format_duration(*after)
            ),
            Refusal::NeedsTeam { app } => format!(
                "refused to send a write to `{app}`: its environment needs a second operator's approval (`approvals:`), and this run is not in team mode"
            ),
            Refusal::TeamUnreachable { message } => format!("{message}: nothing more is sent"),
        }
    }

    pub fn hint(&self) -> Option<String> {
        match self {
            Refusal::NotConfirmed { hint, .. } => hint.clone(),
            Refusal::Locked { holder, waited: None, .. } => Some(format!(
                "wait for it with --wait-lock 10m, or ask {}",
                holder.operator
            )),
            Refusal::Locked { holder, .. } => Some(format!("ask {}", holder.operator)),
            Refusal::LockLost { .. } => Some(
                "check the app before going on: another operator may take the lock now".into(),
            ),
            Refusal::Rejected { .. } => Some("nothing was sent; talk to the approver".into()),
            Refusal::ApprovalExpired { .. } => Some(
                "nothing was sent; ask a teammate to run `runbook approve`, or raise --approval-timeout".into(),
            ),
            Refusal::NeedsTeam { .. } => Some(
                "run it in team mode (RUNBOOK_DATABASE_URL, without --no-team), or rehearse it with --sim".into(),
            ),
            Refusal::TeamUnreachable { .. } => Some(
                "to go on without the team, resume with --no-team: the run is journaled here and pushed later".into(),
            ),
        }
    }

    /// How the run ends for the record.
    pub fn outcome(&self) -> Outcome {
        match self {
            Refusal::Locked { .. } => Outcome::Locked,
            Refusal::Rejected { .. } => Outcome::Rejected,
            Refusal::ApprovalExpired { .. } => Outcome::ApprovalExpired,
            Refusal::NotConfirmed { .. }
            | Refusal::LockLost { .. }
            | Refusal::NeedsTeam { .. }
            | Refusal::TeamUnreachable { .. } => Outcome::NotConfirmed,
        }
    }

    /// The exit code of a run that ends on this refusal.
    pub fn exit_code(&self) -> u8 {
        match self {
            Refusal::TeamUnreachable { .. } => exit::UNREACHABLE,
            Refusal::NotConfirmed { .. }
            | Refusal::Locked { .. }
            | Refusal::LockLost { .. }
            | Refusal::Rejected { .. }
            | Refusal::ApprovalExpired { .. }
            | Refusal::NeedsTeam { .. } => exit::NOT_CONFIRMED,
        }
    }
}

impl LockHolder {
    /// `alice@example.com running restart-production since 03:14 UTC (12m), at step 3 of 4
    /// (Restart dynos) (run 20261206-031400-4f1a2b)`: the time as `runbook locks` shows it.
    pub fn describe(&self) -> String {
        let since = match crate::people_time::age(&self.since).as_str() {
            "" => String::new(),
            age => format!(" since {} ({age})", crate::people_time::people_time(&self.since)),
        };
        let progress =
            self.progress.as_deref().map(|progress| format!(", {progress}")).unwrap_or_default();
        format!("{} running {}{since}{progress} (run {})", self.operator, self.runbook, self.run_id)
    }
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message())
    }
}
