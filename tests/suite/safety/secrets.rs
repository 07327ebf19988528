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
    let outcome =
        test.run(&["run", "echo-staging", "-p", &format!("password={secret}"), "--yes"]).code(0);
    for line in secret.lines() {
        assert_hidden(&test, &outcome.shown(), line);
    }
    assert!(outcome.stderr.contains("alone: ••••••"), "{}", outcome.stderr);
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
    let outcome =
        test.run(&["run", "echo-staging", "-p", &format!("password={url}"), "--yes"]).code(0);
    assert_hidden(&test, &outcome.shown(), "pw-Xk9-7731");
}

#[test]
fn a_config_var_equal_to_the_app_name_does_not_hide_the_app() {
    let test = Test::new().file("alias.yaml", ALIAS).sim(&[]);
    let outcome = test.run(&["run", "alias-staging", "--yes"]).code(0);
    assert!(outcome.stderr.contains(&format!("· {STAGING} (staging)")), "{}", outcome.stderr);
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
    assert!(outcome.stderr.contains("runbook crashed"), "{}", outcome.stderr);
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
    assert!(!outcome.stderr.contains("lazona-••••••"), "{}", outcome.stderr);
    let outcome = test.run(&["run", "sub-staging", "-p", "key=connector-staging", "--yes"]).code(0);
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
        .run(&["--output", "json", "run", "check-staging", "-p", "key=my secret<key>\"1"])
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

/// Every form a Slack post could carry `secret` in: as written, and escaped as Slack escapes.
fn slack_forms(secret: &str) -> Vec<String> {
    let escaped = secret.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    vec![secret.to_string(), escaped]
}

#[test]
fn a_secret_with_slack_specials_never_reaches_a_post() {
    let webhook = crate::harness::Hostile::start(|_| {
        crate::harness::Reply::Answer(200, Vec::new(), "ok".into())
    });
    let url = format!("{}/services/T000/B000/hook-path-4242", webhook.url);
    let secret = "p&ss<w0rd>&lt;x";
    let test = Test::new()
        .file(
            "environments.yaml",
            "staging: { app: lazona-connector-staging, notify: { slack: SLACK_WEBHOOK_OPS } }\n",
        )
        .file(
            "secretive.yaml",
            "description: echoes a secret, then fails\nenvironments: [staging]\nparams:\n  token: { type: string, secret: true, required: true }\nsteps:\n  - name: Echo\n    sh: \"echo ${token}\"\n  - name: Fail with it\n    sh: \"echo ${token} >&2; exit 3\"\n",
        )
        .sim(&[])
        .env("SLACK_WEBHOOK_OPS", &url);
    let outcome = test.run(&["run", "secretive-staging", "-p", &format!("token={secret}")]).code(1);
    assert!(webhook.requests().len() >= 3, "{:?}", webhook.requests());
    let posts: Vec<String> = webhook.bodies().iter().map(|body| body.to_string()).collect();
    for form in slack_forms(secret) {
        for post in &posts {
            assert!(!post.contains(&form), "`{form}` posted: {post}");
        }
        assert!(!outcome.shown().contains(&form), "{}", outcome.stderr);
    }
    assert_hidden(&test, &outcome.shown(), secret);
}

/// In a rehearsal the run talks to its own simulator, but a command of the run still sees the
/// operator's environment: the real token and webhook URL are masked as in a live run.
#[test]
fn a_rehearsal_masks_the_real_token_and_the_webhook() {
    let test = Test::new()
        .file(
            "environments.yaml",
            "staging: { app: lazona-connector-staging, notify: { slack: SLACK_WEBHOOK_OPS } }\n",
        )
        .file(
            "leaky.yaml",
            "description: prints the environment\nenvironments: [staging]\nsteps:\n  - name: Print\n    sh: \"echo key=$HEROKU_API_KEY; echo hook=$SLACK_WEBHOOK_OPS; echo db=$RUNBOOK_DATABASE_URL\"\n",
        )
        .env("HEROKU_API_KEY", "real-token-0f9e8d7c6b5a")
        .env("SLACK_WEBHOOK_OPS", "https://hooks.slack.com/services/T1/B2/real-hook-secret")
        .env("RUNBOOK_DATABASE_URL", "postgres://ops:db-pass-77@127.0.0.1:1/team");
    let outcome = test.run(&["run", "leaky-staging", "--sim", "--no-team"]).code(0);
    for secret in ["real-token-0f9e8d7c6b5a", "real-hook-secret", "db-pass-77"] {
        assert_hidden(&test, &outcome.shown(), secret);
    }
    assert!(outcome.stderr.contains("key=••••••"), "{}", outcome.stderr);
}

/// An API that echoes the token in a body that is not its error JSON: the summary cuts the body
/// at 200 characters, in the middle of the token; what is left of the token is still masked.
#[test]
fn a_token_cut_in_two_by_an_error_summary_is_masked_up_to_the_cut() {
    let token = "tok-9a8b7c6d5e4f3a2b1c0d";
    for padding in 185..200 {
        let body = format!("{}{token} and more after it", "x".repeat(padding));
        let server = crate::harness::Hostile::start(move |_| {
            crate::harness::Reply::Answer(400, vec![], body.clone())
        });
        let test = Test::new()
            .file(
                "read.yaml",
                "description: Reads the dynos.\nsteps:\n  - name: Dynos\n    do: heroku.dynos\n    with: { app: some-unprotected-app }\n",
            )
            .api(&server.url, token);
        let outcome = test.run(&["run", "read"]);
        assert_eq!(outcome.code, Some(1), "{}", outcome.stderr);
        let left = 200 - padding;
        if left >= 4 {
            assert_hidden(&test, &outcome.shown(), &token[..left]);
        }
    }
}

/// Slack's markup characters around a secret do not unmask it.
#[test]
fn a_secret_wrapped_in_slack_markup_never_reaches_a_post() {
    let secret = "*pa_ss~word*";
    let runbook = "description: Fails with the secret in its message.\nenvironments: [staging]\nparams:\n  password: { type: string, secret: true, doc: a secret }\nsteps:\n  - name: Fail\n    script: 'throw `failed with *${password}* and _${password}_`'\n";
    let slack = crate::harness::Hostile::start(|_| {
        crate::harness::Reply::Answer(200, Vec::new(), "ok".into())
    });
    let hook = format!("{}/services/T000/B000/hook-path-4243", slack.url);
    let test = Test::new()
        .file(
            "environments.yaml",
            "staging: { app: lazona-connector-staging, notify: { slack: SLACK_WEBHOOK_OPS } }\n",
        )
        .file("fails.yaml", runbook)
        .env("SLACK_WEBHOOK_OPS", &hook)
        .sim(&[]);
    test.run(&["run", "fails-staging", "-p", &format!("password={secret}")]).code(1);
    let posts = slack.bodies();
    assert!(!posts.is_empty(), "Slack heard nothing");
    for post in posts {
        let text = post.to_string();
        for form in slack_forms(secret) {
            assert!(!text.contains(&form), "`{form}` posted: {text}");
        }
        assert!(!text.contains("ss~word"), "part of the secret posted: {text}");
    }
}
