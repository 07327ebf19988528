//! Time as a run sees it: the machine's clock, or, for `runbook test`, a simulated clock on which
//! waits, retries, dyno boots and log follows take no wall time. Every wait of a run, and every
//! "now" the journal and the simulator write, goes through here.
//!
//! The simulated clock moves only when nothing can happen before it would: when every wait under
//! way is a wait on this clock, it jumps to the earliest one's deadline. While the run waits for
//! an answer from the server ([`busy`]), only the server's own waits ([`sleep_serving`]) move it,
//! so that a step's timeout never runs out while its request is in flight.

use std::collections::BTreeSet;
use std::future::Future;
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};
use std::time::{Duration, Instant, SystemTime};

static SIMULATED: OnceLock<Simulated> = OnceLock::new();

/// How long a wait lets the others of its moment be registered before the clock jumps.
const GRACE: Duration = Duration::from_millis(1);

/// Turns the simulated clock on for the rest of the process; true if it was not on already.
pub fn simulate() -> bool {
    SIMULATED
        .set(Simulated {
            origin: Instant::now(),
            origin_time: SystemTime::now(),
            state: Mutex::default(),
        })
        .is_ok()
}

/// Now, as an instant to measure durations from.
pub fn now() -> Instant {
    match SIMULATED.get() {
        Some(simulated) => simulated.now(),
        None => Instant::now(),
    }
}

/// Now, as a time of day for records.
pub fn system_now() -> SystemTime {
    match SIMULATED.get() {
        Some(simulated) => simulated.origin_time + simulated.lock().elapsed,
        None => SystemTime::now(),
    }
}

/// How long since `earlier` (an instant of this clock).
pub fn since(earlier: Instant) -> Duration {
    now().saturating_duration_since(earlier)
}

/// Waits `duration` on the run's side.
pub async fn sleep(duration: Duration) {
    match now().checked_add(duration) {
        Some(deadline) => sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// Waits until `deadline` on the run's side.
pub async fn sleep_until(deadline: Instant) {
    match SIMULATED.get() {
        Some(simulated) => simulated.wait(deadline, Side::Run).await,
        None => tokio::time::sleep_until(deadline.into()).await,
    }
}

/// Waits `duration` on the server's side (the simulator's delays and pacing).
pub async fn sleep_serving(duration: Duration) {
    let Some(deadline) = now().checked_add(duration) else {
        return std::future::pending().await;
    };
    match SIMULATED.get() {
        Some(simulated) => simulated.wait(deadline, Side::Server).await,
        None => tokio::time::sleep_until(deadline.into()).await,
    }
}

/// `work`, or `Err(TimedOut)` once `limit` has passed on this clock.
pub async fn timeout<F: Future>(limit: Duration, work: F) -> Result<F::Output, TimedOut> {
    tokio::select! {
        biased;
        output = work => Ok(output),
        () = sleep(limit) => Err(TimedOut),
    }
}

/// A wait ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Waits `duration` on a thread that is not the runtime's (a script's `sleep`).
pub fn sleep_blocking(duration: Duration) {
    match SIMULATED.get() {
        Some(simulated) => {
            simulated.advance_by(duration);
            std::thread::yield_now();
        }
        None => std::thread::sleep(duration),
    }
}

/// Real work under way (a request in flight, a local command): while it is held, the run's
/// waits do not move the simulated clock.
pub fn busy() -> Busy {
    if let Some(simulated) = SIMULATED.get() {
        simulated.lock().busy += 1;
    }
    Busy(())
}

pub struct Busy(());

impl Drop for Busy {
    fn drop(&mut self) {
        if let Some(simulated) = SIMULATED.get() {
            let mut state = simulated.lock();
            state.busy = state.busy.saturating_sub(1);
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Side {
    Run,
    Server,
}

struct Simulated {
    origin: Instant,
    origin_time: SystemTime,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    elapsed: Duration,
    /// Waits under way: (deadline, ticket, side).
    waiting: BTreeSet<(Instant, u64, Side)>,
    next_ticket: u64,
    busy: usize,
}

impl Simulated {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn now(&self) -> Instant {
        self.origin + self.lock().elapsed
    }

    fn advance_by(&self, duration: Duration) {
        let mut state = self.lock();
        state.elapsed = state.elapsed.saturating_add(duration);
    }

    async fn wait(&self, deadline: Instant, side: Side) {
        let key = {
            let mut state = self.lock();
            state.next_ticket += 1;
            let key = (deadline, state.next_ticket, side);
            state.waiting.insert(key);
            key
        };
        let _registered = Registered { clock: self, key };
        // The server's waits (a follow's polling, a build's pacing) move at once when nothing of
        // the run's is due first: a long follow is thousands of them.
        if side == Side::Server && self.try_advance(key) {
            tokio::task::yield_now().await;
            return;
        }
        loop {
            if self.now() >= deadline {
                return;
            }
            tokio::time::sleep(GRACE).await;
            if self.try_advance(key) {
                return;
            }
        }
    }

    /// Jumps to `key`'s deadline when it is the earliest wait that may move the clock now.
    fn try_advance(&self, key: (Instant, u64, Side)) -> bool {
        let mut state = self.lock();
        let earliest = state
            .waiting
            .iter()
            .find(|(_, _, side)| state.busy == 0 || *side == Side::Server)
            .copied();
        if earliest != Some(key) {
            return self.origin + state.elapsed >= key.0;
        }
        let reached = key.0.saturating_duration_since(self.origin);
        state.elapsed = state.elapsed.max(reached);
        true
    }
}

/// A wait under way, forgotten when it ends or is dropped (the losing side of a `select!`).
struct Registered<'a> {
    clock: &'a Simulated,
    key: (Instant, u64, Side),
}

impl Drop for Registered<'_> {
    fn drop(&mut self) {
        self.clock.lock().waiting.remove(&self.key);
    }
}
