//! The team's word on a run's writes, asynchronous on the run's own runtime:
//! - before a question about a write, the lock of each app it writes to is taken, so that the
//!   second operator is told who holds it before anything is asked of them (with `--wait-lock`,
//!   they wait, and are shown what the holder did before being asked);
//! - after the operator confirmed, on an app with `approvals:`, a second operator approves the
//!   exact plan (each request, the impact lines, the params, the API, the runbook's hash);
//! - at the effects chokepoint, before each write leaves: the lock is still held (its session
//!   alive), and the write is one the approved plan holds, or a new approval is asked for it.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::reporter::Reporter;
use crate::effects::{LockHolder, PlannedRequest, Refusal};
use crate::identifiers::AppName;
use crate::interrupt::Interrupt;
use crate::journal::Event;
use crate::team::{ApprovalRequest, Claim, Holder, PlanWrite, Team, lock_key};

/// How often a waiting run looks again at a lock or an approval.
const POLL: Duration = Duration::from_millis(250);

/// Who this run is, as its locks and its approval requests name it.
pub struct RunIdentity {
    pub run_id: String,
    /// `deploy-production`.
    pub runbook: String,
    pub operator: String,
    pub api_url: String,
    pub content_hash: String,
}

/// What an app with `approvals:` asks of the run.
pub struct ApprovalNeed {
    /// The apps whose writes wait for an approval of their plan.
    pub apps: BTreeSet<AppName>,
    pub timeout: Duration,
    /// How long an approval may wait for its first use before it lapses.
    pub validity: Duration,
    /// The run's params, secrets masked: part of every plan.
    pub params: serde_json::Value,
}

/// What one approval is asked for: the writes and what the requester's prompt showed.
pub struct PlanToApprove {
    pub app: AppName,
    pub writes: Vec<PlanWrite>,
    pub lines: Vec<String>,
}

pub struct TeamGate {
    team: Arc<Team>,
    identity: RunIdentity,
    wait_lock: Option<Duration>,
    approval: Option<ApprovalNeed>,
    reporter: Arc<Reporter>,
    interrupt: Interrupt,
    state: tokio::sync::Mutex<Held>,
}

#[derive(Default)]
struct Held {
    locks: Vec<(AppName, i64)>,
    approved: Vec<Approved>,
}

/// A plan a second operator approved.
struct Approved {
    id: i64,
    app: AppName,
    writes: Vec<PlanWrite>,
    /// When this run saw the decision.
    seen: Instant,
    used: bool,
    validity: Duration,
}

