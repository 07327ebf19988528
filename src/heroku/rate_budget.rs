//! One rate budget for everything a run sends: Heroku answers `RateLimit-Remaining` (the
//! account's requests left, refilled at about 75 a minute), and when it runs low, requests are
//! spaced out (the items of a `for_each` included) rather than spent into 429s.

use std::time::{Duration, Instant};

use tokio::sync::Mutex;

/// Below this many requests left, requests are spaced out.
const LOW_WATER: u64 = 50;
/// The spacing when nothing is left: Heroku refills about 75 requests a minute.
const SLOWEST: Duration = Duration::from_millis(800);

#[derive(Debug, Default)]
pub struct RateBudget {
    state: Mutex<BudgetState>,
}

#[derive(Debug, Default)]
struct BudgetState {
    /// What the last answer said is left, less what was sent since.
    remaining: Option<u64>,
    /// When the next request may leave.
    next_slot: Option<Instant>,
}

impl RateBudget {
    /// Waits until the budget allows one more request, and counts it.
    pub async fn admit(&self) {
        let mut state = self.state.lock().await;
        let Some(remaining) = state.remaining else {
            return;
        };
        if remaining < LOW_WATER {
            let now = crate::clock::now();
            if let Some(slot) = state.next_slot.filter(|slot| *slot > now) {
                crate::clock::sleep_until(slot).await;
            }
            state.next_slot = Some(crate::clock::now() + spacing(remaining));
        }
        state.remaining = Some(remaining.saturating_sub(1));
    }

    /// What an answer said is left.
    pub async fn observe(&self, remaining: u64) {
        self.state.lock().await.remaining = Some(remaining);
    }
}

/// The wait between requests with `remaining` left: none at the low-water mark, Heroku's refill
/// rate when nothing is left.
fn spacing(remaining: u64) -> Duration {
    let short = LOW_WATER.saturating_sub(remaining) as u32;
    SLOWEST * short / LOW_WATER as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lower_the_budget_the_wider_the_spacing() {
        assert_eq!(spacing(LOW_WATER), Duration::ZERO);
        assert_eq!(spacing(0), SLOWEST);
        assert!(spacing(10) > spacing(40));
    }
}
