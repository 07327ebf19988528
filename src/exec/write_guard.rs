//! The run's side of the effects chokepoint: the gate decides whether a write may leave, and the
//! reporter journals each write before it leaves and when it is answered.

use std::collections::BTreeSet;

use futures_util::future::BoxFuture;
use std::sync::Arc;

use super::gate::Gate;
use super::reporter::Reporter;
use super::team_gate::TeamGate;
use crate::effects::{
    Guard, Planned, PlannedCommand, PlannedRequest, PlannedUpload, ProcessGroup, Refusal,
    Unrecorded,
};
use crate::heroku::{Answer, ApiError};
use crate::identifiers::AppName;
use crate::journal::Event;

pub struct WriteGuard {
    gate: Arc<Gate>,
    reporter: Arc<Reporter>,
    /// Team mode's locks and approvals; `None` working alone.
    team: Option<Arc<TeamGate>>,
    /// The apps whose writes need a second operator's approval (`approvals:`), which only team
    /// mode can give: alone, every write to them is refused.
    approval_apps: BTreeSet<AppName>,
}

impl WriteGuard {
    pub fn new(
        gate: Arc<Gate>,
        reporter: Arc<Reporter>,
        team: Option<Arc<TeamGate>>,
        approval_apps: BTreeSet<AppName>,
    ) -> Self {
        Self { gate, reporter, team, approval_apps }
    }
}

impl Guard for WriteGuard {
    fn admit<'a>(
        &'a self,
        app: &'a AppName,
        request: Option<&'a PlannedRequest>,
    ) -> BoxFuture<'a, Result<(), Refusal>> {
        Box::pin(async move {
            self.gate.admit(app)?;
            match &self.team {
                Some(team) => team.admit(app, request).await,
                None if self.approval_apps.contains(app) => {
                    Err(Refusal::NeedsTeam { app: app.to_string() })
                }
                None => Ok(()),
            }
        })
    }

    fn planned(&self, entry: &Planned) {
        self.reporter.emit(&Event::WouldSend {
            index: self.reporter.current_step(),
            request: entry.clone(),
        });
    }

    fn sending(&self, request: &PlannedRequest) -> Result<(), Unrecorded> {
        self.reporter
            .record(&Event::WriteSent {
                index: self.reporter.current_step(),
                request: request.clone(),
            })
            .map_err(|error| unrecorded(&error, &request.describe()))
    }

    fn uploading(&self, upload: &PlannedUpload) -> Result<(), Unrecorded> {
        self.reporter
            .record(&Event::UploadSent {
                index: self.reporter.current_step(),
                upload: upload.clone(),
            })
            .map_err(|error| unrecorded(&error, &format!("{} {}", upload.method, upload.path)))
    }

    fn starting(&self, command: &PlannedCommand, marked: &ProcessGroup) -> Result<(), Unrecorded> {
        self.reporter
            .record(&Event::CommandStarted {
                index: self.reporter.current_step(),
                command: command.clone(),
                group: Some(marked.clone()),
            })
            .map_err(|error| unrecorded(&error, &command.command))
    }

    fn running(&self, command: &PlannedCommand, group: &ProcessGroup) -> Result<(), Unrecorded> {
        self.reporter
            .record(&Event::CommandRunning {
                index: self.reporter.current_step(),
                command: command.clone(),
                group: group.clone(),
            })
            .map_err(|error| unrecorded(&error, &command.command))
    }

    fn ended(&self, command: &PlannedCommand, status: Option<i32>) {
        self.reporter.emit(&Event::CommandEnded {
            index: self.reporter.current_step(),
            command: command.clone(),
            status,
        });
    }

    fn answered(&self, request: &PlannedRequest, result: Result<&Answer, &ApiError>) {
        let index = self.reporter.current_step();
        let method = request.request.method.to_string();
        let path = request.request.path.to_string();
        self.reporter.emit(&match result {
            Ok(answer) => Event::WriteAnswered {
                index,
                method,
                path,
                status: answer.status,
                request_id: answer.request_id.clone(),
            },
            Err(error) => Event::WriteFailed {
                index,
                method,
                path,
                error: error.to_string(),
                may_have_taken_effect: error.may_have_taken_effect(),
            },
        });
    }
}

/// Why an effect did not happen: the journal could not say that it happens.
fn unrecorded(error: &crate::journal::JournalError, what: &str) -> Unrecorded {
    Unrecorded {
        reason: format!("not sent or run, since the journal cannot record it: `{what}`: {error}"),
    }
}
