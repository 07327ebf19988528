//! Questions asked on the terminal: a typed app name, yes or no, and the `--step` choice.
//!
//! The questions of a run are asked on a thread of their own while the run's thread watches for
//! Ctrl-C: whatever mode the terminal is in, Ctrl-C ends the question at once (as `Interrupted`),
//! and the terminal is put back as it was.

use std::io;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use dialoguer::theme::SimpleTheme;
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};

use super::printer::Printer;
use super::scripted::Question;
use crate::visible::{Layout, visible};

/// How often a waiting question looks for Ctrl-C.
const WATCH: Duration = Duration::from_millis(25);

/// How many times an app's name may be typed before the question counts as refused.
pub const TYPED_TRIES: usize = 3;

/// The answer to the `--step` question before a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepChoice {
    Run,
    Skip,
    RunAll,
    Abort,
}

impl Printer {
    /// Shows what will be affected, then asks for `expected` to be typed; true only on an exact
    /// match. A mistyped name is said, with what was expected, and asked again, at most
    /// [`TYPED_TRIES`] times in all; an empty answer is a no.
    pub fn ask_typed(&self, message: &str, impact: &[String], expected: &str) -> io::Result<bool> {
        self.show_question(message, impact);
        if let Some(answer) = self.scripted_answer(Question::TypedName) {
            return answer;
        }
        let expected = expected.to_string();
        self.on_terminal(move || {
            for attempt in 1..=TYPED_TRIES {
                let typed: String = Input::with_theme(&SimpleTheme)
                    .with_prompt(format!("Type `{expected}` to confirm"))
                    .allow_empty(true)
                    .interact_text()
                    .map_err(into_io)?;
                let typed = typed.trim();
                if typed == expected {
                    return Ok(true);
                }
                if typed.is_empty() || attempt == TYPED_TRIES {
                    return Ok(false);
                }
                let left = TYPED_TRIES - attempt;
                let _ = console::Term::stderr().write_line(&format!(
                    "  `{}` is not `{expected}`; type the app's name exactly ({left} {} left, Enter alone to refuse)",
                    visible(typed, Layout::Line),
                    if left == 1 { "try" } else { "tries" }
                ));
                discard_typed_ahead();
            }
            Ok(false)
        })
    }

    /// Shows what will be affected, then asks yes or no (no by default); the answer counts only
    /// once Enter is pressed, so that a stray key never sends a write.
    pub fn ask_yes_no(&self, message: &str, impact: &[String]) -> io::Result<bool> {
        self.show_question(message, impact);
        if let Some(answer) = self.scripted_answer(Question::YesNo) {
            return answer;
        }
        self.on_terminal(|| {
            Confirm::with_theme(&SimpleTheme)
                .with_prompt("Proceed?")
                .default(false)
                .wait_for_newline(true)
                .interact()
                .map_err(into_io)
        })
    }

    /// Asks for a param's value: a choice among `choices`, hidden input for a secret, text otherwise.
    pub fn ask_param(
        &self,
        name: &str,
        doc: &str,
        choices: &[String],
        secret: bool,
    ) -> io::Result<String> {
        let prompt = if doc.is_empty() {
            format!("-p {name}")
        } else {
            format!("-p {name} ({})", visible(doc, Layout::Line))
        };
        if self.is_scripted() {
            return Err(io::Error::other(format!(
                "the test gives no value for `{name}`: give it under `params:`"
            )));
        }
        let choices = choices.to_vec();
        let shown: Vec<String> =
            choices.iter().map(|choice| visible(choice, Layout::Line).into_owned()).collect();
        self.on_terminal(move || {
            if !choices.is_empty() {
                let index = Select::with_theme(&SimpleTheme)
                    .with_prompt(prompt)
                    .items(&shown)
                    .default(0)
                    .interact()
                    .map_err(into_io)?;
                return Ok(choices[index].clone());
            }
            if secret {
                return Password::with_theme(&SimpleTheme)
                    .with_prompt(prompt)
                    .interact()
                    .map_err(into_io);
            }
            Input::<String>::with_theme(&SimpleTheme)
                .with_prompt(prompt)
                .interact_text()
                .map_err(into_io)
        })
    }

    /// Picks one of `items`; its position.
    pub fn ask_choice(&self, prompt: &str, items: &[String]) -> std::io::Result<usize> {
        self.suspended(|| {
            Select::with_theme(&SimpleTheme)
                .with_prompt(prompt)
                .items(items)
                .default(0)
                .interact()
                .map_err(into_io)
        })
    }

