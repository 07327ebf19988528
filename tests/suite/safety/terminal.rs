//! The terminal is the operator's: escape sequences, bidi overrides and carriage returns from the
//! API (error messages, release descriptions, dyno commands, log lines) and from runbook text
//! (descriptions, step names, confirm messages) are written out, never acted on, on the screen,
//! in JSON events and in the journal; `check` warns of them in runbook text.

use crate::harness::{Hostile, Received, Reply, Test};

const APP: &str = "some-unprotected-app";

/// What a hostile API slips into its text: a window title, a clipboard write, a carriage return
/// that overwrites the line, and a bidi override that reverses what follows.
const HOSTILE: &str = "\u{1b}]0;owned\u{7}\u{1b}]52;c;cGF3bmVk\u{7}\rAPPROVED \u{202e}noitcudorp";

/// Characters that must never reach a terminal raw.
fn acted_on(text: &str) -> Vec<char> {
    text.chars()
        .filter(|character| {
            matches!(character, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}')
                || matches!(character, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
        })
        .collect()
}

fn hostile_api() -> Hostile {
    Hostile::start(|request: &Received| {
        let json = |value: serde_json::Value| Reply::Answer(200, vec![], value.to_string());
        if request.is(&format!("GET /apps/{APP}/dynos")) {
            return json(serde_json::json!([{
                "id": "01234567-89ab-cdef-0123-456789abcdef", "name": "web.1", "type": "web",
                "state": "up", "command": format!("gunicorn {HOSTILE}"), "size": "Standard-1X",
            }]));
        }
        if request.is(&format!("GET /apps/{APP}/releases")) {
            return json(serde_json::json!([{
                "id": "11234567-89ab-cdef-0123-456789abcdef", "version": 7,
                "description": format!("Deploy {HOSTILE}"), "status": "succeeded", "current": true,
            }]));
        }
        if request.is(&format!("POST /apps/{APP}/log-sessions")) {
            return json(serde_json::json!({
                "id": "21234567-89ab-cdef-0123-456789abcdef",
                "logplex_url": format!("{}/stream", request.base_url()),
            }));
        }
        if request.is("GET /stream") {
            let line = format!("2026-12-06T03:14:00+00:00 app[web.1]: {HOSTILE}\n");
            return Reply::Bytes(200, line.into_bytes());
        }
        Reply::Answer(
            422,
            vec![],
            serde_json::json!({ "id": "invalid_params", "message": HOSTILE }).to_string(),
        )
    })
}

const READS_THEN_WRITES: &str = r#"
description: Reads what a hostile API says, then a write it refuses.
steps:
  - name: Dynos
    do: heroku.dynos
    with: { app: some-unprotected-app }
  - name: Releases
    do: heroku.releases
    with: { app: some-unprotected-app }
  - name: Logs
    do: heroku.logs
    with: { app: some-unprotected-app, lines: 10 }
  - name: Restart
    do: heroku.restart
    with: { app: some-unprotected-app }
"#;

#[test]
fn api_text_is_written_out_on_screen_in_json_and_in_the_journal() {
    let server = hostile_api();
    let test = Test::new().file("hostile.yaml", READS_THEN_WRITES).api(&server.url, "test-key");
    let outcome = test.run(&["run", "hostile", "--yes", "--verbose"]).code(1);
    assert!(
        acted_on(&outcome.shown()).is_empty(),
        "raw on screen: {:?}\n{}",
        acted_on(&outcome.shown()),
        outcome.stderr
    );
    assert!(
        outcome.stderr.contains("\\u{1b}]0;owned"),
        "the error message is shown, written out: {}",
        outcome.stderr
    );
    let journal = test.journal_text();
    assert!(acted_on(&journal).is_empty(), "raw in the journal");

    let json = test.run(&["--output", "json", "run", "hostile", "--yes"]);
    for event in json.events() {
        let text = event.to_string();
        let decoded: Vec<String> = serde_json::from_str::<serde_json::Value>(&text)
            .map(|value| strings_of(&value))
            .unwrap();
        for string in decoded {
            assert!(acted_on(&string).is_empty(), "raw in a JSON event: {string:?}");
        }
    }
}

fn strings_of(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::String(text) => vec![text.clone()],
        serde_json::Value::Array(items) => items.iter().flat_map(strings_of).collect(),
        serde_json::Value::Object(entries) => entries
            .iter()
            .flat_map(|(key, item)| std::iter::once(key.clone()).chain(strings_of(item)))
            .collect(),
        _ => Vec::new(),
    }
}

/// A runbook whose text carries what a terminal would act on, written with YAML's escapes.
const HOSTILE_RUNBOOK: &str = r#"
description: "Restart \e]0;owned\a the app"
environments: [staging]
steps:
  - name: "Restart \u202enoitcudorp"
    do: heroku.restart
    with: { app: "${app}" }
    confirm: "Restart \r lazona-connector-production?"
