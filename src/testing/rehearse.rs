//! Runs one test: the real `runbook run --sim` of this very binary, in a folder of its own (its
//! own journal, its own simulated world, nothing carried from or to the operator's rehearsals),
//! on a simulated clock, with the test's answers at its questions.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::case::{TestCase, World};
use super::outcome::Outcome;

/// The only variables of the operator's environment a rehearsal under test sees: no credentials
/// (no `HEROKU_API_KEY`, no `~/.netrc`: its HOME is the test's own folder), no team database,
/// no live API, for its steps and the commands its `sh:` steps run alike.
const PASSED_ON: &[&str] =
    &["PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "USER", "LOGNAME", "TMPDIR"];

/// A folder for one test's runs, kept when the test fails (its journal is named in the report).
pub struct Workspace {
    pub folder: PathBuf,
}

impl Workspace {
    pub fn create(case: &TestCase, index: usize) -> std::io::Result<Self> {
        let stem: String = format!("{}-{}", case.file, index)
            .chars()
            .map(|character| {
                if character.is_ascii_alphanumeric() || character == '-' { character } else { '_' }
            })
            .collect();
        let folder = std::env::temp_dir()
            .join(format!("runbook-test-{}-{stem}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&folder)?;
        Ok(Self { folder })
    }

    pub fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Runs `case` once, as a dry-run when `dry_run`, in `workspace/NAME`.
pub fn rehearse(
    case: &TestCase,
    library: &Path,
    workspace: &Workspace,
    dry_run: bool,
    stop: &(dyn Fn() -> bool + Sync),
) -> std::io::Result<Outcome> {
    let name = if dry_run { "dry-run" } else { "run" };
    let folder = workspace.folder.join(name);
    let state = folder.join("state");
    std::fs::create_dir_all(&state)?;
    let world_file = folder.join("world.json");
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("--dir")
        .arg(library)
        .args(arguments(case, &folder, dry_run)?)
        .arg("--test-world")
        .arg(&world_file);
    command.env_clear();
    for variable in PASSED_ON {
        if let Some(value) = std::env::var_os(variable) {
            command.env(variable, value);
        }
    }
    let home = folder.join("home");
    std::fs::create_dir_all(&home)?;
    let boot = case.boot.unwrap_or(Duration::from_millis(1500));
    command
        .env("HOME", &home)
        .env("TERM", "dumb")
        .env("RUNBOOK_STATE_DIR", &state)
        .env("RUNBOOK_SIM_BOOT_DELAY", format!("{}ms", boot.as_millis()))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .current_dir(&folder)
        .stdin(Stdio::null());
    let output = run_until_stopped(command, stop)?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(Outcome::read(output.status.code(), text, state.join("journal.jsonl"), &world_file))
}

/// How often a running rehearsal is looked at, to stop it when `runbook test` is stopped.
const LOOK_EVERY: Duration = Duration::from_millis(5);

/// Runs `command` to its end; when `stop` says so (Ctrl-C, SIGTERM on `runbook test`), it is
/// asked to stop as a signal would ask it, and its end awaited.
fn run_until_stopped(
    mut command: Command,
    stop: &(dyn Fn() -> bool + Sync),
) -> std::io::Result<std::process::Output> {
    let mut child = command.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn()?;
    let stdout = child.stdout.take().map(read_all);
    let stderr = child.stderr.take().map(read_all);
    let mut stopping = false;
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if !stopping && stop() {
            stopping = true;
            if let Some(pid) = rustix::process::Pid::from_raw(child.id() as i32) {
                let _ = rustix::process::kill_process(pid, rustix::process::Signal::TERM);
            }
        }
        std::thread::sleep(LOOK_EVERY);
    };
    let collected = |reader: Option<std::thread::JoinHandle<Vec<u8>>>| {
        reader.and_then(|reader| reader.join().ok()).unwrap_or_default()
    };
    Ok(std::process::Output { status, stdout: collected(stdout), stderr: collected(stderr) })
}

fn read_all(mut pipe: impl std::io::Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

/// `run NAME [--env ENV] --sim [--scenario ...] [-p ...] [--dry-run] [--test-answer ...]`.
fn arguments(case: &TestCase, folder: &Path, dry_run: bool) -> std::io::Result<Vec<String>> {
    let mut arguments = vec!["run".to_string(), case.runbook.clone(), "--sim".into()];
    if let Some(environment) = &case.environment {
        arguments.extend(["--env".into(), environment.clone()]);
    }
    match &case.world {
        World::Default => {}
        World::Scenario(name) => arguments.extend(["--scenario".into(), name.clone()]),
        World::Inline(text) => {
            let file = folder.join("world.yaml");
            std::fs::write(&file, text)?;
            arguments.extend(["--scenario".into(), file.to_string_lossy().into_owned()]);
        }
    }
    for (name, value) in &case.params {
        arguments.extend(["-p".into(), format!("{name}={value}")]);
    }
    if dry_run {
        arguments.push("--dry-run".into());
    }
    if case.no_rollback {
        arguments.push("--no-rollback".into());
    }
    for answer in &case.answers {
        arguments.extend(["--test-answer".into(), answer.flag().into()]);
    }
    Ok(arguments)
}
