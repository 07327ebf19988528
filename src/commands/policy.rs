//! `runbook team policy [APP --protected|--unprotected --approvals N]`: the team's protection and
//! approval count per app, in the database, which every team run applies on top of its checkout's
//! `environments.yaml` (the stricter of the two). Changing it is itself a protected action: the
//! app's name is typed (or given to `--confirm` off a terminal), and the change is journaled,
//! locally and in the shared journal.

use super::failure::Failure;
use super::team::TeamSession;
use crate::cli::PolicyArguments;
use crate::journal::Event;
use crate::journal::{Record, RunId, Timestamp};
use crate::settings::Settings;
use crate::team::AppPolicy;

pub fn execute(settings: &Settings, arguments: &PolicyArguments) -> Result<(), Failure> {
    let session = super::team::required(settings, "team policy")?;
    match &arguments.app {
        Some(app) if changes_something(arguments) => change(settings, &session, arguments, app),
        Some(_) => Err(Failure::usage(
            "say what to change",
            "--protected, --unprotected or --approvals 0|1",
        )),
        None => list(settings, &session),
    }
}

fn changes_something(arguments: &PolicyArguments) -> bool {
    arguments.protected || arguments.unprotected || arguments.approvals.is_some()
}

fn list(settings: &Settings, session: &TeamSession) -> Result<(), Failure> {
    let policies = session.read("the team's policy", session.team.policies())?;
    let printer = &settings.printer;
    if printer.listed_as_json(&policies) {
        return Ok(());
    }
    if policies.is_empty() {
        printer
            .out_line("the team's policy names no app: each checkout's environments.yaml decides");
        return Ok(());
    }
    let header = ["APP", "PROTECTED", "APPROVALS", "CHANGED BY", "WHEN"].map(String::from);
    let rows: Vec<[String; 5]> = policies
        .iter()
        .map(|policy| {
            [
                policy.app.clone(),
                if policy.protected { "yes" } else { "no" }.to_string(),
                policy.approvals.to_string(),
                policy.changed_by.clone(),
                crate::output::people_time(&policy.changed_at),
            ]
        })
        .collect();
    for line in crate::output::aligned(&header, &rows) {
        printer.out_line(&line);
    }
    printer
        .out_line("a team run applies the stricter of this and its checkout's environments.yaml");
    Ok(())
}

fn change(
    settings: &Settings,
    session: &TeamSession,
    arguments: &PolicyArguments,
    given: &str,
) -> Result<(), Failure> {
    let app = super::app_names::resolve(settings, given)?;
    let current = session
        .run(session.team.policies())
        .map_err(|message| Failure::Access {
            message: format!("cannot read the team's policy: {message}"),
            hint: None,
        })?
        .into_iter()
        .find(|policy| policy.app == app);
    let by = super::identity::account_email(
        settings,
        &super::identity::api_url(arguments.api_url.as_ref()),
        "changing the team's policy",
    )?;
    let policy = AppPolicy {
        app: app.clone(),
        protected: match (arguments.protected, arguments.unprotected) {
            (true, _) => true,
            (_, true) => false,
            _ => current.as_ref().is_some_and(|policy| policy.protected),
        },
        approvals: arguments
            .approvals
            .or(current.as_ref().map(|policy| policy.approvals))
            .unwrap_or(0),
        changed_by: by,
        changed_at: String::new(),
    };
    confirm(settings, arguments, &app, &policy)?;
    session.run(session.team.set_policy(&policy)).map_err(|message| Failure::Access {
        message: format!("cannot change the team's policy: {message}"),
        hint: None,
    })?;
    journal(settings, session, &policy)?;
    settings.printer.out_line(&format!(
        "the team's policy for {app}: {}, {} approval(s); every team run applies it",
        if policy.protected { "protected" } else { "not protected" },
        policy.approvals
    ));
    Ok(())
}

/// A change of the bar is a protected action: the app's name typed, or `--confirm APP`.
fn confirm(
    settings: &Settings,
    arguments: &PolicyArguments,
    app: &str,
    policy: &AppPolicy,
) -> Result<(), Failure> {
    match arguments.confirm.as_deref() {
        Some(flag) if flag == app => return Ok(()),
        Some(flag) => {
            let refusal = crate::exec::wrong_confirm(flag, app);
            return Err(Failure::Refused { message: refusal.message(), hint: refusal.hint() });
        }
        None => {}
    }
    if !settings.interactive {
        return Err(Failure::Refused {
            message: format!(
                "changing the team's policy for `{app}` needs its name typed, and there is no terminal"
            ),
            hint: Some(format!("pass --confirm {app}")),
        });
    }
    let impact = [format!(
        "every team run on {app} will {}, and need {} approval(s), whatever its checkout says",
        if policy.protected { "need its name typed" } else { "follow its checkout's protection" },
        policy.approvals
    )];
    match settings.printer.ask_typed(&format!("Change the team's policy for {app}?"), &impact, app)
    {
        Ok(true) => Ok(()),
        _ => Err(Failure::Refused {
            message: "the app's name was not typed: the policy is unchanged".into(),
            hint: None,
        }),
    }
}

/// The change in the local journal and the shared one.
fn journal(settings: &Settings, session: &TeamSession, policy: &AppPolicy) -> Result<(), Failure> {
    let record = Record {
        run_id: RunId::of_kind("policy"),
        time: Timestamp::now(),
        event: Event::PolicyChanged {
            app: policy.app.clone(),
            protected: policy.protected,
            approvals: policy.approvals,
            by: policy.changed_by.clone(),
        },
    };
    super::local_journal::append(settings, &record)?;
    let masked = serde_json::to_value(&record).unwrap_or_default();
    session.run(session.team.record(&masked)).map_err(|message| Failure::Access {
        message: format!("the change is made, but not in the shared journal: {message}"),
        hint: None,
    })
}
