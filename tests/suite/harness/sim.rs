//! A `runbook sim serve` process on a free port, stopped when dropped, and its request log.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub struct Sim {
    child: Child,
    pub url: String,
}

impl Sim {
    /// Starts a simulator of the apps in `runbooks`' `environments.yaml`, with `extra` flags.
    pub fn start(extra: &[&str], runbooks: &Path) -> Self {
        let mut command = Command::new(super::binary());
        command
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("RUNBOOK_DIR", runbooks)
            .args(["sim", "serve", "--port", "0"]);
        if !extra.contains(&"--boot-delay") {
            command.args(["--boot-delay", "300ms"]);
        }
        let mut child = command
            .args(extra)
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
        let log = get_json(&format!("{}/__sim/requests", self.url), &[]);
        log.as_array().expect("a list").clone()
    }

    /// The simulator's counters: `max_in_flight`, `requests`.
    pub fn stats(&self) -> Value {
        get_json(&format!("{}/__sim/stats", self.url), &[])
    }

    /// A GET of the API, as any client would send it (this request is logged too).
    pub fn get(&self, path: &str) -> Value {
        self.get_as(path, "test-key")
    }

    /// A GET of the API with `token` (for a simulator started with `--api-key`).
    pub fn get_as(&self, path: &str, token: &str) -> Value {
        let url = format!("{}{path}", self.url);
        get_json(&url, &[("Authorization", &format!("Bearer {token}"))])
    }

    /// `METHOD PATH` of every request received.
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

    pub fn write_requests(&self) -> Vec<String> {
        self.requests().into_iter().filter(|request| !request.starts_with("GET ")).collect()
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A plain HTTP/1.1 GET returning a JSON body; enough for the simulator's own endpoints.
pub fn get_json(url: &str, headers: &[(&str, &str)]) -> Value {
    let address = url.strip_prefix("http://").expect("http URL");
    let (host, path) =
        address.split_once('/').map(|(host, path)| (host, format!("/{path}"))).unwrap();
    let mut stream = TcpStream::connect(host).expect("connect to the simulator");
    let extra: String =
        headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {host}\r\n{extra}Connection: close\r\n\r\n")
        .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let body = response.split_once("\r\n\r\n").map(|(_, body)| body).unwrap_or_default();
    serde_json::from_str(body).unwrap_or_else(|error| panic!("bad JSON {error}: {body}"))
}

/// A POST of a JSON body with the test key, as a client of the API sends it; the answer's body.
pub fn post_json(url: &str, body: &str) -> Value {
    let (_, text) = exchange(
        url,
        "POST",
        &[("Authorization", "Bearer test-key"), ("Content-Type", "application/json")],
        body,
    );
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("bad JSON {error}: {text}"))
}

/// A GET with `headers`, read to its end (HTTP/1.0, so the body is never chunked): the
/// response's head and body.
pub fn get_text(url: &str, headers: &[(&str, &str)]) -> (String, String) {
    exchange(url, "GET", headers, "")
}

/// Any request, with `headers` and `body`, read to its end (HTTP/1.0): the response's head and body.
pub fn exchange(url: &str, method: &str, headers: &[(&str, &str)], body: &str) -> (String, String) {
    exchange_bytes(url, method, headers, body.as_bytes())
}

/// `exchange` with a body of any bytes (a tarball).
pub fn exchange_bytes(
    url: &str,
    method: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> (String, String) {
    let address = url.strip_prefix("http://").expect("http URL");
    let (host, path) =
        address.split_once('/').map(|(host, path)| (host, format!("/{path}"))).unwrap();
    let mut stream = TcpStream::connect(host).expect("connect to the simulator");
    let extra: String =
        headers.iter().map(|(name, value)| format!("{name}: {value}\r\n")).collect();
    write!(
        stream,
        "{method} {path} HTTP/1.0\r\nHost: {host}\r\n{extra}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .unwrap();
    stream.write_all(body).unwrap();
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).unwrap();
    let response = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = response.split_once("\r\n\r\n").unwrap_or((&response, ""));
    (head.to_string(), body.to_string())
}
