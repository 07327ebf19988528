//! Running a runbook: steps in order, confirmations through the Gate, events to the Printer.

pub mod evaluate;
pub mod gate;
pub mod host;
pub mod launch;
pub mod params;
pub mod reporter;
pub mod run;
pub mod script;
pub mod steps;

pub use gate::{ConfirmPolicy, Gate};
pub use run::{Run, RunEnd};
