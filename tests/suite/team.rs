//! Team mode on a real PostgreSQL: two operators (two state folders, two tokens with different
//! accounts on one simulator) share a journal, an app's lock and approvals.

use std::time::{Duration, Instant};

use crate::harness::{Database, Outcome, PRODUCTION, STAGING, Test, exit_code, wait_for};

pub const ACCOUNTS: &[&str] =
    &["--account", "alice-key=alice@example.com", "--account", "bob-key=bob@example.com"];

/// A write, then a hold long enough for another run to find the app locked.
pub fn hold(seconds: f64) -> String {
    format!(
        "description: restarts an app, then holds it a moment\nparams:\n  app: {{ type: string, required: true }}\nsteps:\n  - name: Restart\n    do: heroku.restart\n    with: {{ app: \"${{app}}\" }}\n  - name: Hold\n    sh: sleep {seconds}\n  - name: Restart again\n    do: heroku.restart\n    with: {{ app: \"${{app}}\" }}\n"
    )
}

/// Alice and Bob on one simulator and one database; `extra` flags for the simulator.
pub fn team_of_two(database: &Database, runbooks: &[(&str, &str)], extra: &[&str]) -> (Test, Test) {
    let shipped = |name: &str| {
        std::fs::read_to_string(crate::harness::shipped_runbooks().join(name)).unwrap()
    };
    let mut alice = Test::new()
        .file("restart.yaml", &shipped("restart.yaml"))
        .file("status.yaml", &shipped("status.yaml"));
    for (name, text) in runbooks {
        alice = alice.file(name, text);
    }
    let flags: Vec<&str> = ACCOUNTS.iter().chain(extra).copied().collect();
    let alice = alice.sim(&flags).token("alice-key").team(database);
    let bob = Test::new().runbooks_of(&alice).shared_sim(&alice).token("bob-key").team(database);
    (alice, bob)
}

pub fn deletes(test: &Test, app: &str) -> usize {
    test.write_requests()
        .iter()
        .filter(|request| **request == format!("DELETE /apps/{app}/dynos"))
        .count()
}

#[test]
fn a_second_restart_of_a_locked_app_is_refused_naming_the_first() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(3.0))], &[]);
    let first = alice.spawn(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]);
    wait_for("alice's first write", || deletes(&alice, STAGING) == 1);

    let locks = bob.run(&["locks"]).code(0);
    assert!(locks.stdout.contains(STAGING), "{}", locks.stdout);
    assert!(locks.stdout.contains("alice@example.com"), "{}", locks.stdout);

    let refused = bob.run(&["run", "restart-staging", "--yes"]).code(3);
    let stderr = &refused.stderr;
    assert!(
        stderr.contains(&format!("{STAGING} is locked by alice@example.com running hold since ")),
        "{stderr}"
    );
    assert!(stderr.contains("(run 20"), "names alice's run: {stderr}");
    assert!(stderr.contains("--wait-lock"), "{stderr}");
    let since = regex::Regex::new(r"running hold since (\d{2}:\d{2} UTC) \((\d+s|\d+m)\)")
        .unwrap()
        .captures(stderr)
        .unwrap_or_else(|| panic!("the lock's time and age, as people read them: {stderr}"))[1]
        .to_string();
    let table = locks.stdout.lines().collect::<Vec<_>>();
    assert!(
        table[0].starts_with("APP") && table[0].contains("SINCE") && table[0].contains("FOR"),
        "{table:?}"
    );
    assert!(
        table[1].contains(&since),
        "`runbook locks` and the lock error say the same time: {table:?} / {since}"
    );
    assert_eq!(deletes(&alice, STAGING), 1, "bob's restart never left");

    Outcome::of_child(first).code(0);
    assert_eq!(deletes(&alice, STAGING), 2);
    let locks = bob.run(&["locks"]).code(0);
    assert!(locks.stdout.contains("no app is locked"), "{}", locks.stdout);
    bob.run(&["run", "restart-staging", "--yes"]).code(0);
}

