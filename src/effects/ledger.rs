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

/// Why a write may not leave now.
#[derive(Debug, Clone, thiserror::Error)]
pub enum NotSentAgain {
    #[error("{0} was sent earlier in this run and may have taken effect: it is not sent again")]
    MayHaveTakenEffect(String),
    #[error("{0} is already being sent in this run: the same write is not sent twice at once")]
    InFlight(String),
}

/// A write in flight, until dropped.
pub struct Claim {
    ledger: Ledger,
    key: String,
}

impl Ledger {
    /// Claims `key` (`METHOD PATH`) for sending; `Err` says why it may not leave.
    pub fn claim(&self, key: &str) -> Result<Claim, NotSentAgain> {
        let mut entries = self.lock();
        if entries.uncertain.contains(key) {
            return Err(NotSentAgain::MayHaveTakenEffect(key.to_string()));
        }
        if !entries.in_flight.insert(key.to_string()) {
            return Err(NotSentAgain::InFlight(key.to_string()));
        }
        Ok(Claim { ledger: self.clone(), key: key.to_string() })
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
