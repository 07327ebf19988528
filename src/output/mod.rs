//! Everything the user sees: the one Printer, its events, prompts and rendered diagnostics.
//!
//! This is the only module that writes to the terminal.

pub mod diagnostics;
pub mod event;
pub mod human;
pub mod printer;
pub mod prompt;
pub mod redact;
pub mod terminal;

pub use event::Event;
pub use printer::{OutputFormat, Printer};
