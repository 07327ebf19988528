//! Runbooks as data: finding, loading (YAML or Rhai) and validating them, with source locations.
//!
//! Nothing here knows about HTTP or the executor.

pub mod compose;
pub mod diagnostic;
pub mod environments;
pub mod library;
pub mod lints;
pub mod model;
pub mod rhai_check;
pub mod rhai_header;
pub mod schema_operations;
pub mod source;
pub mod step_places;
pub mod template;
pub mod validate;
pub mod yaml;
pub mod yaml_control;
pub mod yaml_error;

pub use diagnostic::Diagnostic;
pub use library::{Library, LibraryError, RunbookFile};
pub use model::Runbook;
