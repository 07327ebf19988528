//! The runbooks of docs/authoring.md: each passes `check --deny-warnings` and rehearses on the
//! simulator, so that what a teammate copies works.

use crate::harness::{PRODUCTION, Test, shipped_runbooks};

fn blocks(markdown: &str, language: &str) -> Vec<String> {
    let fence = format!("```{language}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once("```").map(|(block, _)| block.to_string()))
        .collect()
}

#[test]
fn every_runbook_of_the_guide_checks_clean_and_rehearses() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/authoring.md")).unwrap();
    let mut files: Vec<(String, String)> = Vec::new();
    for (position, yaml) in blocks(&guide, "yaml")
        .into_iter()
        .filter(|block| block.contains("steps:") && !block.contains("\ntests:"))
        .enumerate()
    {
        files.push((format!("guide-{position}.yaml"), yaml));
    }
    for (position, rhai) in blocks(&guide, "rhai").into_iter().enumerate() {
        files.push((format!("guide-script-{position}.rhai"), rhai));
    }
    assert_eq!(files.len(), 3, "the guide's runbooks");
    let mut test = Test::new();
    for (name, text) in &files {
        test = test.file(name, text);
    }
    let restart = std::fs::read_to_string(shipped_runbooks().join("restart.yaml")).unwrap();
    let status = std::fs::read_to_string(shipped_runbooks().join("status.yaml")).unwrap();
    let test = test.file("restart.yaml", &restart).file("status.yaml", &status).sim(&[]);
    for (name, _) in &files {
        let stem = name.rsplit_once('.').unwrap().0;
        let checked = test.run(&["check", "--deny-warnings", stem]);
        assert_eq!(checked.code, Some(0), "{name}: {}", checked.stderr);
        let ran = test.run(&["run", &format!("{stem}-production"), "--confirm", PRODUCTION]);
        assert_eq!(ran.code, Some(0), "{name}: {}", ran.stderr);
    }
}

#[test]
fn the_guides_tests_pass_against_its_runbook() {
    let guide =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/authoring.md")).unwrap();
    let yaml = blocks(&guide, "yaml");
    let runbook = yaml
        .iter()
        .find(|block| block.contains("steps:") && !block.contains("\ntests:"))
        .expect("the guide's runbook");
    let tests: Vec<&String> = yaml.iter().filter(|block| block.contains("\ntests:")).collect();
    assert_eq!(tests.len(), 1, "the guide's test file");
    let test = Test::new()
        .file("clear-sessions.yaml", runbook)
        .file("tests/clear-sessions.yaml", tests[0]);
    let outcome = test.run(&["test", "clear-sessions"]);
    assert_eq!(outcome.code, Some(0), "{}", outcome.shown());
    assert!(outcome.stdout.contains("3 passed, 0 failed"), "{}", outcome.stdout);
}