impl Approved {
    /// Used already, or given less than its validity ago.
    fn is_fresh(&self) -> bool {
        self.used || self.seen.elapsed() < self.validity
    }
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

/// How a lock was taken before a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claimed {
    /// Free, or this run's already.
    Now,
    /// Taken after waiting for another run: what the run prepared before must be prepared again.
    AfterWait,
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
            state: tokio::sync::Mutex::default(),
        }
    }

    /// Whether writes to `app` wait for a second operator's approval.
    pub fn needs_approval(&self, app: &AppName) -> bool {
        self.approval.as_ref().is_some_and(|need| need.apps.contains(app))
    }

    /// Before a question about writes to `apps`: each app's lock taken (or refused, naming its
    /// holder and where their run stands), waiting with `--wait-lock`.
    pub async fn claim(&self, apps: &[AppName]) -> Result<Claimed, Refusal> {
        let mut held = self.state.lock().await;
        let mut claimed = Claimed::Now;
        for app in apps {
            if held.locks.iter().any(|(held_app, _)| held_app == app) {
                continue;
            }
            if self.take(app).await? == Claimed::AfterWait {
                claimed = Claimed::AfterWait;
            }
            held.locks.push((app.clone(), lock_key(&self.identity.api_url, app.as_str())));
        }
        Ok(claimed)
    }

    /// After the operator's confirmation: a second operator's approval of `plan`, when its app
    /// needs one and no approved plan of this run holds every write of it.
    pub async fn approve(&self, plan: PlanToApprove) -> Result<(), Refusal> {
        if !self.needs_approval(&plan.app) {
            return Ok(());
        }
        let mut held = self.state.lock().await;
        let covered = plan.writes.iter().all(|write| {
            held.approved
                .iter()
                .any(|approved| approved.app == plan.app && covers(&approved.writes, write))
        });
        if covered {
            return Ok(());
        }
        let approved = self.ask_and_wait(plan).await?;
        held.approved.push(approved);
        Ok(())
    }

    /// At the chokepoint, before a write to `app` leaves: the run's locks still held, the app's
    /// lock taken if no question took it, and the write held by an approved plan that has not
    /// lapsed (else a new approval is asked for it).
    pub async fn admit(
        &self,
        app: &AppName,
        request: Option<&PlannedRequest>,
    ) -> Result<(), Refusal> {
        let mut held = self.state.lock().await;
        let keys: Vec<i64> = held.locks.iter().map(|(_, key)| *key).collect();
        if !keys.is_empty() && !self.team.still_held(&keys).await {
            return Err(Refusal::LockLost { apps: names(&held.locks) });
        }
        if !held.locks.iter().any(|(held_app, _)| held_app == app) {
            self.take(app).await?;
            held.locks.push((app.clone(), lock_key(&self.identity.api_url, app.as_str())));
        }
        if !self.needs_approval(app) {
            return Ok(());
        }
        match request {
            Some(request) => self.admit_approved(&mut held, app, plan_write(request)).await,
            // An upload or a command belongs to a prepared write whose requests were approved.
            None if held
                .approved
                .iter()
                .any(|approved| &approved.app == app && approved.is_fresh()) =>
            {
                Ok(())
            }
            None => Err(Refusal::not_confirmed(
                format!("a write to {app} that no approved plan holds"),
                Some("this is a bug in runbook: an upload or a command came before its plan's approval".into()),
            )),
        }
    }

    /// `write` to `app` under an approved plan that holds it, or under a new approval.
    async fn admit_approved(
        &self,
        held: &mut Held,
        app: &AppName,
        write: PlanWrite,
    ) -> Result<(), Refusal> {
        if let Some(approved) = held.approved.iter_mut().find(|approved| {
            &approved.app == app && covers(&approved.writes, &write) && approved.is_fresh()
        }) {
            if !approved.used {
                approved.used = true;
                let _ = self.team.use_approval(approved.id).await;
            }
            return Ok(());
        }
        let lapsed = held.approved.iter().any(|approved| &approved.app == app);
        self.notice(if lapsed {
            format!(
                "{} {} is not in the approved plan, or its approval lapsed (unused for {}): a new approval is needed",
                write.method,
                write.path,
                humantime::format_duration(self.approval.as_ref().map_or(Duration::ZERO, |need| need.validity))
            )
        } else {
            format!("{} {} needs an approval", write.method, write.path)
        });
        let mut approved = self
            .ask_and_wait(PlanToApprove {
                app: app.clone(),
                lines: vec![format!("app: {app}"), describe(&write)],
                writes: vec![write],
            })
            .await?;
        approved.used = true;
        let _ = self.team.use_approval(approved.id).await;
        held.approved.push(approved);
        Ok(())
    }

    /// Lets go of the run's locks at its end.
    pub async fn release(&self) {
        let mut held = self.state.lock().await;
        if !held.locks.is_empty() {
            self.team.release_locks().await;
            held.locks.clear();
        }
    }

    /// Takes `app`'s lock, or says who holds it; waits for it with `--wait-lock`.
    async fn take(&self, app: &AppName) -> Result<Claimed, Refusal> {
        let claim = Claim {
            api_url: &self.identity.api_url,
            app: app.as_str(),
            operator: &self.identity.operator,
            run_id: &self.identity.run_id,
            runbook: &self.identity.runbook,
        };
        let started = Instant::now();
        let mut waited_for: Option<LockHolder> = None;
        loop {
            let holder =
                self.team.take_lock(&claim).await.map_err(|error| Refusal::TeamUnreachable {
                    message: format!("cannot take the team lock on {app}: {error}"),
                })?;
            let Some(holder) = holder else {
                return match waited_for {
                    Some(holder) => {
                        self.tell_what_happened(app, &holder).await;
                        Ok(Claimed::AfterWait)
                    }
                    None => Ok(Claimed::Now),
                };
            };
            let holder = self.with_progress(holder).await;
            let Some(wait) = self.wait_lock else {
                return Err(Refusal::Locked {
                    app: app.to_string(),
                    holder: Box::new(holder),
                    waited: None,
                });
            };
            if started.elapsed() >= wait {
                return Err(Refusal::Locked {
                    app: app.to_string(),
                    holder: Box::new(holder),
                    waited: Some(wait),
                });
            }
            if waited_for.as_ref() != Some(&holder) {
                self.notice(format!(
                    "{app} is locked by {}; waiting for it (--wait-lock, {} at most)",
                    holder.describe(),
                    humantime::format_duration(wait)
                ));
                waited_for = Some(holder);
            }
            self.pause().await?;
        }
    }

    /// The holder as a refused operator is told: with where its run stands.
    async fn with_progress(&self, holder: Holder) -> LockHolder {
        let progress = self.team.progress(&holder.run_id).await;
        LockHolder {
            operator: holder.operator,
            runbook: holder.runbook,
            run_id: holder.run_id,
            since: holder.since,
            progress,
        }
    }

    /// After a wait: what the run that held the lock sent, and how it ended.
    async fn tell_what_happened(&self, app: &AppName, holder: &LockHolder) {
        let records = self.team.records(&holder.run_id).await.unwrap_or_default();
        let mut lines = vec![format!(
            "{app} is free: {} ran {} meanwhile (run {})",
            holder.operator, holder.runbook, holder.run_id
        )];
        for record in &records {
            match &record.event {
                Event::WriteSent { request, .. } => lines.push(format!(
                    "  they sent {} at {}",
                    request.describe(),
                    crate::output::people_time_to_the_second(&record.time)
                )),
                Event::WriteAnswered { status, .. } => lines.push(format!("    answered {status}")),
                Event::RunFinished { status, .. } => {
                    lines.push(format!("  their run ended: {}", status.name()))
                }
                _ => {}
            }
        }
        lines.push(
            "what this run does is prepared again from what is true now, and asked again".into(),
        );
        for line in lines {
            self.notice(line);
        }
    }

    /// Asks for the approval of `plan` and waits for the decision, the timeout or Ctrl-C.
    async fn ask_and_wait(&self, plan: PlanToApprove) -> Result<Approved, Refusal> {
        let need = self.approval.as_ref().expect("asked only where approvals apply");
        let expires = crate::journal::Timestamp::after(need.timeout).map(|time| time.to_string());
        let request = ApprovalRequest {
            id: 0,
            run_id: self.identity.run_id.clone(),
            app: plan.app.to_string(),
            runbook: self.identity.runbook.clone(),
            api_url: self.identity.api_url.clone(),
            requested_by: self.identity.operator.clone(),
            requested_at: String::new(),
            expires_at: expires.clone(),
            plan: crate::team::Plan {
                lines: plan.lines.clone(),
                writes: plan.writes.clone(),
                params: need.params.clone(),
                content_hash: self.identity.content_hash.clone(),
            },
            decision: None,
            run_status: None,
            used_at: None,
        };
        let id = self.team.ask_approval(&request).await.map_err(|error| {
            Refusal::TeamUnreachable { message: format!("cannot ask for an approval: {error}") }
        })?;
        let command = format!("runbook approve {}", self.identity.run_id);
        self.reporter.emit(&Event::ApprovalRequested {
            app: plan.app.to_string(),
            command: command.clone(),
            plan: plan.lines.clone(),
            expires_at: expires,
        });
        let outcome = self.await_decision(id, &plan.app, need.timeout, &command).await;
        if outcome.is_err() {
            let _ = self.team.withdraw_approval(id).await;
        }
        outcome.map(|()| Approved {
            id,
            app: plan.app,
            writes: plan.writes,
            seen: Instant::now(),
            used: false,
            validity: need.validity,
        })
    }

    /// Polls for the decision on request `id`, keeping the wait in view with the time left.
    async fn await_decision(
        &self,
        id: i64,
        app: &AppName,
        timeout: Duration,
        command: &str,
    ) -> Result<(), Refusal> {
        let started = Instant::now();
        loop {
            let found = self.team.approval(id).await.map_err(|error| Refusal::TeamUnreachable {
                message: format!("cannot read the approval: {error}"),
            })?;
            if let Some(decision) = found.and_then(|request| request.decision) {
                self.reporter.emit(&Event::Approval {
                    approved: decision.approved,
                    by: decision.by.clone(),
                    how: decision.how.clone(),
                    reason: decision.reason.clone(),
                });
                if decision.approved {
                    return Ok(());
                }
                return Err(Refusal::Rejected {
                    app: app.to_string(),
                    by: decision.by,
                    reason: decision.reason,
                });
            }
            let left = timeout.saturating_sub(started.elapsed());
            if left.is_zero() {
                return Err(Refusal::ApprovalExpired { app: app.to_string(), after: timeout });
            }
            self.reporter.emit(&Event::StepProgress {
                index: self.reporter.current_step(),
                done: 0,
                total: 0,
                message: format!(
                    "waiting for an approval: another operator runs `{command}` · {} left",
                    clock(left)
                ),
            });
            self.pause().await?;
        }
    }

    /// Waits a little, or ends at Ctrl-C (or another signal).
    async fn pause(&self) -> Result<(), Refusal> {
        tokio::select! {
            () = tokio::time::sleep(POLL) => Ok(()),
            () = self.interrupt.requested() => Err(Refusal::not_confirmed("interrupted while waiting", None)),
        }
    }

    fn notice(&self, message: String) {
        self.reporter.emit(&Event::Team { message });
    }
}

