//! What every test checks without being told: the same run as a dry-run sends no write and runs
//! nothing local; no write reaches the simulator more often than the journal recorded it sent;
//! no secret (a secret param, a config var's value) is seen in the output or the journal; and
//! nothing is sent after a question was refused.

use std::collections::BTreeMap;

use serde_json::Value;

use super::case::TestCase;
use super::expect::Mismatch;
use super::outcome::Outcome;

/// Config var values shorter than this are not secrets worth the name (`3`, `production`).
const SHORTEST_SECRET: usize = 12;

/// The properties of the run itself.
pub fn of_run(case: &TestCase, run: &Outcome) -> Vec<Mismatch> {
    let mut broken = Vec::new();
    sent_once(run, &mut broken);
    no_secret_seen(case, run, &mut broken);
    if let Some(write) = &run.written_after_refusal {
        broken.push(property(
            "nothing is sent after a refusal",
            "no write after a refused question",
            format!("sent {write}"),
        ));
    }
    broken
}

/// The properties of the run's dry-run twin.
pub fn of_dry_run(case: &TestCase, dry: &Outcome) -> Vec<Mismatch> {
    let mut broken = Vec::new();
    if let Some(write) = dry.received.first() {
        broken.push(property(
            "a dry-run sends no write",
            "no write reaches the simulator",
            format!("{write} reached it"),
        ));
    }
    if let Some(write) = dry.sent.first() {
        broken.push(property(
            "a dry-run sends no write",
            "no write_sent in its journal",
            format!("{write}"),
        ));
    }
    if dry.commands_started > 0 {
        broken.push(property(
            "a dry-run runs nothing local",
            "no command started",
            format!("{} started", dry.commands_started),
        ));
    }
    no_secret_seen(case, dry, &mut broken);
    broken
}

fn property(what: &str, expected: &str, actual: String) -> Mismatch {
    Mismatch {
        what: format!("property: {what}"),
        expected: expected.to_string(),
        actual,
    }
}

/// Each write reached the simulator at most as often as the journal recorded it sent.
fn sent_once(run: &Outcome, broken: &mut Vec<Mismatch>) {
    let mut recorded: BTreeMap<(String, String), usize> = BTreeMap::new();
    for write in &run.sent {
        *recorded
            .entry((write.method.clone(), write.path.clone()))
            .or_default() += 1;
    }
    let mut received: BTreeMap<(String, String), usize> = BTreeMap::new();
    for write in &run.received {
        *received
            .entry((write.method.clone(), write.path.clone()))
            .or_default() += 1;
    }
    for ((method, path), count) in received {
        let sent = recorded
            .get(&(method.clone(), path.clone()))
            .copied()
            .unwrap_or(0);
        if count > sent {
            broken.push(property(
                "no write is sent twice",
                format!("{method} {path} received as often as recorded sent ({sent})").as_str(),
                format!("received {count} times"),
            ));
        }
    }
}

fn no_secret_seen(case: &TestCase, run: &Outcome, broken: &mut Vec<Mismatch>) {
    let mut secrets: Vec<(String, String)> = case
        .secrets
        .iter()
        .map(|value| ("a secret param".to_string(), value.clone()))
        .collect();
    secrets.extend(config_secrets(&run.world));
    for (what, value) in secrets {
        let places = [
            ("the output", &run.output),
            ("the journal", &run.journal_text),
        ];
        for (place, text) in places {
            if text.contains(value.as_str()) {
                broken.push(property(
                    "no secret is seen",
                    &format!("{what} masked in {place}"),
                    format!("its value appears in {place}"),
                ));
            }
        }
    }
}

/// The config var values of every app of the world that are long enough to be secrets.
fn config_secrets(world: &Value) -> Vec<(String, String)> {
    world["apps"]
        .as_object()
        .into_iter()
        .flatten()
        .flat_map(|(app, summary)| {
            summary["config_vars"]
                .as_object()
                .into_iter()
                .flatten()
                .filter_map(|(name, value)| {
                    let value = value.as_str()?;
                    (value.len() >= SHORTEST_SECRET && !value.contains(app.as_str()))
                        .then(|| (format!("{app}'s {name}"), value.to_string()))
                })
                .collect::<Vec<_>>()
        })
        .collect()
}
