//! Time as a run sees it: the machine's clock, or, for `runbook test`, a simulated clock on which
//! waits, retries, dyno boots and log follows take no wall time. Every wait of a run, and every
//! "now" the journal and the simulator write, goes through here.
//!
//! The simulated clock is the machine's plus jumps: when the earliest wait under way is due and
//! nothing else is going on, the clock jumps to its deadline. While real work is under way (a
//! request in flight, a stream read, a local command: [`busy`]), the run's own waits do not jump:
//! real time flows, so a step's timeout runs out in real time as it would in a rehearsal; the
//! server's waits ([`sleep_serving`], its delays and pacing) still jump when they come first.

use std::collections::BTreeSet;
use std::future::Future;

use futures_util::future::Either;
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

pub fn is_simulated() -> bool {
    SIMULATED.get().is_some()
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
        Some(simulated) => simulated.origin_time + simulated.now().duration_since(simulated.origin),
        None => SystemTime::now(),
    }
}

/// How long since `earlier` (an instant of this clock).
pub fn since(earlier: Instant) -> Duration {
    now().saturating_duration_since(earlier)
}

/// Waits `duration` on the run's side; the wait counts from now, not from its first poll.
pub fn sleep(duration: Duration) -> impl Future<Output = ()> + Send {
    sleep_on(duration, Side::Run)
}

/// Waits until `deadline` on the run's side; on a simulated clock the wait is known to the clock
/// from now, so that nothing jumps past it unseen.
pub fn sleep_until(deadline: Instant) -> impl Future<Output = ()> + Send {
    waiting(deadline, Side::Run)
}

/// Waits `duration` on the server's side (the simulator's delays and pacing).
pub fn sleep_serving(duration: Duration) -> impl Future<Output = ()> + Send {
    sleep_on(duration, Side::Server)
}

/// Waits `duration` from now on `side`; a duration past what the clock can say never ends.
fn sleep_on(duration: Duration, side: Side) -> impl Future<Output = ()> + Send {
    let waiting = now().checked_add(duration).map(|deadline| waiting(deadline, side));
    async move {
        match waiting {
            Some(waiting) => waiting.await,
            None => std::future::pending().await,
        }
    }
}

fn waiting(deadline: Instant, side: Side) -> impl Future<Output = ()> + Send {
    match SIMULATED.get() {
        Some(simulated) => Either::Left(simulated.wait(deadline, side)),
        None => Either::Right(tokio::time::sleep_until(deadline.into())),
    }
}

/// `work`, or `Err(TimedOut)` once `limit` has passed on this clock (counted from now).
pub async fn timeout<F: Future>(limit: Duration, work: F) -> Result<F::Output, TimedOut> {
    let limit = sleep(limit);
    tokio::select! {
        biased;
        output = work => Ok(output),
        () = limit => Err(TimedOut),
    }
}

/// A wait ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

/// Waits `duration` on a thread that is not the runtime's (a script's `sleep`).
pub fn sleep_blocking(duration: Duration) {
    let Some(simulated) = SIMULATED.get() else {
        return std::thread::sleep(duration);
    };
    let Some(deadline) = simulated.now().checked_add(duration) else {
        return std::thread::sleep(duration);
    };
    let key = simulated.register(deadline, Side::Run);
    let _registered = Registered { clock: simulated, key };
    while simulated.now() < deadline {
        std::thread::sleep(GRACE);
        if simulated.try_advance(key) {
            return;
        }
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
    /// How far the clock has jumped ahead of the machine's.
    jumped: Duration,
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
        let jumped = self.lock().jumped;
        Instant::now() + jumped
    }

    fn register(&self, deadline: Instant, side: Side) -> (Instant, u64, Side) {
        let mut state = self.lock();
        state.next_ticket += 1;
        let key = (deadline, state.next_ticket, side);
        state.waiting.insert(key);
        key
    }

    /// A wait registered now, that ends at `deadline`.
    fn wait(&'static self, deadline: Instant, side: Side) -> impl Future<Output = ()> + Send {
        let key = self.register(deadline, side);
        let registered = Registered { clock: self, key };
        async move { registered.until_due().await }
    }

    /// Jumps to `key`'s deadline when it is the earliest wait under way, unless it is the
    /// run's while real work goes on (then real time flows); true once the deadline is reached.
    fn try_advance(&self, key: (Instant, u64, Side)) -> bool {
        let mut state = self.lock();
        let now = Instant::now() + state.jumped;
        if now >= key.0 {
            return true;
        }
        let earliest = state.waiting.first().copied();
        if earliest != Some(key) || (state.busy > 0 && key.2 == Side::Run) {
            return false;
        }
        state.jumped += key.0.saturating_duration_since(now);
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

impl Registered<'_> {
    async fn until_due(&self) {
        let (clock, key) = (self.clock, self.key);
        let (deadline, _, side) = key;
        // The server's waits (a follow's polling, a build's pacing) move at once when nothing of
        // the run's is due first: a long follow is thousands of them.
        if side == Side::Server && clock.try_advance(key) {
            tokio::task::yield_now().await;
            return;
        }
        loop {
            if clock.now() >= deadline {
                return;
            }
            tokio::time::sleep(GRACE).await;
            if clock.try_advance(key) {
                return;
            }
        }
    }
}