#[test]
fn wait_lock_waits_for_the_holder_to_finish() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(1.0))], &[]);
    let first = alice.spawn(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]);
    wait_for("alice's first write", || deletes(&alice, STAGING) == 1);
    let waited = bob.run(&["run", "restart-staging", "--yes", "--wait-lock", "30s"]).code(0);
    assert!(waited.stderr.contains("waiting for it (--wait-lock"), "{}", waited.stderr);
    Outcome::of_child(first).code(0);
    let order: Vec<String> = alice.write_requests();
    assert_eq!(order.len(), 3, "{order:?}");
}

#[test]
fn fifty_races_for_one_lock_let_exactly_one_run_through_each_time() {
    let database = Database::fresh();
    let apps: Vec<String> = (1..=10).map(|number| format!("race-app-{number}")).collect();
    let mut extra: Vec<&str> = Vec::new();
    for app in &apps {
        extra.extend(["--app", app.as_str()]);
    }
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(3.0))], &extra);
    for round in 0..5 {
        let mut children = Vec::new();
        for app in &apps {
            let parameter = format!("app={app}");
            children.push(alice.spawn(&["run", "hold", "-p", &parameter, "--yes"]));
            children.push(bob.spawn(&["run", "hold", "-p", &parameter, "--yes"]));
        }
        let codes: Vec<Option<i32>> =
            children.into_iter().map(|child| Outcome::of_child(child).code).collect();
        for (index, pair) in codes.chunks(2).enumerate() {
            let mut sorted = pair.to_vec();
            sorted.sort();
            assert_eq!(
                sorted,
                [Some(0), Some(3)],
                "round {round}, {}: exactly one proceeds",
                apps[index]
            );
        }
    }
    for app in &apps {
        assert_eq!(deletes(&alice, app), 10, "{app}: two writes by each winner");
    }
}

#[test]
fn a_holder_killed_with_sigkill_frees_the_lock_at_once() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(60.0))], &[]);
    let mut first = alice.spawn(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]);
    wait_for("alice's first write", || deletes(&alice, STAGING) == 1);
    bob.run(&["run", "restart-staging", "--yes"]).code(3);
    first.kill().unwrap();
    first.wait().unwrap();
    let started = Instant::now();
    wait_for("the lock to be free", || bob.run(&["locks"]).stdout.contains("no app is locked"));
    assert!(started.elapsed() < Duration::from_secs(5));
    bob.run(&["run", "restart-staging", "--yes"]).code(0);
}

#[test]
fn a_lock_session_ended_by_the_server_stops_the_next_write() {
    let database = Database::fresh();
    let (alice, _bob) = team_of_two(&database, &[("hold.yaml", &hold(2.0))], &[]);
    let run = alice.spawn(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]);
    wait_for("alice's first write", || deletes(&alice, STAGING) == 1);
    let ended = database.sql(
        "select count(pg_terminate_backend(pid)) from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())",
    );
    assert_eq!(ended.trim(), "1", "the lock's session was found");
    let outcome = Outcome::of_child(run).code(3);
    assert!(
        outcome.stderr.contains("the team lock on lazona-connector-staging was lost"),
        "{}",
        outcome.stderr
    );
    assert_eq!(deletes(&alice, STAGING), 1, "no write after the lock was lost");
}

#[test]
fn history_team_shows_every_operator_and_filters() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[], &[]);
    alice.run(&["run", "restart-staging", "--yes"]).code(0);
    bob.run(&["run", "status-staging"]).code(0);
    bob.run(&["run", "restart-staging", "--dry-run"]).code(0);

    let all = alice.run(&["history", "--team"]).code(0);
    assert!(all.stdout.contains("alice@example.com"), "{}", all.stdout);
    assert!(all.stdout.contains("bob@example.com"), "{}", all.stdout);
    assert_eq!(all.stdout.lines().count(), 4, "a header and three runs: {}", all.stdout);

    let local = alice.run(&["history"]).code(0);
    assert!(!local.stdout.contains("bob@example.com"), "{}", local.stdout);

    let bobs = alice
        .run(&["history", "--team", "--operator", "bob@example.com", "--output", "json"])
        .code(0);
    let runs: Vec<serde_json::Value> =
        bobs.stdout.lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(runs.len(), 2);
    assert!(runs.iter().all(|run| run["operator"] == "bob@example.com"));

    let restarts = alice
        .run(&["history", "--team", "--runbook", "restart-staging", "--status", "succeeded"])
        .code(0);
    assert_eq!(restarts.stdout.lines().count(), 3, "{}", restarts.stdout);
    let elsewhere = alice.run(&["history", "--team", "--app", PRODUCTION]).code(0);
    assert!(elsewhere.stdout.contains("none match"), "{}", elsewhere.stdout);

    let bobs_run = runs[0]["run_id"].as_str().unwrap();
    let shown = alice.run(&["history", "show", bobs_run]).code(0);
    assert!(shown.stdout.contains("bob@example.com"), "{}", shown.stdout);

    let local_record = &alice.journaled("run_started")[0];
    assert_eq!(local_record["operator"], "alice@example.com", "the local journal too");
}

