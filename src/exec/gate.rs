//! The confirmation policy, decided from the apps each write targets: fail closed off a terminal,
//! and no write to a protected app without its name typed at a prompt or given to `--confirm`,
//! whatever the runbook says. One typed confirmation per app per run is enough.

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use super::failure::{Refusal, StepFailure};
use super::reporter::Reporter;
use crate::identifiers::AppName;
use crate::interrupt::Interrupt;
use crate::journal::{Answer, Event, How};
use crate::output::StepChoice;

/// How confirmations may be given in this run.
#[derive(Debug, Clone, Default)]
pub struct ConfirmPolicy {
    /// `--yes`: confirms gates of unprotected apps.
    pub yes: bool,
    /// `--confirm APP`: confirms gates that affect APP, protected or not.
    pub confirm_app: Option<String>,
    /// Questions can be asked on a terminal.
    pub interactive: bool,
    /// `--step`: ask before every step.
    pub step: bool,
}

pub struct Gate {
    policy: ConfirmPolicy,
    reporter: Arc<Reporter>,
    /// Every app that an environment marked `protected: true` names.
    protected: BTreeSet<AppName>,
    dry_run: bool,
    interrupt: Interrupt,
    asking_each_step: AtomicBool,
    /// Protected apps whose name was typed (or given to `--confirm`) in this run.
    confirmed: Mutex<BTreeSet<AppName>>,
    /// One question on the terminal at a time, whatever thread asks.
    asking: Mutex<()>,
    /// What `--step` just showed of the step it let run: its confirmation does not show it again.
    shown_by_step: Mutex<Vec<String>>,
}

/// What one gate is about: the apps its writes target, and how to show it.
pub struct Question<'a> {
    pub index: usize,
    pub step: &'a str,
    /// The step's own confirmation (`confirm:`, Rhai `confirm()`); `None` for an implicit gate.
    pub message: Option<&'a str>,
    pub apps: Vec<AppName>,
    /// What the prompt shows (app, dynos, requests), computed only when a prompt shows it.
    pub lines: &'a dyn Fn() -> Vec<String>,
}

/// What the policy decided, and how the answer was given.
struct Decision {
    answer: Answer,
    how: How,
    refusal: Option<Refusal>,
}

impl Gate {
    pub fn new(
        policy: ConfirmPolicy,
        reporter: Arc<Reporter>,
        protected: BTreeSet<AppName>,
        dry_run: bool,
        interrupt: Interrupt,
    ) -> Self {
        let asking_each_step = AtomicBool::new(policy.step);
        Self {
            policy,
            reporter,
            protected,
            dry_run,
            interrupt,
            asking_each_step,
            confirmed: Mutex::default(),
            asking: Mutex::default(),
            shown_by_step: Mutex::default(),
        }
    }

    /// Whether questions can be asked on a terminal in this run.
    pub fn is_interactive(&self) -> bool {
        self.policy.interactive
    }

    pub fn is_protected(&self, app: &AppName) -> bool {
        self.protected.contains(app)
    }

    /// Whether a write to `app` may leave: the chokepoint's own check, whatever the caller did.
    pub fn admit(&self, app: &AppName) -> Result<(), Refusal> {
        if !self.is_protected(app) || self.lock_confirmed().contains(app) {
            return Ok(());
        }
        Err(Refusal::not_confirmed(
            format!(
                "refused to send a write to `{app}`: it is protected and its name was not typed or given to --confirm"
            ),
            None,
        ))
    }

    /// `app` must be confirmed again: what the run will send to it was prepared again after a
    /// wait for another operator's run.
    pub fn ask_again(&self, app: &AppName) {
        self.lock_confirmed().remove(app);
    }

    /// Decides a gate before its writes are prepared to leave: the step's own confirmation if it
    /// has one, and the typed name of every protected app not confirmed yet in this run.
    pub fn clear(&self, question: &Question<'_>) -> Result<(), StepFailure> {
        if self.dry_run {
            self.would_ask(question);
            return Ok(());
        }
        let _asking = self.asking.lock().unwrap_or_else(PoisonError::into_inner);
        let unconfirmed = self.unconfirmed(&question.apps);
        let others: Vec<AppName> =
            question.apps.iter().filter(|app| !unconfirmed.contains(app)).cloned().collect();
        let typed_answers_all = self.policy.interactive && !unconfirmed.is_empty();
        if let Some(message) = question.message
            && !typed_answers_all
            && (!others.is_empty() || unconfirmed.is_empty())
        {
            let decision = self.decide_plain(question, message, &others)?;
            self.answer(question, message, decision)?;
        }
        for app in unconfirmed {
            let message = question.message.map_or_else(
                || format!("`{}` writes to `{app}`, which is protected", question.step),
                str::to_string,
            );
            let decision = self.decide_protected(question, &message, &app)?;
            self.answer(question, &message, decision)?;
            self.lock_confirmed().insert(app);
        }
        Ok(())
    }

