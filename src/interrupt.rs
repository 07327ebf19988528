//! Ctrl-C: the first asks the run to stop cleanly (the current call ends, `finally` runs, the
//! journal records it, a prompt on screen gives up); the second exits at once.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use tokio::sync::Notify;

use crate::exit;

#[derive(Debug, Clone, Default)]
pub struct Interrupt {
    requested: Arc<AtomicBool>,
    notify: Arc<Notify>,
}

impl Interrupt {
    /// Listens for Ctrl-C on `handle`'s runtime for as long as the runtime lives.
    pub fn listen(handle: &tokio::runtime::Handle) -> Self {
        let interrupt = Self::default();
        let listener = interrupt.clone();
        handle.spawn(async move {
            let mut pressed = false;
            while tokio::signal::ctrl_c().await.is_ok() {
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