pub const APPROVED_ENVIRONMENTS: &str = "staging:    { app: lazona-connector-staging }\nproduction: { app: lazona-connector-production, protected: true, approvals: 1 }\n";

/// Alice's production restart, started and waiting for its approval; the run and its id.
fn restart_waiting_for_approval(
    alice: &Test,
    database: &Database,
) -> (std::process::Child, String) {
    let run = alice.spawn(&["run", "restart-production", "--confirm", PRODUCTION]);
    let run_id = started_run_id(alice);
    wait_for("the approval request", || {
        database
            .poll("select count(*) from runbook_plan_approvals")
            .is_some_and(|printed| printed.trim() == "1")
    });
    (run, run_id)
}

/// The id of the run `test` started, once its start is journaled.
pub fn started_run_id(test: &Test) -> String {
    let mut found = None;
    wait_for("the run to ask for an approval", || {
        found = test
            .journaled("run_started")
            .first()
            .and_then(|started| started["run_id"].as_str().map(str::to_string));
        found.is_some()
    });
    found.unwrap()
}

#[test]
fn an_approval_by_another_operator_lets_the_run_write() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("environments.yaml", APPROVED_ENVIRONMENTS)], &[]);
    let (run, run_id) = restart_waiting_for_approval(&alice, &database);
    assert!(alice.write_requests().is_empty(), "nothing before the approval");

    let own = alice.run(&["approve", &run_id, "--confirm", PRODUCTION]).code(3);
    assert!(own.stderr.contains("is your own"), "{}", own.stderr);
    let wrong = bob.run(&["approve", &run_id, "--confirm", STAGING]).code(3);
    assert!(wrong.stderr.contains("--confirm names"), "{}", wrong.stderr);
    let bare = bob.run(&["approve", &run_id]).code(3);
    assert!(bare.stderr.contains(&format!("--confirm {PRODUCTION}")), "{}", bare.stderr);

    let approved = bob.run(&["approve", &run_id[..15], "--confirm", PRODUCTION]).code(0);
    assert!(approved.stdout.contains("Restart dynos"), "the plan: {}", approved.stdout);
    let outcome = Outcome::of_child(run).code(0);
    assert!(
        outcome.stderr.contains("approved by bob@example.com (by --confirm)"),
        "{}",
        outcome.stderr
    );
    assert_eq!(alice.write_requests(), [format!("DELETE /apps/{PRODUCTION}/dynos")]);
    let journaled = alice.journaled("approval");
    assert_eq!(journaled[0]["by"], "bob@example.com");
    bob.run(&["approve", &run_id, "--confirm", PRODUCTION])
        .code(3)
        .stderr_has("already approved by bob@example.com");
}

#[test]
fn an_approval_typed_in_a_terminal_and_a_rejection() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("environments.yaml", APPROVED_ENVIRONMENTS)], &[]);
    let (run, run_id) = restart_waiting_for_approval(&alice, &database);
    let mut session = bob.terminal(&["approve", &run_id]);
    session.exp_string("Restart dynos").unwrap();
    session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    session.send_line(PRODUCTION).unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    let outcome = Outcome::of_child(run).code(0);
    assert!(
        outcome.stderr.contains("approved by bob@example.com (at the prompt)"),
        "{}",
        outcome.stderr
    );

    let second = alice.spawn(&["run", "restart-production", "--confirm", PRODUCTION]);
    wait_for("the second request", || {
        database
            .poll("select count(*) from runbook_plan_approvals")
            .is_some_and(|printed| printed.trim() == "2")
    });
    let second_id = database
        .sql("select run_id from runbook_plan_approvals where decision is null")
        .trim()
        .to_string();
    bob.run(&["approve", &second_id, "--reject"]).code(0);
    let rejected = Outcome::of_child(second).code(3);
    assert!(rejected.stderr.contains("bob@example.com rejected the run"), "{}", rejected.stderr);
    assert_eq!(alice.write_requests().len(), 1, "the rejected run sent nothing");
}

