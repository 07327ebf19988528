//! The shipped operations guide is what `runbook docs` makes of the shipped runbooks.

mod common;

use common::{runbook, text};

#[test]
fn docs_operations_md_is_not_stale() {
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path()).arg("docs").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let generated = text(&output.stdout);
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/operations.md"))
            .unwrap();
    assert!(
        generated == shipped,
        "docs/operations.md is stale: run `cargo run -- docs > docs/operations.md` and commit it"
    );
}

#[test]
fn the_guide_covers_every_runbook_with_how_to_run_it() {
    let home = tempfile::tempdir().unwrap();
    let generated = text(&runbook(home.path()).arg("docs").output().unwrap().stdout);
    for name in [
        "logs",
        "maintenance-off",
        "maintenance-on",
        "restart",
        "restart-dyno",
        "rollback",
        "scale",
        "status",
        "troubleshoot",
    ] {
        assert!(generated.contains(&format!("## {name}\n")), "{name}");
        assert!(
            generated.contains(&format!("`runbook run {name}-production`")),
            "{name}"
        );
    }
    assert!(
        generated.contains("Touches: reads `GET /apps/{app}`, `GET /apps/{app}/addons`"),
        "troubleshoot lists its reads"
    );
}

#[test]
fn docs_functions_md_is_not_stale() {
    let home = tempfile::tempdir().unwrap();
    let output = runbook(home.path()).arg("functions").output().unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/functions.md")).unwrap();
    assert!(
        text(&output.stdout) == shipped,
        "docs/functions.md is stale: run `cargo run -- functions > docs/functions.md` and commit it"
    );
}

/// The fenced blocks of `language` in a Markdown text.
fn blocks<'a>(markdown: &'a str, language: &str) -> Vec<&'a str> {
    let fence = format!("```{language}\n");
    markdown
        .split(fence.as_str())
        .skip(1)
        .filter_map(|rest| rest.split_once("```").map(|(block, _)| block))
        .collect()
}

#[test]
fn every_example_of_the_reference_is_a_valid_runbook() {
    let home = tempfile::tempdir().unwrap();
    let reference = text(
        &runbook(home.path())
            .arg("functions")
            .output()
            .unwrap()
            .stdout,
    );
    let yaml_steps: String = blocks(&reference, "yaml")
        .iter()
        .map(|block| {
            block
                .replace("- do:", "  - do:")
                .replace("\n  with:", "\n    with:")
        })
        .collect();
    let yaml =
        format!("description: Every example.\nenvironments: [staging]\nsteps:\n{yaml_steps}");
    let rhai_calls: String = blocks(&reference, "rhai")
        .iter()
        .map(|call| format!("{};\n", call.trim()))
        .collect();
    let rhai = format!("//! Every example.\n//! environments: staging\n{rhai_calls}");
    assert_eq!(
        blocks(&reference, "yaml").len(),
        blocks(&reference, "rhai").len()
    );
    let folder =
        common::runbooks_folder(&[("examples.yaml", &yaml), ("examples-script.rhai", &rhai)]);
    let checked = runbook(home.path())
        .env("RUNBOOK_DIR", folder.path())
        .args(["check", "examples", "examples-script"])
        .output()
        .unwrap();
    assert_eq!(
        checked.status.code(),
        Some(0),
        "{}{}\n{yaml}\n{rhai}",
        text(&checked.stdout),
        text(&checked.stderr)
    );
}
