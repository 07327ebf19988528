//! Team mode's promises with two people at a terminal (issue 19): the lock is known before the
//! question, and a wait never sends a write prepared before it; rehearsals hold no lock;
//! approvals bind the exact plan, lapse, and can be rejected with a reason; the team's policy
//! beats an old checkout; every refusal is recorded as what it was. Real PostgreSQL, one
//! simulator, two tokens of two accounts.

use std::time::Duration;

use crate::harness::{
    Database, Hostile, Outcome, PRODUCTION, Reply, STAGING, Test, exit_code, wait_for,
};
use crate::team::{APPROVED_ENVIRONMENTS, deletes, hold, started_run_id, team_of_two};

/// The index in the simulator's log of the last request `line` (`METHOD PATH`).
fn last_index(test: &Test, line: &str) -> Option<usize> {
    test.requests().iter().rposition(|request| request == line)
}

/// Alice holds production (a restart, a pause, a restart); Bob, `--wait-lock`, is told who holds
/// it before any question, waits, is shown Alice's writes, and is asked on his terminal with a
/// write prepared after the wait. `answer` is what he types.
fn bob_waits_for_alice(answer: &str) -> (Test, Option<i32>, String) {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(2.0))], &[]);
    let first =
        alice.spawn(&["run", "hold", "-p", &format!("app={PRODUCTION}"), "--confirm", PRODUCTION]);
    wait_for("alice's first write", || deletes(&alice, PRODUCTION) == 1);
    let mut session = bob.terminal(&["run", "restart-production", "--wait-lock", "60s"]);
    session.exp_string("is locked by alice@example.com running hold").unwrap();
    session.exp_string("waiting for it (--wait-lock").unwrap();
    session.exp_string("is free: alice@example.com ran hold").unwrap();
    session.exp_string(&format!("they sent DELETE /apps/{PRODUCTION}/dynos")).unwrap();
    let before = session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    assert_eq!(deletes(&alice, PRODUCTION), 2, "alice's run ended first");
    session.send_line(answer).unwrap();
    session.exp_eof().unwrap();
    let code = exit_code(&mut session);
    Outcome::of_child(first).code(0);
    (alice, code, before)
}

#[test]
fn a_wait_for_the_lock_never_sends_a_write_prepared_before_it_and_asks_again() {
    let (alice, code, screen) = bob_waits_for_alice("");
    assert_eq!(code, Some(3), "declined: {screen}");
    assert_eq!(deletes(&alice, PRODUCTION), 2, "declining sent nothing");

    let (alice, code, _) = bob_waits_for_alice(PRODUCTION);
    assert_eq!(code, Some(0));
    assert_eq!(deletes(&alice, PRODUCTION), 3, "exactly one more restart");
    let delete = format!("DELETE /apps/{PRODUCTION}/dynos");
    let requests = alice.requests();
    let alices_last = requests
        .iter()
        .enumerate()
        .filter(|(_, line)| **line == delete)
        .nth(1)
        .map(|(index, _)| index)
        .unwrap();
    let bobs = last_index(&alice, &delete).unwrap();
    let read_between = requests[alices_last..bobs]
        .iter()
        .any(|line| line == &format!("GET /apps/{PRODUCTION}/dynos"));
    assert!(read_between, "bob's restart was prepared from a read after alice's end: {requests:?}");
}

#[test]
fn the_lock_is_known_before_the_question() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(3.0))], &[]);
    let first =
        alice.spawn(&["run", "hold", "-p", &format!("app={PRODUCTION}"), "--confirm", PRODUCTION]);
    wait_for("alice's first write", || deletes(&alice, PRODUCTION) == 1);
    let mut session = bob.terminal(&["run", "restart-production"]);
    let screen = session.exp_eof().unwrap();
    assert!(!screen.contains("to confirm"), "bob was asked although locked out: {screen}");
    assert!(screen.contains("is locked by alice@example.com running hold"), "{screen}");
    assert!(screen.contains("at step"), "where alice's run stands: {screen}");
    assert_eq!(exit_code(&mut session), Some(3));
    Outcome::of_child(first).code(0);
    let runs = bob.run(&["history", "--output", "json"]).code(0);
    let statuses: Vec<serde_json::Value> =
        runs.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(statuses[0]["status"], "locked", "{}", runs.stdout);
}

