//! Shell completions: the registration scripts, and runbook names completed from the folder.

use crate::harness::Test;

#[test]
fn every_shell_gets_a_registration_that_calls_back_into_runbook() {
    let test = Test::new();
    for shell in ["bash", "zsh", "fish"] {
        let output = test.run(&["completions", shell]);
        assert_eq!(output.code, Some(0), "{shell}");
        assert!(output.stdout.contains("COMPLETE="), "{shell}: {}", output.stdout);
    }
}

#[test]
fn runbook_names_are_completed_from_the_runbooks_folder() {
    let test = Test::new().env("COMPLETE", "fish");
    let complete = |words: &[&str]| {
        let output = test.run(&[&["--"], words].concat());
        output
            .stdout
            .lines()
            .map(|line| line.split('\t').next().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(complete(&["runbook", "run", "restart-p"]), ["restart-production"]);
    let names = complete(&["runbook", "show", "ro"]);
    assert_eq!(names, ["rollback", "rollback-staging", "rollback-production"]);
    assert!(complete(&["runbook", "ch"]).contains(&"check".to_string()));
}
