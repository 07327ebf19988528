//! `runbook new`: through flags off a terminal, and as a wizard in a pseudo-terminal; what it
//! writes passes `check` and runs on the simulator.

mod common;

use std::process::Command;

use common::{Sim, binary, runbook, runbooks_folder, text};
use rexpect::session::spawn_command;

fn new_runbook(folder: &std::path::Path, arguments: &[&str]) -> std::process::Output {
    let home = tempfile::tempdir().unwrap();
    runbook(home.path())
        .env("RUNBOOK_DIR", folder)
        .arg("new")
        .args(arguments)
        .output()
        .unwrap()
}

#[test]
fn every_template_in_both_formats_checks_and_rehearses() {
    let sim = Sim::start();
    let work = tempfile::tempdir().unwrap();
    let git = |arguments: &[&str]| {
        Command::new("git")
            .arg("-C")
            .arg(work.path())
            .args(arguments)
            .output()
            .unwrap()
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
            let folder = runbooks_folder(&[]);
            let name = format!("my-{template}");
            let made = new_runbook(
                folder.path(),
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
            assert_eq!(
                made.status.code(),
                Some(0),
                "{format} {template}: {}",
                text(&made.stderr)
            );
            assert!(
                text(&made.stdout)
                    .contains(&format!("rehearse it: runbook run {name}-staging --sim")),
                "{}",
                text(&made.stdout)
            );
            let home = tempfile::tempdir().unwrap();
            let checked = runbook(home.path())
                .env("RUNBOOK_DIR", folder.path())
                .args(["check", "--deny-warnings", &name])
                .output()
                .unwrap();
            assert_eq!(
                checked.status.code(),
                Some(0),
                "{format} {template}: {}{}",
                text(&checked.stdout),
                text(&checked.stderr)
            );
            let mut arguments = vec![
                "run".to_string(),
                format!("{name}-staging"),
                "--yes".to_string(),
            ];
            if template == "deploy" {
                arguments.extend(["-p".to_string(), directory.clone()]);
            }
            let ran = sim
                .runbook(home.path())
                .env("RUNBOOK_DIR", folder.path())
                .args(&arguments)
                .output()
                .unwrap();
            assert_eq!(
                ran.status.code(),
                Some(0),
                "{format} {template}: {}",
                text(&ran.stderr)
            );
        }
    }
}

#[test]
fn off_a_terminal_the_description_is_required_and_names_are_checked() {
    let folder = runbooks_folder(&[]);
    let output = new_runbook(folder.path(), &["clear-cache"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("hint: pass --description"),
        "{}",
        text(&output.stderr)
    );
    let output = new_runbook(folder.path(), &["Clear_Cache", "--description", "x"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("is not a runbook name"));
    assert_eq!(
        new_runbook(
            folder.path(),
            &["clear-cache", "--description", "Clear it."]
        )
        .status
        .code(),
        Some(0)
    );
    let again = new_runbook(
        folder.path(),
        &["clear-cache", "--description", "Clear it."],
    );
    assert_eq!(again.status.code(), Some(2));
    assert!(text(&again.stderr).contains("already exists"));
    let unknown = new_runbook(
        folder.path(),
        &["other", "--description", "x", "--environments", "qa"],
    );
    assert!(text(&unknown.stderr).contains("no environment `qa`"));
}

#[test]
fn the_wizard_asks_for_what_the_flags_leave_open() {
    let folder = runbooks_folder(&[]);
    let home = tempfile::tempdir().unwrap();
    let mut command = Command::new(binary());
    command
        .env_remove("CI")
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("RUNBOOK_DIR", folder.path())
        .args(["new", "flush-sessions"]);
    let mut session = spawn_command(command, Some(20_000)).unwrap();
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
    let written = std::fs::read_to_string(folder.path().join("flush-sessions.rhai")).unwrap();
    assert!(
        written
            .starts_with("//! Flush the Django sessions.\n//! environments: staging, production\n"),
        "{written}"
    );
    assert!(
        written.contains("heroku::restart(app, process_type)"),
        "{written}"
    );
}
