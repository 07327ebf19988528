//! Running a runbook: steps in order, confirmations through the Gate, events to the Printer.

pub mod call;
pub mod compose;
pub mod evaluate;
pub mod failure;
pub mod fan_out;
pub mod gate;
pub mod host;
pub mod host_flow;

pub mod launch;
pub mod params;
pub mod reporter;
pub mod resume;
pub mod run;
pub mod script;
pub mod steps;
pub mod write_guard;

pub use failure::RunEnd;
pub use gate::Gate;
pub use run::Run;
