//! Shell completions: the registration scripts, and runbook names completed from the folder.

mod common;

use common::{runbook, text};

#[test]
fn every_shell_gets_a_registration_that_calls_back_into_runbook() {
    let home = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish"] {
        let output = runbook(home.path())
            .args(["completions", shell])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{shell}");
        assert!(
            text(&output.stdout).contains("COMPLETE="),
            "{shell}: {}",
            text(&output.stdout)
        );
    }
}

#[test]
fn runbook_names_are_completed_from_the_runbooks_folder() {
    let home = tempfile::tempdir().unwrap();
    let complete = |words: &[&str]| {
        let output = runbook(home.path())
            .env("COMPLETE", "fish")
            .arg("--")
            .args(words)
            .output()
            .unwrap();
        let listed = text(&output.stdout);
        listed
            .lines()
            .map(|line| line.split('\t').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        complete(&["runbook", "run", "restart-p"]),
        ["restart-production"]
    );
    let names = complete(&["runbook", "show", "ro"]);
    assert_eq!(
        names,
        ["rollback", "rollback-staging", "rollback-production"]
    );
    assert!(complete(&["runbook", "ch"]).contains(&"check".to_string()));
}
