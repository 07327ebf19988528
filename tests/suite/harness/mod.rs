//! The one test harness: the real `runbook` binary, run in an environment of its own (a fresh
//! home, state folder and runbooks folder; no variable of the developer's machine), against the
//! real simulator (`runbook sim serve`) or a small hostile server written for the test.
//!
//! ```ignore
//! let test = Test::new().sim(&[]);
//! test.run(&["run", "restart-staging", "--yes"]).code(0);
//! assert_eq!(test.write_requests(), ["DELETE /apps/lazona-connector-staging/dynos"]);
//! ```

#![allow(dead_code)]

mod database;
mod hostile;
mod sim;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

pub use database::Database;
pub use hostile::{Hostile, Received, Reply};
pub use sim::{Sim, exchange, exchange_bytes, get_text, post_json};

pub const PRODUCTION: &str = "lazona-connector-production";
pub const STAGING: &str = "lazona-connector-staging";

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook"))
}

pub fn shipped_runbooks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks")
}

/// One isolated world: a home, a state folder, a runbooks folder, maybe a simulator.
pub struct Test {
    home: tempfile::TempDir,
    state: tempfile::TempDir,
    /// A runbooks folder of the test's own, when it has files of its own.
    own_runbooks: Option<tempfile::TempDir>,
    sim: Option<Sim>,
    api: Option<(String, String)>,
    env: Vec<(String, String)>,
    /// Variables the harness sets that this test's runs must not have (`NO_COLOR`, say).
    removed: Vec<String>,
    current_dir: Option<PathBuf>,
}

impl Default for Test {
    fn default() -> Self {
        Self::new()
    }
}

