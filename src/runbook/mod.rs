//! Runbooks as data: finding, loading (YAML or Rhai) and validating them, with source locations.
//!
//! Nothing here knows about HTTP or the executor.

mod diagnostic;
mod environments;
mod hidden_text;
mod library;
mod link;
mod lints;
mod model;
mod param_types;
mod rhai_check;
mod rhai_functions;
mod rhai_header;
mod schema_operations;
mod source;
mod step_places;
mod suggest;
mod template;
mod validate;
mod yaml;
mod yaml_control;
mod yaml_error;

pub use diagnostic::{Diagnostic, Severity};
pub use environments::{Environment, Environments};
pub use library::{Library, LibraryError, RunbookFile};
pub use lints::lint;
pub use model::*;
pub use rhai_check::outline;
#[cfg(test)]
pub use rhai_functions::HOST_FUNCTIONS;
pub use rhai_header::load as load_rhai;
pub use source::{SourceFile, display_path};
pub use suggest::hint as suggestion;
pub use template::{Part, Template};
pub use validate::validate;
pub use validate::{FOR_EACH_ITEM, ParamMismatch, param_value_matches};
pub use yaml::json_schema;
pub use yaml::load as load_yaml;
pub use yaml_control::MAX_CONCURRENCY;
pub use yaml_error::{parse as parse_yaml_document, read as read_source, span as yaml_span};
