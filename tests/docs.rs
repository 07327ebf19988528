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
