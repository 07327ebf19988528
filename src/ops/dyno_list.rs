//! Dynos as the operations show them: `2 dynos: web.1 up, web.2 crashed`, and those of one type.

use crate::heroku::types::Dyno;
use crate::identifiers::ProcessType;

/// `web.1 up, web.2 crashed`, or `no dynos`.
pub fn describe(dynos: &[Dyno]) -> String {
    if dynos.is_empty() {
        return "no dynos".to_string();
    }
    let listed: Vec<String> = dynos
        .iter()
        .map(|dyno| format!("{} {}", dyno.name, dyno.state))
        .collect();
    format!("{} dynos: {}", dynos.len(), listed.join(", "))
}

/// The dynos of `process_type`, or all of them.
pub fn of_type(dynos: Vec<Dyno>, process_type: Option<&ProcessType>) -> Vec<Dyno> {
    match process_type {
        Some(process_type) => dynos
            .into_iter()
            .filter(|dyno| dyno.process_type == process_type.as_str())
            .collect(),
        None => dynos,
    }
}
