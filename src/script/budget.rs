//! A run's sandbox budget, shared by every engine and thread of the run (YAML expressions, the
//! Rhai script, `for_each` items, callees): one count of operations, and a cap on the memory the
//! run's scripts hold together. The engines of a run have no limit of their own per call (an item
//! of a `for_each` is a call): this budget is the only one, so no item starts afresh.

use std::sync::atomic::{AtomicU64, Ordering};

use rhai::Dynamic;

use super::memory;

/// Operations a whole run may evaluate, across all its scripts and threads.
pub const RUN_OPERATIONS: u64 = 50_000_000;
/// Heap a run's scripts may hold together, above what the process held when the run started.
pub const RUN_MEMORY: usize = 64 * 1024 * 1024;

/// The tokens a spent budget ends a script with (uncatchable: `ErrorTerminated`).
pub const OUT_OF_OPERATIONS: &str = "budget: operations";
pub const OUT_OF_MEMORY: &str = "budget: memory";

#[derive(Debug)]
pub struct Budget {
    spent: AtomicU64,
    operations: u64,
    memory: usize,
    /// The heap the process held when the run started: not the scripts'.
    baseline: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Self::new(RUN_OPERATIONS, RUN_MEMORY)
    }
}

impl Budget {
    pub fn new(operations: u64, memory: usize) -> Self {
        Self { spent: AtomicU64::new(0), operations, memory, baseline: memory::in_use() }
    }

    /// Counts one operation; the token to stop the script with once the budget is spent.
    pub fn spend(&self) -> Option<Dynamic> {
        if self.spent.fetch_add(1, Ordering::Relaxed) >= self.operations {
            return Some(Dynamic::from(OUT_OF_OPERATIONS));
        }
        (memory::in_use().saturating_sub(self.baseline) > self.memory)
            .then(|| Dynamic::from(OUT_OF_MEMORY))
    }

    /// Whether the operations are all spent: nothing more of the run's scripts starts.
    pub fn is_spent(&self) -> bool {
        self.spent.load(Ordering::Relaxed) >= self.operations
    }

    /// A sentence for a script stopped with `token`, if the budget stopped it.
    pub fn explain(token: &str) -> Option<String> {
        match token {
            OUT_OF_OPERATIONS => Some(format!(
                "the run's scripts ran too long without finishing (more than {RUN_OPERATIONS} operations in all): an endless loop?"
            )),
            OUT_OF_MEMORY => Some(format!(
                "the run's scripts hold more than {} MiB of values in all: stopped",
                RUN_MEMORY / (1024 * 1024)
            )),
            _ => None,
        }
    }
}
