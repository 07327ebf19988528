//! Step results, kept beside the journal rather than in it: a read's result can be large (the
//! lines of a log read), the journal stays small, and `--resume` still restores what earlier
//! steps gave. One file per run under `results/`, the newest runs' only.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Journal, JournalError, error};

/// The folder, beside `journal.jsonl`.
const RESULTS_FOLDER: &str = "results";

/// How many runs keep their results: a run older than that resumes only what its steps can read
/// again.
pub const KEPT_RUNS: usize = 20;

#[derive(Serialize, Deserialize)]
struct KeptResult {
    index: usize,
    result: Value,
}

impl Journal {
    fn results_folder(&self) -> PathBuf {
        self.path
            .parent()
            .map(|folder| folder.join(RESULTS_FOLDER))
            .unwrap_or_else(|| PathBuf::from(RESULTS_FOLDER))
    }

    fn results_file(&self, run_id: &str) -> PathBuf {
        self.results_folder().join(format!("{run_id}.jsonl"))
    }

    /// Keeps the result of main step `index` of `run_id`, secrets masked as in the journal.
    pub fn keep_result(
        &self,
        run_id: &str,
        index: usize,
        result: &Value,
    ) -> Result<(), JournalError> {
        let path = self.results_file(run_id);
        let kept = serde_json::to_value(KeptResult { index, result: result.clone() })
            .map_err(|source| error(&path, source.into()))?;
        let mut line = self.masked_line(&kept);
        line.push('\n');
        std::fs::create_dir_all(self.results_folder()).map_err(|source| error(&path, source))?;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|source| error(&path, source))?;
        file.write_all(line.as_bytes()).map_err(|source| error(&path, source))
    }

    /// The results kept for `run_id`, by main step index; empty once the run is too old.
    pub fn kept_results(&self, run_id: &str) -> BTreeMap<usize, Value> {
        let text = std::fs::read_to_string(self.results_file(run_id)).unwrap_or_default();
        text.lines()
            .filter_map(|line| serde_json::from_str::<KeptResult>(line).ok())
            .map(|kept| (kept.index, kept.result))
            .collect()
    }

    /// Forgets the results of all but the newest `KEPT_RUNS` runs (run ids sort by time).
    pub fn prune_results(&self) {
        let Ok(entries) = std::fs::read_dir(self.results_folder()) else {
            return;
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "jsonl"))
            .collect();
        files.sort();
        let surplus = files.len().saturating_sub(KEPT_RUNS);
        for old in &files[..surplus] {
            let _ = std::fs::remove_file(old);
        }
    }
}
