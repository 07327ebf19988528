//! One journal line: which run, when, and the event as the run reported it.

use serde::{Deserialize, Serialize};

use crate::output::Event;

/// One line of the journal; a line that is not one of these is skipped on read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub run_id: String,
    /// RFC 3339, UTC, with milliseconds.
    pub time: String,
    /// The run event (`run_started`, `step_finished`, `confirmation`, ...) as the run emitted it.
    pub event: Event,
}

/// RFC 3339 of `wait` from now, UTC; `None` beyond what the clock can say.
pub fn after(wait: std::time::Duration) -> Option<String> {
    std::time::SystemTime::now()
        .checked_add(wait)
        .map(|then| humantime::format_rfc3339_seconds(then).to_string())
}

pub fn now() -> String {
    humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string()
}

/// A new run id: sortable by time, unique enough to type a prefix of (`20261126-103212-4f1a`).
pub fn new_run_id() -> String {
    let stamp = humantime::format_rfc3339_seconds(std::time::SystemTime::now()).to_string();
    let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
    let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
    format!("{}-{}-{suffix}", &digits[..8], &digits[8..14])
}
