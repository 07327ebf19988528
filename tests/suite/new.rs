//! `runbook new`: through flags off a terminal, and as a wizard in a pseudo-terminal; what it
//! writes passes `check` and runs on the simulator.

use std::process::Command;

use crate::harness::{Outcome, Test};

fn new_runbook(test: &Test, arguments: &[&str]) -> Outcome {
    test.run(&[&["new"], arguments].concat())
}

#[test]
fn every_template_in_both_formats_checks_and_rehearses() {
    // One simulator for every template's run.
    let server = Test::new().sim(&[]);
    let work = tempfile::tempdir().unwrap();
    let git = |arguments: &[&str]| {
        Command::new("git").arg("-C").arg(work.path()).args(arguments).output().unwrap()
    };
    git(&["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(work.path().join("Procfile"), "web: gunicorn\n").unwrap();
    git(&["add", "Procfile"]);
    git(&[
        "-c",
        "user.name=T",
        "-c",
        "user.email=t@example.com",
        "commit",
        "--quiet",
        "-m",
        "first",
    ]);
    let directory = format!("directory={}", work.path().display());
    for format in ["yaml", "rhai"] {
        for template in ["read-only", "restart", "deploy"] {
            let test = Test::new().empty_runbooks();
            let name = format!("my-{template}");
            let made = new_runbook(
                &test,
                &[
                    &name,
                    "--format",
                    format,
                    "--template",
                    template,
                    "--description",
                    "A team runbook.",
                ],
            );
            assert_eq!(made.code, Some(0), "{format} {template}: {}", made.stderr);
            assert!(
                made.stdout.contains(&format!("rehearse it: runbook run {name}-staging --sim")),
                "{}",
                made.stdout
            );
            let checked = test.run(&["check", "--deny-warnings", &name]);
            assert_eq!(
                checked.code,
                Some(0),
                "{format} {template}: {}{}",
                checked.stdout,
                checked.stderr
            );
            let test = test.shared_sim(&server);
            let target = format!("{name}-staging");
            let mut arguments = vec!["run", target.as_str(), "--yes"];
            if template == "deploy" {
                arguments.extend(["-p", directory.as_str(), "-p", "watch=0s"]);
            }
            let ran = test.run(&arguments);
            assert_eq!(ran.code, Some(0), "{format} {template}: {}", ran.stderr);
        }
    }
}

#[test]
fn off_a_terminal_the_description_is_required_and_names_are_checked() {
    let test = Test::new().empty_runbooks();
    let output = new_runbook(&test, &["clear-cache"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("hint: pass --description"), "{}", output.stderr);
    let output = new_runbook(&test, &["Clear_Cache", "--description", "x"]);
    assert_eq!(output.code, Some(2));
    assert!(output.stderr.contains("is not a runbook name"));
    assert_eq!(new_runbook(&test, &["clear-cache", "--description", "Clear it."]).code, Some(0));
    let again = new_runbook(&test, &["clear-cache", "--description", "Clear it."]);
    assert_eq!(again.code, Some(2));
    assert!(again.stderr.contains("already exists"));
    let unknown = new_runbook(&test, &["other", "--description", "x", "--environments", "qa"]);
    assert!(unknown.stderr.contains("no environment `qa`"));
}

#[test]
fn the_wizard_asks_for_what_the_flags_leave_open() {
    let test = Test::new().empty_runbooks();
    let mut session = test.terminal(&["new", "flush-sessions"]);
    let pause = || std::thread::sleep(std::time::Duration::from_millis(150));
    session.exp_string("Rhai: a script").unwrap();
    pause();
    session.send("\x1b[B").unwrap();
    session.send_line("").unwrap();
    session.exp_string("What does it do?").unwrap();
    session.send_line("Flush the Django sessions.").unwrap();
    session.exp_string("production").unwrap();
    pause();
    session.send_line("").unwrap();
    session.exp_string("deploy:").unwrap();
    pause();
    session.send("\x1b[B").unwrap();
    session.send_line("").unwrap();
    session.exp_string("created").unwrap();
    session.exp_eof().unwrap();
    let written = std::fs::read_to_string(test.runbooks().join("flush-sessions.rhai")).unwrap();
    assert!(
        written
            .starts_with("//! Flush the Django sessions.\n//! environments: staging, production\n"),
        "{written}"
    );
    assert!(written.contains("heroku::restart(app, process_type)"), "{written}");
}
