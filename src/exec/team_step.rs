//! A step's side of team mode: the lock of every app a write goes to is taken before the
//! operator is asked anything (a second operator is told who holds it, and with `--wait-lock`
//! waits, then has the write prepared again from fresh reads and is asked again); and after the
//! confirmation, the approval of the exact plan where an app needs one.

use super::failure::StepFailure;
use super::run::Run;
use super::team_gate::{Claimed, PlanToApprove, plan_write};
use crate::effects::{Planned, Refusal};
use crate::identifiers::AppName;
use crate::ops::PreparedWrite;
use crate::team::PlanWrite;

impl Run {
    /// Before the question about `writes`: the team lock of every app they write to. `true` when
    /// the run waited for another run's lock: what it prepared must be prepared again.
    pub fn claim_locks(&self, writes: &[&PreparedWrite]) -> Result<bool, StepFailure> {
        let mut apps: Vec<AppName> = Vec::new();
        for write in writes {
            for app in apps_of(write) {
                if !apps.contains(&app) {
                    apps.push(app);
                }
            }
        }
        self.claim_apps(&apps)
    }

    /// The same for a step that changes `app` without an API write (an `sh:` step).
    pub fn claim_apps(&self, apps: &[AppName]) -> Result<bool, StepFailure> {
        let Some(team) = &self.team else {
            return Ok(false);
        };
        if apps.is_empty() || self.effects.is_dry_run() {
            return Ok(false);
        }
        let claimed = self.handle.block_on(team.claim(apps));
        match claimed {
            Ok(Claimed::Now) => Ok(false),
            Ok(Claimed::AfterWait) => {
                for app in apps {
                    self.gate.ask_again(app);
                }
                Ok(true)
            }
            Err(_) if self.interrupted() => Err(StepFailure::Interrupted),
            Err(refusal) => Err(StepFailure::NotConfirmed(refusal)),
        }
    }

    /// After the operator's confirmation: a second operator's approval of what `writes` send,
    /// with the lines the operator was shown, for each app that needs one.
    pub fn approve_plan(
        &self,
        writes: &[&PreparedWrite],
        lines: &dyn Fn() -> Vec<String>,
    ) -> Result<(), StepFailure> {
        let Some(team) = &self.team else {
            return Ok(());
        };
        let mut apps: Vec<&AppName> = writes.iter().map(|write| &write.app).collect();
        apps.dedup();
        for app in apps {
            if !team.needs_approval(app) {
                continue;
            }
            let plan = PlanToApprove {
                app: app.clone(),
                writes: writes
                    .iter()
                    .filter(|write| &write.app == app)
                    .flat_map(|write| {
                        write.planned.iter().map(|planned| planned_write(app, planned))
                    })
                    .collect(),
                lines: lines(),
            };
            match self.handle.block_on(team.approve(plan)) {
                Ok(()) => {}
                Err(_) if self.interrupted() => return Err(StepFailure::Interrupted),
                Err(refusal) => return Err(refused(refusal)),
            }
        }
        Ok(())
    }
}

fn refused(refusal: Refusal) -> StepFailure {
    StepFailure::NotConfirmed(refusal)
}

/// Every app a write goes to: its own, and any its requests' paths name.
fn apps_of(write: &PreparedWrite) -> Vec<AppName> {
    let mut apps = vec![write.app.clone()];
    for planned in &write.planned {
        if let Planned::Request(request) = planned
            && let Some(named) = request.request.path.named_app()
            && !apps.contains(named)
        {
            apps.push(named.clone());
        }
    }
    apps
}

/// One planned entry as an approval holds it: a request as it will be sent; an upload or a
/// command by what it is (its URL is known only once the run gets there).
fn planned_write(app: &AppName, planned: &Planned) -> PlanWrite {
    match planned {
        Planned::Request(request) => plan_write(request),
        Planned::Upload(upload) => PlanWrite {
            app: app.to_string(),
            method: upload.method.clone(),
            path: "<upload>".into(),
            body: Some(serde_json::Value::String(upload.body.clone())),
        },
        Planned::Command(command) => PlanWrite {
            app: app.to_string(),
            method: "RUN".into(),
            path: "<command>".into(),
            body: Some(serde_json::Value::String(command.command.clone())),
        },
    }
}
