//! Step control for Rhai runbooks, with the same meaning as the YAML keys:
//! `retry(attempts, delay, || ...)`, `with_timeout(duration, || ...)` and
//! `for_each(list, concurrency, |item| ...)`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use rhai::{Array, Dynamic, Engine, EvalAltResult, FnPtr, NativeCallContext};

use super::failure::StepFailure;
use super::rhai_host::{Host, HostResult};
use crate::duration::parse_wait;
use crate::journal::Event;
use crate::runbook::MAX_CONCURRENCY;

/// What one item's closure gave.
type ItemResult = Result<Dynamic, Box<EvalAltResult>>;

/// Call levels of the script: Rhai counts them per evaluation, and a `for_each` item starts a
/// new evaluation on its worker thread, so the levels above it are carried over by hand.
const MAX_CALL_LEVELS: usize = crate::script::MAX_CALL_LEVELS;
/// Stack of each `for_each` worker thread, as deep as the main thread's.
const WORKER_STACK: usize = 8 * 1024 * 1024;

thread_local! {
    /// On a `for_each` worker: the call levels of the script above the item it runs.
    static LEVELS_ABOVE: std::cell::Cell<Option<usize>> = const { std::cell::Cell::new(None) };
}

impl Host {
    pub fn register_flow(self: &Arc<Self>, engine: &mut Engine) {
        let host = Arc::clone(self);
        engine.register_fn(
            "retry",
            move |context: NativeCallContext, attempts: i64, delay: &str, body: FnPtr| {
                host.retry(&context, attempts, delay, &body)
            },
        );
        let host = Arc::clone(self);
        engine.register_fn(
            "with_timeout",
            move |context: NativeCallContext, limit: &str, body: FnPtr| {
                host.with_timeout(&context, limit, &body)
            },
        );
        let host = Arc::clone(self);
        engine.register_fn(
            "for_each",
            move |context: NativeCallContext, items: Array, concurrency: i64, body: FnPtr| {
                host.for_each(&context, items, concurrency, &body)
            },
        );
    }

    fn retry(
        &self,
        context: &NativeCallContext,
        attempts: i64,
        delay: &str,
        body: &FnPtr,
    ) -> HostResult {
        let attempts =
            u32::try_from(attempts).ok().filter(|attempts| *attempts >= 1).ok_or_else(|| {
                self.fail(StepFailure::failed(format!(
                    "retry: attempts counts every try, so it is at least 1, not {attempts}"
                )))
            })?;
        let delay = parse_wait(delay)
            .map_err(|error| self.fail(StepFailure::failed(format!("retry: {error}"))))?;
        let (index, _) = self.current();
        for attempt in 1..=attempts {
            match body.call_within_context::<Dynamic>(context, ()) {
                Err(error) if attempt < attempts && self.failure_of(&error).is_retryable() => {
                    let failure = self.failure_of(&error);
                    self.run.reporter.emit(&Event::StepRetry {
                        index,
                        attempt,
                        attempts,
                        error: failure.message(),
                        delay_ms: delay.as_millis() as u64,
                    });
                    self.run.pause(delay).map_err(|failure| self.fail(failure))?;
                }
                result => return result,
            }
        }
        unreachable!("the last attempt returns")
    }

    fn with_timeout(&self, context: &NativeCallContext, limit: &str, body: &FnPtr) -> HostResult {
        let limit = parse_wait(limit)
            .map_err(|error| self.fail(StepFailure::failed(format!("with_timeout: {error}"))))?;
        let end = crate::clock::now() + limit;
        let outer = {
            let mut deadline = self.deadline.lock().unwrap_or_else(PoisonError::into_inner);
            let outer = *deadline;
            if outer.is_none_or(|(outer_end, _)| end < outer_end) {
                *deadline = Some((end, limit));
            }
            outer
        };
        let result = body.call_within_context::<Dynamic>(context, ()).map_err(|error| {
            let stopped_here =
                matches!(*error, EvalAltResult::ErrorTerminated(..)) && crate::clock::now() >= end;
            if stopped_here && !self.run.interrupted() {
                let message = format!("timed out after {}", humantime::format_duration(limit));
                self.fail(StepFailure::failed(message))
            } else {
                error
            }
        });
        *self.deadline.lock().unwrap_or_else(PoisonError::into_inner) = outer;
        result
    }

