//! Rehearsal as good as the real thing: incidents carry over between `--sim` runs, any one-off
//! command rehearses, logs follow until Ctrl-C, waits follow the log and stop at a crash, and a
//! fan-out keeps within the account's rate budget.

use crate::harness::{PRODUCTION, STAGING, Test, exit_code};

fn diagnosis(test: &Test, extra: &[&str]) -> String {
    let output = test
        .run(&[&["--output", "json", "run", "troubleshoot-production", "--sim"], extra].concat())
        .code(0);
    let events = output.events();
    let step = events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == "Diagnosis")
        .unwrap_or_else(|| panic!("{}", output.stdout));
    step["summary"].as_str().unwrap().to_string()
}

#[test]
fn an_incident_carries_over_between_rehearsals_until_fixed_or_forgotten() {
    let test = Test::new();
    let found = diagnosis(&test, &["--scenario", "crashed-web"]);
    assert!(found.contains("dynos: crashed web.1, web.2"), "{found}");
    assert!(
        found.contains("next: runbook run restart-production --sim"),
        "a rehearsal's hint keeps --sim: {found}"
    );
    let again = diagnosis(&test, &[]);
    assert!(
        again.contains("dynos: crashed web.1, web.2"),
        "still crashed in the next rehearsal: {again}"
    );
    test.run(&["run", "restart-production", "--sim", "--confirm", PRODUCTION]).code(0);
    let fixed = diagnosis(&test, &[]);
    assert!(fixed.contains("nothing obviously wrong"), "{fixed}");

    diagnosis(&test, &["--scenario", "crashed-web"]);
    test.run(&["sim", "reset"]).code(0).stdout_has("the next --sim run starts fresh");
    test.run(&["sim", "reset"]).code(0).stdout_has("no rehearsal state to forget");
    let forgotten = diagnosis(&test, &[]);
    assert!(forgotten.contains("nothing obviously wrong"), "{forgotten}");
}

#[test]
fn any_one_off_command_rehearses_and_a_scenario_declares_what_one_prints() {
    let test = Test::new().file(
        "scenarios/cache.yaml",
        "description: the cache command fails\ncommands:\n  \"python manage.py clear_cache\": { output: \"Cache backend unreachable.\", status: 3 }\n",
    );
    let folder = test.runbooks();
    std::fs::copy(crate::harness::shipped_runbooks().join("run.yaml"), folder.join("run.yaml"))
        .unwrap();
    let unknown = test
        .run(&[
            "run",
            "run-staging",
            "--sim",
            "--yes",
            "-p",
            "command=python manage.py clear_cache",
        ])
        .code(0);
    assert!(unknown.stderr.contains("its output is not simulated"), "{}", unknown.stderr);
    let declared = test
        .run(&[
            "run",
            "run-staging",
            "--sim",
            "--yes",
            "--scenario",
            "cache",
            "-p",
            "command=python manage.py clear_cache",
        ])
        .code(1);
    assert!(declared.stderr.contains("Cache backend unreachable."), "{}", declared.stderr);
    assert!(declared.stderr.contains("status 3"), "{}", declared.stderr);
}

#[test]
fn ctrl_c_ends_a_log_follow_for_ever_or_for_a_while_with_the_summary() {
    for (tail, said) in [("tail=forever", "until Ctrl-C"), ("tail=10m", "until Ctrl-C (of 10m)")] {
        let test = Test::new();
        let mut session =
            test.terminal(&["run", "logs-staging", "--sim", "-p", tail, "-p", "lines=3"]);
        session.exp_string("heroku[router]").unwrap();
        std::thread::sleep(std::time::Duration::from_millis(1500));
        session.send_control('c').unwrap();
        let rest = session.exp_eof().unwrap();
        assert_eq!(exit_code(&mut session), Some(0), "{tail}: {rest}");
        assert!(rest.contains(said), "{tail}: {rest}");
        assert!(rest.contains("finished in"), "{tail}: {rest}");
        assert!(!rest.contains("interrupted"), "{tail}: {rest}");
        assert!(!rest.contains("--resume"), "{tail}: {rest}");
    }
}

#[test]
fn a_text_filter_applies_before_the_line_count() {
    let test = Test::new();
    let output = test
        .run(&[
            "--output",
            "json",
            "run",
            "logs-staging",
            "--sim",
            "-p",
            "lines=4",
            "-p",
            "filter=path=\"/health\"",
        ])
        .code(0);
    let lines: Vec<String> = output
        .events()
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(lines.len(), 4, "the last four matching lines: {lines:?}");
    assert!(lines.iter().all(|line| line.contains("path=\"/health\"")));
    let summary = output
        .events()
        .into_iter()
        .find(|event| event["event"] == "step_finished")
        .map(|event| event["summary"].as_str().unwrap().to_string())
        .unwrap();
    assert!(summary.contains("matched (the last 4 shown)"), "{summary}");
}

#[test]
fn a_long_boot_is_followed_in_the_log_with_few_requests() {
    let test = Test::new().sim(&["--boot-delay", "6s"]);
    let output = test.run(&["--output", "json", "run", "restart-staging", "--yes"]).code(0);
    let requests = test.requests();
    let restart = requests
        .iter()
        .position(|request| request == &format!("DELETE /apps/{STAGING}/dynos"))
        .unwrap();
    let waited: Vec<&String> = requests[restart + 1..].iter().collect();
    assert!(
        waited.contains(&&format!("POST /apps/{STAGING}/log-sessions")),
        "a boot this long is followed in the log: {waited:?}"
    );
    assert!(waited.len() <= 12, "{} requests for a 6 s boot: {waited:?}", waited.len());
    let wait = output
        .events()
        .into_iter()
        .find(|event| {
            event["event"] == "step_finished" && event["name"] == "Wait until every dyno is up"
        })
        .unwrap();
    assert!(wait["summary"].as_str().unwrap().starts_with("3/3 dynos up"), "{wait}");
}

