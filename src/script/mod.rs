//! Rhai, the one expression and script language of runbooks: the sandboxed engine, its per-run
//! budget and its helpers.

mod budget;
mod engine;
mod memory;
mod modules;
pub mod value;

pub use budget::Budget;
pub use engine::{MAX_CALL_LEVELS, MAX_MODULES, for_validation, sandboxed};
pub use modules::{CheckedModules, module_file};
