//! The journal: an append-only JSON Lines record of every run, its steps and its confirmations.
//!
//! One record per line; each append is one locked, synced write, so runs writing at once lose
//! nothing, and a torn last line (a crash mid-write) is skipped on read. Reads take what they
//! need from the end, or from a time found by binary search (`scan`), never the whole file but
//! for `team sync`.

mod event;
mod lookup;
mod record;
mod results;
mod runs;
mod scan;

use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub use event::{Answer, Event, How, Phase, RunMode, RunStatus, StepStatus, TargetKind};
pub use lookup::{Lookup, RunSelection};
pub use record::{ApiUrl, Record, RunId, Timestamp};
pub use results::KEPT_RUNS;
pub use runs::{RunHistory, find as find_run, group as group_runs};

use crate::redact::Redactor;

pub const FILE_NAME: &str = "journal.jsonl";

/// Where each record also goes once it is in the local journal (team mode's shared journal).
pub trait Mirror: Send + Sync {
    /// `masked` is the record exactly as the journal wrote it.
    fn record(&self, masked: &serde_json::Value);
    /// The run is over: the mirror has a bounded time to store what it still holds.
    fn finish(&self) {}
}

#[derive(Clone)]
pub struct Journal {
    path: PathBuf,
    /// The shared journal, in team mode.
    mirror: Option<Arc<dyn Mirror>>,
    /// The secrets masked everywhere (shared with the Printer).
    redactor: Arc<Redactor>,
    /// Values shown to the operator on request but never recorded (revealed config vars).
    unrecorded: Arc<Redactor>,
}

#[derive(Debug, Clone, thiserror::Error)]
#[error("cannot write the journal `{path}`: {source}")]
pub struct JournalError {
    pub path: String,
    pub source: Arc<std::io::Error>,
}

impl Journal {
    /// The journal in `folder`, created if missing.
    pub fn open(folder: &Path, redactor: Arc<Redactor>) -> Result<Self, JournalError> {
        let path = folder.join(FILE_NAME);
        std::fs::create_dir_all(folder).map_err(|source| error(&path, source))?;
        Ok(Self { path, mirror: None, redactor, unrecorded: Arc::default() })
    }

    /// Every record appended from now on also goes to `mirror`.
    pub fn mirrored(mut self, mirror: Arc<dyn Mirror>) -> Self {
        self.mirror = Some(mirror);
        self
    }

    /// Gives the mirror, if any, its bounded time to store the last records.
    pub fn finish_mirror(&self) {
        if let Some(mirror) = &self.mirror {
            mirror.finish();
        }
    }

    /// The folder the journal is in.
    pub fn folder(&self) -> &Path {
        self.path.parent().unwrap_or(Path::new("."))
    }

    /// The values this journal masks on top of the shared secrets.
    pub fn unrecorded(&self) -> &Redactor {
        &self.unrecorded
    }

    /// Appends one record: serialized, secrets masked, written whole under an exclusive lock, synced.
    pub fn append(&self, record: &Record) -> Result<(), JournalError> {
        let mut value =
            serde_json::to_value(record).map_err(|source| error(&self.path, source.into()))?;
        crate::visible::visible_value(&mut value);
        let mut line = self.masked_line(&value);
        line.push('\n');
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&self.path)
            .map_err(|source| error(&self.path, source))?;
        file.lock().map_err(|source| error(&self.path, source))?;
        let written = ends_torn(&mut file)
            .and_then(|torn| {
                if torn {
                    line.insert(0, '\n');
                }
                file.write_all(line.as_bytes())
            })
            .and_then(|()| file.sync_data());
        let _ = file.unlock();
        written.map_err(|source| error(&self.path, source))?;
        if let Some(mirror) = &self.mirror
            && let Ok(masked) = serde_json::from_str(&line)
        {
            mirror.record(&masked);
        }
        Ok(())
    }

    /// `value` as one JSON line, every secret masked.
    fn masked_line(&self, value: &serde_json::Value) -> String {
        let masked = self.unrecorded.apply_to_value(value);
        let line = self.redactor.json_line(&masked);
        self.unrecorded.apply(&line).into_owned()
    }

    /// Every record, oldest first. A line that cannot be read (torn, not UTF-8, not JSON) is
    /// skipped and the next one read: one bad line never hides another record.
    pub fn read(&self) -> Result<Vec<Record>, JournalError> {
        self.reading(|file| {
            Ok(BufReader::new(file)
                .split(b'\n')
                .map_while(Result::ok)
                .filter_map(|line| scan::record(&line))
                .collect())
        })
        .map(Option::unwrap_or_default)
    }

    /// `read` on the journal file under a shared lock (appends wait; reads do not); `None` when
    /// there is no journal yet.
    fn reading<T>(
        &self,
        read: impl FnOnce(&File) -> std::io::Result<T>,
    ) -> Result<Option<T>, JournalError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(source) if source.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(source) => return Err(error(&self.path, source)),
        };
        file.lock_shared().map_err(|source| error(&self.path, source))?;
        let read = read(&file);
        let _ = file.unlock();
        read.map(Some).map_err(|source| error(&self.path, source))
    }
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Journal")
            .field("path", &self.path)
            .field("mirrored", &self.mirror.is_some())
            .finish()
    }
}

fn error(path: &Path, source: std::io::Error) -> JournalError {
    JournalError { path: path.display().to_string(), source: Arc::new(source) }
}

/// Whether the file's last byte is not a newline (a write was torn): the next record must start
/// on a line of its own.
fn ends_torn(file: &mut File) -> std::io::Result<bool> {
    if file.metadata()?.len() == 0 {
        return Ok(false);
    }
    file.seek(SeekFrom::End(-1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    Ok(last[0] != b'\n')
}
