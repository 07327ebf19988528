//! The single factory of Rhai engines, so that every engine has the same sandbox limits.

use std::path::Path;

use rhai::Engine;

use super::modules::RunbooksFolderResolver;

/// Limits that keep a runaway script from hanging or exhausting the machine.
const MAX_OPERATIONS: u64 = 10_000_000;
pub const MAX_CALL_LEVELS: usize = 48;
const MAX_MODULES: usize = 32;
const MAX_EXPRESSION_DEPTH: usize = 64;
const MAX_FUNCTION_EXPRESSION_DEPTH: usize = 32;
const MAX_STRING_SIZE: usize = 4 * 1024 * 1024;
const MAX_ARRAY_SIZE: usize = 100_000;
const MAX_MAP_SIZE: usize = 100_000;

/// Minutes from an RFC 3339 time (as Heroku writes `created_at`) to now; -1 when unreadable.
fn minutes_since(time: &str) -> i64 {
    humantime::parse_rfc3339_weak(time.trim_end_matches('Z').split('+').next().unwrap_or(time))
        .ok()
        .and_then(|then| std::time::SystemTime::now().duration_since(then).ok())
        .map_or(-1, |elapsed| (elapsed.as_secs() / 60) as i64)
}

/// The items as text with `separator` between them (`join(["a", "b"], ", ")` is `a, b`).
fn join(items: rhai::Array, separator: &str) -> String {
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(separator)
}

/// The engine that validation compiles with: `heroku::` exists as a namespace, its calls are
/// checked against the catalogue separately (see `runbook::rhai_check`).
pub fn for_validation(runbooks: &Path) -> Engine {
    let mut engine = sandboxed(runbooks);
    engine.register_static_module("heroku", rhai::Module::new().into());
    engine
}

/// A sandboxed engine: limits set, `eval` disabled, imports only from the `runbooks` folder,
/// output silenced until the executor routes it to the Printer.
pub fn sandboxed(runbooks: &Path) -> Engine {
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
        .set_module_resolver(RunbooksFolderResolver::new(runbooks));
    engine.disable_symbol("eval");
    engine.register_fn("minutes_since", minutes_since);
    engine.register_fn("join", join);
    engine.on_print(|_| {});
    engine.on_debug(|_, _, _| {});
    engine
}
