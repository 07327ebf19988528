//! Identifiers and times as the simulated API writes them: UUIDs and RFC 3339 instants.
//!
//! The UUIDs are made in order (the time the simulator started, then a count), so that a list in
//! the order it was made is also a list sorted by id, as Heroku sorts a list by default; a world
//! saved and loaded by a later simulator keeps its ids below the new ones.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::SystemTime;

pub fn uuid() -> String {
    static STARTED: OnceLock<u64> = OnceLock::new();
    static COUNT: AtomicU64 = AtomicU64::new(0);
    let started = *STARTED.get_or_init(|| {
        crate::clock::system_now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |since| since.as_millis() as u64)
    });
    let count = COUNT.fetch_add(1, Ordering::Relaxed);
    let hex = format!("{started:016x}{count:016x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// Now, in RFC 3339 to the second.
pub fn now() -> String {
    humantime::format_rfc3339_seconds(crate::clock::system_now()).to_string()
}

/// An RFC 3339 time `length` ago, to the second.
pub fn ago(length: std::time::Duration) -> String {
    humantime::format_rfc3339_seconds(crate::clock::system_now() - length).to_string()
}

/// An RFC 3339 time `days` days ago.
pub fn days_ago(days: u64) -> String {
    let then = crate::clock::system_now() - std::time::Duration::from_secs(days * 24 * 60 * 60);
    humantime::format_rfc3339_seconds(then).to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_sort_in_the_order_they_were_made() {
        let ids: Vec<String> = (0..1000).map(|_| super::uuid()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert!(ids.iter().all(|id| id.len() == 36 && id.matches('-').count() == 4));
    }
}
