//! `runbook` as a library: the binary (`main.rs`) is a thin shell over it, and the fuzz targets
//! (`fuzz/`) reach the loaders through [`fuzzing`].

pub mod authoring;
pub mod cli;
pub mod commands;
pub mod crash;
pub mod docs;
pub mod duration;
pub mod effects;
pub mod error;
pub mod exec;
pub mod fuzzing;
pub mod heroku;
pub mod identifiers;
pub mod interrupt;
pub mod journal;
pub mod local;
pub mod ops;
pub mod output;
pub mod runbook;
pub mod script;
pub mod settings;
pub mod sim;

/// Every allocation is counted, so that the Rhai sandbox can cap what a run's scripts hold.
#[global_allocator]
static ALLOCATOR: script::memory::CountingAllocator = script::memory::CountingAllocator;