    /// Calls `body` once per item on up to `concurrency` threads; the results in item order. A
    /// `for_each` inside an item runs its items one by one on that item's thread, so that nesting
    /// never multiplies threads, and the call levels above it count against the same limit.
    fn for_each(
        &self,
        context: &NativeCallContext,
        items: Array,
        concurrency: i64,
        body: &FnPtr,
    ) -> HostResult {
        let concurrency = usize::try_from(concurrency)
            .ok()
            .filter(|concurrency| (1..=MAX_CONCURRENCY as usize).contains(concurrency))
            .ok_or_else(|| {
                self.fail(StepFailure::failed(format!(
                    "for_each: concurrency is between 1 and {MAX_CONCURRENCY}"
                )))
            })?;
        let above = LEVELS_ABOVE.with(std::cell::Cell::get);
        let levels = above.unwrap_or(0) + context.call_level();
        if levels >= MAX_CALL_LEVELS {
            return Err(self.fail(StepFailure::failed(
                "the script called functions too deeply (through for_each): unbounded recursion?",
            )));
        }
        if above.is_some() {
            return self.for_each_here(context, items, body);
        }
        let results = self.for_each_on_workers(&items, concurrency, levels + 1, body);
        self.gather(items, results)
    }

    /// The items' closures on up to `concurrency` worker threads, each knowing the call levels
    /// above it; the results in item order.
    fn for_each_on_workers(
        &self,
        items: &Array,
        concurrency: usize,
        levels: usize,
        body: &FnPtr,
    ) -> Vec<Option<ItemResult>> {
        let (engine, ast) =
            self.compiled.get().cloned().expect("the script is compiled before it runs");
        let total = items.len();
        let (index, _) = self.current();
        let (next, done) = (AtomicUsize::new(0), AtomicUsize::new(0));
        let results: Mutex<Vec<Option<ItemResult>>> =
            Mutex::new((0..total).map(|_| None).collect());
        let work = || {
            LEVELS_ABOVE.with(|cell| cell.set(Some(levels)));
            loop {
                let position = next.fetch_add(1, Ordering::SeqCst);
                if position >= total || self.run.interrupted() || self.run.budget.is_spent() {
                    break;
                }
                let outcome = body.call::<Dynamic>(&engine, &ast, (items[position].clone(),));
                let finished = done.fetch_add(1, Ordering::SeqCst) + 1;
                let message = format!("{finished}/{total} done");
                self.run.progress(index, finished as u64, total as u64, message);
                results.lock().unwrap_or_else(PoisonError::into_inner)[position] = Some(outcome);
            }
        };
        std::thread::scope(|scope| {
            for _ in 0..concurrency.min(total) {
                let worker = std::thread::Builder::new().stack_size(WORKER_STACK);
                if worker.spawn_scoped(scope, work).is_err() {
                    break;
                }
            }
        });
        results.into_inner().unwrap_or_else(PoisonError::into_inner)
    }

    /// A nested `for_each`: its items one after the other, on this thread.
    fn for_each_here(&self, context: &NativeCallContext, items: Array, body: &FnPtr) -> HostResult {
        let results = items
            .iter()
            .map(|item| Some(body.call_within_context::<Dynamic>(context, (item.clone(),))))
            .collect();
        self.gather(items, results)
    }

    /// The results in item order, or one error naming every item that failed.
    fn gather(
        &self,
        items: Array,
        results: Vec<Option<Result<Dynamic, Box<EvalAltResult>>>>,
    ) -> HostResult {
        if self.run.interrupted() {
            return Err(self.fail(StepFailure::Interrupted));
        }
        if let Some(Err(stop)) = results
            .iter()
            .flatten()
            .find(|result| matches!(result, Err(error) if !error.is_catchable()))
        {
            let failure = self.failure_of(stop);
            if !failure.is_operation_failure() || is_out_of_budget(stop) {
                return Err(self.fail(failure));
            }
        }
        let total = results.len();
        let mut values = Array::with_capacity(total);
        let mut failures = Vec::new();
        for (item, result) in items.iter().zip(results) {
            match result {
                Some(Ok(value)) => values.push(value),
                Some(Err(error)) => {
                    failures.push(format!("{item}: {}", super::script_error::script_error(&error)))
                }
                None => failures.push(format!("{item}: did not run")),
            }
        }
        if failures.is_empty() {
            return Ok(values.into());
        }
        Err(self.fail(StepFailure::failed(format!(
            "{} of {total} failed: {}",
            failures.len(),
            failures.join("; ")
        ))))
    }
}

/// Whether a script was stopped because the run's budget is spent: that ends every item, and is
/// said once rather than once per item.
fn is_out_of_budget(error: &EvalAltResult) -> bool {
    matches!(error, EvalAltResult::ErrorTerminated(token, _) if crate::script::Budget::explain(&token.to_string()).is_some())
}
