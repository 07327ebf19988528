//! Confirmation prompts in a pseudo-terminal: the operator sees what is affected and types the app name.

use rexpect::session::PtySession;

use crate::harness::{PRODUCTION, STAGING, Test, exit_code};

fn interactive(test: &Test, arguments: &[&str]) -> PtySession {
    test.terminal(&[&["run"], arguments].concat())
}

#[test]
fn typing_the_app_name_proceeds() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-production"]);
    session.exp_string(&format!("Restart 3 dynos of {PRODUCTION}?")).unwrap();
    session.exp_string(&format!("app: {PRODUCTION}")).unwrap();
    session.exp_string("dynos: 3 dynos: web.1 up, web.2 up, worker.1 up").unwrap();
    session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    session.send_line(PRODUCTION).unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{PRODUCTION}/dynos")]);
}

#[test]
fn typing_anything_else_aborts_with_exit_3() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-production"]);
    session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    for left in ["2 tries left", "1 try left"] {
        session.send_line(STAGING).unwrap();
        session.exp_string(&format!("`{STAGING}` is not `{PRODUCTION}`")).unwrap();
        session.exp_string(left).unwrap();
    }
    session.send_line(STAGING).unwrap();
    session.exp_string("was not typed").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(3));
    assert!(test.write_requests().is_empty());
}

#[test]
fn a_mistyped_name_then_the_right_one_proceeds() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-production"]);
    session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    session.send_line("lazona-connector-prodution").unwrap();
    session.exp_string("2 tries left").unwrap();
    session.send_line(PRODUCTION).unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{PRODUCTION}/dynos")]);
}

/// `y` alone answers nothing: the write leaves only once Enter is pressed, and an Enter typed
/// ahead of a question is not its answer.
#[test]
fn yes_needs_enter() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-staging"]);
    session.exp_string("Proceed?").unwrap();
    session.send("y").unwrap();
    session.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert!(test.write_requests().is_empty(), "`y` alone sent the restart");
    session.send("\r").unwrap();
    session.flush().unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")]);
}

#[test]
fn an_unprotected_environment_asks_yes_or_no() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-staging"]);
    session.exp_string(&format!("Restart 3 dynos of {STAGING}?")).unwrap();
    session.exp_string("Proceed?").unwrap();
    session.send_line("n").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(3));
    assert!(test.write_requests().is_empty());
}

/// Waits for the `--step` menu after `header`, then picks the item at `position`.
fn choose(session: &mut PtySession, header: &str, position: usize) {
    session.exp_string(header).unwrap();
    session.exp_string("abort the run").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(100));
    for _ in 0..position {
        session.send("\x1b[B").unwrap();
    }
    session.send("\n").unwrap();
}

#[test]
fn step_mode_runs_skips_and_aborts_as_chosen() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-staging", "--step", "--yes"]);
    choose(&mut session, "Next: [1/4] Current dynos", 0);
    session.exp_string("Next: [2/4] Restart dynos").unwrap();
    session.exp_string("dynos: 3 dynos").unwrap();
    choose(&mut session, &format!("request: DELETE /apps/{STAGING}/dynos"), 1);
    session.exp_string("skipped at the --step prompt").unwrap();
    choose(&mut session, "Next: [3/4] Wait until every dyno is up", 3);
    session.exp_string("aborted").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(3));
    assert_eq!(
        test.requests(),
        [format!("GET /apps/{STAGING}/dynos"), format!("GET /apps/{STAGING}/dynos"),],
        "the first step's read, and the read that shows what step 2 would restart; no write"
    );
}

#[test]
fn colour_on_a_terminal_and_none_with_no_color() {
    let plain_test = Test::new().sim(&[]);
    let coloured_test = Test::new().shared_sim(&plain_test).without_env("NO_COLOR");
    let mut coloured = interactive(&coloured_test, &["status-staging"]);
    let before = coloured.exp_string("finished").unwrap();
    assert!(before.contains("\x1b[32m"), "green marks on a terminal: {before:?}");
    coloured.exp_eof().unwrap();
    let mut plain = interactive(&plain_test, &["status-staging"]);
    let before = plain.exp_string("finished").unwrap();
    assert!(
        before.contains("[3/3] Dynos") && !before.contains("\x1b[32m"),
        "no colour with NO_COLOR: {before:?}"
    );
    plain.exp_eof().unwrap();
}

#[test]
fn a_steps_time_leaves_out_the_seconds_at_its_question() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["restart-production"]);
    session.exp_string(&format!("Type `{PRODUCTION}` to confirm")).unwrap();
    std::thread::sleep(std::time::Duration::from_secs(3));
    session.send_line(PRODUCTION).unwrap();
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    let restart = test
        .journaled("step_finished")
        .into_iter()
        .find(|step| step["name"] == "Restart dynos")
        .unwrap();
    let took = restart["duration_ms"].as_u64().unwrap();
    assert!(took < 2000, "the step counts {took} ms, the 3 s at its question included");
}

#[test]
fn step_mode_shows_a_write_once_before_its_confirmation() {
    let test = Test::new().sim(&[]);
    let mut session = interactive(&test, &["maintenance-on-staging", "--step"]);
    choose(&mut session, "Next: [1/2] Maintenance mode on", 0);
    let before = session.exp_string("Proceed?").unwrap();
    session.send_line("y").unwrap();
    choose(&mut session, "Next: [2/2] App now", 0);
    session.exp_string("finished").unwrap();
    session.exp_eof().unwrap();
    assert_eq!(exit_code(&mut session), Some(0));
    assert_eq!(
        before.matches("request: PATCH").count(),
        0,
        "the --step question showed the request; the confirmation must not show it again: {before}"
    );
    assert!(before.contains("(what it does is shown above)"), "{before}");
}
