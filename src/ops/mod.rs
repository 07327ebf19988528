//! The operations catalogue: every Heroku operation a runbook can call, defined once.
//!
//! YAML `do:` steps, Rhai `heroku::` functions, `check`, `show` and the dry-run renderer all read
//! the same table; the implementations live beside it, one file per resource.

pub mod arguments;
pub mod catalogue;
pub mod check_app;
pub mod deploy;
pub mod dynos;
pub mod effect;
pub mod git_push;
pub mod invoke;
pub mod log_line;
pub mod logs;
pub mod one_off;
pub mod promote;
pub mod reads;
pub mod shell;
pub mod writes;

pub use catalogue::{CATALOGUE, Operation, find};
pub use effect::Effect;
