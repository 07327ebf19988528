//! Rhai, the one expression and script language of runbooks: the sandboxed engine, its per-run
//! budget and its helpers.

pub mod budget;
pub mod engine;
pub mod memory;
pub mod modules;
pub mod value;
