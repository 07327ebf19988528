//! A Rhai error as people read it: one line, with its line number, and a plain word for the
//! sandbox's limits.

use rhai::EvalAltResult;

/// A Rhai error as one line, with its position, and a plain word for the sandbox's limits.
pub fn script_error(error: &EvalAltResult) -> String {
    let mut inner = error;
    while let EvalAltResult::ErrorInFunctionCall(_, _, next, _) = inner {
        inner = next;
    }
    let line = inner
        .position()
        .line()
        .map(|line| format!(" (line {line})"))
        .unwrap_or_default();
    let explained = match inner {
        EvalAltResult::ErrorTooManyOperations(_) => {
            "the script ran too long without finishing (more than the sandbox's operation limit): an endless loop?".to_string()
        }
        EvalAltResult::ErrorStackOverflow(_) => "the script called functions too deeply: unbounded recursion?".to_string(),
        EvalAltResult::ErrorDataTooLarge(what, _) => format!("the script made a {what} larger than the sandbox allows"),
        other => other.to_string().replace(&format!(" ({})", other.position()), ""),
    };
    format!("{explained}{line}")
}
