//! The shipped operations guide is what `runbook docs` makes of the shipped runbooks.

use crate::harness::{Test, runbook_files, shipped_runbooks};

#[test]
fn docs_operations_md_is_not_stale() {
    let output = Test::new().run(&["docs"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let generated = &output.stdout;
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/operations.md"))
            .unwrap();
    assert!(
        *generated == shipped,
        "docs/operations.md is stale: run `cargo run -- docs > docs/operations.md` and commit it"
    );
}

/// Every runbook file of the shipped folder, and every environment its own text lists: a section,
/// and the command that runs it there.
#[test]
fn the_guide_covers_every_runbook_with_how_to_run_it() {
    let generated = Test::new().run(&["docs"]).code(0).stdout;
    let runbooks = runbook_files(&shipped_runbooks());
    assert!(!runbooks.is_empty(), "no runbook in {}", shipped_runbooks().display());
    for (name, environments) in &runbooks {
        assert!(generated.contains(&format!("## {name}\n")), "{name}");
        if environments.is_empty() {
            assert!(generated.contains(&format!("`runbook run {name}`")), "{name}");
        }
        for environment in environments {
            assert!(
                generated.contains(&format!("`runbook run {name}-{environment}`")),
                "{name}-{environment}"
            );
        }
    }
    assert!(
        generated.contains("Touches: reads `GET /apps/{app}`, `GET /apps/{app}/addons`"),
        "troubleshoot lists its reads"
    );
}

#[test]
fn docs_functions_md_is_not_stale() {
    let output = Test::new().run(&["functions"]);
    assert_eq!(output.code, Some(0), "{}", output.stderr);
    let shipped =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/functions.md")).unwrap();
    assert!(
        output.stdout == shipped,
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
    let reference = Test::new().run(&["functions"]).stdout;
    let yaml_steps: String = blocks(&reference, "yaml")
        .iter()
        .map(|block| block.replace("- do:", "  - do:").replace("\n  with:", "\n    with:"))
        .collect();
    let yaml =
        format!("description: Every example.\nenvironments: [staging]\nsteps:\n{yaml_steps}");
    let rhai_calls: String =
        blocks(&reference, "rhai").iter().map(|call| format!("{};\n", call.trim())).collect();
    let rhai = format!("//! Every example.\n//! environments: staging\n{rhai_calls}");
    assert_eq!(blocks(&reference, "yaml").len(), blocks(&reference, "rhai").len());
    let checked = Test::new()
        .file("examples.yaml", &yaml)
        .file("examples-script.rhai", &rhai)
        .run(&["check", "examples", "examples-script"]);
    assert_eq!(checked.code, Some(0), "{}{}\n{yaml}\n{rhai}", checked.stdout, checked.stderr);
}
