//! Writing new runbooks: the starting templates and the scaffold `runbook new` writes.

mod scaffold;
mod templates;

pub use scaffold::{NewRunbook, check_name, write as write_runbook, write_first_test};
pub use templates::Template;
