//! Dynos as the operations show them: `2 dynos: web.1 up, web.2 crashed`, and those of one type.

use crate::heroku::types::Dyno;
use crate::identifiers::ProcessType;

/// How many dynos are named one by one; past that, a count by state and the dynos not up.
const NAMED: usize = 8;

/// `3 dynos: web.1 up, web.2 crashed, worker.1 up`, or `no dynos`; many dynos are summed up as
/// `40 dynos: 38 up, 2 crashed (web.3, web.17)`.
pub fn describe(dynos: &[Dyno]) -> String {
    if dynos.is_empty() {
        return "no dynos".to_string();
    }
    if dynos.len() <= NAMED {
        let listed: Vec<String> =
            dynos.iter().map(|dyno| format!("{} {}", dyno.name, dyno.state)).collect();
        return format!("{} dynos: {}", dynos.len(), listed.join(", "));
    }
    let mut states: Vec<(String, Vec<&str>)> = Vec::new();
    for dyno in dynos {
        let state = dyno.state.to_string();
        match states.iter_mut().find(|(seen, _)| *seen == state) {
            Some((_, names)) => names.push(&dyno.name),
            None => states.push((state, vec![dyno.name.as_str()])),
        }
    }
    let counts: Vec<String> = states
        .iter()
        .map(|(state, names)| match state.as_str() {
            "up" => format!("{} up", names.len()),
            _ if names.len() <= NAMED => format!("{} {state} ({})", names.len(), names.join(", ")),
            _ => format!("{} {state}", names.len()),
        })
        .collect();
    format!("{} dynos: {}", dynos.len(), counts.join(", "))
}

/// The dynos of `process_type`, or all of them.
pub fn of_type(dynos: Vec<Dyno>, process_type: Option<&ProcessType>) -> Vec<Dyno> {
    match process_type {
        Some(process_type) => {
            dynos.into_iter().filter(|dyno| dyno.process_type == process_type.as_str()).collect()
        }
        None => dynos,
    }
}
