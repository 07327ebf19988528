//! Everything the user sees: the one Printer, its events, prompts and rendered diagnostics.
//!
//! This is the only module that writes to the terminal.

// The one place that writes to standard output and standard error (clippy.toml forbids it
// everywhere else).
#![allow(clippy::disallowed_macros, clippy::disallowed_methods)]

mod diagnostics;
mod given_params;
mod history;
mod human;
mod list;
mod printer;
mod prompt;
mod scripted;
mod show;
mod table;
mod terminal;

pub use crate::people_time::{age, people_time, people_time_to_the_second};
pub use diagnostics::render as render_diagnostic;
pub use given_params::given_params;
pub use history::{
    RunHead, RunRow, event_line as history_line, head as history_head, table as history_table,
};
pub use list::{ListedRunbook, ListedTarget, list_lines};
pub use printer::{OutputFormat, Printer, command_line_text};
pub use prompt::{StepChoice, TYPED_TRIES};
pub use scripted::ScriptedAnswer;
pub use show::runbook_lines;
pub use table::aligned;
pub use terminal::{
    attach as attach_terminal, size as terminal_size, stderr_is_terminal, stdout_width,
    write_crash_report,
};
