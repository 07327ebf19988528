//! Running a runbook: steps in order (YAML) or a script (Rhai), confirmations through the Gate,
//! every side effect through the effects it is handed, every event to the Reporter. The
//! executor builds nothing of its own: `commands/run` hands it its effects, target, gate,
//! reporter, runtime handle and Ctrl-C.

mod call;
mod callee;
mod evaluate;
mod execute;
mod failure;
mod fan_out;
mod gate;
mod preflight;
mod reporter;
mod resume;
mod resume_plan;
mod rhai_failures;
mod rhai_flow;
mod rhai_host;
mod rhai_run;
mod run;
mod script_error;
mod step_output;
mod step_preview;
mod steps;
mod team_gate;
mod team_step;
mod write_guard;

pub use execute::execute;
pub use failure::RunEnd;
pub use gate::{ConfirmPolicy, Gate, wrong_confirm};
pub use preflight::check_this_machine;
pub use reporter::Reporter;
pub use resume_plan::{ResumePlan, wrote_outside_steps};
pub use run::{BeforeSummary, Run, RunCounts, Target};
pub use team_gate::{ApprovalNeed, RunIdentity, TeamGate, TeamGateParts};
pub use write_guard::WriteGuard;
