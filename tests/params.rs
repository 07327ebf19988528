//! Typed params: durations, lists and choices checked before the first step; missing required ones
//! asked for on a terminal (a choice list for enums) and an error naming `-p` off it.

mod common;

use std::process::Command;

use common::{STAGING, Sim, binary, json_events, runbooks_folder, text};
use rexpect::session::spawn_command;

const TYPED: &str = r#"
description: Restart some process types for a while.
environments: [staging]
params:
  kinds: { type: list, required: true, enum: [web, worker], doc: "process types to restart" }
  wait: { type: duration, default: 2m, doc: "how long to wait" }
steps:
  - name: Restart each
    do: heroku.restart
    with: { app: "${app}", process_type: "${item}" }
    for_each: "${kinds}"
  - name: Wait
    do: heroku.wait_dynos_up
    with: { app: "${app}", timeout: "${wait}" }
"#;

fn run(sim: &Sim, arguments: &[&str]) -> std::process::Output {
    let folder = runbooks_folder(&[("typed.yaml", TYPED)]);
    let home = tempfile::tempdir().unwrap();
    sim.runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["--output", "json", "run", "typed-staging"])
        .args(arguments)
        .output()
        .unwrap()
}

#[test]
fn a_list_param_feeds_for_each_and_a_duration_a_timeout() {
    let sim = Sim::start();
    let output = run(&sim, &["-p", "kinds=web, worker", "-p", "wait=30s"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        sim.write_requests(),
        [
            format!("DELETE /apps/{STAGING}/formations/web"),
            format!("DELETE /apps/{STAGING}/formations/worker")
        ]
    );
    let started = &json_events(&output.stdout)[0];
    assert_eq!(
        started["params"]["kinds"],
        serde_json::json!(["web", "worker"])
    );
}

#[test]
fn ill_typed_values_are_refused_before_anything_is_sent() {
    let sim = Sim::start();
    for (argument, message) in [
        ("wait=soon", "param `wait` must be duration"),
        (
            "kinds=web,clock",
            "param `kinds` must be one of web, worker (`clock` is not)",
        ),
    ] {
        let output = run(&sim, &["-p", "kinds=web", "-p", argument]);
        assert_eq!(output.status.code(), Some(2), "{argument}");
        let events = json_events(&output.stdout);
        assert!(
            events[0]["message"].as_str().unwrap().starts_with(message),
            "{argument}: {events:?}"
        );
    }
    let output = run(&sim, &[]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        json_events(&output.stdout)[0]["hint"],
        "pass it with `-p kinds=VALUE`"
    );
    assert!(sim.requests().is_empty());
}

#[test]
fn a_missing_required_param_is_asked_for_on_a_terminal() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(binary());
    command
        .env_remove("CI")
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("RUNBOOK_DIR", common::shipped_runbooks())
        .env("HEROKU_API_URL", &sim.url)
        .env("HEROKU_API_KEY", "test-key")
        .args(["run", "restart-dyno-staging", "--yes"]);
    let mut session = spawn_command(command, Some(20_000)).unwrap();
    session.exp_string("-p dyno (the dyno to restart").unwrap();
    session.send_line("web.2").unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/dynos/web.2")]
    );
}

#[test]
fn a_missing_choice_is_picked_from_a_list() {
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    let folder = runbooks_folder(&[(
        "pick.yaml",
        "description: Pick a process type.\nenvironments: [staging]\nparams:\n  kind: { type: string, required: true, enum: [web, worker] }\nsteps:\n  - do: heroku.restart\n    with: { app: \"${app}\", process_type: \"${kind}\" }\n",
    )]);
    let mut command = Command::new(binary());
    command
        .env_remove("CI")
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("RUNBOOK_DIR", folder.path())
        .env("HEROKU_API_URL", &sim.url)
        .env("HEROKU_API_KEY", "test-key")
        .args(["run", "pick-staging", "--yes"]);
    let mut session = spawn_command(command, Some(20_000)).unwrap();
    session.exp_string("worker").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    session.send("\x1b[B").unwrap();
    session.send_line("").unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/formations/worker")]
    );
}

const PICK_RHAI: &str = "//! Restart one process type.\n//! environments: staging\n//! param kind: string in web|worker -- the process type\nheroku::restart(app, kind);\n";

#[test]
fn a_rhai_header_declares_allowed_values() {
    let sim = Sim::start();
    let folder = runbooks_folder(&[("pick.rhai", PICK_RHAI)]);
    let home = tempfile::tempdir().unwrap();
    let run = |value: &str| {
        sim.runbook(home.path())
            .env("RUNBOOK_DIR", folder.path())
            .args(["run", "pick-staging", "--yes", "-p", value])
            .output()
            .unwrap()
    };
    let refused = run("kind=clock");
    let stderr = text(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("param `kind` must be one of web, worker (`clock` is not)"),
        "{stderr}"
    );
    assert!(sim.requests().is_empty(), "{:?}", sim.requests());
    let accepted = run("kind=worker");
    assert_eq!(
        accepted.status.code(),
        Some(0),
        "{}",
        text(&accepted.stderr)
    );
    assert_eq!(
        sim.write_requests(),
        [format!("DELETE /apps/{STAGING}/formations/worker")]
    );
}

#[test]
fn allowed_values_on_a_number_are_a_check_error() {
    let folder = runbooks_folder(&[
        (
            "numbers.yaml",
            "description: Numbers.\nenvironments: [staging]\nparams:\n  count: { type: int, enum: [\"1\", \"2\"] }\nsteps:\n  - do: heroku.dynos\n    with: { app: \"${app}\" }\n",
        ),
        (
            "odd.rhai",
            "//! Odd header.\n//! environments: staging\n//! param kind: string maybe\nheroku::dynos(app);\n",
        ),
    ]);
    let home = tempfile::tempdir().unwrap();
    let output = common::runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["check"])
        .output()
        .unwrap();
    let stderr = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("numbers.yaml:4:3]")
            && stderr.contains("`count` is int and cannot have a set of allowed values"),
        "{stderr}"
    );
    assert!(
        stderr.contains("odd.rhai:3:11]") && stderr.contains("unexpected `maybe` after the type"),
        "{stderr}"
    );
}