#[test]
fn an_approval_that_never_comes_is_a_refusal() {
    let database = Database::fresh();
    let (alice, _bob) =
        team_of_two(&database, &[("environments.yaml", APPROVED_ENVIRONMENTS)], &[]);
    let outcome = alice
        .run(&["run", "restart-production", "--confirm", PRODUCTION, "--approval-timeout", "1s"])
        .code(3);
    assert!(outcome.stderr.contains("no approval came within 1s"), "{}", outcome.stderr);
    assert!(alice.write_requests().is_empty());
}

#[test]
fn approvals_without_a_team_are_a_check_error_and_refused_at_run() {
    let restart =
        std::fs::read_to_string(crate::harness::shipped_runbooks().join("restart.yaml")).unwrap();
    let test = Test::new()
        .file("environments.yaml", APPROVED_ENVIRONMENTS)
        .file("restart.yaml", &restart)
        .sim(&[]);
    let checked = test.run(&["check"]).code(2);
    assert!(
        checked.stderr.contains("needs approvals, and there is no team database"),
        "{}",
        checked.stderr
    );
    let refused = test.run(&["run", "restart-production", "--confirm", PRODUCTION]).code(3);
    assert!(refused.stderr.contains("not in team mode"), "{}", refused.stderr);
    assert!(test.write_requests().is_empty());
    test.run(&["run", "restart-staging", "--yes"]).code(0);
    test.run(&["run", "restart-production", "--sim", "--confirm", PRODUCTION]).code(0);
}

#[test]
fn a_database_out_of_reach_stops_a_live_run_then_no_team_and_sync() {
    let database = Database::fresh();
    let (alice, _bob) = team_of_two(&database, &[], &[]);
    let down =
        alice.env("RUNBOOK_DATABASE_URL", "postgres://runbook:s3cr3t-pw@127.0.0.1:1/runbook");
    let stopped = down.run(&["run", "restart-staging", "--yes"]).code(4);
    assert!(stopped.stderr.contains("cannot reach the team's database"), "{}", stopped.stderr);
    assert!(stopped.stderr.contains("--no-team"), "{}", stopped.stderr);
    assert!(!stopped.stderr.contains("s3cr3t-pw"), "{}", stopped.stderr);
    assert!(down.requests().is_empty(), "nothing reached the API");

    down.run(&["run", "restart-staging", "--yes", "--no-team"]).code(0);
    assert_eq!(deletes(&down, STAGING), 1);
    let dry = down.run(&["run", "restart-staging", "--dry-run"]).code(0);
    assert!(dry.stderr.contains("journaled here only"), "{}", dry.stderr);
    assert!(!down.journal_text().contains("s3cr3t-pw"));

    let back = down.env("RUNBOOK_DATABASE_URL", &database.url);
    let synced = back.run(&["team", "sync"]).code(0);
    assert!(synced.stdout.contains("pushed 2 runs"), "{}", synced.stdout);
    let shared = back.run(&["history", "--team"]).code(0);
    assert_eq!(shared.stdout.lines().count(), 3, "{}", shared.stdout);
    back.run(&["team", "sync"]).code(0).stdout_has("has every run");
}

#[test]
fn two_operators_starting_at_once_on_a_new_database_migrate_it_once() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[], &[]);
    let children: Vec<_> = (0..4)
        .map(|index| if index % 2 == 0 { alice.spawn(&["locks"]) } else { bob.spawn(&["locks"]) })
        .collect();
    for child in children {
        Outcome::of_child(child).code(0);
    }
    assert_eq!(
        database.sql("select count(*) from runbook_schema").trim(),
        "2",
        "each migration applied once"
    );
}

#[test]
fn team_commands_need_a_team() {
    let test = Test::new();
    for arguments in [&["locks"][..], &["team", "sync"], &["history", "--team"], &["approve", "x"]]
    {
        test.run(arguments).code(2).stderr_has("RUNBOOK_DATABASE_URL");
    }
}

