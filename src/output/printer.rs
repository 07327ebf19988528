//! The Printer: every line the program shows goes through here, as text or as JSON events.

use std::collections::{HashMap, VecDeque};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::human;
use crate::journal::{Event, StepStatus};
use crate::redact::Redactor;
use crate::runbook::Diagnostic;
use crate::visible::{Layout, for_terminal, visible, visible_value};

/// How many detail lines of a step are kept to show if it fails.
const KEPT_DETAILS: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputFormat {
    /// Lines for people; progress spinners on a terminal.
    Human,
    /// One JSON event per line on standard output.
    Json,
}

pub struct Printer {
    format: OutputFormat,
    redactor: Arc<Redactor>,
    terminal: bool,
    color: bool,
    /// `--verbose`: the raw lines of long reads, each request of a rehearsal.
    verbose: bool,
    /// The last step that failed and its error, as shown: the run's summary does not repeat it.
    failed_step: Mutex<Option<(String, String)>>,
    /// The lines of the last finished step's result that say what to do after the run (`next:
    /// ...`, `to undo: ...`), not shown yet: if the run then ends well they are its last lines,
    /// where they stay on screen; anything else happening first shows them in their place.
    withheld: Mutex<Vec<String>>,
    /// The run is a dry-run: what it would have done next is no advice after its end.
    dry_run: std::sync::atomic::AtomicBool,
    /// The last detail lines of each step under way, shown if it fails.
    details: Mutex<HashMap<usize, VecDeque<String>>>,
    spinner: Mutex<Option<ProgressBar>>,
    /// The run's Ctrl-C, which ends a question on screen.
    interrupt: Mutex<Option<crate::interrupt::Interrupt>>,
    /// How long the questions asked so far waited for their answers, in all.
    pub(super) waited_for_answers: Mutex<std::time::Duration>,
    /// `runbook test`'s answers, when a rehearsal under test asks its questions.
    pub(super) scripted: Mutex<Option<VecDeque<super::scripted::ScriptedAnswer>>>,
}

impl Printer {
    pub fn new(format: OutputFormat, color: bool, verbose: bool) -> Self {
        let terminal = std::io::stderr().is_terminal();
        console::set_colors_enabled(color);
        console::set_colors_enabled_stderr(color);
        Self {
            format,
            redactor: Arc::new(Redactor::default()),
            terminal,
            color,
            verbose,
            details: Mutex::new(HashMap::new()),
            failed_step: Mutex::new(None),
            withheld: Mutex::new(Vec::new()),
            dry_run: std::sync::atomic::AtomicBool::new(false),
            spinner: Mutex::new(None),
            interrupt: Mutex::new(None),
            scripted: Mutex::new(None),
            waited_for_answers: Mutex::new(std::time::Duration::ZERO),
        }
    }

    /// From now on, Ctrl-C seen by `interrupt` ends any question on screen.
    pub fn watch_interrupt(&self, interrupt: crate::interrupt::Interrupt) {
        *self.interrupt.lock().unwrap_or_else(PoisonError::into_inner) = Some(interrupt);
    }