"#;

#[test]
fn check_warns_of_hidden_characters_in_runbook_text_and_the_run_writes_them_out() {
    let test = Test::new().file("hidden.yaml", HOSTILE_RUNBOOK).sim(&[]);
    let outcome = test.run(&["check", "hidden"]).code(0);
    let warnings = outcome.stderr.matches("which a terminal would act on").count();
    assert!(warnings >= 3, "{}", outcome.stderr);
    assert!(outcome.stderr.contains("U+202E"), "{}", outcome.stderr);
    test.run(&["check", "hidden", "--deny-warnings"]).code(2);

    let run = test.run(&["run", "hidden-staging", "--yes"]).code(0);
    assert!(acted_on(&run.shown()).is_empty(), "{}", run.stderr);
    assert!(run.stderr.contains("\\u{202e}"), "{}", run.stderr);
    let listed = test.run(&["list"]).code(0);
    assert!(acted_on(&listed.shown()).is_empty(), "{}", listed.stdout);
    let shown = test.run(&["show", "hidden-staging"]).code(0);
    assert!(acted_on(&shown.shown()).is_empty(), "{}", shown.stdout);
    let history = test.run(&["history"]).code(0);
    assert!(acted_on(&history.shown()).is_empty(), "{}", history.stdout);
}

/// Raw control characters in a Rhai script's strings: warned of, and written out when shown.
#[test]
fn a_rhai_script_printing_escapes_is_written_out() {
    let script = "//! Prints escapes.\nprint(\"title \\x1b]0;owned\\x07 done\");\nstep(\"Name \\u202e reversed\", || 1);\n";
    let test = Test::new().file("prints.rhai", script).sim(&[]);
    let checked = test.run(&["check", "prints"]).code(0);
    assert!(
        checked.stderr.matches("which a terminal would act on").count() >= 2,
        "{}",
        checked.stderr
    );
    let run = test.run(&["run", "prints"]).code(0);
    assert!(acted_on(&run.shown()).is_empty(), "{}", run.stderr);
    assert!(run.stderr.contains("\\u{1b}]0;owned"), "{}", run.stderr);
}

/// A journal edited by hand (or by a hostile tool) is shown written out, never acted on.
#[test]
fn a_hand_edited_journal_is_written_out_by_history_and_report() {
    let test = Test::new().sim(&[]);
    test.run(&["run", "restart-staging", "--yes"]).code(0);
    let escaped = serde_json::to_string(HOSTILE).unwrap();
    let escaped = escaped.trim_matches('"');
    let edited =
        test.journal_text().replace("restart-staging", &format!("restart-staging{escaped}"));
    std::fs::write(test.state().join("journal.jsonl"), edited).unwrap();
    let run_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    for arguments in
        [vec!["history"], vec!["report", run_id.as_str()], vec!["report", "--since", "1h"]]
    {
        let outcome = test.run(&arguments);
        assert!(
            acted_on(&outcome.shown()).is_empty(),
            "{arguments:?}: {}{}",
            outcome.stdout,
            outcome.stderr
        );
    }
}

/// What the operator typed comes back in clap's messages: written out too.
#[test]
fn a_command_line_error_writes_out_what_was_typed() {
    let test = Test::new().sim(&[]);
    let outcome = test.run(&["run", "restart-staging", "--colour\u{1b}]0;owned\u{7}"]);
    assert_eq!(outcome.code, Some(2), "{}", outcome.stderr);
    assert!(acted_on(&outcome.shown()).is_empty(), "{}", outcome.stderr);
    let outcome = test.run(&["show", "\u{1b}[8mhidden"]);
    assert!(acted_on(&outcome.shown()).is_empty(), "{}", outcome.stderr);
}

/// Text that would hide itself (`ESC[8m`, conceal) in a description: listed, shown and checked
/// written out.
#[test]
fn concealed_text_in_a_description_is_written_out_everywhere() {
    let runbook = "description: \"Harmless \\e[8m then drop the database\"\nsteps:\n  - name: Read\n    do: heroku.dynos\n    with: { app: some-unprotected-app }\n";
    let test = Test::new().file("concealed.yaml", runbook).sim(&[]);
    for arguments in [
        vec!["list"],
        vec!["show", "concealed"],
        vec!["check", "concealed"],
        vec!["docs"],
        vec!["run", "concealed", "--dry-run"],
    ] {
        let outcome = test.run(&arguments);
        assert!(
            acted_on(&outcome.shown()).is_empty(),
            "{arguments:?}: {}{}",
            outcome.stdout,
            outcome.stderr
        );
    }
}
