//! Questions asked on the terminal: a typed app name, yes or no, and the `--step` choice.

use dialoguer::theme::SimpleTheme;
use dialoguer::{Confirm, Input, MultiSelect, Password, Select};

use super::printer::Printer;

/// The answer to the `--step` question before a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepChoice {
    Run,
    Skip,
    RunAll,
    Abort,
}

impl Printer {
    /// Shows what will be affected, then asks for `expected` to be typed; true only on an exact match.
    pub fn ask_typed(
        &self,
        message: &str,
        impact: &[String],
        expected: &str,
    ) -> std::io::Result<bool> {
        self.suspended(|| {
            show_question(message, impact);
            let typed: String = Input::with_theme(&SimpleTheme)
                .with_prompt(format!("Type `{expected}` to confirm"))
                .allow_empty(true)
                .interact_text()
                .map_err(into_io)?;
            Ok(typed.trim() == expected)
        })
    }

    /// Shows what will be affected, then asks yes or no (no by default).
    pub fn ask_yes_no(&self, message: &str, impact: &[String]) -> std::io::Result<bool> {
        self.suspended(|| {
            show_question(message, impact);
            Confirm::with_theme(&SimpleTheme)
                .with_prompt("Proceed?")
                .default(false)
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
    ) -> std::io::Result<String> {
        self.suspended(|| {
            let prompt = if doc.is_empty() {
                format!("-p {name}")
            } else {
                format!("-p {name} ({doc})")
            };
            if !choices.is_empty() {
                let index = Select::with_theme(&SimpleTheme)
                    .with_prompt(prompt)
                    .items(choices)
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
    pub fn ask_step(&self, header: &str, details: &[String]) -> std::io::Result<StepChoice> {
        self.suspended(|| {
            let term = console::Term::stderr();
            for line in details {
                let _ = term.write_line(&format!("    {}", self.redactor().apply(line)));
            }
            let choices = [
                "run it",
                "skip it",
                "run this and the rest without asking",
                "abort the run",
            ];
            let index = Select::with_theme(&SimpleTheme)
                .with_prompt(format!("Next: {header}"))
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
}

fn show_question(message: &str, impact: &[String]) {
    let term = console::Term::stderr();
    let _ = term.write_line(&format!("? {message}"));
    for line in impact {
        let _ = term.write_line(&format!("    {line}"));
    }
}

fn into_io(error: dialoguer::Error) -> std::io::Error {
    match error {
        dialoguer::Error::IO(error) => error,
    }
}
