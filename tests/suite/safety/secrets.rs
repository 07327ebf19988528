//! Secrets are masked whatever their encoding: JSON-escaped, line by line, inside a URL, in the
//! crash report; and a secret equal to a public name never hides that name.

use crate::harness::{STAGING, Test};

const ECHO: &str = r#"
description: Echoes a secret.
environments: [staging]
params:
  password: { type: string, secret: true, doc: "a secret" }
steps:
  - name: Echo it
    sh: "printf '%s\n' \"${password}\"; echo \"alone: ${password}\""
  - name: Read
    do: heroku.formation
    with: { app: "${app}" }
"#;

const ALIAS: &str = r#"
description: Sets a config var to the app's own name.
environments: [staging]
steps:
  - name: Set it
    do: heroku.set_config
    with: { app: "${app}", vars: { ALIAS: "${app}" } }
  - name: Read them
    do: heroku.config_vars
    with: { app: "${app}" }
  - name: Dynos
    do: heroku.dynos
    with: { app: "${app}" }
"#;

const CRASH: &str = "//! Crashes in a step named after a secret.\n//! environments: staging\n//! param password: string secret -- a secret\nstep(`Use ${password}`, || 1);\n";

fn assert_hidden(test: &Test, shown: &str, secret: &str) {
    assert!(!shown.contains(secret), "`{secret}` shown:\n{shown}");
    assert!(
        !test.journal_text().contains(secret),
        "`{secret}` journaled:\n{}",
        test.journal_text()
    );
}

#[test]
fn a_secret_with_quotes_and_backslashes_is_masked_in_json_and_the_journal() {
    let secret = r#"pa"ss\wo"rd-42"#;
    let test = Test::new().file("echo.yaml", ECHO).sim(&[]);
    for output in ["json", "human"] {
        let outcome = test
            .run(&[
                "--output",
                output,
                "run",
                "echo-staging",
                "-p",
                &format!("password={secret}"),
                "--yes",
            ])
            .code(0);
        assert_hidden(&test, &outcome.shown(), secret);
        assert_hidden(&test, &outcome.shown(), r#"pa\"ss\\wo\"rd-42"#);
    }
}

#[test]
fn each_line_of_a_multi_line_secret_is_masked() {
    let secret = "first-line-of-key\nsecond-line-of-key\nthird-line-of-key";
    let test = Test::new().file("echo.yaml", ECHO).sim(&[]);
    let outcome = test
        .run(&[
            "run",
            "echo-staging",
            "-p",
            &format!("password={secret}"),
            "--yes",
        ])
        .code(0);
    for line in secret.lines() {
        assert_hidden(&test, &outcome.shown(), line);
    }
    assert!(
        outcome.stderr.contains("alone: ••••••"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn the_password_inside_a_url_is_masked_on_its_own() {
    let url = "postgres://admin:pw-Xk9-7731@db.internal:5432/app";
    let test = Test::new()
        .file(
            "echo.yaml",
            &ECHO.replace(
                "printf '%s\\n' \\\"${password}\\\"; echo \\\"alone: ${password}\\\"",
                "echo \\\"the password is pw-Xk9-7731\\\"",
            ),
        )
        .sim(&[]);
    let outcome = test
        .run(&[
            "run",
            "echo-staging",
            "-p",
            &format!("password={url}"),
            "--yes",
        ])
        .code(0);
    assert_hidden(&test, &outcome.shown(), "pw-Xk9-7731");
}

#[test]
fn a_config_var_equal_to_the_app_name_does_not_hide_the_app() {
    let test = Test::new().file("alias.yaml", ALIAS).sim(&[]);
    let outcome = test.run(&["run", "alias-staging", "--yes"]).code(0);
    assert!(
        outcome.stderr.contains(&format!("· {STAGING} (staging)")),
        "{}",
        outcome.stderr
    );
    let started = test.journaled("run_started");
    assert_eq!(started[0]["app"], STAGING);
}

#[test]
fn the_crash_report_masks_secrets() {
    let secret = "crash-secret-778";
    let test = Test::new()
        .file("crash.rhai", CRASH)
        .sim(&[])
        .env("RUNBOOK_DEBUG_PANIC", &format!("Use {secret}"));
    let outcome = test.run(&["run", "crash-staging", "-p", &format!("password={secret}")]);
    assert_eq!(outcome.code, Some(101), "{}", outcome.stderr);
    assert!(
        outcome.stderr.contains("runbook crashed"),
        "{}",
        outcome.stderr
    );
    assert_hidden(&test, &outcome.shown(), secret);
}

#[test]
fn a_secret_inside_an_app_name_never_hides_the_name() {
    let runbook = "description: A secret that is part of the app name.\nenvironments: [staging, production]\nparams:\n  key: { type: string, secret: true, doc: \"a key\" }\nsteps:\n  - name: Restart\n    do: heroku.restart\n    with: { app: \"${app}\" }\n  - name: Echo\n    sh: \"echo key ${key}\"\n";
    let test = Test::new().file("sub.yaml", runbook).sim(&[]);
    let outcome = test
        .run(&["run", "sub-production", "-p", "key=connector-production"])
        .code(3)
        .stderr_has(&format!("pass --confirm {}", crate::harness::PRODUCTION));
    assert!(
        !outcome.stderr.contains("lazona-••••••"),
        "{}",
        outcome.stderr
    );
    let outcome = test
        .run(&["run", "sub-staging", "-p", "key=connector-staging", "--yes"])
        .code(0);
    assert!(outcome.stderr.contains("key ••••••"), "{}", outcome.stderr);
    assert!(outcome.stderr.contains(STAGING), "{}", outcome.stderr);
}

#[test]
fn a_secret_percent_encoded_or_debug_escaped_is_masked() {
    let check = "description: A secret in a web path.\nenvironments: [staging]\nparams:\n  key: { type: string, secret: true, doc: \"a key\" }\nsteps:\n  - name: Check\n    do: heroku.check_app\n    with: { app: \"${app}\", path: \"/health?key=${key}\", status: 599 }\n";
    let debug = "//! Shows a secret in debug forms.\n//! environments: staging\n//! param token: string secret -- a token\nstep(\"Show\", || `${[token]} ${#{t: token}}`);\n";
    let dyno = "description: A secret where a dyno goes.\nenvironments: [staging]\nparams:\n  token: { type: string, secret: true, doc: \"a token\" }\nsteps:\n  - name: Restart\n    do: heroku.restart_dyno\n    with: { app: \"${app}\", dyno: \"${token}\" }\n";
    let test = Test::new()
        .file("check.yaml", check)
        .file("debug.rhai", debug)
        .file("dyno.yaml", dyno)
        .sim(&[]);
    let shown = test
        .run(&[
            "--output",
            "json",
            "run",
            "check-staging",
            "-p",
            "key=my secret<key>\"1",
        ])
        .shown();
    assert_hidden(&test, &shown, "my%20secret%3Ckey%3E%221");
    assert_hidden(&test, &shown, "my secret");
    let shown = test
        .run(&[
            "--output",
            "json",
            "run",
            "debug-staging",
            "-p",
            "token=zero\u{200b}width-SECRET-w",
        ])
        .shown();
    assert_hidden(&test, &shown, "width-SECRET-w");
    let shown = test
        .run(&[
            "--output",
            "json",
            "run",
            "dyno-staging",
            "-p",
            "token=it's-a-SECRET-value",
            "--yes",
        ])
        .shown();
    assert_hidden(&test, &shown, "a-SECRET-value");
}
