//! The confirmation policy: fail closed off a terminal, typed app name for protected environments.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use super::failure::StepFailure;
use super::interrupt::Interrupt;
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
    interrupt: Interrupt,
    asking_each_step: AtomicBool,
}

/// What the policy decided, and how the answer was given.
struct Decision {
    answer: Answer,
    how: &'static str,
    refusal: Option<Refusal>,
}

impl Gate {
    pub fn new(
        policy: ConfirmPolicy,
        reporter: Arc<Reporter>,
        target: Option<Environment>,
        dry_run: bool,
        interrupt: Interrupt,
    ) -> Self {
        let asking_each_step = AtomicBool::new(policy.step);
        Self {
            policy,
            reporter,
            target,
            dry_run,
            interrupt,
            asking_each_step,
        }
    }

    /// Asks to confirm `message` before step `index` (`step` names it in refusals). Every answer,
    /// and how it was given, is reported, refusals included.
    pub fn confirm(
        &self,
        index: usize,
        step: &str,
        message: &str,
        impact: &[String],
    ) -> Result<(), StepFailure> {
        if self.dry_run {
            self.reporter.emit(&Event::WouldAsk {
                index,
                message: message.to_string(),
                impact: impact.to_vec(),
            });
            return Ok(());
        }
        let decision = self.decide(step, message, impact)?;
        self.reporter.emit(&Event::Confirmation {
            index,
            message: message.to_string(),
            answer: decision.answer,
            how: decision.how,
        });
        match (decision.answer, decision.refusal) {
            (Answer::Accepted, _) => Ok(()),
            (_, Some(refusal)) => Err(StepFailure::NotConfirmed(refusal)),
            (_, None) => Err(StepFailure::NotConfirmed(Refusal {
                message: format!("step `{step}` was not confirmed"),
                hint: None,
            })),
        }
    }

    fn decide(
        &self,
        step: &str,
        message: &str,
        impact: &[String],
    ) -> Result<Decision, StepFailure> {
        let app = self.target.as_ref().map(|target| target.app.as_str());
        if let (Some(flag), Some(app)) = (&self.policy.confirm_app, app) {
            return Ok(if flag == app {
                accepted("confirm_flag")
            } else {
                refused("confirm_flag", wrong_confirm(flag, app))
            });
        }
        let printer = self.reporter.printer();
        match (self.protected(), self.policy.interactive) {
            (true, true) => {
                self.prompted(printer.ask_typed(message, impact, app.unwrap_or_default()))
            }
            (true, false) => Ok(refused("no_terminal", self.protected_refusal(step))),
            (false, _) if self.policy.yes => Ok(accepted("yes_flag")),
            (false, true) => self.prompted(printer.ask_yes_no(message, impact)),
            (false, false) => Ok(refused(
                "no_terminal",
                Refusal {
                    message: format!(
                        "step `{step}` needs confirmation and there is no terminal to ask on"
                    ),
                    hint: Some(
                        "pass --yes to confirm from a script, or run it on a terminal".into(),
                    ),
                },
            )),
        }
    }

    /// The answer typed at a prompt; Ctrl-C there interrupts the run.
    fn prompted(&self, answer: std::io::Result<bool>) -> Result<Decision, StepFailure> {
        match answer {
            Ok(true) => Ok(accepted("prompt")),
            Ok(false) => Ok(Decision {
                answer: Answer::Refused,
                how: "prompt",
                refusal: None,
            }),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {
                self.interrupt.request();
                Err(StepFailure::Interrupted)
            }
            Err(_) => Ok(Decision {
                answer: Answer::Refused,
                how: "prompt",
                refusal: None,
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

fn accepted(how: &'static str) -> Decision {
    Decision {
        answer: Answer::Accepted,
        how,
        refusal: None,
    }
}

fn refused(how: &'static str, refusal: Refusal) -> Decision {
    Decision {
        answer: Answer::Refused,
        how,
        refusal: Some(refusal),
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
