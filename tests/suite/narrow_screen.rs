//! What a person sees in a terminal window of a given size, read through a terminal emulator
//! (`vt100`): at 80x24 the header takes two rows, the request summary one, and what to run next
//! is the last row of the screen, however long the output above it.

use crate::harness::{PRODUCTION, Test, screen_rows};

/// The rows from the first to the last that is not blank.
fn written(rows: &[String]) -> Vec<&str> {
    let first = rows.iter().position(|row| !row.is_empty()).unwrap_or(0);
    let last = rows.iter().rposition(|row| !row.is_empty()).unwrap_or(0);
    rows[first..=last].iter().map(String::as_str).collect()
}

/// The whole output of `runbook ARGUMENTS` in a pseudo-terminal of `rows` by `columns`.
fn output_at(test: &Test, arguments: &[&str], rows: u16, columns: u16) -> String {
    let mut session = test.terminal_sized(arguments, rows, columns);
    session.exp_eof().expect("the run ends")
}

#[test]
fn at_80_by_24_a_rehearsal_keeps_its_header_short_and_what_to_run_next_on_screen() {
    let test = Test::new();
    let arguments = ["run", "troubleshoot-production", "--sim", "--scenario", "crashed-web"];
    let output = output_at(&test, &arguments, 24, 80);
    let whole = screen_rows(&output, 400, 80);
    let whole = written(&whole);
    assert!(
        whole[0].starts_with("▶ runbook troubleshoot · lazona-connector-production"),
        "{whole:#?}"
    );
    assert!(
        whole[1].starts_with("  REHEARSAL") && whole[1].contains(" · run "),
        "the header's second row holds the rest: {whole:#?}"
    );
    assert!(whole[2].starts_with("✓ [1/7]"), "the header takes two rows: {whole:#?}");
    let summary = whole
        .iter()
        .position(|row| row.starts_with("the simulator received"))
        .expect("the requests are summed up");
    assert!(
        whole[summary + 1].starts_with("  GET "),
        "the summary's first line fits one row: {whole:#?}"
    );

    let last_screen = screen_rows(&output, 24, 80);
    let last_screen = written(&last_screen);
    assert_eq!(
        last_screen.last().copied(),
        Some("next: runbook run restart-production --sim"),
        "what to run next is the last row on screen: {last_screen:#?}"
    );
    assert_eq!(
        whole.iter().filter(|row| row.contains("next: runbook run")).count(),
        1,
        "said once, at the end: {whole:#?}"
    );
}

#[test]
fn an_undo_hint_is_the_last_row_on_screen() {
    let test = Test::new();
    let output =
        output_at(&test, &["run", "rollback-production", "--sim", "--confirm", PRODUCTION], 24, 80);
    let last_screen = screen_rows(&output, 24, 80);
    let last = written(&last_screen).last().copied().unwrap_or_default();
    assert!(
        last.starts_with("to undo: runbook run rollback-production -p release=v")
            && last.ends_with(" --sim"),
        "{last_screen:#?}"
    );
}

#[test]
fn a_wide_terminal_and_a_log_file_keep_the_header_on_one_line() {
    let test = Test::new();
    let arguments = ["run", "status-production", "--sim"];
    let output = output_at(&test, &arguments, 40, 200);
    let wide = screen_rows(&output, 40, 200);
    let header = written(&wide)[0];
    assert!(
        header.contains("PROTECTED") && header.contains("REHEARSAL") && header.contains(" · run "),
        "{header}"
    );

    let logged = test.run(&arguments).code(0);
    let header = logged.stderr.lines().next().unwrap_or_default();
    assert!(
        header.contains("REHEARSAL") && header.contains(" · run "),
        "a log is read with grep: one line, {header}"
    );
}

/// What to do next is advice for a run that went well: after a failure, a dry-run or a later
/// step that said otherwise, it stays in its step's place, said once.
#[test]
fn advice_is_the_last_line_only_of_a_run_that_went_well() {
    let runbook = |then: &str| {
        format!(
            "description: advice, then more\nsteps:\n  - name: Advise\n    script: '\"ok\\nnext: runbook run restart-staging\"'\n{then}"
        )
    };
    let test = Test::new()
        .file("advice-fails.yaml", &runbook("  - name: Fail\n    sh: \"exit 3\"\n"))
        .file(
            "advice-then-calm.yaml",
            &runbook("  - name: Look again\n    script: '\"nothing wrong\"'\n"),
        )
        .file("advice-last.yaml", &runbook(""))
        .sim(&[]);
    let last_line = |stderr: &str| {
        stderr.lines().rev().find(|line| !line.trim().is_empty()).unwrap_or_default().to_string()
    };
    let well = test.run(&["run", "advice-last"]).code(0);
    assert_eq!(last_line(&well.stderr), "next: runbook run restart-staging");

    let failed = test.run(&["run", "advice-fails"]).code(1);
    let calm = test.run(&["run", "advice-then-calm"]).code(0);
    for outcome in [&failed, &calm] {
        let stderr = &outcome.stderr;
        assert_eq!(stderr.matches("next: runbook run").count(), 1, "{stderr}");
        let advice = stderr.find("    next: runbook run restart-staging").unwrap();
        let later_step = stderr.find("[2/2]").unwrap();
        assert!(advice < later_step, "in its step's place: {stderr}");
        assert!(!last_line(stderr).contains("next:"), "{stderr}");
    }

    let planned = Test::new().run(&["run", "rollback-production", "--sim", "--dry-run"]).code(0);
    let stderr = &planned.stderr;
    assert!(!last_line(stderr).contains("to undo"), "{stderr}");
    assert!(
        stderr.find("    to undo:").unwrap() < stderr.find("the simulator received").unwrap(),
        "a dry-run's undo stays in its step: {stderr}"
    );
}

#[test]
fn at_40_columns_the_header_breaks_between_words() {
    let test = Test::new();
    let output = output_at(&test, &["run", "status-production", "--sim"], 30, 40);
    let whole = screen_rows(&output, 400, 40);
    let header: Vec<&str> =
        written(&whole).into_iter().take_while(|row| !row.contains("[1/")).collect();
    for word in
        ["lazona-connector-production", "(production,", "PROTECTED)", "REHEARSAL", "(simulator):"]
    {
        assert!(
            header.iter().any(|row| row.contains(word)),
            "`{word}` whole on a row: {header:#?}"
        );
    }
    assert!(header.iter().all(|row| row.chars().count() <= 40));
}
