//! A dry-run runs nothing local but a fixed set of read-only git commands: no option injection
//! into git, no filter or command the repository configures, no `sh:` command.

use crate::harness::{Test, git_config, repository};

const SHELL: &str = r#"
description: A local command with a dry-run form.
environments: [staging]
params:
  marker: { type: string, doc: "a file the command would create" }
steps:
  - name: Touch
    sh: "touch ${marker}"
    dry_run: "touch ${marker}.dry"
"#;

#[test]
fn a_branch_that_is_an_option_is_refused_and_writes_nothing() {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let written = work.path().join("injected");
    let test = Test::new().sim(&[]);
    let directory = format!("directory={}", work.path().display());
    for branch in
        [format!("--output={}", written.display()), "-h".to_string(), "main..HEAD".to_string()]
    {
        test.run(&[
            "run",
            "deploy-staging",
            "-p",
            &directory,
            "-p",
            &format!("branch={branch}"),
            "--dry-run",
        ])
        .code(2)
        .stderr_has("is not a branch name");
    }
    assert!(!written.exists(), "git wrote the file an option named");
    assert!(test.write_requests().is_empty());
}

#[test]
fn a_dry_run_deploy_runs_no_command_the_repository_configures() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("ran");
    repository(
        work.path(),
        &[(".gitattributes", "* filter=evil export-subst\n"), ("VERSION", "$Format:%G?$\n")],
    );
    let command = format!("touch {}; cat", marker.display());
    git_config(work.path(), "tar.tar.gz.command", &command);
    git_config(work.path(), "tar.tgz.command", &command);
    git_config(work.path(), "filter.evil.smudge", &command);
    git_config(work.path(), "filter.evil.clean", &command);
    git_config(work.path(), "gpg.program", &format!("sh -c 'touch {}'", marker.display()));
    git_config(work.path(), "core.fsmonitor", &format!("touch {}", marker.display()));
    git_config(work.path(), "log.showSignature", "true");
    let test = Test::new().sim(&[]);
    let directory = format!("directory={}", work.path().display());
    test.run(&["--output", "json", "run", "deploy-staging", "-p", &directory, "--dry-run"]).code(0);
    assert!(!marker.exists(), "a configured command ran");
    assert!(test.write_requests().is_empty(), "{:?}", test.write_requests());
}

#[test]
fn a_dry_run_runs_no_sh_command_nor_its_dry_run_form() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("touched");
    let test = Test::new().file("shell.yaml", SHELL).sim(&[]);
    let outcome = test
        .run(&[
            "--output",
            "json",
            "run",
            "shell-staging",
            "-p",
            &format!("marker={}", marker.display()),
            "--dry-run",
        ])
        .code(0);
    assert!(!marker.exists());
    assert!(!work.path().join("touched.dry").exists());
    let plan = outcome.events().last().unwrap()["plan"].clone();
    assert_eq!(plan[0]["command"], format!("touch {}", marker.display()));
}

#[test]
fn a_dry_run_git_push_only_plans_it() {
    let work = tempfile::tempdir().unwrap();
    repository(work.path(), &[]);
    let test = Test::new().sim(&[]);
    let directory = format!("directory={}", work.path().display());
    test.run(&["run", "push-staging", "-p", &directory, "--dry-run"])
        .code(0)
        .stderr_has("would run: `git push --");
    test.run(&["run", "push-staging", "-p", &directory, "-p", "branch=--mirror", "--dry-run"])
        .code(2)
        .stderr_has("is not a branch name");
}

#[test]
fn a_partial_clone_never_fetches_through_a_configured_command() {
    let work = tempfile::tempdir().unwrap();
    let marker = work.path().join("fetched");
    repository(work.path(), &[("f.txt", "hello\n")]);
    let git = |arguments: &[&str]| {
        let output = std::process::Command::new("git")
            .arg("-C")
            .arg(work.path())
            .args(arguments)
            .output()
            .unwrap();
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    let blob = git(&["rev-parse", "HEAD:f.txt"]);
    std::fs::remove_file(work.path().join(format!(".git/objects/{}/{}", &blob[..2], &blob[2..])))
        .unwrap();
    git_config(work.path(), "core.repositoryformatversion", "1");
    git_config(work.path(), "extensions.partialClone", "origin");
    git_config(work.path(), "remote.origin.url", "ssh://evil.example/x");
    git_config(work.path(), "remote.origin.promisor", "true");
    git_config(work.path(), "core.sshCommand", &format!("sh -c 'touch {}' #", marker.display()));
    let test = Test::new().sim(&[]);
    let directory = format!("directory={}", work.path().display());
    let _ = test.run(&["run", "deploy-staging", "-p", &directory, "--dry-run"]);
    assert!(!marker.exists(), "the dry-run ran the repository's ssh command");
    assert!(test.write_requests().is_empty());
}
