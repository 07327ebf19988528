//! The answers `runbook test` gives at a rehearsal's questions, in place of a person at the
//! terminal. They exist only in a rehearsal under test (`settings::UnderTest` lives inside the
//! simulator target), and each is shown under its question as a person's answer would be.

use std::collections::VecDeque;
use std::io;
use std::sync::PoisonError;

use super::printer::Printer;
use super::prompt::StepChoice;

/// One answer, in the order the questions come.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScriptedAnswer {
    /// Yes, at a yes-or-no question (or "run it" before a step).
    Confirm,
    /// The app's name, typed where it must be.
    Type,
    /// No, or Enter alone (or "skip it" before a step).
    Decline,
    /// Ctrl-C.
    Interrupt,
}

impl ScriptedAnswer {
    pub fn name(self) -> &'static str {
        match self {
            Self::Confirm => "confirm",
            Self::Type => "type",
            Self::Decline => "decline",
            Self::Interrupt => "interrupt",
        }
    }
}

/// The kind of question asked, to check the answer fits it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Question {
    YesNo,
    TypedName,
    Step,
}

impl Printer {
    /// From now on, questions are answered with `answers`, in order, and not on the terminal.
    pub fn script_answers(&self, answers: &[ScriptedAnswer]) {
        *self.scripted_answers() = Some(answers.iter().copied().collect());
    }

    /// The next scripted answer for `question`, when answers are scripted: `Some(Ok(true))` for
    /// yes, `Some(Ok(false))` for no (an answer of the wrong kind, or none left, is a no, said on
    /// screen), `Some(Err(Interrupted))` for Ctrl-C.
    pub(super) fn scripted_answer(&self, question: Question) -> Option<io::Result<bool>> {
        let next = {
            let mut scripted = self.scripted_answers();
            let queue: &mut VecDeque<ScriptedAnswer> = scripted.as_mut()?;
            queue.pop_front()
        };
        Some(self.answer_with(question, next))
    }

    /// The step choice a scripted answer stands for.
    pub(super) fn scripted_step(&self) -> Option<io::Result<StepChoice>> {
        self.scripted_answer(Question::Step)
            .map(|answer| answer.map(|yes| if yes { StepChoice::Run } else { StepChoice::Skip }))
    }

    fn answer_with(&self, question: Question, answer: Option<ScriptedAnswer>) -> io::Result<bool> {
        let Some(answer) = answer else {
            self.answer_line("(the test gives no more answers: refused)");
            return Ok(false);
        };
        let fits = matches!(
            (question, answer),
            (Question::YesNo | Question::Step, ScriptedAnswer::Confirm)
                | (Question::TypedName, ScriptedAnswer::Type)
        );
        match answer {
            ScriptedAnswer::Interrupt => {
                self.answer_line("^C (the test's answer)");
                if let Some(interrupt) = self.interrupt() {
                    interrupt.request();
                }
                Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"))
            }
            ScriptedAnswer::Decline => {
                self.answer_line("no (the test's answer)");
                Ok(false)
            }
            _ if fits => {
                self.answer_line(&format!("{} (the test's answer)", answer.name()));
                Ok(true)
            }
            _ => {
                let wanted = match question {
                    Question::TypedName => "`type`",
                    Question::YesNo | Question::Step => "`confirm`",
                };
                self.answer_line(&format!(
                    "the test answered `{}` where this question takes {wanted}: refused",
                    answer.name()
                ));
                Ok(false)
            }
        }
    }

    /// The scripted answers no question took, by name.
    pub fn unused_answers(&self) -> Vec<&'static str> {
        self.scripted_answers().iter().flatten().map(|answer| answer.name()).collect()
    }

    /// Whether questions are answered by a test.
    pub(super) fn is_scripted(&self) -> bool {
        self.scripted_answers().is_some()
    }

    fn answer_line(&self, text: &str) {
        self.suspended(|| {
            let _ = console::Term::stderr().write_line(&format!("  > {text}"));
        });
    }

    fn scripted_answers(&self) -> std::sync::MutexGuard<'_, Option<VecDeque<ScriptedAnswer>>> {
        self.scripted.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
