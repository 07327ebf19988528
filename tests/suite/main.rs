//! Every integration test, in one binary: each module drives the real `runbook` binary through
//! the harness, against the real simulator or a hostile server of its own.

mod harness;
mod safety;
