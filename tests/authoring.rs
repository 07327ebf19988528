//! The runbooks of docs/authoring.md: each passes `check --deny-warnings` and rehearses on the
//! simulator, so that what a teammate copies works.

mod common;

use common::{Sim, runbook, runbooks_folder, text};

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
        .filter(|block| block.contains("steps:"))
        .enumerate()
    {
        files.push((format!("guide-{position}.yaml"), yaml));
    }
    for (position, rhai) in blocks(&guide, "rhai").into_iter().enumerate() {
        files.push((format!("guide-script-{position}.rhai"), rhai));
    }
    assert_eq!(files.len(), 3, "the guide's runbooks");
    let mut all: Vec<(&str, &str)> = files
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    let restart = std::fs::read_to_string(common::shipped_runbooks().join("restart.yaml")).unwrap();
    let status = std::fs::read_to_string(common::shipped_runbooks().join("status.yaml")).unwrap();
    all.push(("restart.yaml", &restart));
    all.push(("status.yaml", &status));
    let folder = runbooks_folder(&all);
    let sim = Sim::start();
    let home = tempfile::tempdir().unwrap();
    for (name, _) in &files {
        let stem = name.rsplit_once('.').unwrap().0;
        let checked = runbook(home.path())
            .env("RUNBOOK_DIR", folder.path())
            .args(["check", "--deny-warnings", stem])
            .output()
            .unwrap();
        assert_eq!(
            checked.status.code(),
            Some(0),
            "{name}: {}",
            text(&checked.stderr)
        );
        let ran = sim
            .runbook(home.path())
            .env("RUNBOOK_DIR", folder.path())
            .args([
                "run",
                &format!("{stem}-production"),
                "--confirm",
                common::PRODUCTION,
            ])
            .output()
            .unwrap();
        assert_eq!(ran.status.code(), Some(0), "{name}: {}", text(&ran.stderr));
    }
}
