//! Identifiers and times as the simulated API writes them: UUIDs and RFC 3339 instants.

use std::time::SystemTime;

pub fn uuid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Now, in RFC 3339 to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

/// An RFC 3339 time `days` days ago.
pub fn days_ago(days: u64) -> String {
    let then = SystemTime::now() - std::time::Duration::from_secs(days * 24 * 60 * 60);
    humantime::format_rfc3339_seconds(then).to_string()
}