#[test]
fn an_approver_is_identified_by_the_api_the_run_writes_to() {
    let database = Database::fresh();
    let (alice, _bob) =
        team_of_two(&database, &[("environments.yaml", APPROVED_ENVIRONMENTS)], &[]);
    let elsewhere = Test::new().sim(&["--account", "evil-key=carol@example.com"]);
    let (run, run_id) = restart_waiting_for_approval(&alice, &database);
    let impostor =
        Test::new().runbooks_of(&alice).api(&elsewhere.simulator().url, "evil-key").team(&database);
    let refused = impostor.run(&["approve", &run_id, "--confirm", PRODUCTION]).code(3);
    assert!(refused.stderr.contains("writes to the API"), "{}", refused.stderr);
    assert!(elsewhere.requests().is_empty(), "no token went to the other API");
    assert!(alice.write_requests().is_empty());
    let mut run = run;
    run.kill().unwrap();
    run.wait().unwrap();
}

#[test]
fn one_api_spelled_another_way_is_still_locked() {
    let database = Database::fresh();
    let (alice, _bob) = team_of_two(&database, &[("hold.yaml", &hold(3.0))], &[]);
    let first = alice.spawn(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]);
    wait_for("alice's first write", || deletes(&alice, STAGING) == 1);
    let url = alice.simulator().url.clone();
    for spelling in [url.replace("http://", "HTTP://"), format!("{url}/"), format!("{url}/./")] {
        let bob = Test::new().runbooks_of(&alice).api(&spelling, "bob-key").team(&database);
        bob.run(&["run", "restart-staging", "--yes"])
            .code(3)
            .stderr_has("is locked by alice@example.com");
    }
    assert_eq!(deletes(&alice, STAGING), 1);
    Outcome::of_child(first).code(0);
}

#[test]
fn waits_end_well_on_ctrl_c_a_huge_limit_and_a_timeout() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(
        &database,
        &[("hold.yaml", &hold(30.0)), ("environments.yaml", APPROVED_ENVIRONMENTS)],
        &[],
    );
    bob.run(&["run", "restart-staging", "--yes", "--wait-lock", "18446744073709551615s"]).code(0);
    let holder = alice.spawn(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]);
    wait_for("alice's first write", || deletes(&alice, STAGING) == 2);
    let waiting = bob.spawn(&["run", "restart-staging", "--yes", "--wait-lock", "10m"]);
    wait_for("bob to wait", || bob.journaled("run_started").len() == 2);
    std::thread::sleep(Duration::from_millis(500));
    // SAFETY: sends SIGINT to the child this test spawned and still owns.
    assert_eq!(unsafe { libc::kill(waiting.id() as i32, libc::SIGINT) }, 0);
    let interrupted = Outcome::of_child(waiting).code(130);
    assert!(!interrupted.stderr.contains("still after --wait-lock"), "{}", interrupted.stderr);
    let mut holder = holder;
    holder.kill().unwrap();
    holder.wait().unwrap();

    alice
        .run(&["run", "restart-production", "--confirm", PRODUCTION, "--approval-timeout", "1s"])
        .code(3);
    let run_id = database.sql("select run_id from runbook_approvals").trim().to_string();
    bob.run(&["approve", &run_id, "--confirm", PRODUCTION]).code(3).stderr_has("no longer waits");
}

#[test]
fn a_database_that_never_answers_does_not_hang_a_run() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = silent.local_addr().unwrap().port();
    let held = std::thread::spawn(move || {
        let mut open = Vec::new();
        for stream in silent.incoming().take(4) {
            open.push(stream);
        }
        std::thread::sleep(Duration::from_secs(30));
    });
    let test = Test::new().sim(&[]).env(
        "RUNBOOK_DATABASE_URL",
        &format!("postgres://runbook@127.0.0.1:{port}/runbook?sslmode=disable"),
    );
    let started = Instant::now();
    test.run(&["run", "restart-staging", "--yes"]).code(4).stderr_has("did not answer");
    assert!(started.elapsed() < Duration::from_secs(15));
    assert!(test.requests().is_empty());
    test.run(&["run", "status-staging", "--dry-run"]).code(0).stderr_has("journaled here only");
    drop(held);
}

