//! The questions the commands ask the local journal: the newest runs that match, one run by its
//! id (or a prefix of it) with every record, the records of a period, and the chain of runs that
//! a run resumed. Each reads only the part of the file that can hold the answer (`scan`).

use std::collections::HashMap;

use memchr::memmem;

use super::runs::{RunHistory, group, started};
use super::scan::{Backwards, forward_from, later_by_skew, record, start_window, time_of};
use super::{Journal, JournalError, Record, RunId};
use crate::journal::{Event, RunStatus};

/// Why a run asked for by id is not there to show.
#[derive(Debug, thiserror::Error)]
pub enum Lookup {
    #[error("no run `{0}` in the journal")]
    Missing(String),
    #[error("`{wanted}` matches {count} runs; give more of the id")]
    Ambiguous { wanted: String, count: usize },
    #[error(transparent)]
    Unreadable(#[from] JournalError),
}

/// Which of the newest runs `history` lists.
pub struct RunSelection<'a> {
    pub limit: usize,
    pub keep: &'a dyn Fn(&RunHistory) -> bool,
}

/// How many runs back a resumed run's chain is followed at most.
const LONGEST_CHAIN: usize = 100;

impl Journal {
    /// The newest runs first, as many as `selection.limit` that it keeps, read from the end of
    /// the file. Their records are not kept: only how each started and ended.
    pub fn newest_runs(
        &self,
        selection: &RunSelection<'_>,
    ) -> Result<Vec<RunHistory>, JournalError> {
        let started_mark = memmem::Finder::new(b"\"run_started\"");
        let finished_mark = memmem::Finder::new(b"\"run_finished\"");
        self.reading(|file| {
            let mut statuses: HashMap<RunId, RunStatus> = HashMap::new();
            let mut runs = Vec::new();
            for line in Backwards::new(file)? {
                if runs.len() >= selection.limit {
                    break;
                }
                let worth_reading =
                    started_mark.find(&line).is_some() || finished_mark.find(&line).is_some();
                let Some(record) = worth_reading.then(|| record(&line)).flatten() else {
                    continue;
                };
                if let Event::RunFinished { status, .. } = &record.event {
                    statuses.entry(record.run_id.clone()).or_insert(*status);
                } else if let Some(mut run) = started(&record) {
                    run.status = statuses.remove(&run.run_id);
                    if (selection.keep)(&run) {
                        runs.push(run);
                    }
                }
            }
            Ok(runs)
        })
        .map(Option::unwrap_or_default)
    }

    /// The run whose id is `wanted` or starts with it, with every record of it: found by the time
    /// its id says it started, then its records read forward to its end.
    pub fn run(&self, wanted: &str) -> Result<RunHistory, Lookup> {
        let Some((first, last)) = start_window(wanted) else {
            return Err(Lookup::Missing(wanted.to_string()));
        };
        let records = self
            .reading(|file| run_records(file, wanted, &first, &last))?
            .unwrap_or(Ok(Vec::new()))?;
        group(records).pop().ok_or_else(|| Lookup::Missing(wanted.to_string()))
    }

    /// `run`, then the run it resumed, and so on back to the first (each found as `run` finds
    /// one): a resume of a resumed run inherits what every run of the chain left unfinished.
    pub fn resume_chain(&self, run: RunHistory) -> Result<Vec<RunHistory>, JournalError> {
        let mut chain = vec![run];
        while chain.len() < LONGEST_CHAIN {
            let Some(earlier_id) = chain[chain.len() - 1].resumes.clone() else {
                break;
            };
            if chain.iter().any(|seen| seen.run_id == earlier_id) {
                break;
            }
            match self.run(&earlier_id) {
                Ok(earlier) => chain.push(earlier),
                Err(Lookup::Unreadable(error)) => return Err(error),
                Err(_) => break,
            }
        }
        Ok(chain)
    }

    /// The records from `from` (RFC 3339) on, to `to` if given, oldest first.
    pub fn records_between(
        &self,
        from: &str,
        to: Option<&str>,
    ) -> Result<Vec<Record>, JournalError> {
        let end = to.map(later_by_skew);
        self.reading(|file| {
            let mut records = Vec::new();
            for line in forward_from(file, from)? {
                let Some(record) = record(&line) else {
                    continue;
                };
                if end.as_deref().is_some_and(|end| record.time.as_str() > end) {
                    break;
                }
                let within =
                    record.time.as_str() >= from && to.is_none_or(|to| record.time.as_str() <= to);
                if within {
                    records.push(record);
                }
            }
            Ok(records)
        })
        .map(Option::unwrap_or_default)
    }
}

/// The records of the one run whose id starts with `wanted` and which started between `first`
/// and `last`. The lines of that window are all read (another run's may start there too); after
/// it, only the lines that name the run, and once it has finished, a short while more.
fn run_records(
    file: &std::fs::File,
    wanted: &str,
    first: &str,
    last: &str,
) -> std::io::Result<Result<Vec<Record>, Lookup>> {
    let window_end = later_by_skew(last);
    let mut lines = forward_from(file, first)?;
    let mut matched: Vec<RunId> = Vec::new();
    let mut records = Vec::new();
    for line in lines.by_ref() {
        let Some(record) = record(&line) else {
            continue;
        };
        if record.time.as_str() > window_end.as_str() {
            if matched.contains(&record.run_id) {
                records.push(record);
            }
            break;
        }
        if matches!(record.event, Event::RunStarted { .. }) && record.run_id.starts_with(wanted) {
            matched.push(record.run_id.clone());
        }
        if matched.contains(&record.run_id) {
            records.push(record);
        }
    }
    let run_id = match matched.as_slice() {
        [] => return Ok(Err(Lookup::Missing(wanted.to_string()))),
        [one] => one.clone(),
        many => {
            return Ok(Err(Lookup::Ambiguous { wanted: wanted.to_string(), count: many.len() }));
        }
    };
    records.retain(|record| record.run_id == run_id);
    rest_of_run(lines, &run_id, &mut records);
    Ok(Ok(records))
}

/// The records of `run_id` after its start's window: only the lines that name it are read, and
/// once it has finished, the lines of a short while more.
fn rest_of_run(lines: impl Iterator<Item = Vec<u8>>, run_id: &str, records: &mut Vec<Record>) {
    let mut finished_at = records
        .iter()
        .find(|record| matches!(record.event, Event::RunFinished { .. }))
        .map(|record| later_by_skew(&record.time));
    let named = memmem::Finder::new(run_id.as_bytes());
    for line in lines {
        if let Some(end) = &finished_at
            && time_of(&line).is_some_and(|time| time > *end)
        {
            break;
        }
        if named.find(&line).is_none() {
            continue;
        }
        let Some(record) = record(&line).filter(|record| record.run_id == run_id) else {
            continue;
        };
        if matches!(record.event, Event::RunFinished { .. }) {
            finished_at = Some(later_by_skew(&record.time));
        }
        records.push(record);
    }
}
