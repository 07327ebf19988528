//! Notifications: live runs post to the webhook an environment names, at their start, at a
//! problem and at their end; dry-runs and rehearsals never post; a webhook that fails or hangs
//! never fails or stalls a run; the URL is never shown or journaled.

use std::time::{Duration, Instant};

use crate::harness::{Hostile, PRODUCTION, Reply, STAGING, Test};

const NOTIFYING: &str = "staging:    { app: lazona-connector-staging, notify: { slack: SLACK_WEBHOOK_OPS } }\nproduction: { app: lazona-connector-production, protected: true, notify: { slack: SLACK_WEBHOOK_OPS } }\n";

fn shipped(name: &str) -> String {
    std::fs::read_to_string(crate::harness::shipped_runbooks().join(name)).unwrap()
}

fn notifying(webhook: &str) -> Test {
    Test::new()
        .file("environments.yaml", NOTIFYING)
        .file("restart.yaml", &shipped("restart.yaml"))
        .file("rollback.yaml", &shipped("rollback.yaml"))
        .file(
            "secretive.yaml",
            "description: takes a secret, then fails\nenvironments: [staging]\nparams:\n  token: { type: string, secret: true, required: true }\nsteps:\n  - name: Scale the clock\n    do: heroku.scale\n    with: { app: \"${app}\", process_type: clock, quantity: 2 }\n",
        )
        .sim(&[])
        .env("SLACK_WEBHOOK_OPS", webhook)
}

