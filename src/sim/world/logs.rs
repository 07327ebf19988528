//! The simulated app's log: a bounded buffer of Heroku-format lines that the simulator writes as
//! things happen (restarts, releases, traffic), and synthetic streams for load tests.

use std::collections::VecDeque;

/// Heroku keeps the last 1,500 lines.
pub const KEPT_LINES: usize = 1500;

#[derive(Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct LogBuffer {
    lines: VecDeque<String>,
    /// How many lines were ever written, so that a tail can ask for "everything after N".
    written: u64,
}

impl LogBuffer {
    /// Appends a line from `source[process]` (`heroku[router]`, `app[web.1]`).
    pub fn write(&mut self, source: &str, process: &str, message: &str) {
        if self.lines.len() == KEPT_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back(format!("{} {source}[{process}]: {message}", timestamp()));
        self.written += 1;
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// The lines written after the first `after` ever written (as many as are still kept).
    pub fn since(&self, after: u64) -> Vec<String> {
        let first_kept = self.written - self.lines.len() as u64;
        let skip = after.saturating_sub(first_kept) as usize;
        self.lines.iter().skip(skip).cloned().collect()
    }

    pub fn all(&self) -> Vec<String> {
        self.lines.iter().cloned().collect()
    }

    /// A few ordinary requests and app lines, so that a fresh app has a log.
    pub fn seed_traffic(&mut self, app: &str) {
        for (number, path) in ["/", "/api/orders", "/api/products", "/health"].iter().enumerate() {
            self.write(
                "heroku",
                "router",
                &router_line(app, "GET", path, 200, 20 + number as u64 * 7, "web.1"),
            );
            self.write("app", "web.1", &format!("INFO \"GET {path} HTTP/1.1\" 200"));
        }
        self.write("app", "worker.1", "INFO celery@worker ready.");
    }
}

/// A router line as Heroku writes it; `code` lines carry `at=error code=...`.
pub fn router_line(
    app: &str,
    method: &str,
    path: &str,
    status: u16,
    service_ms: u64,
    dyno: &str,
) -> String {
    format!(
        "at=info method={method} path=\"{path}\" host={app}.herokuapp.com request_id={} fwd=\"203.0.113.7\" dyno={dyno} connect=1ms service={service_ms}ms status={status} bytes=1024 protocol=https",
        super::ids::uuid()
    )
}

/// An error router line (`at=error code=H12 desc="Request timeout" ...`).
pub fn router_error(
    app: &str,
    code: &str,
    description: &str,
    path: &str,
    dyno: &str,
    service_ms: u64,
) -> String {
    format!(
        "at=error code={code} desc=\"{description}\" method=GET path=\"{path}\" host={app}.herokuapp.com request_id={} fwd=\"203.0.113.7\" dyno={dyno} connect=0ms service={service_ms}ms status=503 bytes=0 protocol=https",
        super::ids::uuid()
    )
}

/// `2026-11-26T10:00:00.123456+00:00`, as Heroku stamps log lines.
pub fn timestamp() -> String {
    let stamp = humantime::format_rfc3339_micros(crate::clock::system_now()).to_string();
    stamp.trim_end_matches('Z').to_string() + "+00:00"
}

/// Line `number` of a synthetic stream: mostly requests, every 50th an H12, every 7th an app line.
pub fn synthetic_line(number: u64) -> String {
    let stamp = "2026-11-26T10:00:00.000000+00:00";
    if number % 50 == 49 {
        format!(
            "{stamp} heroku[router]: at=error code=H12 desc=\"Request timeout\" method=GET path=\"/slow/{number}\" host=load.herokuapp.com request_id=r{number} fwd=\"203.0.113.7\" dyno=web.1 connect=0ms service=30000ms status=503 bytes=0 protocol=https\n"
        )
    } else if number.is_multiple_of(7) {
        format!("{stamp} app[web.2]: INFO handled job {number}\n")
    } else {
        format!(
            "{stamp} heroku[router]: at=info method=GET path=\"/items/{number}\" host=load.herokuapp.com request_id=r{number} fwd=\"203.0.113.7\" dyno=web.1 connect=1ms service=12ms status=200 bytes=512 protocol=https\n"
        )
    }
}
