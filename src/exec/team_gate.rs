//! The team's word on a write, asked at the effects chokepoint before each write leaves: the
//! app's lock taken (or refused, naming its holder) before the first write to it and still held
//! at every write after; and, on an environment with `approvals:`, a second operator's approval
//! before the run's first write.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use super::reporter::Reporter;
use crate::identifiers::AppName;
use crate::interrupt::Interrupt;
use crate::output::Event;
use crate::team::{ApprovalRequest, Claim, Holder, Team, lock_key};

/// How often a waiting run looks again at a lock or an approval.
const POLL: Duration = Duration::from_millis(250);

/// Who this run is, as its locks and its approval request name it.
pub struct RunIdentity {
    pub run_id: String,
    /// `deploy-production`.
    pub runbook: String,
    pub operator: String,
    pub api_url: String,
}

/// What an environment with `approvals:` asks of the run.
pub struct ApprovalNeed {
    /// The apps whose first write waits for it.
    pub apps: BTreeSet<AppName>,
    pub timeout: Duration,
    /// What the approver is shown.
    pub plan: Vec<String>,
}

pub struct TeamGate {
    team: Arc<Team>,
    identity: RunIdentity,
    wait_lock: Option<Duration>,
    approval: Option<ApprovalNeed>,
    reporter: Arc<Reporter>,
    interrupt: Interrupt,
    state: Mutex<Held>,
}

#[derive(Default)]
struct Held {
    locks: Vec<(AppName, i64)>,
    approved: bool,
}

/// The parts of a team gate.
pub struct TeamGateParts {
    pub team: Arc<Team>,
    pub identity: RunIdentity,
    pub wait_lock: Option<Duration>,
    pub approval: Option<ApprovalNeed>,
    pub reporter: Arc<Reporter>,
    pub interrupt: Interrupt,
}

impl TeamGate {
    pub fn new(parts: TeamGateParts) -> Self {
        Self {
            team: parts.team,
            identity: parts.identity,
            wait_lock: parts.wait_lock,
            approval: parts.approval,
            reporter: parts.reporter,
            interrupt: parts.interrupt,
            state: Mutex::default(),
        }
    }

    /// `Err` with the reason when no write to `app` may leave now. Writes wait here, one at a
    /// time, while a lock or an approval is awaited.
    pub fn admit(&self, app: &AppName) -> Result<(), String> {
        let mut held = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        let keys: Vec<i64> = held.locks.iter().map(|(_, key)| *key).collect();
        if !keys.is_empty() && !self.team.still_held(&keys) {
            return Err(format!(
                "the team lock on {} was lost (its database session ended): no further write is sent",
                names(&held.locks)
            ));
        }
        if !held.locks.iter().any(|(held_app, _)| held_app == app) {
            self.take(app)?;
            held.locks
                .push((app.clone(), lock_key(&self.identity.api_url, app.as_str())));
        }
        if let Some(need) = &self.approval
            && need.apps.contains(app)
            && !held.approved
        {
            self.wait_for_approval(app, need)?;
            held.approved = true;
        }
        Ok(())
    }

    /// Lets go of the run's locks at its end.
    pub fn release(&self) {
        let mut held = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if !held.locks.is_empty() {
            self.team.release_locks();
            held.locks.clear();
        }
    }