/// `14:32`, or `1:02:03`.
fn clock(left: Duration) -> String {
    let seconds = left.as_secs();
    match seconds / 3600 {
        0 => format!("{}:{:02}", seconds / 60, seconds % 60),
        hours => format!("{hours}:{:02}:{:02}", (seconds / 60) % 60, seconds % 60),
    }
}

/// A request as a plan holds it.
pub fn plan_write(request: &PlannedRequest) -> PlanWrite {
    PlanWrite {
        app: request.app.to_string(),
        method: request.request.method.to_string(),
        path: request.request.path.to_string(),
        body: request.request.body.clone(),
    }
}

fn describe(write: &PlanWrite) -> String {
    match &write.body {
        Some(body) => format!("{} {} {body}", write.method, write.path),
        None => format!("{} {}", write.method, write.path),
    }
}

/// Whether `approved` holds `write`: the same app, method and path, and the same body, where a
/// text the plan could only name (`<get_url of the new source>`) stands for any text.
pub fn covers(approved: &[PlanWrite], write: &PlanWrite) -> bool {
    approved.iter().any(|planned| {
        planned.app == write.app
            && planned.method == write.method
            && (planned.path == write.path || is_placeholder(&planned.path))
            && match (&planned.body, &write.body) {
                (None, None) => true,
                (Some(planned), Some(sent)) => same_body(planned, sent),
                _ => false,
            }
    })
}

