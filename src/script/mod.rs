//! Rhai, the one expression and script language of runbooks: the sandboxed engine and its helpers.

pub mod engine;
pub mod modules;
pub mod value;
