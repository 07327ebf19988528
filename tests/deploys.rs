//! The three ways to deploy: the Build API from a local branch, `git push`, and pipeline promotion;
//! live against the simulator, and as a dry-run that changes nothing.

mod common;

use std::path::Path;
use std::process::Command;

use common::{PRODUCTION, STAGING, Sim, json_events, text};
use serde_json::Value;

/// A git repository with one commit on `main`; its short commit id.
fn repository(folder: &Path) -> String {
    let git = |arguments: &[&str]| {
        let output = Command::new("git")
            .arg("-C")
            .arg(folder)
            .args(arguments)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "git {arguments:?}: {}",
            text(&output.stderr)
        );
        text(&output.stdout).trim().to_string()
    };
    git(&["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(folder.join("Procfile"), "web: gunicorn config.wsgi\n").unwrap();
    git(&["add", "Procfile"]);
    git(&[
        "-c",
        "user.name=Test",
        "-c",
        "user.email=test@example.com",
        "commit",
        "--quiet",
        "-m",
        "Add the Procfile",
    ]);
    git(&["rev-parse", "--short=7", "HEAD"])
}

fn run(sim: &Sim, arguments: &[&str]) -> (std::process::Output, Vec<Value>) {
    let output = sim.run(&[&["--output", "json", "run"], arguments].concat());
    let events = json_events(&output.stdout);
    (output, events)
}

fn summary<'a>(events: &'a [Value], name: &str) -> &'a str {
    events
        .iter()
        .find(|event| event["event"] == "step_finished" && event["name"] == name)
        .and_then(|event| event["summary"].as_str())
        .unwrap_or_else(|| panic!("no summary for `{name}` in {events:?}"))
}

#[test]
fn deploy_builds_the_committed_branch_and_waits_for_the_release() {
    let sim = Sim::start();
    let work = tempfile::tempdir().unwrap();
    let commit = repository(work.path());
    std::fs::write(work.path().join("uncommitted.txt"), "not deployed").unwrap();
    let directory = format!("directory={}", work.path().display());
    let (output, events) = run(&sim, &["deploy-staging", "-p", &directory, "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let asked = events
        .iter()
        .find(|event| event["event"] == "confirmation")
        .unwrap();
    assert_eq!(
        asked["message"],
        format!("Deploy main to {STAGING} (now at v42)?")
    );
    let lines: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap())
        .collect();
    assert_eq!(
        lines.first(),
        Some(&"-----> Building on the Heroku-24 stack")
    );
    assert_eq!(lines.last(), Some(&"-----> Released v43"));
    assert_eq!(
        summary(&events, "Deploy"),
        format!("deployed main @ {commit} to {STAGING}; every dyno runs the new release")
    );
    assert!(
        summary(&events, "Releases after").starts_with(&format!("v43 (current) Deploy {commit}"))
    );
    let changes = sim.write_requests();
    assert_eq!(
        changes,
        [
            "POST /sources".to_string(),
            format!("POST /apps/{STAGING}/builds")
        ]
    );
}

#[test]
fn a_dry_run_deploy_plans_upload_and_build_and_sends_nothing() {
    let sim = Sim::start();
    let work = tempfile::tempdir().unwrap();
    let commit = repository(work.path());
    let directory = format!("directory={}", work.path().display());
    let (output, events) = run(&sim, &["deploy-production", "-p", &directory, "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let asked = events
        .iter()
        .find(|event| event["event"] == "would_ask")
        .unwrap();
    let impact: Vec<&str> = asked["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    assert!(
        impact.contains(&format!("deploying main @ {commit}: Add the Procfile").as_str()),
        "{impact:?}"
    );
    let plan = events.last().unwrap()["plan"].as_array().unwrap().clone();
    let described: Vec<String> = plan
        .iter()
        .map(|entry| {
            format!(
                "{} {}",
                entry["method"].as_str().unwrap(),
                entry["path"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        described,
        [
            "POST /sources",
            "PUT <put_url of the new source>",
            &format!("POST /apps/{PRODUCTION}/builds")
        ]
    );
    assert!(sim.write_requests().is_empty());
}

#[test]
fn git_push_pushes_to_the_apps_remote_and_a_dry_run_only_plans_it() {
    let git_root = tempfile::tempdir().unwrap();
    let root = git_root.path().to_str().unwrap();
    let sim = Sim::start_with(&["--git-root", root]);
    let work = tempfile::tempdir().unwrap();
    let commit = repository(work.path());
    let directory = format!("directory={}", work.path().display());
    let (output, events) = run(&sim, &["push-staging", "-p", &directory, "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let remote = git_root.path().join(format!("{STAGING}.git"));
    let plan = &events.last().unwrap()["plan"][0];
    assert_eq!(
        plan["command"],
        format!(
            "git push -- {} refs/heads/main:refs/heads/main",
            remote.display()
        )
    );
    let pushed = |remote: &Path| {
        Command::new("git")
            .arg("-C")
            .arg(remote)
            .args(["rev-parse", "--short=7", "main"])
            .output()
            .unwrap()
    };
    assert!(
        !pushed(&remote).status.success(),
        "the dry-run pushed nothing"
    );
    let (output, events) = run(&sim, &["push-staging", "-p", &directory, "--yes"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        summary(&events, "Push"),
        format!("pushed main to {}", remote.display())
    );
    assert_eq!(text(&pushed(&remote).stdout).trim(), commit);
}

#[test]
fn promote_takes_stagings_release_to_production() {
    let sim = Sim::start();
    let (output, events) = run(&sim, &["promote-production", "--dry-run"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    let asked = events
        .iter()
        .find(|event| event["event"] == "would_ask")
        .unwrap();
    let impact: Vec<&str> = asked["impact"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line.as_str().unwrap())
        .collect();
    assert!(
        impact.contains(
            &format!(
                "promoting {STAGING} v42 (Deploy 9f3c2d1) to {PRODUCTION} (now v42 Deploy 9f3c2d1)"
            )
            .as_str()
        ),
        "{impact:?}"
    );
    assert!(sim.write_requests().is_empty());
    let (output, events) = run(&sim, &["promote-production", "--confirm", PRODUCTION]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stdout));
    assert_eq!(
        summary(&events, "Promote"),
        format!("promoted to {PRODUCTION}, now v43: Promote {STAGING} v42; every dyno runs it")
    );
    assert_eq!(sim.write_requests(), ["POST /pipeline-promotions"]);
}

#[test]
fn a_build_post_that_fails_or_breaks_is_never_sent_twice() {
    for effect in ["503", "reset"] {
        let builds = format!("/apps/{STAGING}/builds");
        let sim = Sim::start_with(&["--fault", &format!("POST {builds} {effect}")]);
        let work = tempfile::tempdir().unwrap();
        repository(work.path());
        let directory = format!("directory={}", work.path().display());
        let (output, events) = run(&sim, &["deploy-staging", "-p", &directory, "--yes"]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{effect}: {}",
            text(&output.stdout)
        );
        let builds_sent: Vec<String> = sim
            .write_requests()
            .into_iter()
            .filter(|request| request.ends_with("/builds"))
            .collect();
        assert_eq!(
            builds_sent,
            [format!("POST {builds}")],
            "{effect}: sent once"
        );
        let failed = events
            .iter()
            .find(|event| event["event"] == "step_finished" && event["status"] == "failed")
            .unwrap();
        assert_eq!(failed["name"], "Deploy", "{effect}");
    }
}
