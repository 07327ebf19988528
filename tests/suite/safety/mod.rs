//! The adversarial suite: each module attacks one class of safety promise (docs/safety.md) and
//! checks what reached the server, what ran on this machine, and what the user and the journal saw.

mod at_most_once;
mod dry_run;
mod full_disk;
mod gates;
mod hostile_bytes;
mod journal;
mod local;
mod paths;
mod prompts;
mod resume;
mod sandbox;
mod secrets;
mod signals;
mod terminal;