#[test]
fn a_rehearsal_in_team_mode_holds_no_lock_and_is_a_drill_in_the_record() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(3.0))], &[]);
    let rehearsal = alice.spawn(&[
        "run",
        "hold",
        "-p",
        &format!("app={PRODUCTION}"),
        "--confirm",
        PRODUCTION,
        "--sim",
    ]);
    wait_for("the rehearsal's first step", || !alice.journaled("write_sent").is_empty());
    let locks = bob.run(&["locks"]).code(0);
    assert!(locks.stdout.contains("no app is locked"), "{}", locks.stdout);
    Outcome::of_child(rehearsal).code(0);
    let history = bob.run(&["history", "--team"]).code(0);
    let line =
        history.stdout.lines().find(|line| line.contains("hold")).unwrap_or_default().to_string();
    assert!(line.contains(" sim "), "the rehearsal is marked: {}", history.stdout);
    let report = bob.run(&["report", "--since", "1h"]).code(0);
    assert!(report.stdout.contains("(rehearsal on the simulator)"), "{}", report.stdout);
    assert!(
        !report.stdout.contains("- People: alice"),
        "a rehearsal makes nobody a person of the incident: {}",
        report.stdout
    );
}

/// Scales production's web dynos to as many as it has, then to one more: the second write is not
/// the plan the first approval held.
const TWO_SCALES: &str = "//! Scales web twice.\n//! environments: production\nstep(\"Scale to the same\", || heroku::scale(app, \"web\", 2));\nstep(\"Scale to one more\", || heroku::scale(app, \"web\", 3));\n";

fn approve(bob: &Test, database: &Database, count: &str) -> String {
    wait_for("an approval request", || {
        database
            .poll("select count(*) from runbook_plan_approvals where decision is null")
            .is_some_and(|printed| printed.trim() == count)
    });
    let run_id = database
        .sql("select run_id from runbook_plan_approvals where decision is null")
        .trim()
        .to_string();
    let approved = bob.run(&["approve", &run_id, "--confirm", PRODUCTION]).code(0);
    approved.stdout
}

#[test]
fn an_approval_holds_the_exact_plan_and_a_changed_write_asks_again() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(
        &database,
        &[("environments.yaml", APPROVED_ENVIRONMENTS), ("scales.rhai", TWO_SCALES)],
        &[],
    );
    let run = alice.spawn(&["run", "scales-production", "--confirm", PRODUCTION]);
    let first = approve(&bob, &database, "1");
    assert!(
        first.contains(&format!("PATCH /apps/{PRODUCTION}/formation"))
            && first.contains("\"quantity\":2"),
        "the approver reads the body that will be sent: {first}"
    );
    assert!(first.contains("runbook content: sha256"), "{first}");
    let second = approve(&bob, &database, "1");
    assert!(second.contains("\"quantity\":3"), "{second}");
    let outcome = Outcome::of_child(run).code(0);
    assert_eq!(
        alice.write_requests().iter().filter(|line| line.starts_with("PATCH ")).count(),
        2,
        "{}",
        outcome.stderr
    );
    assert_eq!(
        database.sql("select count(*) from runbook_plan_approvals").trim(),
        "2",
        "the changed write needed an approval of its own"
    );
}

#[test]
fn approvals_are_listed_and_a_rejection_with_a_reason_reaches_the_requester() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("environments.yaml", APPROVED_ENVIRONMENTS)], &[]);
    let run = alice.spawn(&["run", "restart-production", "--confirm", PRODUCTION]);
    let run_id = started_run_id(&alice);
    wait_for("the request", || bob.run(&["approvals"]).stdout.contains(&run_id));
    let listed = bob.run(&["approvals"]).code(0);
    for words in ["RUN", "TIME LEFT", "alice@example.com", "restart-production", PRODUCTION] {
        assert!(listed.stdout.contains(words), "{words}: {}", listed.stdout);
    }
    bob.run(&["approve", &run_id, "--reject", "--reason", "web is already recovering"]).code(0);
    let rejected = Outcome::of_child(run).code(3);
    assert!(
        rejected.stderr.contains("bob@example.com rejected the run: web is already recovering"),
        "{}",
        rejected.stderr
    );
    assert!(alice.write_requests().is_empty());
    assert_eq!(alice.journaled("run_finished")[0]["status"], "rejected");
    assert_eq!(alice.journaled("approval")[0]["reason"], "web is already recovering");
    let report = bob.run(&["report", &run_id]).code(0);
    assert!(report.stdout.contains("web is already recovering"), "{}", report.stdout);
    let history = bob.run(&["history", "--team", "--status", "rejected"]).code(0);
    assert!(history.stdout.contains(&run_id), "{}", history.stdout);
    assert!(bob.run(&["approvals"]).stdout.contains("no run waits"));
}

