//! The team's own async runtime, so that the database can be reached from any thread of a run:
//! from a Rhai host function, from inside the run's runtime, or from a plain command.

use std::future::Future;

/// A one-worker runtime that drives the database connections; every call blocks its caller on a
/// thread of its own, so it never nests inside another runtime.
pub struct Worker {
    runtime: tokio::runtime::Runtime,
}

impl Worker {
    pub fn start() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("runbook-team")
            .enable_all()
            .build()?;
        Ok(Self { runtime })
    }

    /// Runs `future` to its end and gives its output.
    pub fn block<F>(&self, future: F) -> F::Output
    where
        F: Future + Send,
        F::Output: Send,
    {
        std::thread::scope(|scope| {
            scope
                .spawn(|| self.runtime.block_on(future))
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
        })
    }

    /// Runs `future` in the background for as long as the runtime lives (a connection's driver).
    pub fn spawn<F>(&self, future: F)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.runtime.spawn(future);
    }
}
