//! Ctrl-C, and every other way a run is asked to end: SIGTERM (a supervisor, `kill`), SIGHUP (the
//! terminal closed, an ssh session dropped) and SIGQUIT. The first asks the run to stop cleanly
//! (the current call ends, a local command's process group is killed, `finally` runs, the journal
//! records the run as interrupted by that signal, a prompt on screen gives up); a second exits
//! at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU8, AtomicUsize, Ordering};

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::Notify;

use crate::exit;

/// What asked the run to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    CtrlC,
    Terminate,
    HangUp,
    Quit,
}

impl Stop {
    const ALL: [Stop; 4] = [Stop::CtrlC, Stop::Terminate, Stop::HangUp, Stop::Quit];

    /// As people name it: `Ctrl-C`, `SIGTERM`...
    pub fn name(self) -> &'static str {
        match self {
            Stop::CtrlC => "Ctrl-C",
            Stop::Terminate => "SIGTERM",
            Stop::HangUp => "SIGHUP",
            Stop::Quit => "SIGQUIT",
        }
    }

    fn kind(self) -> SignalKind {
        match self {
            Stop::CtrlC => SignalKind::interrupt(),
            Stop::Terminate => SignalKind::terminate(),
            Stop::HangUp => SignalKind::hangup(),
            Stop::Quit => SignalKind::quit(),
        }
    }

    fn code(self) -> u8 {
        self as u8 + 1
    }

    fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|stop| stop.code() == code)
    }
}

#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    requested: Arc<AtomicBool>,
    notify: Arc<Notify>,
    /// The first signal that asked the run to stop (`Stop::code`), 0 before any.
    first: Arc<AtomicU8>,
    /// Real signals received so far: the second exits at once.
    received: Arc<AtomicUsize>,
    /// How many catches are held: while one is, Ctrl-C ends what holds it, not the run.
    catches: Arc<AtomicUsize>,
    caught: Arc<AtomicBool>,
    caught_notify: Arc<Notify>,
}

/// While held, the next Ctrl-C is this holder's to handle (a log follow ends with it) rather than
/// a request to stop the run. Other signals still stop the run.
pub struct Catch {
    interrupt: Interrupt,
}

impl Interrupt {
    /// Listens for Ctrl-C, SIGTERM, SIGHUP and SIGQUIT on `handle`'s runtime for as long as the
    /// runtime lives.
    pub fn listen(handle: &tokio::runtime::Handle) -> Self {
        let interrupt = Self::default();
        for stop in Stop::ALL {
            let _guard = handle.enter();
            let Ok(mut signals) = signal(stop.kind()) else {
                continue;
            };
            let listener = interrupt.clone();
            handle.spawn(async move {
                while signals.recv().await.is_some() {
                    listener.received(stop);
                }
            });
        }
        interrupt
    }

    /// A real signal arrived.
    fn received(&self, stop: Stop) {
        if stop == Stop::CtrlC && self.catches.load(Ordering::SeqCst) > 0 {
            self.caught.store(true, Ordering::SeqCst);
            self.caught_notify.notify_waiters();
            return;
        }
        if self.received.fetch_add(1, Ordering::SeqCst) > 0 {
            exit_at_once();
        }
        let _ = self.first.compare_exchange(0, stop.code(), Ordering::SeqCst, Ordering::SeqCst);
        self.request();
    }

    /// Asks the run to stop, as Ctrl-C does (a prompt that saw Ctrl-C calls this too; only real
    /// signals count towards the second one that exits at once).
    pub fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// The interruption has been dealt with (the main steps stopped); `finally` steps may run.
    /// Another signal still exits at once.
    pub fn acknowledge(&self) {
        self.requested.store(false, Ordering::SeqCst);
    }

    pub fn is_requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// What asked the run to stop: the first signal, or Ctrl-C seen at a prompt.
    pub fn cause(&self) -> Stop {
        Stop::from_code(self.first.load(Ordering::SeqCst)).unwrap_or(Stop::CtrlC)
    }

    /// Takes the next Ctrl-C for the caller, for as long as the `Catch` lives.
    pub fn catch(&self) -> Catch {
        self.catches.fetch_add(1, Ordering::SeqCst);
        self.caught.store(false, Ordering::SeqCst);
        Catch { interrupt: self.clone() }
    }

    /// Resolves once an interruption is requested.
    pub async fn requested(&self) {
        loop {
            let notified = self.notify.notified();
            if self.is_requested() {
                return;
            }
            notified.await;
        }
    }
}

impl Catch {
    /// Resolves at the Ctrl-C this catch took.
    pub async fn caught(&self) {
        let interrupt = &self.interrupt;
        loop {
            let notified = interrupt.caught_notify.notified();
            if interrupt.caught.swap(false, Ordering::SeqCst) {
                return;
            }
            notified.await;
        }
    }
}

impl Drop for Catch {
    fn drop(&mut self) {
        self.interrupt.catches.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The process groups of the local commands running now: a run that exits at once (a second
/// signal) kills them first, so that no command goes on unsupervised.
static RUNNING_GROUPS: std::sync::Mutex<Vec<i32>> = std::sync::Mutex::new(Vec::new());

/// A local command's process group started.
pub fn register_group(group: i32) {
    if let Ok(mut groups) = RUNNING_GROUPS.lock() {
        groups.push(group);
    }
}

/// A local command's process group was killed and reaped.
pub fn unregister_group(group: i32) {
    if let Ok(mut groups) = RUNNING_GROUPS.lock() {
        groups.retain(|running| *running != group);
    }
}

/// The second signal: every running command's group killed, the cursor shown again on a
/// terminal, and the process ends with the interrupted code.
fn exit_at_once() -> ! {
    let groups = RUNNING_GROUPS.lock().map(|groups| groups.clone()).unwrap_or_default();
    for group in groups {
        if let Some(group) = rustix::process::Pid::from_raw(group) {
            let _ = rustix::process::kill_process_group(group, rustix::process::Signal::KILL);
        }
    }
    let stderr = console::Term::stderr();
    if stderr.is_term() {
        let _ = stderr.show_cursor();
    }
    std::process::exit(i32::from(exit::INTERRUPTED));
}