    pub(super) fn interrupt(&self) -> Option<crate::interrupt::Interrupt> {
        self.interrupt.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// How long the questions asked so far waited for their answers, in all: a step's time does
    /// not count the seconds its operator took to answer.
    pub fn time_at_questions(&self) -> std::time::Duration {
        *self.waited_for_answers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub fn format(&self) -> OutputFormat {
        self.format
    }

    /// The secrets this printer masks; the journal shares them.
    pub fn redactor(&self) -> &Arc<Redactor> {
        &self.redactor
    }

    /// Shows one event of a run.
    pub fn emit(&self, event: &Event) {
        if self.format == OutputFormat::Json {
            self.json(event);
            return;
        }
        if !self.verbose && self.keep_detail(event) {
            return;
        }
        self.show_withheld_before(event);
        self.show_kept_details(event);
        if self.terminal {
            self.live(event);
        } else {
            for line in self.render(event) {
                self.err_line(&line);
            }
        }
    }

    /// The lines of `event`; a run's end that repeats the error of the step just shown names
    /// that step instead.
    fn render(&self, event: &Event) -> Vec<String> {
        let mut failed = self.failed_step.lock().unwrap_or_else(PoisonError::into_inner);
        match event {
            Event::StepFinished { error: Some(error), status: StepStatus::Failed, .. } => {
                *failed = Some((human::step_header(event, false), error.clone()))
            }
            Event::RunFinished { error, .. } => {
                let step = failed
                    .as_ref()
                    .filter(|(_, shown)| Some(shown) == error.as_ref())
                    .map(|(step, _)| step.as_str());
                let mut lines = human::run_finished(event, self.color, step);
                lines.append(&mut self.take_withheld());
                return lines;
            }
            Event::RunStarted { mode, .. } => {
                self.dry_run.store(
                    *mode == crate::journal::RunMode::DryRun,
                    std::sync::atomic::Ordering::Relaxed,
                );
                return human::run_started(event, self.color, self.width());
            }
            Event::StepFinished { .. } => {
                let (event, words) = human::without_last_words(event);
                *self.withheld.lock().unwrap_or_else(PoisonError::into_inner) = words;
                return human::lines(&event, self.color, self.verbose);
            }
            _ => {}
        }
        human::lines(event, self.color, self.verbose)
    }

    /// Shows the withheld last words in their place (indented as their step's result was),
    /// unless `event` is the end of a run that went well (or the request summary just before
    /// it): a run that failed, stopped or only planned gives no advice after its end.
    fn show_withheld_before(&self, event: &Event) {
        let dry_run = self.dry_run.load(std::sync::atomic::Ordering::Relaxed);
        let kept = match event {
            Event::SimulatorRequests { .. } => !dry_run,
            Event::RunFinished { status, plan, .. } => {
                *status == crate::journal::RunStatus::Succeeded && plan.is_empty() && !dry_run
            }
            _ => false,
        };
        if !kept {
            for line in self.take_withheld() {
                self.err_line(&format!("    {line}"));
            }
        }
    }

    fn take_withheld(&self) -> Vec<String> {
        std::mem::take(&mut *self.withheld.lock().unwrap_or_else(PoisonError::into_inner))
    }

    /// The terminal's width, when a person reads standard error on one.
    fn width(&self) -> Option<usize> {
        self.terminal
            .then(|| console::Term::stderr().size().1 as usize)
            .filter(|columns| *columns > 0)
    }

    /// Keeps a detail line (not shown without `--verbose`); whether `event` was one.
    fn keep_detail(&self, event: &Event) -> bool {
        let Event::LogLine { index, line, detail: true } = event else {
            return false;
        };
        let mut details = self.details.lock().unwrap_or_else(PoisonError::into_inner);
        let kept = details.entry(*index).or_default();
        if kept.len() == KEPT_DETAILS {
            kept.pop_front();
        }
        kept.push_back(line.clone());
        true
    }

    /// When a step fails, the last detail lines it read come before its result: what went wrong
    /// is usually there.
    fn show_kept_details(&self, event: &Event) {
        let Event::StepFinished { index, status, .. } = event else {
            return;
        };
        let kept = self.details.lock().unwrap_or_else(PoisonError::into_inner).remove(index);
        if let Some(kept) = kept.filter(|_| *status == StepStatus::Failed) {
            self.err_line(&format!("    the last {} lines read:", kept.len()));
            for line in kept {
                self.err_line(&format!("      {line}"));
            }
        }
    }

    /// A runbook diagnostic, on standard error (or as an event in JSON mode).
    pub fn diagnostic(&self, diagnostic: &Diagnostic) {
        if self.format == OutputFormat::Json {
            let (line, column) = diagnostic.line_and_column();
            self.json(&Event::Diagnostic {
                severity: match diagnostic.severity {
                    crate::runbook::Severity::Error => "error",
                    crate::runbook::Severity::Warning => "warning",
                }
                .to_string(),
                file: diagnostic.source.display_path(),
                line,
                column,
                message: diagnostic.message.clone(),
                hint: diagnostic.hint.clone(),
            });
            return;
        }
        self.err_line(super::diagnostics::render(diagnostic, self.color).trim_end());
    }

    /// Something the user should know before going on, on standard error.
    pub fn warning(&self, message: &str, hint: Option<&str>) {
        if self.format == OutputFormat::Json {
            return;
        }
        let message = visible(message, Layout::Lines);
        let hint = hint.map(|hint| visible(hint, Layout::Lines));
        self.err_line(&human::warning_lines(&message, hint.as_deref(), self.color));
    }

    /// A failure that is not tied to a runbook line.
    pub fn error(&self, message: &str, hint: Option<&str>) {
        if self.format == OutputFormat::Json {
            self.json(&Event::Error { message: message.to_string(), hint: hint.map(String::from) });
            return;
        }
        let message = visible(message, Layout::Lines);
        let hint = hint.map(|hint| visible(hint, Layout::Lines));
        self.err_line(&human::error_lines(&message, hint.as_deref(), self.color));
    }

    /// Output that is the command's result (`list`, `show`, `check`), on standard output: never
    /// coloured, so whatever a terminal would act on in it, colour codes too, is written out.
    pub fn out_line(&self, line: &str) {
        self.stdout_line(&visible(line, Layout::Lines));
    }

    /// With `--output json`, each item as a JSON line, and true: the listing is printed. Else
    /// nothing, and false: the command prints its table.
    pub fn listed_as_json<T: serde::Serialize>(&self, items: &[T]) -> bool {
        if self.format != OutputFormat::Json {
            return false;
        }
        for item in items {
            self.out_json(item);
        }
        true
    }

    /// A value that is the command's result, as one JSON line on standard output.
    pub fn out_json(&self, value: &impl serde::Serialize) {
        if let Ok(mut value) = serde_json::to_value(value) {
            visible_value(&mut value);
            self.stdout_line(&self.redactor.json_line(&value));
        }
    }

    /// One line on standard output, every secret masked: the last step of everything shown there.
    fn stdout_line(&self, line: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{}", self.redactor.apply(line));
    }

    /// Clears any spinner: the terminal is about to be used by something else (an attached dyno).
    pub fn release_terminal(&self) {
        self.finish_spinner();
    }

    /// A whole text on standard output, as it is (generated documents).
    pub fn out_text(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = stdout.write_all(self.redactor.apply(&visible(text, Layout::Lines)).as_bytes());
    }

    /// Runs a prompt with any spinner hidden while it shows.
    pub fn suspended<T>(&self, prompt: impl FnOnce() -> T) -> T {
        match self.lock().as_ref() {
            Some(spinner) => spinner.suspend(prompt),
            None => prompt(),
        }
    }

    /// One event as a JSON line, with its time as the journal records it.
    fn json(&self, event: &Event) {
        if let Ok(mut value) = serde_json::to_value(event) {
            if let Some(fields) = value.as_object_mut() {
                let time = humantime::format_rfc3339_millis(std::time::SystemTime::now());
                fields.insert("time".into(), time.to_string().into());
            }
            visible_value(&mut value);
            self.stdout_line(&self.redactor.json_line(&value));
        }
    }

    fn err_line(&self, line: &str) {
        let spinner = self.lock();
        match spinner.as_ref() {
            Some(spinner) => spinner.suspend(|| self.write_stderr(line)),
            None => self.write_stderr(line),
        }
    }

    /// Terminal rendering: a spinner while a step runs, a line when it ends.
    fn live(&self, event: &Event) {
        match event {
            Event::StepStarted { .. } => {
                self.finish_spinner();
                let spinner = ProgressBar::new_spinner().with_style(spinner_style());
                spinner.set_message(
                    self.redactor
                        .apply(&for_terminal(&human::step_header(event, self.color)))
                        .into_owned(),
                );
                spinner.enable_steady_tick(Duration::from_millis(100));
                *self.lock() = Some(spinner);
            }
            Event::StepProgress { message, .. } => {
                if let Some(spinner) = self.lock().as_ref() {
                    let header = spinner.message();
                    let base = header.split("  ·  ").next().unwrap_or_default().to_string();
                    let message = visible(message, Layout::Line);
                    spinner.set_message(
                        self.redactor
                            .apply(&for_terminal(&format!("{base}  ·  {message}")))
                            .into_owned(),
                    );
                }
            }
            Event::StepFinished { .. } | Event::StepSkipped { .. } | Event::RunFinished { .. } => {
                self.finish_spinner();
                for line in self.render(event) {
                    self.write_stderr(&line);
                }
            }
            _ => {
                for line in self.render(event) {
                    self.err_line(&line);
                }
            }
        }
    }

    fn finish_spinner(&self) {
        if let Some(spinner) = self.lock().take() {
            spinner.finish_and_clear();
        }
    }

    /// One line on standard error: written out where a terminal would act on it, every secret
    /// masked. Everything the program shows there passes here.
    fn write_stderr(&self, line: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{}", self.redactor.apply(&for_terminal(line)));
    }

    /// `text` as it may be shown on the terminal, every secret masked (for prompts).
    pub(super) fn shown(&self, text: &str) -> String {
        self.redactor.apply(&for_terminal(text)).into_owned()
    }

    fn lock(&self) -> MutexGuard<'_, Option<ProgressBar>> {
        self.spinner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Text about the command line itself (clap's usage errors, help and version, uncoloured), before
/// any Printer exists: on standard error or output, whatever a terminal would act on written out.
pub fn command_line_text(text: &str, to_stderr: bool) {
    let shown = visible(text, Layout::Lines);
    if to_stderr {
        let _ = std::io::stderr().lock().write_all(shown.as_bytes());
    } else {
        let _ = std::io::stdout().lock().write_all(shown.as_bytes());
    }
}

impl Drop for Printer {
    /// A run that ended without its end event (a crash) still shows what its last step said.
    fn drop(&mut self) {
        self.finish_spinner();
        for line in self.take_withheld() {
            self.write_stderr(&format!("    {line}"));
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {elapsed:.dim}")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}
