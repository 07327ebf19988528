//! Writing new runbooks: the starting templates and the scaffold `runbook new` writes.

pub mod scaffold;
pub mod templates;
