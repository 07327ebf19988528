//! The confirmation policy: fail closed off a terminal, typed app name for protected environments.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::reporter::Reporter;
use crate::output::event::{Answer, Event};
use crate::output::prompt::StepChoice;
use crate::runbook::environments::Environment;

/// How confirmations may be given in this run.
#[derive(Debug, Clone, Default)]
pub struct ConfirmPolicy {
    /// `--yes`: confirms gates of unprotected environments.
    pub yes: bool,
    /// `--confirm APP`: confirms gates that affect APP, protected or not.
    pub confirm_app: Option<String>,
    /// stdin and stderr are terminals, `--no-input` absent and `CI` unset.
    pub interactive: bool,
    /// `--step`: ask before every step.
    pub step: bool,
}

/// Why a run stopped at a gate.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub message: String,
    pub hint: Option<String>,
}

pub struct Gate {
    policy: ConfirmPolicy,
    reporter: Arc<Reporter>,
    target: Option<Environment>,
    dry_run: bool,
    asking_each_step: AtomicBool,
}

impl Gate {
    pub fn new(
        policy: ConfirmPolicy,
        reporter: Arc<Reporter>,
        target: Option<Environment>,
        dry_run: bool,
    ) -> Self {
        let asking_each_step = AtomicBool::new(policy.step);
        Self {
            policy,
            reporter,
            target,
            dry_run,
            asking_each_step,
        }
    }

    /// Asks to confirm `message` before step `index` (`step` names it in refusals).
    pub fn confirm(
        &self,
        index: usize,
        step: &str,
        message: &str,
        impact: &[String],
    ) -> Result<(), Refusal> {
        if self.dry_run {
            self.reporter.emit(&Event::WouldAsk {
                index,
                message: message.to_string(),
                impact: impact.to_vec(),
            });
            return Ok(());
        }
        let (answer, how) = self.decide(step, message, impact)?;
        self.reporter.emit(&Event::Confirmation {
            index,
            message: message.to_string(),
            answer,
            how,
        });
        match answer {
            Answer::Accepted => Ok(()),
            _ => Err(Refusal {
                message: format!("step `{step}` was not confirmed"),
                hint: None,
            }),
        }
    }

    fn decide(
        &self,
        step: &str,
        message: &str,
        impact: &[String],
    ) -> Result<(Answer, &'static str), Refusal> {
        let app = self.target.as_ref().map(|target| target.app.as_str());
        if let (Some(flag), Some(app)) = (&self.policy.confirm_app, app) {
            return if flag == app {
                Ok((Answer::Accepted, "confirm_flag"))
            } else {
                Err(wrong_confirm(flag, app))
            };
        }
        match (self.protected(), self.policy.interactive) {
            (true, true) => {
                let app = app.unwrap_or_default();
                Ok((
                    answer(self.reporter.printer().ask_typed(message, impact, app)),
                    "prompt",
                ))
            }
            (true, false) => Err(self.protected_refusal(step)),
            (false, _) if self.policy.yes => Ok((Answer::Accepted, "yes_flag")),
            (false, true) => Ok((
                answer(self.reporter.printer().ask_yes_no(message, impact)),
                "prompt",
            )),
            (false, false) => Err(Refusal {
                message: format!(
                    "step `{step}` needs confirmation and there is no terminal to ask on"
                ),
                hint: Some("pass --yes to confirm from a script, or run it on a terminal".into()),
            }),
        }
    }

    fn protected(&self) -> bool {
        self.target.as_ref().is_some_and(|target| target.protected)
    }

    fn protected_refusal(&self, step: &str) -> Refusal {
        let target = self.target.as_ref().expect("protected implies a target");
        let extra = if self.policy.yes {
            " (--yes is not enough for a protected environment)"
        } else {
            ""
        };
        Refusal {
            message: format!(
                "step `{step}` affects `{}`, and {} is protected: it needs the app name{extra}",
                target.app, target.name.value
            ),
            hint: Some(format!(
                "pass --confirm {}, or run it on a terminal and type the name",
                target.app
            )),
        }
    }

    /// With `--step`, asks before a step; `None` means run it without asking.
    pub fn before_step(&self, header: &str) -> Option<StepChoice> {
        if !self.asking_each_step.load(Ordering::Relaxed) {
            return None;
        }
        let choice = self
            .reporter
            .printer()
            .ask_step(header)
            .unwrap_or(StepChoice::Abort);
        if choice == StepChoice::RunAll {
            self.asking_each_step.store(false, Ordering::Relaxed);
        }
        Some(choice)
    }
}

fn answer(result: std::io::Result<bool>) -> Answer {
    match result {
        Ok(true) => Answer::Accepted,
        _ => Answer::Refused,
    }
}

/// `--confirm` that names another app is refused outright.
pub fn wrong_confirm(flag: &str, app: &str) -> Refusal {
    Refusal {
        message: format!("--confirm names `{flag}` but this run affects `{app}`"),
        hint: Some(format!(
            "pass --confirm {app} if you mean to change `{app}`"
        )),
    }
}