    /// Picks any of `items` (all chosen to start with); their positions.
    pub fn ask_many(&self, prompt: &str, items: &[String]) -> std::io::Result<Vec<usize>> {
        let all = vec![true; items.len()];
        self.suspended(|| {
            MultiSelect::with_theme(&SimpleTheme)
                .with_prompt(prompt)
                .items(items)
                .defaults(&all)
                .interact()
                .map_err(into_io)
        })
    }

    /// A line of text.
    pub fn ask_text(&self, prompt: &str) -> std::io::Result<String> {
        self.suspended(|| {
            Input::<String>::with_theme(&SimpleTheme)
                .with_prompt(prompt)
                .interact_text()
                .map_err(into_io)
        })
    }

    /// Asks what to do with the next step, showing what it will do (`details`) first.
    pub fn ask_step(&self, header: &str, details: &[String]) -> io::Result<StepChoice> {
        self.show_question(&format!("Next: {header}"), details);
        if let Some(choice) = self.scripted_step() {
            return choice;
        }
        self.on_terminal(|| {
            let choices =
                ["run it", "skip it", "run this and the rest without asking", "abort the run"];
            let index = Select::with_theme(&SimpleTheme)
                .with_prompt("What now?")
                .items(choices)
                .default(0)
                .interact()
                .map_err(into_io)?;
            Ok(match index {
                0 => StepChoice::Run,
                1 => StepChoice::Skip,
                2 => StepChoice::RunAll,
                _ => StepChoice::Abort,
            })
        })
    }

    /// The question and what it is about, on standard error.
    fn show_question(&self, message: &str, impact: &[String]) {
        self.suspended(|| {
            let term = console::Term::stderr();
            let message = visible(message, Layout::Line);
            let _ = term.write_line(&self.shown(&format!("? {message}")));
            for line in impact {
                let line = visible(line, Layout::Line);
                let _ = term.write_line(&self.shown(&format!("    {line}")));
            }
        });
    }

    /// Asks `question` on its own thread; Ctrl-C (seen by the run) ends the wait at once.
    fn on_terminal<T: Send + 'static>(
        &self,
        question: impl FnOnce() -> io::Result<T> + Send + 'static,
    ) -> io::Result<T> {
        discard_typed_ahead();
        let asked = std::time::Instant::now();
        let answer = self.answered(question);
        *self.waited_for_answers.lock().unwrap_or_else(std::sync::PoisonError::into_inner) +=
            asked.elapsed();
        answer
    }

    /// The question asked on its own thread, its answer awaited while Ctrl-C is watched.
    fn answered<T: Send + 'static>(
        &self,
        question: impl FnOnce() -> io::Result<T> + Send + 'static,
    ) -> io::Result<T> {
        let saved = TerminalState::save();
        let interrupt = self.interrupt();
        self.suspended(|| {
            let (sender, answer) = mpsc::channel();
            std::thread::spawn(move || {
                let _ = sender.send(question());
            });
            loop {
                match answer.recv_timeout(WATCH) {
                    // A terminal that went away (SIGHUP) ends the question with an error; the
                    // signal that came with it is what ended it.
                    Ok(Err(_))
                        if interrupt.as_ref().is_some_and(|interrupt| interrupt.is_requested()) =>
                    {
                        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
                    }
                    Ok(answer) => return answer,
                    Err(RecvTimeoutError::Timeout)
                        if interrupt.as_ref().is_some_and(|interrupt| interrupt.is_requested()) =>
                    {
                        saved.restore();
                        let term = console::Term::stderr();
                        let _ = term.show_cursor();
                        let _ = term.write_line("");
                        return Err(io::Error::new(io::ErrorKind::Interrupted, "interrupted"));
                    }
                    Err(RecvTimeoutError::Timeout) => {}
                    Err(RecvTimeoutError::Disconnected) => {
                        return Err(io::Error::other("the question ended without an answer"));
                    }
                }
            }
        })
    }
}

/// The terminal's settings before a question, to put back when the question is abandoned.
struct TerminalState(Option<rustix::termios::Termios>);

impl TerminalState {
    fn save() -> Self {
        Self(rustix::termios::tcgetattr(io::stdin()).ok())
    }

    fn restore(&self) {
        if let Some(state) = &self.0 {
            let _ = rustix::termios::tcsetattr(
                io::stdin(),
                rustix::termios::OptionalActions::Now,
                state,
            );
        }
    }
}

/// Throws away what was typed before a question was shown (an Enter after an earlier `y`, keys
/// pressed while a step ran): an answer is only ever what was typed at its own question.
pub fn discard_typed_ahead() {
    let _ = rustix::termios::tcflush(io::stdin(), rustix::termios::QueueSelector::IFlush);
}

fn into_io(error: dialoguer::Error) -> std::io::Error {
    match error {
        dialoguer::Error::IO(error) => error,
    }
}
