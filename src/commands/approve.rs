//! `runbook approve RUN_ID`: a second operator reads exactly what a waiting run will send (each
//! write's method, path and body, the impact lines its operator saw, its params, the API and the
//! runbook's content hash) and approves it as a protected gate is confirmed (the app's name
//! typed, or `--confirm APP` off a terminal), or rejects it with `--reject --reason TEXT`. Nobody
//! approves their own run.

use super::failure::Failure;
use super::team::TeamSession;
use crate::cli::ApproveArguments;
use crate::settings::Settings;
use crate::team::{ApprovalRequest, Decision, canonical_api};

pub fn execute(settings: &Settings, arguments: &ApproveArguments) -> Result<(), Failure> {
    let session = super::team::required(settings, "approve")?;
    let request = waiting_request(&session, &arguments.run_id)?;
    let approver = operator(settings, arguments, &request)?;
    if approver == request.requested_by {
        return Err(Failure::Refused {
            message: format!(
                "run {} is your own ({approver}): another operator must approve it",
                request.run_id
            ),
            hint: Some(
                "ask a teammate to run `runbook approve` with their own Heroku token".into(),
            ),
        });
    }
    for line in super::approvals::plan_lines(&request) {
        settings.printer.out_line(&line);
    }
    let decision = decide(settings, arguments, &request, approver)?;
    let counted = session.run(session.team.decide(request.id, &decision)).map_err(|message| {
        Failure::Access { message: format!("cannot record the decision: {message}"), hint: None }
    })?;
    if !counted {
        return Err(Failure::Refused {
            message: format!(
                "run {} was decided by someone else, or stopped waiting, a moment ago",
                request.run_id
            ),
            hint: None,
        });
    }
    let word = if decision.approved { "approved" } else { "rejected" };
    settings.printer.out_line(&format!(
        "{word} run {} ({} on {})",
        request.run_id, request.runbook, request.app
    ));
    Ok(())
}

/// The request the run whose id starts with `wanted` waits on now.
fn waiting_request(session: &TeamSession, wanted: &str) -> Result<ApprovalRequest, Failure> {
    let found = session.read("the approvals", session.team.approval_requests(wanted))?;
    let mut runs: Vec<&str> = found.iter().map(|request| request.run_id.as_str()).collect();
    runs.dedup();
    match (runs.as_slice(), found.first()) {
        ([], _) | (_, None) => Err(Failure::usage(
            format!("no run `{wanted}` waits for an approval"),
            "`runbook approvals` lists the runs that wait; the waiting run shows the `runbook approve` line to give",
        )),
        ([_], Some(newest)) => still_waiting(newest),
        (many, _) => Err(Failure::usage(
            format!("`{wanted}` matches {} runs; give more of the id", many.len()),
            "`runbook approvals` lists the waiting runs with their whole ids",
        )),
    }
}

/// `request` if its run still waits on it; else what became of it.
fn still_waiting(request: &ApprovalRequest) -> Result<ApprovalRequest, Failure> {
    let refused = |message: String| Failure::Refused { message, hint: None };
    match &request.decision {
        Some(decision) if decision.withdrawn => Err(refused(format!(
            "run {} no longer waits for an approval (it stopped waiting)",
            request.run_id
        ))),
        Some(decision) => Err(refused(format!(
            "run {} was already {} by {}",
            request.run_id,
            if decision.approved { "approved" } else { "rejected" },
            decision.by
        ))),
        None if request.run_status.as_deref().is_some_and(|status| status != "unfinished") => {
            Err(refused(format!(
                "run {} no longer waits for an approval: it ended ({})",
                request.run_id,
                request.run_status.as_deref().unwrap_or_default()
            )))
        }
        None if request
            .expires_at
            .as_deref()
            .is_some_and(|expires| expires < crate::journal::Timestamp::now().as_str()) =>
        {
            Err(refused(format!(
                "run {} stopped waiting for an approval at {}",
                request.run_id,
                request.expires_at.as_deref().unwrap_or_default()
            )))
        }
        None => Ok(request.clone()),
    }
}

/// The approver: the Heroku account of their token, asked of the API the run writes to, and of
/// no other (an approver's identity from another API would let anyone approve as anyone). A run
/// on an API that is not Heroku's is approved only by someone who points at it themselves, so
/// that no token is sent where its owner did not mean to.
fn operator(
    settings: &Settings,
    arguments: &ApproveArguments,
    request: &ApprovalRequest,
) -> Result<String, Failure> {
    let api_url = super::identity::api_url(arguments.api_url.as_ref());
    if canonical_api(&api_url) != canonical_api(&request.api_url) {
        return Err(Failure::Refused {
            message: format!(
                "run {} writes to the API {}, and you would be identified by {api_url}",
                request.run_id, request.api_url
            ),
            hint: Some(format!(
                "approve it with --api-url {} (or HEROKU_API_URL) if you trust that API with your token",
                request.api_url
            )),
        });
    }
    super::identity::account_email(settings, &api_url, "approving")
}

fn decision(approved: bool, by: String, how: &str, reason: Option<String>) -> Decision {
    Decision { approved, withdrawn: false, by, how: how.to_string(), reason, at: String::new() }
}

/// Asks as a protected gate does: the app's name typed at a terminal, or `--confirm APP` off one.
fn decide(
    settings: &Settings,
    arguments: &ApproveArguments,
    request: &ApprovalRequest,
    approver: String,
) -> Result<Decision, Failure> {
    if arguments.reject {
        let reason = arguments
            .reason
            .as_deref()
            .map(|reason| {
                crate::visible::visible(reason.trim(), crate::visible::Layout::Line).into_owned()
            })
            .filter(|reason| !reason.is_empty());
        return Ok(decision(false, approver, "by --reject", reason));
    }
    if let Some(flag) = &arguments.confirm {
        if flag != &request.app {
            let refusal = crate::exec::wrong_confirm(flag, &request.app);
            return Err(Failure::Refused { message: refusal.message(), hint: refusal.hint() });
        }
        return Ok(decision(true, approver, "by --confirm", None));
    }
    typed_approval(settings, request, approver)
}

/// The app's name typed at the terminal, as a protected gate asks for it.
fn typed_approval(
    settings: &Settings,
    request: &ApprovalRequest,
    approver: String,
) -> Result<Decision, Failure> {
    if !settings.interactive {
        return Err(Failure::Refused {
            message: format!(
                "approving a run on `{}` needs its name typed, and there is no terminal to type it",
                request.app
            ),
            hint: Some(format!(
                "pass --confirm {} to approve, or --reject --reason \"...\"",
                request.app
            )),
        });
    }
    let typed = settings.printer.ask_typed(
        &format!("Approve this plan of {} on {}?", request.runbook, request.app),
        &[],
        &request.app,
    );
    match typed {
        Ok(true) => Ok(decision(true, approver, "at the prompt", None)),
        Ok(false) => Err(Failure::Refused {
            message: "the app's name was not typed: the run is not approved".to_string(),
            hint: Some(
                "it keeps waiting until its --approval-timeout; `--reject --reason \"...\"` stops it now".into(),
            ),
        }),
        Err(error) => Err(Failure::Refused {
            message: format!("not approved: {error}"),
            hint: None,
        }),
    }
}