impl Test {
    /// The shipped runbooks, no simulator, no credentials.
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().unwrap(),
            state: tempfile::tempdir().unwrap(),
            own_runbooks: None,
            sim: None,
            api: None,
            env: Vec::new(),
            removed: Vec::new(),
            current_dir: None,
        }
    }

    /// A runbooks folder of the test's own, with the shipped `environments.yaml` and `name`.
    /// Writing `environments.yaml` replaces the shipped one.
    pub fn file(self, name: &str, text: &str) -> Self {
        self.file_bytes(name, text.as_bytes())
    }

    /// As `file`, for contents that need not be UTF-8 (the bad-input corpus).
    pub fn file_bytes(mut self, name: &str, bytes: &[u8]) -> Self {
        let path = self.own_folder().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
        self
    }

    /// A runbooks folder of the test's own holding only the shipped `environments.yaml`: for
    /// `runbook new` to write into.
    pub fn empty_runbooks(mut self) -> Self {
        self.own_folder();
        self
    }

    /// The test's own runbooks folder, made (with the shipped `environments.yaml`) the first time.
    fn own_folder(&mut self) -> PathBuf {
        self.own_runbooks
            .get_or_insert_with(|| {
                let folder = tempfile::tempdir().unwrap();
                std::fs::copy(
                    shipped_runbooks().join("environments.yaml"),
                    folder.path().join("environments.yaml"),
                )
                .unwrap();
                folder
            })
            .path()
            .to_path_buf()
    }

    /// A `runbook sim serve` with `extra` flags, of the apps (and `--scenario`s) of the test's
    /// runbooks folder as it is now: call it after `file`. Runs go to it with an API key.
    pub fn sim(mut self, extra: &[&str]) -> Self {
        let sim = Sim::start(extra, &self.runbooks());
        self.api = Some((sim.url.clone(), "test-key".to_string()));
        self.sim = Some(sim);
        self
    }

    /// A `runbook sim serve` of the apps in `runbooks`' `environments.yaml` (not the test's own
    /// folder's), with `extra` flags; runs go to it with an API key. For a test whose runbooks
    /// name apps the simulator must not know, or know fewer of.
    pub fn sim_from(mut self, runbooks: &Path, extra: &[&str]) -> Self {
        let sim = Sim::start(extra, runbooks);
        self.api = Some((sim.url.clone(), "test-key".to_string()));
        self.sim = Some(sim);
        self
    }

    /// Runs go to the simulator `other` started, with the same API key: one simulator for runs
    /// from several runbooks folders. Its requests are read from `other`.
    pub fn shared_sim(mut self, other: &Test) -> Self {
        self.api = Some((other.simulator().url.clone(), "test-key".to_string()));
        self
    }

    /// Runs authenticate with `token` instead of the harness's key (for a simulator started with
    /// `--api-key`, or a key it must refuse); the API address stays.
    pub fn token(mut self, token: &str) -> Self {
        let (url, _) = self.api.take().expect("a simulator or an API to send the token to");
        self.api = Some((url, token.to_string()));
        self
    }

    /// Runs work in team mode on `database`.
    pub fn team(self, database: &Database) -> Self {
        self.env("RUNBOOK_DATABASE_URL", &database.url)
    }

    /// Runs read the runbooks folder of `other` (a second operator of the same team).
    pub fn runbooks_of(self, other: &Test) -> Self {
        let folder = other.runbooks();
        self.env("RUNBOOK_DIR", &folder.display().to_string())
    }

    /// Runs go to `url` with `token` (a hostile server, say).
    pub fn api(mut self, url: &str, token: &str) -> Self {
        self.api = Some((url.to_string(), token.to_string()));
        self
    }

    pub fn env(mut self, name: &str, value: &str) -> Self {
        self.env.push((name.to_string(), value.to_string()));
        self
    }

    /// Runs (pseudo-terminal sessions too) go without `name`, though the harness would set it:
    /// `RUNBOOK_DIR` (to look for `runbooks/` from the current folder), `NO_COLOR`,
    /// `HEROKU_API_KEY` (to read `~/.netrc`). Nothing of the machine comes back: the
    /// environment stays cleared.
    pub fn without_env(mut self, name: &str) -> Self {
        self.removed.push(name.to_string());
        self
    }

    pub fn current_dir(mut self, directory: &Path) -> Self {
        self.current_dir = Some(directory.to_path_buf());
        self
    }

    pub fn runbooks(&self) -> PathBuf {
        self.own_runbooks
            .as_ref()
            .map_or_else(shipped_runbooks, |folder| folder.path().to_path_buf())
    }

    pub fn state(&self) -> &Path {
        self.state.path()
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn simulator(&self) -> &Sim {
        self.sim.as_ref().expect("the test started a simulator")
    }

    /// The command, with the test's environment and nothing of the machine's but `PATH`.
    pub fn command(&self, arguments: &[&str]) -> Command {
        let mut command = Command::new(binary());
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.home.path())
            .env("RUNBOOK_STATE_DIR", self.state.path())
            .env("RUNBOOK_DIR", self.runbooks())
            .env("RUNBOOK_SIM_BOOT_DELAY", "300ms")
            .env("NO_COLOR", "1")
            .env("TERM", "xterm")
            .args(arguments);
        if let Some((url, token)) = &self.api {
            command.env("HEROKU_API_URL", url).env("HEROKU_API_KEY", token);
        }
        for (name, value) in &self.env {
            command.env(name, value);
        }
        for name in &self.removed {
            command.env_remove(name);
        }
        if let Some(directory) = &self.current_dir {
            command.current_dir(directory);
        }
        command
    }

    /// Runs `runbook ARGUMENTS` to its end, standard input empty.
    pub fn run(&self, arguments: &[&str]) -> Outcome {
        let output = self.command(arguments).stdin(Stdio::null()).output().expect("runbook runs");
        Outcome::of(&output)
    }

    /// Starts `runbook ARGUMENTS` and returns at once, for a test that acts while it runs:
    /// standard input empty, both outputs piped. `Outcome::of_child` waits for its end.
    pub fn spawn(&self, arguments: &[&str]) -> Child {
        self.command(arguments)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("runbook starts")
    }

    /// Runs `runbook ARGUMENTS` to its end, standard input empty; what it left, its peak memory
    /// in KiB and how long it took. The peak is the program's own (`VmHWM`, which the debug
    /// build writes where `RUNBOOK_DEBUG_PEAK_MEMORY` says), not that of the test binary it was
    /// forked from.
    pub fn run_measured(&self, arguments: &[&str]) -> (Outcome, i64, Duration) {
        let peak_file = tempfile::NamedTempFile::new().unwrap();
        let started = Instant::now();
        let output = self
            .command(arguments)
            .env("RUNBOOK_DEBUG_PEAK_MEMORY", peak_file.path())
            .stdin(Stdio::null())
            .output()
            .expect("runbook runs");
        let took = started.elapsed();
        let peak = std::fs::read_to_string(peak_file.path())
            .ok()
            .and_then(|text| text.trim().parse().ok())
            .unwrap_or(i64::MAX);
        (Outcome::of(&output), peak, took)
    }

    /// Runs `runbook ARGUMENTS` in a pseudo-terminal (interactive: no `CI`, no `--no-input`).
    pub fn terminal(&self, arguments: &[&str]) -> rexpect::session::PtySession {
        rexpect::session::spawn_command(self.command(arguments), Some(20_000))
            .expect("runbook starts in a pseudo-terminal")
    }

    /// Runs `runbook ARGUMENTS` in a pseudo-terminal of `rows` by `columns` (set with `stty`
    /// before the program starts, as a terminal window of that size would be).
    pub fn terminal_sized(
        &self,
        arguments: &[&str],
        rows: u16,
        columns: u16,
    ) -> rexpect::session::PtySession {
        let program = self.command(arguments);
        let mut command = Command::new("sh");
        command
            .env_clear()
            .arg("-c")
            .arg(format!("stty rows {rows} cols {columns} && exec \"$0\" \"$@\""))
            .arg(program.get_program())
            .args(program.get_args());
        for (name, value) in program.get_envs() {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        if let Some(directory) = program.get_current_dir() {
            command.current_dir(directory);
        }
        rexpect::session::spawn_command(command, Some(30_000))
            .expect("runbook starts in a pseudo-terminal")
    }

    /// Every journal line, parsed.
    pub fn journal(&self) -> Vec<Value> {
        let bytes = std::fs::read(self.state.path().join("journal.jsonl")).unwrap_or_default();
        bytes
            .split(|byte| *byte == b'\n')
            .filter_map(|line| serde_json::from_slice(line).ok())
            .collect()
    }

    /// Every journal line, parsed; panics on a line that is not JSON. For tests that wrote no
    /// bad line themselves: a torn record there is a failure, not something to skip.
    pub fn journal_strict(&self) -> Vec<Value> {
        let text =
            std::fs::read_to_string(self.state.path().join("journal.jsonl")).unwrap_or_default();
        text.lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|error| panic!("torn journal line ({error}): {line}"))
            })
            .collect()
    }

    /// The journal's text as it is on disk.
    pub fn journal_text(&self) -> String {
        let bytes = std::fs::read(self.state.path().join("journal.jsonl")).unwrap_or_default();
        String::from_utf8_lossy(&bytes).into_owned()
    }

    /// The journal's events of `kind`.
    pub fn journaled(&self, kind: &str) -> Vec<Value> {
        self.journal()
            .into_iter()
            .filter(|record| record["event"]["event"] == kind)
            .map(|record| record["event"].clone())
            .collect()
    }

    /// `METHOD PATH` of every request the simulator received.
    pub fn requests(&self) -> Vec<String> {
        self.simulator().requests()
    }

    /// Those that are not reads.
    pub fn write_requests(&self) -> Vec<String> {
        self.simulator().write_requests()
    }
}