    /// A confirmation of a step that writes through no operation (`run:`, `script:`, `sh:`),
    /// decided for the run's target app when it has one.
    pub fn confirm(
        &self,
        index: usize,
        step: &str,
        message: &str,
        app: Option<&AppName>,
        lines: &[String],
    ) -> Result<(), StepFailure> {
        let shown = || lines.to_vec();
        self.clear(&Question {
            index,
            step,
            message: Some(message),
            apps: app.into_iter().cloned().collect(),
            lines: &shown,
        })
    }

    fn unconfirmed(&self, apps: &[AppName]) -> Vec<AppName> {
        let confirmed = self.lock_confirmed();
        let mut unconfirmed: Vec<AppName> = apps
            .iter()
            .filter(|app| self.is_protected(app) && !confirmed.contains(*app))
            .cloned()
            .collect();
        unconfirmed.dedup();
        unconfirmed
    }

    /// A dry-run never asks: it says what it would ask.
    fn would_ask(&self, question: &Question<'_>) {
        let unconfirmed = self.unconfirmed(&question.apps);
        if question.message.is_none() && unconfirmed.is_empty() {
            return;
        }
        let mut impact = (question.lines)();
        for app in &unconfirmed {
            impact.push(format!("{app} is protected: its name would have to be typed"));
        }
        let message = question.message.map_or_else(
            || format!("`{}` writes to a protected app", question.step),
            str::to_string,
        );
        self.reporter.emit(&Event::WouldAsk { index: question.index, message, impact });
    }

    /// A gate of unprotected (or already confirmed) apps: the flags, or yes or no.
    fn decide_plain(
        &self,
        question: &Question<'_>,
        message: &str,
        apps: &[AppName],
    ) -> Result<Decision, StepFailure> {
        let flag = self.policy.confirm_app.as_deref();
        let covered_by_flags = |app: &AppName| {
            flag == Some(app.as_str()) || (self.policy.yes && !self.is_protected(app))
        };
        if !apps.is_empty() && apps.iter().all(covered_by_flags) {
            let how = if flag.is_some_and(|flag| apps.iter().any(|app| app.as_str() == flag)) {
                How::ConfirmFlag
            } else {
                How::YesFlag
            };
            return Ok(accepted(how));
        }
        if apps.is_empty() && self.policy.yes {
            return Ok(accepted(How::YesFlag));
        }
        if let Some(flag) = flag
            && let Some(other) = apps.iter().find(|app| !covered_by_flags(app))
            && !self.policy.interactive
        {
            return Ok(refused(How::ConfirmFlag, wrong_confirm(flag, other.as_str())));
        }
        if self.policy.interactive {
            let lines = self.not_shown_yet((question.lines)());
            return self.prompted(self.reporter.printer().ask_yes_no(message, &lines));
        }
        let protected = apps.iter().find(|app| self.is_protected(app));
        Ok(refused(
            How::NoTerminal,
            match protected {
                Some(app) => self.protected_refusal(question.step, app),
                None => Refusal::NotConfirmed {
                    message: format!(
                        "step `{}` needs confirmation and there is no terminal to ask on",
                        question.step
                    ),
                    hint: Some(
                        "pass --yes to confirm from a script, or run it on a terminal".into(),
                    ),
                },
            },
        ))
    }

    /// A protected app nobody confirmed yet: `--confirm APP`, or its name typed at a prompt.
    fn decide_protected(
        &self,
        question: &Question<'_>,
        message: &str,
        app: &AppName,
    ) -> Result<Decision, StepFailure> {
        match self.policy.confirm_app.as_deref() {
            Some(flag) if flag == app.as_str() => return Ok(accepted(How::ConfirmFlag)),
            Some(flag) if !self.policy.interactive => {
                return Ok(refused(How::ConfirmFlag, wrong_confirm(flag, app.as_str())));
            }
            _ => {}
        }
        if !self.policy.interactive {
            // With --yes, the refusal is --yes's: it is not enough for a protected app.
            let how = if self.policy.yes { How::YesFlag } else { How::NoTerminal };
            return Ok(refused(how, self.protected_refusal(question.step, app)));
        }
        let lines = self.not_shown_yet((question.lines)());
        let decision =
            self.prompted(self.reporter.printer().ask_typed(message, &lines, app.as_str()))?;
        Ok(match decision.answer {
            Answer::Accepted => decision,
            Answer::Refused => refused(
                How::Prompt,
                Refusal::not_confirmed(
                    format!(
                        "`{app}` was not typed: step `{}` is not run (a wrong name is asked again, {} times at most; Enter alone refuses)",
                        question.step,
                        crate::output::TYPED_TRIES
                    ),
                    Some(format!("type `{app}` exactly, or pass --confirm {app}")),
                ),
            ),
        })
    }

