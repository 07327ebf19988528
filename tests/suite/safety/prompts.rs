//! Prompts in a pseudo-terminal: Ctrl-C at a prompt ends the run as interrupted (exit 130, the
//! summary, the journal) and nothing of the gated step starts; Rhai's `confirm()` shows what the
//! write will send.

use crate::harness::{PRODUCTION, Test, exit_code};

#[test]
fn ctrl_c_at_the_typed_name_prompt_interrupts_the_run() {
    let test = Test::new().sim(&[]);
    let mut session = test.terminal(&["run", "restart-production"]);
    session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    session.send_control('c').unwrap();
    session.exp_string("interrupted").unwrap();
    assert_eq!(exit_code(&mut session), Some(130));
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
    let finished = test.journaled("run_finished");
    assert_eq!(finished[0]["status"], "interrupted", "{finished:?}");
}

#[test]
fn ctrl_c_at_a_yes_no_prompt_interrupts_the_run() {
    let test = Test::new().sim(&[]);
    let mut session = test.terminal(&["run", "restart-staging"]);
    session.exp_string("Proceed?").unwrap();
    session.send_control('c').unwrap();
    assert_eq!(exit_code(&mut session), Some(130));
    assert!(test.write_requests().is_empty());
    assert_eq!(test.journaled("run_finished")[0]["status"], "interrupted");
}

#[test]
fn rhai_confirm_shows_the_request_of_the_write_it_guards() {
    let test = Test::new().sim(&[]);
    let mut session = test.terminal(&["run", "restart-dyno-production", "-p", "dyno=web.1"]);
    session.exp_string("Restart web.1").unwrap();
    session.exp_string(&format!("request: DELETE /apps/{PRODUCTION}/dynos/web.1")).unwrap();
    session.send_line(PRODUCTION).unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{PRODUCTION}/dynos/web.1")]);
}

#[test]
fn a_shell_dyno_gets_the_terminal_size_the_right_way_round() {
    let test = Test::new().sim(&[]);
    let _ = test.run(&["run", "shell-staging", "-p", "command=true", "--yes"]);
    let created = test
        .simulator()
        .log()
        .into_iter()
        .find(|request| {
            request["method"] == "POST" && request["path"].as_str().unwrap().ends_with("/dynos")
        })
        .expect("the one-off dyno was asked for");
    let env = &created["body"]["env"];
    let columns: u32 = env["COLUMNS"].as_str().unwrap().parse().unwrap();
    let lines: u32 = env["LINES"].as_str().unwrap().parse().unwrap();
    assert!(columns > lines, "COLUMNS {columns}, LINES {lines}");
}

#[test]
fn ctrl_c_at_the_step_question_interrupts_the_run() {
    let test = Test::new().sim(&[]);
    let mut session = test.terminal(&["run", "restart-staging", "--step"]);
    session.exp_string("Current dynos").unwrap();
    session.exp_string("What now?").unwrap();
    session.send_control('c').unwrap();
    assert_eq!(exit_code(&mut session), Some(130));
    assert_eq!(test.journaled("run_finished")[0]["status"], "interrupted");
}
