//! The exit codes of the command line, in one place: 0 done, 1 a step failed, 2 usage or invalid
//! runbook, 3 not confirmed or refused, 4 credentials or API unreachable, 130 interrupted, and
//! 101 for a bug in runbook.

pub const SUCCESS: u8 = 0;
pub const STEP_FAILED: u8 = 1;
pub const USAGE: u8 = 2;
pub const NOT_CONFIRMED: u8 = 3;
pub const UNREACHABLE: u8 = 4;
pub const INTERRUPTED: u8 = 130;
pub const CRASHED: u8 = 101;
