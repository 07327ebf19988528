//! The environment a run targets, and the refusals that can be known before anything is sent.

use crate::commands::failure::Failure;
use crate::exec::{Target, wrong_confirm};
use crate::journal::TargetKind;
use crate::runbook::Environment;
use crate::runbook::Runbook;
use crate::settings::{RunSettings, Target as Destination};

/// The environment a run targets: required when the runbook declares environments.
pub fn choose_target(
    runbook: &Runbook,
    chosen: Option<Environment>,
) -> Result<Option<Target>, Failure> {
    let declared: Vec<&str> =
        runbook.environments.iter().map(|environment| environment.value.as_str()).collect();
    match chosen {
        None if declared.is_empty() => Ok(None),
        None => Err(Failure::usage(
            format!("`{}` runs against an environment", runbook.name),
            format!(
                "run one of: {}",
                declared
                    .iter()
                    .map(|name| format!("`{}-{name}`", runbook.name))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        Some(environment) if declared.contains(&environment.name.value.as_str()) => {
            Ok(Some(Target {
                name: environment.name.value,
                app: environment.app,
                protected: environment.protected,
            }))
        }
        Some(environment) => Err(Failure::usage(
            format!("`{}` does not run against `{}`", runbook.name, environment.name.value),
            if declared.is_empty() {
                "it declares no environments".to_string()
            } else {
                format!("it runs against: {}", declared.join(", "))
            },
        )),
    }
}

/// Refusals that can be known before anything is sent.
pub fn check_policy(run: &RunSettings, target: Option<&Target>) -> Result<(), Failure> {
    if let (Some(flag), Some(target)) = (&run.confirmations.confirm_app, target)
        && flag != target.app.as_str()
    {
        let refusal = wrong_confirm(flag, target.app.as_str());
        return Err(Failure::Refused { message: refusal.message(), hint: refusal.hint() });
    }
    if run.confirmations.step && !run.interactive {
        return Err(Failure::usage(
            "--step needs a terminal to ask on",
            "drop --step, or run it on a terminal without --no-input and CI",
        ));
    }
    Ok(())
}

/// Where the run goes, as the journal records it.
pub fn destination(run: &RunSettings) -> TargetKind {
    match run.target {
        Destination::Sim { .. } => TargetKind::Sim,
        Destination::Heroku { .. } => TargetKind::Heroku,
    }
}
