//! A Rhai error as people read it: one line, with where it happened, and a plain word for the
//! sandbox's limits.

use rhai::EvalAltResult;

/// A Rhai error as one line, with its line number, and a plain word for the sandbox's limits.
pub fn script_error(error: &EvalAltResult) -> String {
    let inner = innermost(error);
    let line = inner.position().line().map(|line| format!(" (line {line})")).unwrap_or_default();
    format!("{}{line}", explain(inner))
}

/// An error of the script itself, outside any step: what failed, and where in `file`.
pub fn outside_any_step(error: &EvalAltResult, file: &str) -> String {
    let inner = innermost(error);
    let place = match inner.position().line() {
        Some(line) => format!("{file}:{line}"),
        None => file.to_string(),
    };
    format!("the script failed outside any step, at {place}: {}", explain(inner))
}

fn innermost(error: &EvalAltResult) -> &EvalAltResult {
    let mut inner = error;
    while let EvalAltResult::ErrorInFunctionCall(_, _, next, _) = inner {
        inner = next;
    }
    inner
}

fn explain(inner: &EvalAltResult) -> String {
    match inner {
        EvalAltResult::ErrorTooManyOperations(_) => {
            "the script ran too long without finishing (more than the sandbox's operation limit): an endless loop?".to_string()
        }
        EvalAltResult::ErrorStackOverflow(_) => "the script called functions too deeply: unbounded recursion?".to_string(),
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("the script made a {what} larger than the sandbox allows"),
        EvalAltResult::ErrorTerminated(token, _) => crate::script::Budget::explain(&token.to_string())
            .unwrap_or_else(|| "the script was stopped (interrupted, or its time was up)".to_string()),
        other => other.to_string().replace(&format!(" ({})", other.position()), ""),
    }
}
