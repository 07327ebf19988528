//! The three ways to deploy: the Build API from a local branch, `git push`, and pipeline promotion;
//! live against the simulator, and as a dry-run that changes nothing.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{Outcome, PRODUCTION, STAGING, Test, repository};

fn run(test: &Test, arguments: &[&str]) -> (Outcome, Vec<Value>) {
    let output = test.run(&[&["--output", "json", "run"], arguments].concat());
    let events = output.events();
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
    let test = Test::new().sim(&[]);
    let work = tempfile::tempdir().unwrap();
    let commit = repository(work.path(), &[]);
    std::fs::write(work.path().join("uncommitted.txt"), "not deployed").unwrap();
    let directory = format!("directory={}", work.path().display());
    let (output, events) =
        run(&test, &["deploy-staging", "-p", &directory, "-p", "watch=0s", "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let asked = events.iter().find(|event| event["event"] == "confirmation").unwrap();
    assert_eq!(asked["message"], format!("Deploy main to {STAGING} (now at v42)?"));
    let lines: Vec<&str> = events
        .iter()
        .filter(|event| event["event"] == "log_line")
        .map(|event| event["line"].as_str().unwrap())
        .collect();
    assert_eq!(lines.first(), Some(&"-----> Building on the Heroku-24 stack"));
    assert_eq!(lines.last(), Some(&"-----> Released v43"));
    assert_eq!(
        summary(&events, "Deploy"),
        format!("deployed main @ {commit} to {STAGING}; every dyno runs the new release")
    );
    assert!(
        summary(&events, "Releases after").starts_with(&format!("v43 (current) Deploy {commit}"))
    );
    assert_eq!(
        summary(&events, "How to undo"),
        "to undo: runbook run rollback-staging -p release=v42"
    );
    let changes = test.write_requests();
    assert_eq!(changes, ["POST /sources".to_string(), format!("POST /apps/{STAGING}/builds")]);
}

#[test]
fn a_dry_run_deploy_plans_upload_and_build_and_sends_nothing() {
    let test = Test::new().sim(&[]);
    let work = tempfile::tempdir().unwrap();
    let commit = repository(work.path(), &[]);
    let directory = format!("directory={}", work.path().display());
    let (output, events) = run(&test, &["deploy-production", "-p", &directory, "--dry-run"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let asked = events.iter().find(|event| event["event"] == "would_ask").unwrap();
    let impact: Vec<&str> =
        asked["impact"].as_array().unwrap().iter().map(|line| line.as_str().unwrap()).collect();
    assert!(
        impact.contains(&format!("deploying main @ {commit}: Add the Procfile").as_str()),
        "{impact:?}"
    );
    let plan = events.last().unwrap()["plan"].as_array().unwrap().clone();
    let described: Vec<String> = plan
        .iter()
        .map(|entry| {
            format!("{} {}", entry["method"].as_str().unwrap(), entry["path"].as_str().unwrap())
        })
        .collect();
    assert_eq!(
        described,
        [
            "POST /sources",
            "PUT <put_url of the new source>",
            &format!("POST /apps/{PRODUCTION}/builds"),
            // The rollback the health watch would send if the release turned bad.
            &format!("POST /apps/{PRODUCTION}/releases")
        ]
    );
    assert!(test.write_requests().is_empty());
}

#[test]
fn git_push_pushes_to_the_apps_remote_and_a_dry_run_only_plans_it() {
    let git_root = tempfile::tempdir().unwrap();
    let root = git_root.path().to_str().unwrap();
    let test = Test::new().sim(&["--git-root", root]);
    let work = tempfile::tempdir().unwrap();
    let commit = repository(work.path(), &[]);
    let directory = format!("directory={}", work.path().display());
    let (output, events) = run(&test, &["push-staging", "-p", &directory, "--dry-run"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let remote = git_root.path().join(format!("{STAGING}.git"));
    let plan = &events.last().unwrap()["plan"][0];
    assert_eq!(
        plan["command"],
        format!("git push -- {} refs/heads/main:refs/heads/main", remote.display())
    );
    let pushed = |remote: &Path| {
        Command::new("git")
            .arg("-C")
            .arg(remote)
            .args(["rev-parse", "--short=7", "main"])
            .output()
            .unwrap()
    };
    assert!(!pushed(&remote).status.success(), "the dry-run pushed nothing");
    let (output, events) = run(&test, &["push-staging", "-p", &directory, "--yes"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert_eq!(summary(&events, "Push"), format!("pushed main to {}", remote.display()));
    assert_eq!(String::from_utf8_lossy(&pushed(&remote).stdout).trim(), commit);
}

#[test]
fn promote_takes_stagings_release_to_production() {
    let test = Test::new().sim(&[]);
    let (output, events) = run(&test, &["promote-production", "--dry-run"]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    let asked = events.iter().find(|event| event["event"] == "would_ask").unwrap();
    let impact: Vec<&str> =
        asked["impact"].as_array().unwrap().iter().map(|line| line.as_str().unwrap()).collect();
    assert!(
        impact.contains(
            &format!(
                "promoting {STAGING} v42 (Deploy 9f3c2d1) to {PRODUCTION} (now v42 Deploy 9f3c2d1)"
            )
            .as_str()
        ),
        "{impact:?}"
    );
    assert!(test.write_requests().is_empty());
    let (output, events) =
        run(&test, &["promote-production", "-p", "watch=0s", "--confirm", PRODUCTION]);
    assert_eq!(output.code, Some(0), "{}", output.stdout);
    assert_eq!(
        summary(&events, "Promote"),
        format!("promoted to {PRODUCTION}, now v43: Promote {STAGING} v42; every dyno runs it")
    );
    assert_eq!(test.write_requests(), ["POST /pipeline-promotions"]);
}

#[test]
fn a_build_post_that_fails_or_breaks_is_never_sent_twice() {
    for effect in ["503", "reset"] {
        let builds = format!("/apps/{STAGING}/builds");
        let test = Test::new().sim(&["--fault", &format!("POST {builds} {effect}")]);
        let work = tempfile::tempdir().unwrap();
        repository(work.path(), &[]);
        let directory = format!("directory={}", work.path().display());
        let (output, events) = run(&test, &["deploy-staging", "-p", &directory, "--yes"]);
        assert_eq!(output.code, Some(1), "{effect}: {}", output.stdout);
        let builds_sent: Vec<String> = test
            .write_requests()
            .into_iter()
            .filter(|request| request.ends_with("/builds"))
            .collect();
        assert_eq!(builds_sent, [format!("POST {builds}")], "{effect}: sent once");
        let failed = events
            .iter()
            .find(|event| event["event"] == "step_finished" && event["status"] == "failed")
            .unwrap();
        assert_eq!(failed["name"], "Deploy", "{effect}");
    }
}

#[test]
fn a_deploy_or_push_from_the_wrong_folder_stops_before_its_first_step() {
    let elsewhere = tempfile::tempdir().unwrap();
    let test = Test::new().sim(&[]).current_dir(elsewhere.path());
    let deploy = test.run(&["run", "deploy-staging", "--yes"]).code(2);
    deploy
        .stderr_has("step 2 (Deploy) cannot run, so nothing was started")
        .stderr_has(&format!("{} is not a git checkout", elsewhere.path().display()))
        .stderr_has(
            "hint: run it from the app's git checkout, or give it with `-p directory=PATH`",
        );
    let push = test.run(&["run", "push-staging", "--yes"]).code(2);
    push.stderr_has("step 1 (Push) cannot run, so nothing was started");

    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let directory = format!("directory={}", work.path().display());
    let no_branch = test
        .run(&["run", "deploy-staging", "--yes", "-p", &directory, "-p", "branch=release"])
        .code(2);
    no_branch.stderr_has(&format!("no branch `release` in {}", work.path().display()));
    assert!(test.requests().is_empty(), "nothing was read: {:?}", test.requests());
    assert!(test.journaled("run_started").is_empty(), "no run was started");
}

/// The check before the first step is exact: it stops at a step that may change this machine
/// (an `sh:` that clones the checkout), wants a local branch for a push, names a `finally` step
/// as the run does, and hints at `-p` only for what the runbook takes as a param.
#[test]
fn the_check_before_the_first_step_refuses_only_what_would_fail() {
    let origin = tempfile::tempdir().unwrap();
    repository(origin.path(), &[]);
    let scratch = tempfile::tempdir().unwrap();
    let clone = scratch.path().join("clone");
    let clone_then_deploy = format!(
        "description: clone, then deploy\nenvironments: [staging]\nsteps:\n  - name: Clone\n    sh: \"git clone -q {} {}\"\n  - name: Deploy\n    do: heroku.deploy\n    with: {{ app: \"${{app}}\", directory: \"{}\", watch: 0s }}\n",
        origin.path().display(),
        clone.display(),
        clone.display()
    );
    let literal = "description: a folder written in the step\nenvironments: [staging]\nsteps:\n  - name: Look\n    do: heroku.app\n    with: { app: \"${app}\" }\nfinally:\n  - name: Deploy at the end\n    do: heroku.deploy\n    with: { app: \"${app}\", directory: \"/no/such/folder\" }\n";
    let shipped = |name: &str| {
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks").join(name))
            .unwrap()
    };
    let test = Test::new()
        .file("clone-deploy.yaml", &clone_then_deploy)
        .file("literal.yaml", literal)
        .file("push.yaml", &shipped("push.yaml"))
        .file("deploy.yaml", &shipped("deploy.yaml"))
        .sim(&[]);
    test.run(&["run", "clone-deploy-staging", "--yes"]).code(0);
    assert!(clone.join(".git").is_dir());

    let refused = test.run(&["run", "literal-staging", "--yes"]).code(2);
    refused
        .stderr_has("finally step 1 (Deploy at the end) cannot run, so nothing was started")
        .stderr_has("/no/such/folder is not a git checkout (no such folder)")
        .stderr_has("or give it in the step's `directory:`");

    let before = test.requests().len();
    let directory = format!("directory={}", clone.display());
    std::process::Command::new("git")
        .args(["-C", &clone.display().to_string(), "tag", "v1.0"])
        .status()
        .unwrap();
    for not_local in ["origin/main", "v1.0"] {
        test.run(&[
            "run",
            "push-staging",
            "--yes",
            "-p",
            &directory,
            "-p",
            &format!("branch={not_local}"),
        ])
        .code(2)
        .stderr_has(&format!("no local branch `{not_local}`"));
    }
    let file = format!("directory={}", origin.path().join("Procfile").display());
    test.run(&["run", "deploy-staging", "--yes", "-p", &file])
        .code(2)
        .stderr_has("is not a git checkout (a file, not a folder)");
    assert_eq!(test.requests().len(), before, "nothing was read or sent");
}
