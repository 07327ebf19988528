//! Compares what a rehearsal did with what its test expects: each difference is a mismatch with
//! the expected and the actual side by side.

use serde_json::Value;

use super::case::{After, Expectations, Write};
use super::outcome::Outcome;
use super::spec::StepResultSpec;

/// One expectation that did not hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Mismatch {
    pub what: String,
    pub expected: String,
    pub actual: String,
}

impl Mismatch {
    fn new(
        what: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
    ) -> Self {
        Self { what: what.into(), expected: expected.into(), actual: actual.into() }
    }
}

/// Every expectation of `expect` that `outcome` does not meet.
pub fn compare(expect: &Expectations, outcome: &Outcome) -> Vec<Mismatch> {
    let mut mismatches = Vec::new();
    if let Some(exit) = expect.exit
        && outcome.exit != Some(i32::from(exit))
    {
        mismatches.push(Mismatch::new("exit code", exit.to_string(), shown_exit(outcome.exit)));
    }
    if let Some(status) = expect.status
        && outcome.status.as_deref() != Some(status.name())
    {
        mismatches.push(Mismatch::new(
            "status",
            status.name(),
            outcome.status.clone().unwrap_or_else(|| "no run_finished in the journal".into()),
        ));
    }
    unused_answers(outcome, &mut mismatches);
    writes(expect, outcome, &mut mismatches);
    text(expect, outcome, &mut mismatches);
    for (name, wanted) in &expect.steps {
        step(name, *wanted, outcome, &mut mismatches);
    }
    if let Some(after) = &expect.after {
        world(after, &outcome.world, &mut mismatches);
    }
    mismatches
}