fn texts(webhook: &Hostile) -> Vec<String> {
    webhook
        .bodies()
        .iter()
        .map(|body| body["blocks"][0]["text"]["text"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn a_live_run_posts_its_start_and_its_end() {
    let webhook = Hostile::start(|_| Reply::Answer(200, Vec::new(), "ok".into()));
    let url = format!("{}/services/T000/B000/very-secret-path", webhook.url);
    let test = notifying(&url);
    let run = test.run(&["run", "restart-production", "--confirm", PRODUCTION]).code(0);
    assert_eq!(webhook.requests().len(), 2, "{:?}", webhook.requests());
    assert!(
        webhook.requests().iter().all(|line| line == "POST /services/T000/B000/very-secret-path")
    );
    let bodies = webhook.bodies();
    let texts = texts(&webhook);
    assert!(
        texts[0].contains("started `restart-production` on *lazona-connector-production*"),
        "{}",
        texts[0]
    );
    assert!(bodies[0]["text"].as_str().unwrap().contains("started `restart-production`"));
    assert!(texts[1].contains("succeeded"), "{}", texts[1]);
    assert!(texts[1].contains("1 write(s) sent"), "{}", texts[1]);
    let run_id = test.journaled("run_started")[0]["run_id"].as_str().unwrap().to_string();
    let context = bodies[1]["blocks"][1]["elements"][0]["text"].as_str().unwrap();
    assert!(context.contains(&run_id), "{context}");
    assert!(!run.stderr.contains("very-secret-path"));
    assert!(!test.journal_text().contains("very-secret-path"));
}

#[test]
fn a_failure_is_posted_with_masked_params_and_the_end_says_so() {
    let webhook = Hostile::start(|_| Reply::Answer(200, Vec::new(), "ok".into()));
    let test = notifying(&webhook.url);
    test.run(&["run", "secretive-staging", "-p", "token=hunter2-secret", "--yes"]).code(1);
    let texts = texts(&webhook);
    assert_eq!(texts.len(), 3, "{texts:?}");
    assert!(texts[0].contains("params: token=••••••"), "{}", texts[0]);
    assert!(texts[1].contains("step *Scale the clock* did not complete"), "{}", texts[1]);
    assert!(texts[2].contains("failed"), "{}", texts[2]);
    let everything: String = webhook.bodies().iter().map(|body| body.to_string()).collect();
    assert!(!everything.contains("hunter2-secret"));
}

#[test]
fn a_rollback_posts_its_undo_hint() {
    let webhook = Hostile::start(|_| Reply::Answer(200, Vec::new(), "ok".into()));
    let test = notifying(&webhook.url);
    test.run(&["run", "rollback-staging", "--yes"]).code(0);
    let texts = texts(&webhook);
    let end = texts.last().unwrap();
    assert!(end.contains("to undo: runbook run rollback-staging -p release=v"), "{end}");
}

#[test]
fn dry_runs_and_rehearsals_never_post() {
    let webhook = Hostile::start(|_| Reply::Answer(200, Vec::new(), "ok".into()));
    let test = notifying(&webhook.url);
    let dry = test.run(&["run", "restart-staging", "--dry-run"]).code(0);
    assert!(dry.stderr.contains("would notify Slack ($SLACK_WEBHOOK_OPS)"), "{}", dry.stderr);
    let rehearsal = test.run(&["run", "restart-staging", "--sim", "--yes"]).code(0);
    assert!(rehearsal.stderr.contains("would notify Slack"), "{}", rehearsal.stderr);
    assert!(webhook.requests().is_empty());
}

#[test]
fn a_failing_or_silent_webhook_never_fails_or_stalls_the_run() {
    let failing = Hostile::start(|_| Reply::Answer(500, Vec::new(), "oops".into()));
    let test = notifying(&format!("{}/hooks/abc-secret", failing.url));
    let run = test.run(&["run", "restart-staging", "--yes"]).code(0);
    assert_eq!(
        run.stderr.matches("notification not posted").count(),
        1,
        "said once: {}",
        run.stderr
    );
    assert!(run.stderr.contains("500"), "{}", run.stderr);
    assert!(!run.stderr.contains("abc-secret"), "{}", run.stderr);
    assert_eq!(test.journaled("notification_failed").len(), 1);

    let silent = Hostile::start(|_| Reply::Hang);
    let test = notifying(&silent.url);
    let started = Instant::now();
    let run = test.run(&["run", "restart-staging", "--yes"]).code(0);
    assert!(started.elapsed() < Duration::from_secs(10), "{:?}", started.elapsed());
    assert!(run.stderr.contains("did not answer"), "{}", run.stderr);

    let refused = notifying("http://127.0.0.1:1/hook");
    refused.run(&["run", "restart-staging", "--yes"]).code(0);
    assert_eq!(refused.journaled("notification_failed").len(), 1);
}

#[test]
fn an_unset_variable_is_said_and_a_bad_notify_is_a_check_error() {
    let test = Test::new()
        .file("environments.yaml", NOTIFYING)
        .file("restart.yaml", &shipped("restart.yaml"))
        .sim(&[]);
    let run = test.run(&["run", "restart-staging", "--yes"]).code(0);
    assert!(run.stderr.contains("SLACK_WEBHOOK_OPS is not set"), "{}", run.stderr);
    assert_eq!(test.write_requests(), [format!("DELETE /apps/{STAGING}/dynos")]);

    for (environments, message) in [
        (
            "staging: { app: lazona-connector-staging, notify: { slack: X, email: ops } }\n",
            "unknown field `email`",
        ),
        (
            "staging: { app: lazona-connector-staging, notify: { slack: \"https://hooks.slack.com/services/T/B/x\" } }\n",
            "writes a webhook URL where the name of a variable",
        ),
        (
            "staging: { app: lazona-connector-staging, notify: { slack: \"not a name\" } }\n",
            "takes the name of an environment variable",
        ),
    ] {
        let checked = Test::new().file("environments.yaml", environments).run(&["check"]);
        assert_eq!(checked.code, Some(2), "{}", checked.stderr);
        assert!(checked.shown().contains(message), "{}", checked.shown());
    }
}

#[test]
fn nothing_a_param_says_can_ping_the_channel_or_disguise_a_link() {
    let webhook = Hostile::start(|_| Reply::Answer(200, Vec::new(), "ok".into()));
    let test = notifying(&webhook.url).file(
        "loud.yaml",
        "description: takes a note\nenvironments: [staging]\nparams:\n  why: { type: string, required: true }\nsteps:\n  - name: Dynos\n    do: heroku.dynos\n    with: { app: \"${app}\" }\n",
    );
    test.run(&["run", "loud-staging", "-p", "why=<!channel> <https://evil.example|click> & more"])
        .code(0);
    let everything: String = webhook.bodies().iter().map(|body| body.to_string()).collect();
    assert!(!everything.contains("<!channel>"), "{everything}");
    assert!(!everything.contains("<https://evil"), "{everything}");
    assert!(everything.contains("&lt;!channel&gt;"), "{everything}");
}

#[test]
fn a_variable_that_holds_no_url_notifies_nobody_and_is_never_shown() {
    let test = notifying("hooks.example/services/T/B/not-quite-a-url");
    let run = test.run(&["run", "restart-staging", "--yes"]).code(0);
    assert!(run.stderr.contains("does not hold an http(s) URL"), "{}", run.stderr);
    assert!(!run.stderr.contains("not-quite-a-url"), "{}", run.stderr);
    assert!(!test.journal_text().contains("not-quite-a-url"));

    let checked = Test::new()
        .file(
            "environments.yaml",
            "staging: { app: lazona-connector-staging, notify: { slack: hooks.slack.com/services/T000/B000/XXXXSECRET } }\n",
        )
        .run(&["check"]);
    assert_eq!(checked.code, Some(2));
    assert!(checked.shown().contains("writes a webhook URL"), "{}", checked.shown());
}
