//! Sends each event of a run to the Printer and, for those worth keeping, to the journal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

use crate::journal::Event;
use crate::journal::{Journal, JournalError, Record, RunId, Timestamp};
use crate::notify::Notifier;
use crate::output::Printer;

pub struct Reporter {
    printer: Arc<Printer>,
    journal: Option<Journal>,
    run_id: RunId,
    /// The first journal write that failed: from then on nothing more leaves, since its leaving
    /// could not be accounted for.
    broken: OnceLock<JournalError>,
    /// The index of the step under way, for events that operations cause (their writes).
    step: AtomicUsize,
    /// Writes that left so far.
    writes_sent: AtomicUsize,
    /// The team's channel, told of the run's start, problems and end (`notify:`).
    notifier: OnceLock<Arc<Notifier>>,
}

impl Reporter {
    pub fn new(printer: Arc<Printer>, journal: Option<Journal>, run_id: RunId) -> Self {
        Self {
            printer,
            journal,
            run_id,
            broken: OnceLock::new(),
            step: AtomicUsize::new(0),
            writes_sent: AtomicUsize::new(0),
            notifier: OnceLock::new(),
        }
    }

    /// From now on every event is also seen by `notifier`.
    pub fn notify_with(&self, notifier: Arc<Notifier>) {
        let _ = self.notifier.set(notifier);
    }

    /// The run is over: the notifier's last posts and the shared journal's last records get
    /// their bounded time.
    pub fn finish_background(&self) {
        if let Some(notifier) = self.notifier.get() {
            notifier.finish();
        }
        if let Some(journal) = &self.journal {
            journal.finish_mirror();
        }
    }

    /// How many writes left during the run so far.
    pub fn writes_sent(&self) -> usize {
        self.writes_sent.load(Ordering::Relaxed)
    }

    pub fn current_step(&self) -> usize {
        self.step.load(Ordering::Relaxed)
    }

    pub fn set_current_step(&self, index: usize) {
        self.step.store(index, Ordering::Relaxed);
    }

    pub fn printer(&self) -> &Arc<Printer> {
        &self.printer
    }

    pub fn run_id(&self) -> &RunId {
        &self.run_id
    }

    /// Records and shows the start of the run; a journal that cannot be written stops it here,
    /// before any step, so that no run goes unrecorded.
    pub fn start(&self, event: &Event) -> Result<(), JournalError> {
        let event = &*event.made_visible();
        if let Some(journal) = &self.journal {
            journal.append(&self.record_of(event)?)?;
            journal.prune_results();
            crate::crash::watch(journal.clone(), self.run_id.clone());
        }
        if let Some(notifier) = self.notifier.get() {
            notifier.observe(event);
        }
        self.printer.emit(event);
        Ok(())
    }

    /// Shows `event`, and journals it unless it is transient (progress, the simulator's log).
    pub fn emit(&self, event: &Event) {
        let _ = self.record(event);
    }

    /// As `emit`, and says whether the journal holds the event: an effect that must be recorded
    /// before it happens (a write leaving, a command starting) happens only on `Ok`. Once one
    /// record failed, every later one fails too: the run stops before its next effect.
    pub fn record(&self, event: &Event) -> Result<(), JournalError> {
        let event = &*event.made_visible();
        if let Some(broken) = self.broken.get() {
            if let Some(notifier) = self.notifier.get() {
                notifier.observe(event);
            }
            self.printer.emit(event);
            return Err(broken.clone());
        }
        let written = self.journal_of(event);
        if matches!(event, Event::WriteSent { .. }) && written.is_ok() {
            self.writes_sent.fetch_add(1, Ordering::Relaxed);
        }
        if let Some(notifier) = self.notifier.get() {
            notifier.observe(event);
        }
        self.printer.emit(event);
        written.inspect_err(|error| self.break_journal(error))
    }

    fn journal_of(&self, event: &Event) -> Result<(), JournalError> {
        let Some(journal) = self.journal.as_ref().filter(|_| is_journaled(event)) else {
            return Ok(());
        };
        let record = self.record_of(event)?;
        journal.append(&record)?;
        if matches!(event, Event::RunFinished { .. }) {
            crate::crash::forget();
        }
        Ok(())
    }

    /// The journal failed: said once, and from now on no effect of this run leaves.
    fn break_journal(&self, error: &JournalError) {
        if self.broken.set(error.clone()).is_ok() {
            self.printer.error(
                &error.to_string(),
                Some("no more writes are sent nor commands run: free space for the journal (or fix its folder), then resume the run with --resume"),
            );
        }
    }

    /// Why the journal can no longer be written, once it cannot.
    pub fn journal_failure(&self) -> Option<&JournalError> {
        self.broken.get()
    }

    /// Masks the strings of `value` in the journal only: shown, never recorded.
    pub fn keep_out_of_journal(&self, value: &serde_json::Value) {
        if let Some(journal) = &self.journal {
            journal.unrecorded().add_strings_of(value);
        }
    }

    /// The journal's record of `event`; a main step's result goes beside the journal, so that
    /// `--resume` can restore it while the journal stays small.
    fn record_of(&self, event: &Event) -> Result<Record, JournalError> {
        let mut event = event.clone();
        if let (
            Some(journal),
            Event::StepFinished { index, phase: None, result, result_kept, .. }
            | Event::StepSkipped { index, phase: None, result, result_kept, .. },
        ) = (&self.journal, &mut event)
            && let Some(value) = result.take()
        {
            journal.keep_result(&self.run_id, *index, &value)?;
            *result_kept = true;
        }
        Ok(Record { run_id: self.run_id.clone(), time: Timestamp::now(), event })
    }
}

fn is_journaled(event: &Event) -> bool {
    !matches!(
        event,
        Event::StepProgress { .. }
            | Event::LogLine { .. }
            | Event::SimulatorRequests { .. }
            | Event::Error { .. }
            | Event::Diagnostic { .. }
    )
}