/// A text a plan could only name: `<get_url of the new source>`.
fn is_placeholder(text: &str) -> bool {
    text.starts_with('<') && text.ends_with('>')
}

fn same_body(planned: &serde_json::Value, sent: &serde_json::Value) -> bool {
    use serde_json::Value;
    match (planned, sent) {
        (Value::String(placeholder), Value::String(_)) if is_placeholder(placeholder) => true,
        (Value::Object(planned), Value::Object(sent)) => {
            planned.len() == sent.len()
                && planned
                    .iter()
                    .all(|(key, value)| sent.get(key).is_some_and(|other| same_body(value, other)))
        }
        (Value::Array(planned), Value::Array(sent)) => {
            planned.len() == sent.len()
                && planned.iter().zip(sent).all(|(value, other)| same_body(value, other))
        }
        (planned, sent) => planned == sent,
    }
}

fn names(locks: &[(AppName, i64)]) -> String {
    locks.iter().map(|(app, _)| app.to_string()).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(body: serde_json::Value) -> PlanWrite {
        PlanWrite {
            app: "app".into(),
            method: "POST".into(),
            path: "/apps/app/builds".into(),
            body: Some(body),
        }
    }

    #[test]
    fn a_plan_holds_its_writes_and_only_them() {
        let plan = [write(
            serde_json::json!({"source_blob": {"url": "<get_url of the new source>", "version": "abc"}}),
        )];
        assert!(covers(
            &plan,
            &write(serde_json::json!({"source_blob": {"url": "https://s3/x", "version": "abc"}}))
        ));
        assert!(!covers(
            &plan,
            &write(serde_json::json!({"source_blob": {"url": "https://s3/x", "version": "def"}}))
        ));
        assert!(!covers(
            &plan,
            &write(
                serde_json::json!({"source_blob": {"url": "https://s3/x", "version": "abc", "extra": 1}})
            )
        ));
        let mut elsewhere = write(serde_json::json!({}));
        elsewhere.path = "/apps/other/builds".into();
        assert!(!covers(&plan, &elsewhere));
    }

    #[test]
    fn time_left_reads_as_a_clock() {
        assert_eq!(clock(Duration::from_secs(872)), "14:32");
        assert_eq!(clock(Duration::from_secs(3723)), "1:02:03");
    }
}
