//! The writes of a run that must not leave again: those in flight now (a `for_each` naming the
//! same write twice sends it once), and those whose sending may have taken effect.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

#[derive(Debug, Default, Clone)]
pub struct Ledger {
    entries: Arc<Mutex<Entries>>,
}

#[derive(Debug, Default)]
struct Entries {
    in_flight: BTreeSet<String>,
    uncertain: BTreeSet<String>,
}

/// A write in flight, until dropped.
pub struct Claim {
    ledger: Ledger,
    key: String,
}

impl Ledger {
    /// Claims `key` (`METHOD PATH`) for sending; `Err` says why it may not leave.
    pub fn claim(&self, key: &str) -> Result<Claim, String> {
        let mut entries = self.lock();
        if entries.uncertain.contains(key) {
            return Err(format!(
                "{key} was sent earlier in this run and may have taken effect: it is not sent again"
            ));
        }
        if !entries.in_flight.insert(key.to_string()) {
            return Err(format!(
                "{key} is already being sent in this run: the same write is not sent twice at once"
            ));
        }
        Ok(Claim {
            ledger: self.clone(),
            key: key.to_string(),
        })
    }

    /// `key` may have taken effect: it never leaves again in this run.
    pub fn uncertain(&self, key: &str) {
        self.lock().uncertain.insert(key.to_string());
    }

    fn lock(&self) -> MutexGuard<'_, Entries> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Claim {
    fn drop(&mut self) {
        self.ledger.lock().in_flight.remove(&self.key);
    }
}