#[test]
fn a_database_url_that_is_not_one_is_a_usage_error() {
    let test =
        Test::new().sim(&[]).env("RUNBOOK_DATABASE_URL", "postgres://runbook@127.0.0.1:notaport/x");
    test.run(&["run", "restart-staging", "--yes"]).code(2).stderr_has("is not a PostgreSQL URL");
    test.run(&["locks"]).code(2);
    assert!(test.requests().is_empty());
}

#[test]
fn history_team_app_finds_runs_that_wrote_to_it_through_a_param() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[("hold.yaml", &hold(0.1))], &[]);
    alice.run(&["run", "hold", "-p", &format!("app={STAGING}"), "--yes"]).code(0);
    let found = bob.run(&["history", "--team", "--app", STAGING]).code(0);
    assert!(found.stdout.contains("hold"), "{}", found.stdout);
    let by_case = bob.run(&["history", "--team", "--operator", "ALICE@example.com"]).code(0);
    assert!(by_case.stdout.contains("alice@example.com"), "{}", by_case.stdout);
}

#[test]
fn notes_and_the_report_span_every_operator() {
    let database = Database::fresh();
    let (alice, bob) = team_of_two(&database, &[], &[]);
    alice
        .run(&["note", "--app", STAGING, "staging is slow"])
        .code(0)
        .stdout_has("by alice@example.com");
    bob.run(&["run", "restart-staging", "--yes"]).code(0);
    bob.run(&["note", "restarted it"]).code(0);
    let report = alice.run(&["report", "--since", "1h"]).code(0);
    let shown = &report.stdout;
    assert!(
        shown.contains("| alice@example.com | note (lazona-connector-staging): staging is slow"),
        "{shown}"
    );
    assert!(shown.contains("| bob@example.com | ran `restart-staging`"), "{shown}");
    assert!(shown.contains("| bob@example.com | note: restarted it"), "{shown}");
    assert!(shown.contains("- People: alice@example.com, bob@example.com"), "{shown}");
    let bobs_run = bob.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    let one = alice.run(&["report", &bobs_run]).code(0);
    assert!(
        one.stdout.contains("sent `DELETE /apps/lazona-connector-staging/dynos`"),
        "{}",
        one.stdout
    );
    assert!(
        one.stdout.contains("restarted it") || !one.stdout.contains("staging is slow"),
        "{}",
        one.stdout
    );
}

#[test]
fn a_run_that_crashes_leaves_its_records_for_the_next_sync() {
    let database = Database::fresh();
    let (alice, _bob) = team_of_two(&database, &[], &[]);
    let crashing = alice.env("RUNBOOK_DEBUG_PANIC", "Wait until every dyno is up");
    crashing.run(&["run", "restart-staging", "--yes"]).code(101);
    assert!(
        crashing.state().join("team-pending").exists(),
        "the state folder says records are pending"
    );
    crashing.run(&["team", "sync"]).code(0);
    let shared = crashing.run(&["history", "--team", "--output", "json"]).code(0);
    let run: serde_json::Value =
        serde_json::from_str(shared.stdout.lines().next().unwrap()).unwrap();
    assert_eq!(run["status"], "crashed", "{run}");
    assert!(!crashing.state().join("team-pending").exists());
    crashing.run(&["run", "status-staging"]).code(0);
    assert!(
        !crashing.state().join("team-pending").exists(),
        "a run whose records are all stored leaves nothing pending"
    );
}

#[test]
fn a_secret_param_never_reaches_the_shared_journal() {
    let database = Database::fresh();
    let (alice, _bob) = team_of_two(
        &database,
        &[(
            "secretive.yaml",
            "description: takes a secret\nenvironments: [staging]\nparams:\n  token: { type: string, secret: true, required: true }\nsteps:\n  - name: Say it\n    sh: \"echo ${token}; echo \\\"${token}\\\"\"\n    dry_run: \"true\"\n",
        )],
        &[],
    );
    alice
        .run(&["run", "secretive-staging", "-p", "token=s3cr3t-\"quoted\"-value", "--yes"])
        .code(0);
    let stored = database.sql(
        "select coalesce(string_agg(record::text, ' '), '') from runbook_events
         union all select coalesce(string_agg(started::text, ' '), '') from runbook_runs",
    );
    assert!(stored.contains("run_started"), "{stored}");
    assert!(!stored.contains("s3cr3t"), "{stored}");
}
