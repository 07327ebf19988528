//! Secrets never leave the process: not the API token, not config var values, not secret params,
//! in no output, JSON event, error or journal record, even when the run fails.

use crate::harness::{STAGING, Test};

const TOKEN: &str = "tok-5f1c9e2a-very-secret";
const SECRET_PARAM: &str = "hunter2-correct-horse";

const LEAKY: &str = r#"
description: Reads config vars, puts secrets in a message, then fails.
environments: [staging]
params:
  password: { type: string, secret: true, doc: "a password the runbook is given" }
steps:
  - id: vars
    name: Config vars
    do: heroku.config_vars
    with: { app: "${app}" }
  - name: Restart a dyno named after a secret
    do: heroku.restart_dyno
    with: { app: "${app}", dyno: "web.9" }
    confirm: "Restart ${vars.SECRET_KEY} using ${password} and ${vars.DATABASE_URL}?"
"#;

const LEAKY_RHAI: &str = "//! Prints a config var, then fails.\n//! environments: staging\nlet vars = step(\"Config vars\", || heroku::config_vars(app));\nprint(`the key is ${vars.SECRET_KEY}`);\nthrow `giving up with ${vars.DATABASE_URL}`;\n";

/// Runs `arguments`, which must fail; what it showed, both streams.
fn run(test: &Test, arguments: &[&str]) -> String {
    let output = test.run(arguments);
    assert_eq!(output.code, Some(1), "the run fails: {}", output.stderr);
    output.shown()
}

#[test]
fn no_secret_appears_in_any_output_or_journal_record() {
    let test = Test::new()
        .file("leaky.yaml", LEAKY)
        .file("leaky-script.rhai", LEAKY_RHAI)
        .sim(&["--api-key", TOKEN])
        .token(TOKEN);
    let vars = test.simulator().get_as(&format!("/apps/{STAGING}/config-vars"), TOKEN);
    let secrets = [
        TOKEN.to_string(),
        SECRET_PARAM.to_string(),
        vars["SECRET_KEY"].as_str().unwrap().to_string(),
        vars["DATABASE_URL"].as_str().unwrap().to_string(),
    ];
    let password = format!("password={SECRET_PARAM}");
    let mut shown = String::new();
    for output in ["human", "json"] {
        shown +=
            &run(&test, &["--output", output, "run", "leaky-staging", "--yes", "-p", &password]);
        shown += &run(&test, &["--output", output, "run", "leaky-script-staging"]);
    }
    let journal = std::fs::read_to_string(test.state().join("journal.jsonl")).unwrap();
    for secret in &secrets {
        assert!(!shown.contains(secret.as_str()), "`{secret}` leaked into the output:\n{shown}");
        assert!(!journal.contains(secret.as_str()), "`{secret}` leaked into the journal");
    }
    assert!(
        shown.contains("Restart •••••• using •••••• and ••••••?"),
        "the message is there, masked:\n{shown}"
    );
    assert!(shown.contains("the key is ••••••"), "{shown}");
    assert!(shown.contains("giving up with ••••••"), "{shown}");
    assert!(
        journal.contains("8 config vars: DATABASE_URL, DJANGO_SETTINGS_MODULE"),
        "the names are kept"
    );
    assert!(
        test.simulator().log().iter().any(|request| request["status"] == 404),
        "the restart failed at the API"
    );
}