    /// Reports the answer and turns a refusal into the step's end.
    fn answer(
        &self,
        question: &Question<'_>,
        message: &str,
        decision: Decision,
    ) -> Result<(), StepFailure> {
        self.reporter.emit(&Event::Confirmation {
            index: question.index,
            message: message.to_string(),
            answer: decision.answer,
            how: decision.how,
        });
        match (decision.answer, decision.refusal) {
            (Answer::Accepted, _) => Ok(()),
            (_, Some(refusal)) => Err(StepFailure::NotConfirmed(refusal)),
            (_, None) if question.index == 0 => {
                Err(StepFailure::NotConfirmed(Refusal::NotConfirmed {
                    message: format!("not confirmed, outside any step: {message}"),
                    hint: None,
                }))
            }
            (_, None) => Err(StepFailure::NotConfirmed(Refusal::NotConfirmed {
                message: format!("step `{}` was not confirmed", question.step),
                hint: None,
            })),
        }
    }

    /// The answer typed at a prompt; Ctrl-C there interrupts the run.
    fn prompted(&self, answer: std::io::Result<bool>) -> Result<Decision, StepFailure> {
        match answer {
            Ok(true) => Ok(accepted(How::Prompt)),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {
                self.interrupt.request();
                Err(StepFailure::Interrupted)
            }
            Ok(false) | Err(_) => {
                Ok(Decision { answer: Answer::Refused, how: How::Prompt, refusal: None })
            }
        }
    }

    fn protected_refusal(&self, step: &str, app: &AppName) -> Refusal {
        let extra =
            if self.policy.yes { " (--yes is not enough for a protected environment)" } else { "" };
        Refusal::NotConfirmed {
            message: format!(
                "step `{step}` affects `{app}`, which is protected: it needs the app name{extra}"
            ),
            hint: Some(format!("pass --confirm {app}, or run it on a terminal and type the name")),
        }
    }

    /// With `--step`, asks before a step; `None` means run it without asking. Ctrl-C at the
    /// question interrupts the run.
    pub fn before_step(
        &self,
        header: &str,
        details: &dyn Fn() -> Vec<String>,
    ) -> Result<Option<StepChoice>, StepFailure> {
        if !self.asking_each_step.load(Ordering::Relaxed) {
            return Ok(None);
        }
        let details = details();
        let _asking = self.asking.lock().unwrap_or_else(PoisonError::into_inner);
        let choice = match self.reporter.printer().ask_step(header, &details) {
            Ok(choice) => choice,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {
                self.interrupt.request();
                return Err(StepFailure::Interrupted);
            }
            Err(_) => StepChoice::Abort,
        };
        if choice == StepChoice::RunAll {
            self.asking_each_step.store(false, Ordering::Relaxed);
        }
        *self.shown_by_step.lock().unwrap_or_else(PoisonError::into_inner) = details;
        Ok(Some(choice))
    }

    /// The lines of a question but those `--step` just showed of the same step (said once).
    fn not_shown_yet(&self, lines: Vec<String>) -> Vec<String> {
        let shown =
            std::mem::take(&mut *self.shown_by_step.lock().unwrap_or_else(PoisonError::into_inner));
        if shown.is_empty() {
            return lines;
        }
        let left: Vec<String> = lines.into_iter().filter(|line| !shown.contains(line)).collect();
        if left.is_empty() { vec!["(what it does is shown above)".to_string()] } else { left }
    }

    fn lock_confirmed(&self) -> MutexGuard<'_, BTreeSet<AppName>> {
        self.confirmed.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn accepted(how: How) -> Decision {
    Decision { answer: Answer::Accepted, how, refusal: None }
}

fn refused(how: How, refusal: Refusal) -> Decision {
    Decision { answer: Answer::Refused, how, refusal: Some(refusal) }
}

/// `--confirm` that names another app is refused outright.
pub fn wrong_confirm(flag: &str, app: &str) -> Refusal {
    Refusal::NotConfirmed {
        message: format!("--confirm names `{flag}` but this run affects `{app}`"),
        hint: Some(format!("pass --confirm {app} if you mean to change `{app}`")),
    }
}
