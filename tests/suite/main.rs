//! Every integration test, in one binary: each module drives the real `runbook` binary through
//! the harness, against the real simulator or a hostile server of its own (`fuzz_bounded` calls
//! the library's fuzzing entry points directly).

mod api_errors;
mod architecture;
mod authoring;
mod check_warnings;
mod commands;
mod completions;
mod compose;
mod confirm;
mod deploys;
mod docs;
mod faults;
mod fuzz_bounded;
mod harness;
mod health;
mod heroku_client;
mod incident;
mod invalid_corpus;
mod invalid_runbooks;
mod journal;
mod journal_reads;
mod log_stream;
mod narrow_screen;
mod new;
mod notify;
mod operations;
mod operator;
mod params;
mod prompt;
mod rehearsal;
mod resume;
mod run_restart;
mod runbook_test;
mod safety;
mod sandbox;
mod scenarios;
mod schema;
mod screens;
mod secrets;
mod shell;
mod sim_contract;
mod step_control;
mod step_semantics;
mod team;
mod team_promises;
