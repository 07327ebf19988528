//! The single factory of Rhai engines, so that every engine has the same sandbox limits.

use std::sync::Arc;

use rhai::Engine;

use super::modules::{CheckedModules, CheckedModulesResolver};

/// Limits that keep a runaway script from hanging or exhausting the machine.
const MAX_OPERATIONS: u64 = 10_000_000;
pub const MAX_CALL_LEVELS: usize = 48;
/// The most modules a script may load while it runs, and that a runbook may import in all.
pub const MAX_MODULES: usize = 32;
const MAX_EXPRESSION_DEPTH: usize = 64;
const MAX_FUNCTION_EXPRESSION_DEPTH: usize = 32;
const MAX_STRING_SIZE: usize = 4 * 1024 * 1024;
const MAX_ARRAY_SIZE: usize = 100_000;
const MAX_MAP_SIZE: usize = 100_000;

/// Minutes from an RFC 3339 time (as Heroku writes `created_at`) to now; -1 when unreadable.
fn minutes_since(time: &str) -> i64 {
    humantime::parse_rfc3339_weak(time.trim_end_matches('Z').split('+').next().unwrap_or(time))
        .ok()
        .and_then(|then| crate::clock::system_now().duration_since(then).ok())
        .map_or(-1, |elapsed| (elapsed.as_secs() / 60) as i64)
}

/// How long ago an RFC 3339 time was, as people say it: `just now`, `5 minutes ago`,
/// `3 hours ago`, `2 days ago`; `at an unknown time` when unreadable.
fn ago(time: &str) -> String {
    let minutes = minutes_since(time);
    let (count, unit) = match minutes {
        ..0 => return "at an unknown time".to_string(),
        0 => return "just now".to_string(),
        1..60 => (minutes, "minute"),
        60..2880 => (minutes / 60, "hour"),
        _ => (minutes / 1440, "day"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural} ago")
}

/// The items as text with `separator` between them (`join(["a", "b"], ", ")` is `a, b`).
fn join(items: rhai::Array, separator: &str) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
}

/// The engine that validation compiles with: `heroku::` exists as a namespace, its calls are
/// checked against the catalogue separately (see `runbook::rhai_check`); it imports nothing.
pub fn for_validation() -> Engine {
    let mut engine = sandboxed(Arc::default());
    engine.register_static_module("heroku", rhai::Module::new().into());
    engine
}

/// A sandboxed engine: limits set, `eval` disabled, imports only of the `modules` validation
/// checked, output silenced until the executor routes it to the Printer.
pub fn sandboxed(modules: Arc<CheckedModules>) -> Engine {
    let mut engine = Engine::new();
    engine
        .set_max_operations(MAX_OPERATIONS)
        .set_max_call_levels(MAX_CALL_LEVELS)
        .set_max_expr_depths(MAX_EXPRESSION_DEPTH, MAX_FUNCTION_EXPRESSION_DEPTH)
        .set_max_string_size(MAX_STRING_SIZE)
        .set_max_array_size(MAX_ARRAY_SIZE)
        .set_max_map_size(MAX_MAP_SIZE)
        .set_max_modules(MAX_MODULES)
        .set_strict_variables(true)
        .set_module_resolver(CheckedModulesResolver::new(modules));
    engine.disable_symbol("eval");
    engine.register_fn("minutes_since", minutes_since);
    engine.register_fn("ago", ago);
    engine.register_fn("join", join);
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine
}
