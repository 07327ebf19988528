//! `runbook` as a library: the binary (`main.rs`) is a thin shell over it, and the fuzz targets
//! (`fuzz/`) reach the loaders through [`fuzzing`]. Every other module is private; each layer
//! offers a small facade (`pub use`) to the layers above it.

pub mod cli;
pub mod commands;
pub mod crash;
pub mod fuzzing;

mod authoring;
mod clock;
mod docs;
mod duration;
mod effects;
mod exec;
mod exit;
mod heroku;
mod identifiers;
mod incident;
mod interrupt;
mod journal;
mod lines;
mod local;
mod notify;
mod ops;
mod output;
mod people_time;
mod redact;
mod runbook;
mod script;
mod settings;
mod sim;
mod team;
mod testing;
mod visible;
