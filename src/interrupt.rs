//! Ctrl-C: the first asks the run to stop cleanly (the current call ends, `finally` runs, the
//! journal records it, a prompt on screen gives up); the second exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use tokio::sync::Notify;

use crate::exit;

#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    requested: Arc<AtomicBool>,
    notify: Arc<Notify>,
    /// How many catches are held: while one is, Ctrl-C ends what holds it, not the run.
    catches: Arc<AtomicUsize>,
    caught: Arc<AtomicBool>,
    caught_notify: Arc<Notify>,
}

/// While held, the next Ctrl-C is this holder's to handle (a log follow ends with it) rather than
/// a request to stop the run.
pub struct Catch {
    interrupt: Interrupt,
}

impl Interrupt {
    /// Listens for Ctrl-C on `handle`'s runtime for as long as the runtime lives.
    pub fn listen(handle: &tokio::runtime::Handle) -> Self {
        let interrupt = Self::default();
        let listener = interrupt.clone();
        handle.spawn(async move {
            let mut pressed = false;
            while tokio::signal::ctrl_c().await.is_ok() {
                if listener.catches.load(Ordering::SeqCst) > 0 {
                    listener.caught.store(true, Ordering::SeqCst);
                    listener.caught_notify.notify_waiters();
                    continue;
                }
                if pressed {
                    let _ = console::Term::stderr().show_cursor();
                    std::process::exit(i32::from(exit::INTERRUPTED));
                }
                pressed = true;
                listener.request();
            }
        });
        interrupt
    }

    /// Asks the run to stop, as Ctrl-C does (a prompt that saw Ctrl-C calls this too; only real
    /// signals count towards the second press that exits at once).
    pub fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
        self.notify.notify_waiters();
    }

    /// The interruption has been dealt with (the main steps stopped); `finally` steps may run.
    /// Another Ctrl-C still exits at once.
    pub fn acknowledge(&self) {
        self.requested.store(false, Ordering::SeqCst);
    }

    pub fn is_requested(&self) -> bool {
        self.requested.load(Ordering::SeqCst)
    }

    /// Takes the next Ctrl-C for the caller, for as long as the `Catch` lives.
    pub fn catch(&self) -> Catch {
        self.catches.fetch_add(1, Ordering::SeqCst);
        self.caught.store(false, Ordering::SeqCst);
        Catch {
            interrupt: self.clone(),
        }
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