/// Every answer the test gives must be taken by a question: one left over means the question it
/// was meant for is gone.
fn unused_answers(outcome: &Outcome, mismatches: &mut Vec<Mismatch>) {
    let unused: Vec<&str> = outcome.world["unused_answers"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !unused.is_empty() {
        mismatches.push(Mismatch::new(
            "answers",
            "every answer taken by a question of the run",
            format!("never asked: {}", unused.join(", ")),
        ));
    }
}

fn shown_exit(exit: Option<i32>) -> String {
    exit.map_or_else(|| "killed by a signal".into(), |code| code.to_string())
}

fn writes(expect: &Expectations, outcome: &Outcome, mismatches: &mut Vec<Mismatch>) {
    if let Some(wanted) = &expect.writes {
        let matched = if expect.writes_in_any_order {
            same_set(wanted, &outcome.sent)
        } else {
            wanted.len() == outcome.sent.len()
                && wanted.iter().zip(&outcome.sent).all(|(want, sent)| matches(want, sent))
        };
        if !matched {
            let order = if expect.writes_in_any_order { " (in any order)" } else { "" };
            mismatches.push(Mismatch::new(
                format!("writes sent{order}"),
                listed(wanted),
                listed(&outcome.sent),
            ));
        }
    }
    for forbidden in &expect.not_sent {
        if let Some(sent) = outcome.sent.iter().find(|sent| matches(forbidden, sent)) {
            mismatches.push(Mismatch::new(
                "a write that must not be sent",
                format!("never {forbidden}"),
                format!("sent {sent}"),
            ));
        }
    }
}

/// A sent write matches a wanted one: same method and path, and the wanted body inside its body.
pub fn matches(wanted: &Write, sent: &Write) -> bool {
    wanted.method == sent.method
        && wanted.path == sent.path
        && wanted
            .body
            .as_ref()
            .is_none_or(|body| sent.body.as_ref().is_some_and(|sent| contains(sent, body)))
}

/// Whether `whole` holds `part`: every key of an object with a value holding the part's, every
/// item of an array in order, scalars equal.
fn contains(whole: &Value, part: &Value) -> bool {
    match (whole, part) {
        (Value::Object(whole), Value::Object(part)) => part
            .iter()
            .all(|(key, value)| whole.get(key).is_some_and(|inner| contains(inner, value))),
        (Value::Array(whole), Value::Array(part)) => {
            whole.len() == part.len()
                && whole.iter().zip(part).all(|(inner, value)| contains(inner, value))
        }
        _ => whole == part,
    }
}

fn same_set(wanted: &[Write], sent: &[Write]) -> bool {
    if wanted.len() != sent.len() {
        return false;
    }
    let mut left: Vec<&Write> = sent.iter().collect();
    wanted.iter().all(|want| match left.iter().position(|sent| matches(want, sent)) {
        Some(position) => {
            left.remove(position);
            true
        }
        None => false,
    })
}

fn listed(writes: &[Write]) -> String {
    if writes.is_empty() {
        return "no write".into();
    }
    writes.iter().map(Write::to_string).collect::<Vec<_>>().join("; ")
}

fn text(expect: &Expectations, outcome: &Outcome, mismatches: &mut Vec<Mismatch>) {
    if let Some(next) = &expect.next
        && outcome.next_hint() != Some(next.as_str())
    {
        mismatches.push(Mismatch::new(
            "next: hint",
            next.clone(),
            outcome.next_hint().unwrap_or("no `next:` line").to_string(),
        ));
    }
    for wanted in &expect.output {
        if !outcome.output.lines().any(|line| line.contains(wanted.as_str())) {
            mismatches.push(Mismatch::new(
                "output",
                format!("a line containing `{wanted}`"),
                "no such line".to_string(),
            ));
        }
    }
    for unwanted in &expect.not_in_output {
        if let Some(line) = outcome.output.lines().find(|line| line.contains(unwanted.as_str())) {
            mismatches.push(Mismatch::new(
                "output",
                format!("no line containing `{unwanted}`"),
                line.trim().to_string(),
            ));
        }
    }
}

fn step(name: &str, wanted: StepResultSpec, outcome: &Outcome, mismatches: &mut Vec<Mismatch>) {
    let actual = outcome.step_status(name).unwrap_or("not_reached");
    let actual = if actual == "started" { "not finished" } else { actual };
    if actual != wanted.name() {
        mismatches.push(Mismatch::new(format!("step `{name}`"), wanted.name(), actual));
    }
}

fn world(after: &After, world: &Value, mismatches: &mut Vec<Mismatch>) {
    let app = &world["apps"][after.app.as_str()];
    if app.is_null() {
        mismatches.push(Mismatch::new(
            "the world after",
            format!("the app `{}`", after.app),
            "no such app in the simulator",
        ));
        return;
    }
    for (which, state) in &after.dynos {
        dynos(after, app, which.as_deref(), state, mismatches);
    }
    if let Some(release) = &after.release
        && app["release"].as_str() != Some(release.as_str())
    {
        mismatches.push(Mismatch::new(
            format!("current release of {}", after.app),
            release.clone(),
            app["release"].as_str().unwrap_or("none").to_string(),
        ));
    }
    if let Some(maintenance) = after.maintenance
        && app["maintenance"].as_bool() != Some(maintenance)
    {
        mismatches.push(Mismatch::new(
            format!("maintenance of {}", after.app),
            on_off(maintenance),
            app["maintenance"].as_bool().map_or("unknown", on_off),
        ));
    }
    for (process_type, quantity) in &after.formation {
        let seen = app["formation"][process_type.as_str()].as_u64();
        if seen != Some(*quantity) {
            mismatches.push(Mismatch::new(
                format!("{process_type} dynos of {}", after.app),
                quantity.to_string(),
                seen.map_or_else(|| "no such process type".into(), |seen| seen.to_string()),
            ));
        }
    }
}

/// Every dyno `which` names (a dyno, a process type, or all) is in `state`.
fn dynos(
    after: &After,
    app: &Value,
    which: Option<&str>,
    state: &str,
    mismatches: &mut Vec<Mismatch>,
) {
    let named: Vec<(&String, &str)> = app["dynos"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, seen)| (name, seen.as_str().unwrap_or("?")))
        .filter(|(name, _)| {
            which.is_none_or(|which| {
                name.as_str() == which
                    || name.split_once('.').is_some_and(|(kind, _)| kind == which)
            })
        })
        .collect();
    let wanted = match which {
        Some(which) => format!("{which} {state}"),
        None => format!("every dyno {state}"),
    };
    if named.is_empty() {
        mismatches.push(Mismatch::new(
            format!("dynos of {} after", after.app),
            wanted,
            "no such dyno",
        ));
        return;
    }
    let others: Vec<String> = named
        .iter()
        .filter(|(_, seen)| *seen != state)
        .map(|(name, seen)| format!("{name} {seen}"))
        .collect();
    if !others.is_empty() {
        mismatches.push(Mismatch::new(
            format!("dynos of {} after", after.app),
            wanted,
            others.join(", "),
        ));
    }
}

fn on_off(on: bool) -> &'static str {
    if on { "on" } else { "off" }
}