/// What a run of the binary left: its exit code and what it printed.
#[derive(Debug)]
pub struct Outcome {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl Outcome {
    /// What a finished process left.
    pub fn of(output: &Output) -> Self {
        Self {
            code: output.status.code(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }

    /// Waits for a run started with `Test::spawn` to end; what it left.
    pub fn of_child(child: Child) -> Self {
        Self::of(&child.wait_with_output().expect("runbook ends"))
    }

    /// Asserts the exit code, showing what was printed when it is not.
    pub fn code(self, expected: i32) -> Self {
        assert_eq!(
            self.code,
            Some(expected),
            "exit code\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Asserts standard error holds `text`.
    pub fn stderr_has(self, text: &str) -> Self {
        assert!(self.stderr.contains(text), "stderr lacks {text:?}:\n{}", self.stderr);
        self
    }

    pub fn stdout_has(self, text: &str) -> Self {
        assert!(self.stdout.contains(text), "stdout lacks {text:?}:\n{}", self.stdout);
        self
    }

    /// Both streams, for checks on everything the user saw.
    pub fn shown(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    /// Standard output as JSON events, one per line.
    pub fn events(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| {
                serde_json::from_str(line)
                    .unwrap_or_else(|error| panic!("not JSON ({error}): {line}"))
            })
            .collect()
    }
}

/// Waits until `condition` holds, asking every 20 ms; panics naming `what` after 20 seconds.
pub fn wait_for(what: &str, mut condition: impl FnMut() -> bool) {
    let started = Instant::now();
    while !condition() {
        assert!(started.elapsed() < Duration::from_secs(20), "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The exit code of a session in a pseudo-terminal, once it ends.
/// The rows a terminal of `rows` by `columns` shows once `output` (as a pseudo-terminal session
/// read it: one char per byte) is written to it, trailing blanks cut: the last screen a person
/// sees (pass many rows to see the whole output as laid out).
pub fn screen_rows(output: &str, rows: u16, columns: u16) -> Vec<String> {
    let bytes: Vec<u8> = output.chars().map(|byte| byte as u32 as u8).collect();
    let mut parser = vt100::Parser::new(rows, columns, 0);
    parser.process(&bytes);
    parser.screen().rows(0, columns).map(|row| row.trim_end().to_string()).collect()
}

pub fn exit_code(session: &mut rexpect::session::PtySession) -> Option<i32> {
    match session.process().wait().expect("the process ends") {
        rexpect::process::WaitStatus::Exited(_, code) => Some(code),
        _ => None,
    }
}

/// A git repository in `folder` with one commit on `main` (a Procfile, and `extra` files); the
/// commit's short id.
pub fn repository(folder: &Path, extra: &[(&str, &str)]) -> String {
    let git = |arguments: &[&str]| {
        let output = Command::new("git").arg("-C").arg(folder).args(arguments).output().unwrap();
        assert!(
            output.status.success(),
            "git {arguments:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).trim().to_string()
    };
    git(&["init", "--quiet", "--initial-branch=main"]);
    std::fs::write(folder.join("Procfile"), "web: gunicorn config.wsgi\n").unwrap();
    for (name, text) in extra {
        std::fs::write(folder.join(name), text).unwrap();
    }
    git(&["add", "."]);
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

/// Every runbook file of `folder` (`*.yaml` and `*.yml` but `environments.yaml`, and `*.rhai`;
/// subfolders such as `scenarios/` hold no runbooks), as its name and the environments its own
/// text lists: a YAML runbook's top-level `environments:` key, or a Rhai runbook's
/// `//! environments: a, b` header line; none when it lists none. Read from the files, not
/// through the binary, so that a runbook the binary would leave out is found all the same.
/// Sorted by name.
pub fn runbook_files(folder: &Path) -> Vec<(String, Vec<String>)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if !path.is_file() {
            continue;
        }
        let name = path.file_stem().unwrap().to_str().unwrap().to_string();
        let extension = path
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or_default()
            .to_string();
        let environments = match extension.as_str() {
            "yaml" | "yml" if name != "environments" => {
                yaml_environments(&path, &std::fs::read_to_string(&path).unwrap())
            }
            "rhai" => rhai_environments(&std::fs::read_to_string(&path).unwrap()),
            _ => continue,
        };
        found.push((name, environments));
    }
    found.sort();
    found
}

/// The names under a YAML runbook's top-level `environments:` key (a list, or one name).
fn yaml_environments(path: &Path, text: &str) -> Vec<String> {
    let document: Value = serde_saphyr::from_str(text)
        .unwrap_or_else(|error| panic!("{} is not YAML: {error}", path.display()));
    match &document["environments"] {
        Value::Array(names) => names
            .iter()
            .map(|name| name.as_str().expect("an environment name").to_string())
            .collect(),
        Value::String(name) => vec![name.clone()],
        _ => Vec::new(),
    }
}

/// The names of a Rhai runbook's `//! environments:` header line.
fn rhai_environments(text: &str) -> Vec<String> {
    text.lines()
        .map_while(|line| line.trim_end().strip_prefix("//!"))
        .find_map(|content| content.trim().strip_prefix("environments:"))
        .map(|list| {
            list.split(',')
                .map(|word| word.trim().to_string())
                .filter(|word| !word.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

/// Sets a git config value in the repository at `folder`.
pub fn git_config(folder: &Path, name: &str, value: &str) {
    let status =
        Command::new("git").arg("-C").arg(folder).args(["config", name, value]).status().unwrap();
    assert!(status.success());
}

/// The journal of a `runbook test` test that failed on purpose, on its planted expectation
/// alone (`output: ["a line no run prints"]`: a failed test keeps its journal), as JSON records;
/// the test's folder is removed once read.
pub fn kept_journal(stdout: &str) -> Vec<Value> {
    let failures: Vec<&str> =
        stdout.lines().filter(|line| line.trim_start().starts_with("expected:")).collect();
    assert_eq!(failures, ["    expected: a line containing `a line no run prints`"], "{stdout}");
    let path = stdout
        .lines()
        .find_map(|line| line.trim().strip_prefix("journal: "))
        .expect("a failed test names its journal");
    let records = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let _ = std::fs::remove_dir_all(Path::new(path).ancestors().nth(3).unwrap());
    records
}
