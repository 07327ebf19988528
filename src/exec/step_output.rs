//! Where the operations of a step report: progress and lines to the reporter, and the run's
//! terminal lent to an attached dyno (its spinner cleared first).

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::run::Run;
use crate::heroku::rendezvous::DynoStream;
use crate::journal::Event;
use crate::ops::{OperationOutput, Terminal, TerminalInfo};

type Report<T> = Box<dyn Fn(T) + Send + Sync>;

/// The reporter, as an operation's output for one step.
pub struct StepOutput {
    progress: Box<dyn Fn(u64, u64, String) + Send + Sync>,
    line: Report<String>,
    detail: Report<String>,
    interrupt: crate::interrupt::Interrupt,
    terminal: RunTerminal,
}

/// The run's terminal, through the Printer that owns it.
struct RunTerminal(Arc<crate::output::Printer>);

impl StepOutput {
    pub fn view(&self) -> OperationOutput<'_> {
        OperationOutput {
            progress: &*self.progress,
            line: &*self.line,
            detail: &*self.detail,
            interrupt: &self.interrupt,
            terminal: &self.terminal,
        }
    }
}

impl Terminal for RunTerminal {
    fn attach<'a>(
        &'a self,
        stream: DynoStream,
        marker: &'a str,
    ) -> BoxFuture<'a, std::io::Result<Option<i32>>> {
        self.0.release_terminal();
        Box::pin(crate::output::attach_terminal(stream, marker))
    }
}

impl Run {
    /// Where an operation of step `index` reports: progress and lines to the reporter.
    pub fn output(&self, index: usize) -> StepOutput {
        let progress_reporter = Arc::clone(&self.reporter);
        let line_reporter = Arc::clone(&self.reporter);
        let detail_reporter = Arc::clone(&self.reporter);
        StepOutput {
            progress: Box::new(move |done: u64, total: u64, message: String| {
                progress_reporter.emit(&Event::StepProgress { index, done, total, message });
            }),
            line: Box::new(move |line: String| {
                line_reporter.emit(&Event::LogLine { index, line, detail: false });
            }),
            detail: Box::new(move |line: String| {
                detail_reporter.emit(&Event::LogLine { index, line, detail: true });
            }),
            interrupt: self.interrupt.clone(),
            terminal: RunTerminal(Arc::clone(self.reporter.printer())),
        }
    }

    /// The terminal's type and size, for an attached dyno.
    pub fn terminal_info(&self) -> TerminalInfo {
        let (rows, columns) = crate::output::terminal_size();
        TerminalInfo { kind: self.terminal_kind.clone(), rows, columns }
    }
}
