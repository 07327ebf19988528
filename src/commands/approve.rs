//! `runbook approve RUN_ID`: a second operator reads a waiting run's plan and approves it as a
//! protected gate is confirmed (the app's name typed, or `--confirm APP` off a terminal), or
//! rejects it. Nobody approves their own run.

use super::failure::Failure;
use crate::cli::ApproveArguments;
use crate::settings::Settings;
use crate::team::{ApprovalRequest, Decision, Team, canonical_api};

pub fn execute(settings: &Settings, arguments: &ApproveArguments) -> Result<(), Failure> {
    let team = super::team::required(settings, "approve")?;
    let request = waiting_request(&team, &arguments.run_id)?;
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
    show_plan(settings, &request);
    let decision = decide(settings, arguments, &request, approver)?;
    let counted = team
        .decide(&request.run_id, &decision)
        .map_err(|message| Failure::Access {
            message: format!("cannot record the decision: {message}"),
            hint: None,
        })?;
    if !counted {
        return Err(Failure::Refused {
            message: format!(
                "run {} was decided by someone else a moment ago",
                request.run_id
            ),
            hint: None,
        });
    }
    let word = if decision.approved {
        "approved"
    } else {
        "rejected"
    };
    settings.printer.out_line(&format!(
        "{word} run {} ({} on {})",
        request.run_id, request.runbook, request.app
    ));
    Ok(())
}

/// The one undecided request whose run id starts with `wanted`.
fn waiting_request(team: &Team, wanted: &str) -> Result<ApprovalRequest, Failure> {
    let found = team
        .approval_requests(wanted)
        .map_err(|message| Failure::Access {
            message: format!("cannot read the approvals: {message}"),
            hint: None,
        })?;
    match found.as_slice() {
        [] => Err(Failure::usage(
            format!("no run `{wanted}` waits for an approval"),
            "the waiting run prints its id and the `runbook approve` line to give",
        )),
        [request] => match &request.decision {
            Some(decision) if decision.withdrawn => Err(Failure::Refused {
                message: format!(
                    "run {} no longer waits for an approval (it stopped waiting)",
                    request.run_id
                ),
                hint: None,
            }),
            None if request
                .run_status
                .as_deref()
                .is_some_and(|status| status != "unfinished") =>
            {
                Err(Failure::Refused {
                    message: format!(
                        "run {} no longer waits for an approval: it ended ({})",
                        request.run_id,
                        request.run_status.as_deref().unwrap_or_default()
                    ),
                    hint: None,
                })
            }
            Some(decision) => Err(Failure::Refused {
                message: format!(
                    "run {} was already {} by {}",
                    request.run_id,
                    if decision.approved {
                        "approved"
                    } else {
                        "rejected"
                    },
                    decision.by
                ),
                hint: None,
            }),
            None => Ok(request.clone()),
        },
        many => Err(Failure::usage(
            format!(
                "`{wanted}` matches {} runs; give more of the id",
                many.len()
            ),
            "the waiting run prints its whole id",
        )),
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

fn show_plan(settings: &Settings, request: &ApprovalRequest) {
    let printer = &settings.printer;
    printer.out_line(&format!(
        "run {}: {} on {}, by {} since {}",
        request.run_id, request.runbook, request.app, request.requested_by, request.requested_at
    ));
    for line in &request.plan {
        printer.out_line(&format!("  {line}"));
    }
}

/// Asks as a protected gate does: the app's name typed at a terminal, or `--confirm APP` off one.
fn decide(
    settings: &Settings,
    arguments: &ApproveArguments,
    request: &ApprovalRequest,
    approver: String,
) -> Result<Decision, Failure> {
    if arguments.reject {
        return Ok(Decision {
            approved: false,
            withdrawn: false,
            by: approver,
            how: "by --reject".to_string(),
        });
    }
    if let Some(flag) = &arguments.confirm {
        if flag != &request.app {
            let refusal = crate::exec::wrong_confirm(flag, &request.app);
            return Err(Failure::Refused {
                message: refusal.message,
                hint: refusal.hint,
            });
        }
        return Ok(Decision {
            approved: true,
            withdrawn: false,
            by: approver,
            how: "by --confirm".to_string(),
        });
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
                "pass --confirm {} to approve, or --reject",
                request.app
            )),
        });
    }
    let typed = settings.printer.ask_typed(
        &format!("Approve {} on {}?", request.runbook, request.app),
        &[],
        &request.app,
    );
    match typed {
        Ok(true) => Ok(Decision {
            approved: true,
            withdrawn: false,
            by: approver,
            how: "at the prompt".to_string(),
        }),
        Ok(false) => Err(Failure::Refused {
            message: "the app's name was not typed: the run is not approved".to_string(),
            hint: Some(
                "it keeps waiting until its --approval-timeout; `--reject` stops it now".into(),
            ),
        }),
        Err(error) => Err(Failure::Refused {
            message: format!("not approved: {error}"),
            hint: None,
        }),
    }
}
