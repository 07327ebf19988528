//! The shared journal as the local journal's mirror. Records leave from a task of their own on
//! the run's runtime, in order, so that a database far away (Heroku Postgres from a laptop) adds no round trip to
//! a run's steps; the run's end waits a bounded time for the last ones. Until they are all
//! stored, the state folder says that some runs are pending, so a run that crashes, or a
//! database that goes away, leaves its records to the next team run or `runbook team sync`.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::commands::team::PENDING_FILE;
use crate::journal::Mirror;
use crate::output::Printer;
use crate::team::{Team, is_shared};

/// How long the end of a run waits for the records still on their way.
const FLUSH_WAIT: Duration = Duration::from_secs(10);

pub struct SharedJournal {
    records: Mutex<Option<UnboundedSender<serde_json::Value>>>,
    /// Says when every record was stored (`true`) or one failed (`false`).
    done: Mutex<Option<Receiver<bool>>>,
    folder: PathBuf,
    /// Runs were pending before this one: they stay pending whatever this run does.
    pending_before: bool,
}

impl SharedJournal {
    pub fn start(
        team: Arc<Team>,
        folder: PathBuf,
        printer: Arc<Printer>,
        runtime: &tokio::runtime::Handle,
    ) -> Self {
        let pending_before = folder.join(PENDING_FILE).exists();
        mark_pending(&folder);
        let (records, queue) = unbounded_channel();
        let (stored, done) = channel();
        runtime.spawn(async move {
            let _ = stored.send(store_all(&team, queue, &printer).await);
        });
        Self {
            records: Mutex::new(Some(records)),
            done: Mutex::new(Some(done)),
            folder,
            pending_before,
        }
    }
}

impl Mirror for SharedJournal {
    fn record(&self, masked: &serde_json::Value) {
        if !is_shared(masked) {
            return;
        }
        if let Some(records) = self.records.lock().unwrap_or_else(PoisonError::into_inner).as_ref()
        {
            let _ = records.send(masked.clone());
        }
    }

    fn finish(&self) {
        self.records.lock().unwrap_or_else(PoisonError::into_inner).take();
        let Some(done) = self.done.lock().unwrap_or_else(PoisonError::into_inner).take() else {
            return;
        };
        if done.recv_timeout(FLUSH_WAIT) == Ok(true) && !self.pending_before {
            let _ = std::fs::remove_file(self.folder.join(PENDING_FILE));
        }
    }
}

/// Stores each record as it comes; after a failure the rest stay local (and pending), and the
/// operator is told once. Whether every record was stored.
async fn store_all(
    team: &Team,
    mut queue: UnboundedReceiver<serde_json::Value>,
    printer: &Printer,
) -> bool {
    let mut stored_all = true;
    while let Some(masked) = queue.recv().await {
        if !stored_all {
            continue;
        }
        if let Err(error) = team.record(&masked).await {
            stored_all = false;
            printer.warning(
                &format!("cannot write to the shared journal: {error}"),
                Some("the run goes on, journaled here; it is pushed later (`runbook team sync`)"),
            );
        }
    }
    stored_all
}

/// Remembers that the local journal has runs the shared one lacks.
pub fn mark_pending(folder: &Path) {
    let _ = std::fs::create_dir_all(folder);
    let _ = std::fs::write(folder.join(PENDING_FILE), b"");
}
