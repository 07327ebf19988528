//! What every test checks without being told: the same run as a dry-run sends no write and runs
//! nothing local; no write reaches the simulator more often than the journal recorded it sent;
//! no secret (a secret param, a config var's value) is seen in the output or the journal; and
//! nothing is sent after a question was refused.

use std::collections::BTreeMap;

use serde_json::Value;

use super::case::{TestCase, Write};
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
    Mismatch { what: format!("property: {what}"), expected: expected.to_string(), actual }
}

/// Each write reached the simulator at most as often as the journal recorded it sent.
fn sent_once(run: &Outcome, broken: &mut Vec<Mismatch>) {
    let recorded = counted(run.sent.iter().chain(&run.uploads));
    for ((method, path), count) in counted(&run.received) {
        let sent = recorded.get(&(method.clone(), path.clone())).copied().unwrap_or(0);
        if count > sent {
            broken.push(property(
                "no write is sent twice",
                format!("{method} {path} received as often as recorded sent ({sent})").as_str(),
                format!("received {count} times"),
            ));
        }
    }
}

/// How many times each `METHOD PATH` comes.
fn counted<'a>(writes: impl IntoIterator<Item = &'a Write>) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for write in writes {
        *counts.entry((write.method.clone(), write.path.clone())).or_default() += 1;
    }
    counts
}

fn no_secret_seen(case: &TestCase, run: &Outcome, broken: &mut Vec<Mismatch>) {
    let mut secrets: Vec<(String, String)> =
        case.secrets.iter().map(|value| ("a secret param".to_string(), value.clone())).collect();
    secrets.extend(config_secrets(&run.world));
    for (what, value) in secrets {
        let places = [("the output", &run.output), ("the journal", &run.journal_text)];
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::case::{Expectations, World, Write};

    fn case(secrets: &[&str]) -> TestCase {
        TestCase {
            file: "t".into(),
            name: "t".into(),
            runbook_file: "r".into(),
            runbook: "r".into(),
            environment: None,
            world: World::Default,
            params: Vec::new(),
            secrets: secrets.iter().map(|secret| secret.to_string()).collect(),
            answers: Vec::new(),
            boot: None,
            dry_run: false,
            no_rollback: false,
            expect: Expectations::default(),
        }
    }

    fn write(method: &str, path: &str) -> Write {
        Write { method: method.into(), path: path.into(), body: None }
    }

    fn outcome() -> Outcome {
        Outcome {
            exit: Some(0),
            output: String::new(),
            journal_path: "journal.jsonl".into(),
            journal_text: String::new(),
            status: Some("succeeded".into()),
            sent: Vec::new(),
            uploads: Vec::new(),
            steps: Vec::new(),
            commands_started: 0,
            written_after_refusal: None,
            received: Vec::new(),
            world: serde_json::json!({ "apps": { "web-app": { "config_vars": {
                "SECRET_KEY": "0123456789abcdef0123", "WEB_CONCURRENCY": "3" } } } }),
        }
    }

    fn broken(found: &[Mismatch]) -> Vec<&str> {
        found.iter().map(|mismatch| mismatch.what.as_str()).collect()
    }

    #[test]
    fn a_clean_run_breaks_nothing() {
        let mut run = outcome();
        run.sent = vec![write("DELETE", "/apps/a/dynos")];
        run.received = vec![write("DELETE", "/apps/a/dynos")];
        run.output = "restarted 3 dynos of a; WEB_CONCURRENCY=3".into();
        assert!(of_run(&case(&["hunter2"]), &run).is_empty());
        assert!(of_dry_run(&case(&[]), &outcome()).is_empty());
    }

    #[test]
    fn a_write_received_more_often_than_sent_is_caught() {
        let mut run = outcome();
        run.sent = vec![write("DELETE", "/apps/a/dynos")];
        run.received = vec![write("DELETE", "/apps/a/dynos"), write("DELETE", "/apps/a/dynos")];
        assert_eq!(broken(&of_run(&case(&[]), &run)), ["property: no write is sent twice"]);
    }

    #[test]
    fn a_secret_in_the_output_or_the_journal_is_caught() {
        let mut run = outcome();
        run.output = "the key is 0123456789abcdef0123".into();
        run.journal_text = "{\"params\":{\"password\":\"hunter2\"}}".into();
        let found = of_run(&case(&["hunter2"]), &run);
        assert_eq!(broken(&found), ["property: no secret is seen", "property: no secret is seen"]);
        assert!(found[0].expected.contains("a secret param masked in the journal"), "{found:?}");
        assert!(
            found[1].expected.contains("web-app's SECRET_KEY masked in the output"),
            "{found:?}"
        );
    }

    #[test]
    fn a_write_after_a_refusal_is_caught() {
        let mut run = outcome();
        run.written_after_refusal = Some(write("PATCH", "/apps/a"));
        assert_eq!(
            broken(&of_run(&case(&[]), &run)),
            ["property: nothing is sent after a refusal"]
        );
    }

    #[test]
    fn a_dry_run_that_writes_or_runs_a_command_is_caught() {
        let mut dry = outcome();
        dry.received = vec![write("POST", "/apps/a/releases")];
        dry.sent = vec![write("POST", "/apps/a/releases")];
        dry.commands_started = 1;
        assert_eq!(
            broken(&of_dry_run(&case(&[]), &dry)),
            [
                "property: a dry-run sends no write",
                "property: a dry-run sends no write",
                "property: a dry-run runs nothing local"
            ]
        );
    }
}
