//! The test harness: the real `runbook` binary, and the real simulator started with `runbook sim serve`.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub const PRODUCTION: &str = "lazona-connector-production";
pub const STAGING: &str = "lazona-connector-staging";

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_runbook"))
}

pub fn shipped_runbooks() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks")
}

/// `runbook` with a clean environment: no credentials from the machine, no colour.
pub fn runbook(home: &Path) -> assert_cmd::Command {
    let mut command = assert_cmd::Command::new(binary());
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("NO_COLOR", "1")
        .env("RUNBOOK_DIR", shipped_runbooks())
        .env("RUNBOOK_SIM_BOOT_DELAY", "300ms");
    command
}

/// A `runbook sim serve` process on a free port, stopped when dropped.
pub struct Sim {
    child: Child,
    pub url: String,
}

impl Sim {
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    pub fn start_with(extra: &[&str]) -> Self {
        let mut child = Command::new(binary())
            .args(["sim", "serve", "--port", "0"])
            .args(if extra.contains(&"--boot-delay") {
                &[][..]
            } else {
                &["--boot-delay", "300ms"][..]
            })
            .args(extra)
            .env("RUNBOOK_DIR", shipped_runbooks())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the simulator starts");
        let mut first_line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut first_line)
            .expect("the simulator prints its address");
        let url = first_line
            .trim()
            .strip_prefix("simulator listening on ")
            .unwrap_or_else(|| panic!("unexpected first line: {first_line}"))
            .to_string();
        Self { child, url }
    }

    /// The simulator's log of requests, as it serves it.
    pub fn log(&self) -> Vec<Value> {
        let log = http_get(&format!("{}/__sim/requests", self.url), &[]);
        log.as_array().expect("a list").clone()
    }

    /// The simulator's counters: `max_in_flight`, `requests`.
    pub fn stats(&self) -> Value {
        http_get(&format!("{}/__sim/stats", self.url), &[])
    }

    /// An app's config vars, read as any API client would (this request is logged too).
    pub fn config_vars(&self, app: &str, token: &str) -> Value {
        let url = format!("{}/apps/{app}/config-vars", self.url);
        http_get(&url, &[("Authorization", &format!("Bearer {token}"))])
    }

    /// The requests the simulator received, as `METHOD PATH`.
    pub fn requests(&self) -> Vec<String> {
        self.log()
            .iter()
            .map(|request| {
                format!(
                    "{} {}",
                    request["method"].as_str().unwrap(),
                    request["path"].as_str().unwrap()
                )
            })
            .collect()
    }

    /// `runbook` pointed at this simulator with an API key, run from `home`.
    pub fn runbook(&self, home: &Path) -> assert_cmd::Command {
        let mut command = runbook(home);
        command
            .env("HEROKU_API_URL", &self.url)
            .env("HEROKU_API_KEY", "test-key");
        command
    }

    /// Runs `runbook ARGUMENTS` against this simulator from a fresh, empty home folder.
    pub fn run(&self, arguments: &[&str]) -> std::process::Output {
        let home = tempfile::tempdir().unwrap();
        self.runbook(home.path()).args(arguments).output().unwrap()
    }

    pub fn write_requests(&self) -> Vec<String> {
        self.requests()
            .into_iter()
            .filter(|request| !request.starts_with("GET "))
            .collect()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 GET returning a JSON body; enough for the simulator's own endpoints.
fn http_get(url: &str, headers: &[(&str, &str)]) -> Value {
    let address = url.strip_prefix("http://").expect("http URL");
    let (host, path) = address
        .split_once('/')
        .map(|(host, path)| (host, format!("/{path}")))
        .unwrap();
    let mut stream = TcpStream::connect(host).expect("connect to the simulator");
    let extra: String = headers
        .iter()
        .map(|(name, value)| format!("{name}: {value}\r\n"))
        .collect();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body)
        .unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|error| panic!("bad JSON {error}: {body}"))
}

/// Every line of standard output parsed as a JSON event.
pub fn json_events(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|error| panic!("not JSON ({error}): {line}"))
        })
        .collect()
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A runbooks folder of the test's own: the two environments of the shipped one, plus `files`.
pub fn runbooks_folder(files: &[(&str, &str)]) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    std::fs::copy(
        shipped_runbooks().join("environments.yaml"),
        folder.path().join("environments.yaml"),
    )
    .unwrap();
    for (name, text) in files {
        let path = folder.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    folder
}

/// Every line of the journal in `state`, parsed; panics on a line that is not JSON.
pub fn journal(state: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(state.join("journal.jsonl")).unwrap_or_default();
    text.lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|error| panic!("torn journal line ({error}): {line}"))
        })
        .collect()
}