    fn take(&self, app: &AppName) -> Result<(), String> {
        let claim = Claim {
            api_url: &self.identity.api_url,
            app: app.as_str(),
            operator: &self.identity.operator,
            run_id: &self.identity.run_id,
            runbook: &self.identity.runbook,
        };
        let deadline = self.wait_lock.map(deadline_after);
        let mut said_waiting = false;
        loop {
            let holder = self
                .team
                .take_lock(&claim)
                .map_err(|error| format!("cannot take the team lock on {app}: {error}"))?;
            let Some(holder) = holder else {
                return Ok(());
            };
            let refusal = locked_by(app, &holder);
            if self.interrupt.is_requested() {
                return Err(format!("{refusal}; interrupted while waiting for it"));
            }
            match deadline {
                Some(deadline) if deadline.is_none_or(|end| Instant::now() < end) => {
                    if !said_waiting {
                        self.notice(format!("{refusal}; waiting for it (--wait-lock)"));
                        said_waiting = true;
                    }
                    std::thread::sleep(POLL);
                }
                Some(_) => return Err(format!("{refusal}, still after --wait-lock")),
                None => {
                    return Err(format!(
                        "{refusal}; wait for it with --wait-lock 5m, or ask {}",
                        holder.operator
                    ));
                }
            }
        }
    }

    fn wait_for_approval(&self, app: &AppName, need: &ApprovalNeed) -> Result<(), String> {
        let request = ApprovalRequest {
            run_id: self.identity.run_id.clone(),
            app: app.to_string(),
            runbook: self.identity.runbook.clone(),
            api_url: self.identity.api_url.clone(),
            requested_by: self.identity.operator.clone(),
            requested_at: String::new(),
            plan: need.plan.clone(),
            decision: None,
            run_status: None,
        };
        self.team
            .ask_approval(&request)
            .map_err(|error| format!("cannot ask for an approval: {error}"))?;
        self.notice(format!(
            "{} needs the approval of another operator before its first write to {app}; they run: runbook approve {}",
            self.identity.runbook, self.identity.run_id
        ));
        for line in &need.plan {
            self.notice(format!("  {line}"));
        }
        let deadline = deadline_after(need.timeout);
        let outcome = self.await_decision(deadline, need);
        if outcome.is_err() {
            let _ = self.team.withdraw_approval(&self.identity.run_id);
        }
        outcome
    }

    /// Polls for the decision until `deadline` (`None`: no end), Ctrl-C, or the answer.
    fn await_decision(&self, deadline: Option<Instant>, need: &ApprovalNeed) -> Result<(), String> {
        loop {
            let decided = self
                .team
                .approval_requests(&self.identity.run_id)
                .map_err(|error| format!("cannot read the approval: {error}"))?
                .into_iter()
                .find(|found| found.run_id == self.identity.run_id)
                .and_then(|found| found.decision);
            if let Some(decision) = decided {
                self.reporter.emit(&Event::Approval {
                    approved: decision.approved,
                    by: decision.by.clone(),
                    how: decision.how.clone(),
                });
                if decision.approved {
                    return Ok(());
                }
                return Err(format!("{} rejected the run", decision.by));
            }
            if self.interrupt.is_requested() {
                return Err("interrupted while waiting for an approval".to_string());
            }
            if deadline.is_some_and(|end| Instant::now() >= end) {
                return Err(format!(
                    "no approval came within {} (--approval-timeout)",
                    humantime::format_duration(need.timeout)
                ));
            }
            std::thread::sleep(POLL);
        }
    }

    fn notice(&self, message: String) {
        self.reporter.emit(&Event::Team { message });
    }
}

/// When a wait of `wait` from now ends; `None` when that is beyond what the clock can say (a
/// wait given as billions of seconds is a wait without end, not a crash).
fn deadline_after(wait: Duration) -> Option<Instant> {
    Instant::now().checked_add(wait)
}

/// "lazona-connector-production is locked by alice@example.com running deploy-production since
/// 03:12 UTC (run 20261201-031200-4f1a2b)".
fn locked_by(app: &AppName, holder: &Holder) -> String {
    let since = holder
        .since
        .get(11..16)
        .map(|time| format!(" since {time} UTC"))
        .unwrap_or_default();
    format!(
        "{app} is locked by {} running {}{since} (run {})",
        holder.operator, holder.runbook, holder.run_id
    )
}

fn names(locks: &[(AppName, i64)]) -> String {
    locks
        .iter()
        .map(|(app, _)| app.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}