#[test]
fn a_dyno_that_crashes_as_it_boots_fails_the_wait_at_once_with_its_last_lines() {
    let test = Test::new()
        .file(
            "scenarios/broken-config.yaml",
            "description: web dynos crash as they boot\nboot_crashes: [web]\n",
        )
        .file(
            "restart.yaml",
            &std::fs::read_to_string(crate::harness::shipped_runbooks().join("restart.yaml"))
                .unwrap(),
        )
        .env("RUNBOOK_SIM_BOOT_DELAY", "4s");
    let output = test
        .run(&["run", "restart-staging", "--sim", "--yes", "--scenario", "broken-config"])
        .code(1);
    let stderr = &output.stderr;
    assert!(stderr.contains("crashed as it started"), "{stderr}");
    assert!(stderr.contains("ImproperlyConfigured"), "its last lines: {stderr}");
    assert!(!stderr.contains("not every dyno was up after"), "not the timeout: {stderr}");
}

#[test]
fn a_fan_out_keeps_within_the_rate_budget() {
    let items: Vec<String> = (1..=80).map(|number| number.to_string()).collect();
    let runbook = format!(
        "description: reads the app many times at once\nenvironments: [staging]\nsteps:\n  - name: Again and again\n    do: heroku.app\n    for_each: [{}]\n    concurrency: 8\n    with: {{ app: \"${{app}}\" }}\n",
        items.join(", ")
    );
    let test = Test::new().file("many.yaml", &runbook).sim(&[
        "--rate-limit",
        "60",
        "--rate-refill",
        "600",
    ]);
    test.run(&["run", "many-staging"]).code(0);
    let log = test.simulator().log();
    assert!(log.len() >= 80, "{} requests", log.len());
    let limited = log.iter().filter(|request| request["status"] == 429).count();
    assert_eq!(limited, 0, "the fan-out slowed down rather than hit 429s");
}

#[test]
fn the_simulator_speaks_server_sent_events_to_clients_that_ask() {
    let test = Test::new().sim(&[]);
    let session = crate::harness::post_json(
        &format!("{}/apps/{STAGING}/log-sessions", test.simulator().url),
        r#"{"lines": 3, "tail": false}"#,
    );
    let url = session["logplex_url"].as_str().unwrap();
    let (headers, body) = crate::harness::get_text(url, &[("Accept", "text/event-stream")]);
    assert!(headers.to_lowercase().contains("content-type: text/event-stream"), "{headers}");
    let events: Vec<&str> = body.lines().filter(|line| line.starts_with("data: ")).collect();
    assert_eq!(events.len(), 3, "{body}");
    let (headers, plain) = crate::harness::get_text(url, &[]);
    assert!(headers.to_lowercase().contains("text/plain"), "{headers}");
    assert!(!plain.contains("data: "), "{plain}");
}

/// A scenario is set up on the rehearsed app only: staging, rehearsed after production's incident,
/// answers as it always did; and every later rehearsal says what the world still carries.
#[test]
fn a_scenario_stays_on_its_app_and_a_carried_world_says_so() {
    let test = Test::new();
    let found = diagnosis(&test, &["--scenario", "crashed-web"]);
    assert!(found.contains("dynos: crashed web.1, web.2"), "{found}");
    let staging = test.run(&["run", "status-staging", "--sim"]).code(0);
    assert!(
        staging.stderr.contains("web.1 up, web.2 up"),
        "staging caught production's scenario: {}",
        staging.stderr
    );
    assert!(
        staging.stderr.contains("the simulated world carries the scenario `crashed-web`"),
        "{}",
        staging.stderr
    );
    assert!(staging.stderr.contains("`runbook sim reset` starts afresh"), "{}", staging.stderr);
    test.run(&["run", "restart-staging", "--sim", "--yes"]).code(0);
    let after = test.run(&["run", "status-staging", "--sim"]).code(0);
    assert!(after.stderr.contains("changes to lazona-connector-staging"), "{}", after.stderr);
    test.run(&["sim", "reset"]).code(0);
    let fresh = test.run(&["run", "status-staging", "--sim"]).code(0);
    assert!(!fresh.stderr.contains("carries"), "{}", fresh.stderr);
}

/// On Heroku a new release restarts every dyno on it: a config change, then `wait_dynos_up`,
/// sees the dynos boot on the new release.
#[test]
fn a_config_change_restarts_every_dyno_on_the_new_release() {
    let test = Test::new().sim(&["--boot-delay", "1s"]);
    let sim = test.simulator();
    crate::harness::exchange(
        &format!("{}/apps/{STAGING}/config-vars", sim.url),
        "PATCH",
        &[("Authorization", "Bearer test-key"), ("Content-Type", "application/json")],
        "{\"FEATURE\": \"on\"}",
    );
    let releases = sim.get(&format!("/apps/{STAGING}/releases"));
    let newest = releases
        .as_array()
        .unwrap()
        .iter()
        .map(|release| release["version"].as_u64().unwrap())
        .max()
        .unwrap();
    let dynos = sim.get(&format!("/apps/{STAGING}/dynos"));
    for dyno in dynos.as_array().unwrap() {
        assert_eq!(dyno["release"]["version"], newest, "{dyno}");
        assert_eq!(dyno["state"], "starting", "{dyno}");
    }
    std::thread::sleep(std::time::Duration::from_millis(1300));
    let dynos = sim.get(&format!("/apps/{STAGING}/dynos"));
    assert!(dynos.as_array().unwrap().iter().all(|dyno| dyno["state"] == "up"), "{dynos}");
}