/// An approval lapses when it is not used within its validity (shortened here to a moment):
/// the write it held is not sent under it, and a new approval is asked.
#[test]
fn an_approval_not_used_in_time_lapses_and_is_asked_again() {
    let database = Database::fresh();
    let scale = "//! Scales web.\n//! environments: production\nstep(\"Scale\", || heroku::scale(app, \"web\", 2));\n";
    let (alice, bob) = team_of_two(
        &database,
        &[("environments.yaml", APPROVED_ENVIRONMENTS), ("scale.rhai", scale)],
        &[],
    );
    let alice = alice.env("RUNBOOK_DEBUG_APPROVAL_VALIDITY", "1ms");
    let run = alice.spawn(&["run", "scale-production", "--confirm", PRODUCTION]);
    approve(&bob, &database, "1");
    wait_for("the second request", || {
        database
            .poll("select count(*) from runbook_plan_approvals")
            .is_some_and(|printed| printed.trim() == "2")
    });
    assert!(alice.write_requests().is_empty(), "nothing was sent under the lapsed approval");
    approve(&bob, &database, "1");
    let outcome = Outcome::of_child(run).code(0);
    assert!(outcome.stderr.contains("lapsed"), "{}", outcome.stderr);
    assert_eq!(alice.write_requests().len(), 1);
}

#[test]
fn an_approval_that_expires_is_recorded_as_such() {
    let database = Database::fresh();
    let webhook = Hostile::start(|_| Reply::Answer(200, Vec::new(), "ok".into()));
    let environments = "staging:    { app: lazona-connector-staging }\nproduction: { app: lazona-connector-production, protected: true, approvals: 1, notify: { slack: SLACK_WEBHOOK_OPS } }\n";
    let (alice, _bob) = team_of_two(&database, &[("environments.yaml", environments)], &[]);
    let alice = alice.env("SLACK_WEBHOOK_OPS", &format!("{}/hook", webhook.url));
    alice
        .run(&["run", "restart-production", "--confirm", PRODUCTION, "--approval-timeout", "2s"])
        .code(3)
        .stderr_has("no approval came within 2s");
    assert_eq!(alice.journaled("run_finished")[0]["status"], "approval_expired");
    let posts: Vec<String> = webhook.bodies().iter().map(|body| body.to_string()).collect();
    assert!(
        posts.iter().any(|post| post.contains("waits for a second operator")
            && post.contains("DELETE /apps/lazona-connector-production/dynos")),
        "the waiting approval is posted with its plan: {posts:?}"
    );
    assert!(posts.last().is_some_and(|post| post.contains("approval expired")), "{posts:?}");
}

#[test]
fn the_teams_policy_beats_an_old_checkout() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[], &[]);
    alice
        .run(&["team", "policy", "staging", "--approvals", "1"])
        .code(3)
        .stderr_has("--confirm lazona-connector-staging");
    alice
        .run(&[
            "team",
            "policy",
            "staging",
            "--approvals",
            "1",
            "--protected",
            "--confirm",
            STAGING,
        ])
        .code(0);
    let listed = bob.run(&["team", "policy"]).code(0);
    assert!(
        listed.stdout.contains(STAGING) && listed.stdout.contains("alice@example.com"),
        "{}",
        listed.stdout
    );
    assert_eq!(alice.journaled("policy_changed")[0]["app"], STAGING);

    let run = bob.spawn(&["run", "restart-staging", "--confirm", STAGING]);
    wait_for("bob's run to ask for an approval", || {
        database
            .poll("select count(*) from runbook_plan_approvals")
            .is_some_and(|printed| printed.trim() == "1")
    });
    assert!(alice.write_requests().is_empty(), "nothing before the approval");
    let run_id = database.sql("select run_id from runbook_plan_approvals").trim().to_string();
    alice.run(&["approve", &run_id, "--confirm", STAGING]).code(0);
    let outcome = Outcome::of_child(run).code(0);
    assert!(outcome.stderr.contains("the team's policy"), "{}", outcome.stderr);
    bob.run(&["run", "restart-staging", "--yes"]).code(3).stderr_has("protected");
}

#[test]
fn names_given_to_app_are_apps_or_refused() {
    let test = Test::new();
    test.run(&["note", "--app", "production", "web down"]).code(0);
    let notes = test.journaled("note");
    assert_eq!(notes[0]["app"], PRODUCTION, "an environment stands for its app");
    test.run(&["note", "--app", "prodution", "x"])
        .code(2)
        .stderr_has("lazona-connector-production (production)");
    test.run(&["report", "--since", "1h", "--app", "prodution"]).code(2);
    test.run(&["history", "--app", "production"]).code(0);
}

#[test]
fn a_dry_run_says_a_live_run_would_wait_for_an_approval() {
    let database = Database::fresh();
    let (alice, _bob) =
        team_of_two(&database, &[("environments.yaml", APPROVED_ENVIRONMENTS)], &[]);
    alice
        .run(&["run", "restart-production", "--dry-run"])
        .code(0)
        .stderr_has("a live run would wait for a second operator's approval")
        .stderr_has("team mode, as alice@example.com");
    assert!(alice.write_requests().is_empty());
    assert_eq!(database.sql("select count(*) from runbook_plan_approvals").trim(), "0");
    let _ = Duration::ZERO;
}
