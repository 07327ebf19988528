//! Health, defined and read: every dyno of the types that matter up, the router's error rate over
//! a window under a threshold, and optionally a URL that must answer as expected. A verdict keeps
//! its evidence (counts, rates, sample lines) for the screen, the journal and the report.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::log_line::{self, LogLine};
use super::log_stream::{Silence, each_line};
use super::outcome::OperationError;
use crate::heroku::log_sessions::{self, LogRequest};
use crate::heroku::types::DynoState;
use crate::heroku::{Client, apps, dynos};
use crate::identifiers::{AppName, ProcessType};

/// Router codes that mean a visitor got an error (crashed app, timeouts, dropped connections).
const ROUTER_ERRORS: &[&str] = &["H10", "H11", "H12", "H13", "H14", "H15", "H18", "H19", "H20"];
/// Heroku sends at most this many lines of history.
const HISTORY: u64 = 1500;
/// Sample error lines kept as evidence.
const SAMPLES: usize = 3;
pub const DEFAULT_WINDOW: Duration = Duration::from_secs(60);
pub const DEFAULT_MAX_ERROR_RATE: f64 = 0.01;

/// What healthy means.
#[derive(Debug, Clone)]
pub struct HealthRule {
    /// The process type whose dynos must all be up; every dyno when `None`.
    pub process_type: Option<ProcessType>,
    /// Only these dynos must be up, when not empty (those a rolling restart has done so far).
    pub only_dynos: Vec<String>,
    /// How far back the router's lines count.
    pub window: Duration,
    /// The share of requests that may fail (0.01 is 1%).
    pub max_error_rate: f64,
    /// Only lines written since then count (a release's start), when given.
    pub since: Option<SystemTime>,
    /// A URL of the app that must answer so.
    pub check: Option<UrlCheck>,
}

impl Default for HealthRule {
    fn default() -> Self {
        Self {
            process_type: None,
            only_dynos: Vec::new(),
            window: DEFAULT_WINDOW,
            max_error_rate: DEFAULT_MAX_ERROR_RATE,
            since: None,
            check: None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct UrlCheck {
    pub path: String,
    pub status: u16,
    pub contains: Option<String>,
}

/// A verdict and its evidence.
#[derive(Debug, Clone, Default)]
pub struct Verdict {
    pub healthy: bool,
    /// Why it is not healthy; empty when it is.
    pub reasons: Vec<String>,
    pub dynos: BTreeMap<String, String>,
    pub requests: u64,
    pub errors: u64,
    pub codes: BTreeMap<String, u64>,
    pub samples: Vec<String>,
    pub check: Option<String>,
    pub window: Duration,
}

impl Verdict {
    pub fn rate(&self) -> f64 {
        if self.requests == 0 { 0.0 } else { self.errors as f64 / self.requests as f64 }
    }

    /// `healthy: 4 dynos up, 0.0% errors (0 of 212 requests in 60s)`.
    pub fn summary(&self) -> String {
        let up = self.dynos.values().filter(|state| *state == "up").count();
        let traffic = if self.requests == 0 {
            format!("no router traffic in {}", humantime::format_duration(self.window))
        } else {
            format!(
                "{:.1}% errors ({} of {} requests in {})",
                self.rate() * 100.0,
                self.errors,
                self.requests,
                humantime::format_duration(self.window)
            )
        };
        let verdict = if self.healthy { "healthy" } else { "UNHEALTHY" };
        let mut line = format!("{verdict}: {up} of {} dynos up, {traffic}", self.dynos.len());
        if let Some(check) = &self.check {
            line.push_str(&format!(", {check}"));
        }
        if !self.reasons.is_empty() {
            line.push_str(&format!(" - {}", self.reasons.join("; ")));
        }
        line
    }

    pub fn to_json(&self) -> Value {
        json!({
            "healthy": self.healthy,
            "reasons": self.reasons,
            "dynos": self.dynos,
            "requests": self.requests,
            "errors": self.errors,
            "error_rate": self.rate(),
            "codes": self.codes,
            "samples": self.samples,
            "check": self.check,
            "window_seconds": self.window.as_secs(),
        })
    }
}

/// Reads the app's health now: its dynos, its router lines of the window, and the URL check.
pub async fn read(
    reader: &Client,
    app: &AppName,
    rule: &HealthRule,
) -> Result<Verdict, OperationError> {
    let mut verdict = Verdict { window: rule.window, ..Verdict::default() };
    let changed = dyno_states(reader, app, rule, &mut verdict).await?;
    router_traffic(reader, app, rule, changed, &mut verdict).await?;
    if let Some(check) = &rule.check {
        url_check(reader, app, check, &mut verdict).await?;
    }
    if verdict.requests > 0 && verdict.rate() > rule.max_error_rate {
        verdict.reasons.push(format!(
            "router errors at {:.1}%, over {:.1}%{}",
            verdict.rate() * 100.0,
            rule.max_error_rate * 100.0,
            codes_text(&verdict.codes)
        ));
    }
    verdict.healthy = verdict.reasons.is_empty();
    Ok(verdict)
}

/// The dynos' states into `verdict`; when the newest of them last changed (came up, restarted),
/// if they say.
async fn dyno_states(
    reader: &Client,
    app: &AppName,
    rule: &HealthRule,
    verdict: &mut Verdict,
) -> Result<Option<SystemTime>, OperationError> {
    let listed = dynos::list(reader, app).await?;
    let changed = listed
        .iter()
        .filter(|dyno| dyno.process_type != "run")
        .filter_map(|dyno| dyno.updated_at.as_deref())
        .filter_map(moment)
        .max();
    let wanted = listed.iter().filter(|dyno| {
        dyno.process_type != "run"
            && rule.process_type.as_ref().is_none_or(|kind| dyno.process_type == kind.as_str())
            && (rule.only_dynos.is_empty() || rule.only_dynos.contains(&dyno.name))
    });
    for dyno in wanted {
        verdict.dynos.insert(dyno.name.clone(), dyno.state.name().to_string());
    }
    let down: Vec<String> = verdict
        .dynos
        .iter()
        .filter(|(_, state)| *state != DynoState::Up.name())
        .map(|(name, state)| format!("{name} {state}"))
        .collect();
    if verdict.dynos.is_empty() {
        verdict.reasons.push("no dynos running".into());
    } else if !down.is_empty() {
        verdict.reasons.push(format!("not up: {}", down.join(", ")));
    }
    Ok(changed)
}

/// The router's lines of the window, and only those since the dynos last `changed`: errors of
/// dynos that have since been restarted or replaced say nothing of the app now.
async fn router_traffic(
    reader: &Client,
    app: &AppName,
    rule: &HealthRule,
    changed: Option<SystemTime>,
    verdict: &mut Verdict,
) -> Result<(), OperationError> {
    let request = LogRequest {
        lines: Some(HISTORY),
        source: Some("heroku".into()),
        dyno_name: Some("router".into()),
        tail: false,
    };
    let session = log_sessions::create(reader, app, &request).await?;
    // Heroku gives `updated_at` to the second: a line of that second may be from before.
    let settled = changed.map(|changed| changed + Duration::from_secs(1));
    let oldest = settled.map_or(oldest_counted(rule), |settled| settled.max(oldest_counted(rule)));
    each_line(reader, &session.logplex_url, Silence::Fails, |raw| {
        if let Some(line) = log_line::parse(raw).filter(|line| line.dyno == "router")
            && written_since(&line, oldest)
        {
            count(verdict, &line, raw);
        }
        true
    })
    .await
}

/// The oldest moment a line may be from to count: the window back from now, or `since`.
fn oldest_counted(rule: &HealthRule) -> SystemTime {
    let window_start =
        crate::clock::system_now().checked_sub(rule.window).unwrap_or(SystemTime::UNIX_EPOCH);
    rule.since.map_or(window_start, |since| since.max(window_start))
}

/// Whether the line was written at or after `oldest` (a line whose time cannot be read counts).
fn written_since(line: &LogLine, oldest: SystemTime) -> bool {
    moment(&line.timestamp).is_none_or(|written| written >= oldest)
}

/// A time as Heroku writes it (`...Z`, or `...+00:00` in log lines).
fn moment(stamp: &str) -> Option<SystemTime> {
    humantime::parse_rfc3339_weak(&stamp.replace("+00:00", "Z")).ok()
}

fn count(verdict: &mut Verdict, line: &LogLine, raw: &str) {
    verdict.requests += 1;
    let status: u16 = line.fields.get("status").and_then(|status| status.parse().ok()).unwrap_or(0);
    let code = line.code.clone().filter(|code| ROUTER_ERRORS.contains(&code.as_str()));
    let failed = code.is_some() || status >= 500;
    if !failed {
        return;
    }
    verdict.errors += 1;
    let key = code.unwrap_or_else(|| format!("HTTP {status}"));
    *verdict.codes.entry(key).or_default() += 1;
    if verdict.samples.len() < SAMPLES {
        verdict.samples.push(raw.trim().to_string());
    }
}

fn codes_text(codes: &BTreeMap<String, u64>) -> String {
    if codes.is_empty() {
        return String::new();
    }
    let listed: Vec<String> =
        codes.iter().map(|(code, count)| format!("{code} x{count}")).collect();
    format!(" ({})", listed.join(", "))
}

/// GETs the app's URL at `check.path` as a visitor would; a wrong answer is a reason.
async fn url_check(
    reader: &Client,
    app: &AppName,
    check: &UrlCheck,
    verdict: &mut Verdict,
) -> Result<(), OperationError> {
    let info = apps::info(reader, app).await?;
    let Some(base) = info.web_url else {
        verdict.reasons.push(format!("`{app}` has no web URL to check"));
        return Ok(());
    };
    let url = format!("{}/{}", base.trim_end_matches('/'), check.path.trim_start_matches('/'));
    let answer = visit(&url).await;
    let (status, body) = match answer {
        Ok(answer) => answer,
        Err(reason) => {
            verdict.reasons.push(format!("{url} did not answer: {reason}"));
            verdict.check = Some(format!("GET {url} did not answer"));
            return Ok(());
        }
    };
    verdict.check = Some(format!("GET {url} answered {status}"));
    if status != check.status {
        verdict.reasons.push(format!("{url} answered {status}, not {}", check.status));
    } else if let Some(wanted) =
        check.contains.as_ref().filter(|wanted| !body.contains(wanted.as_str()))
    {
        verdict.reasons.push(format!("{url} answered without `{wanted}`"));
    }
    Ok(())
}

/// How long a visitor waits, and how much of the page is read.
const VISIT_TIMEOUT: Duration = Duration::from_secs(30);
const MOST_BODY: usize = 64 * 1024;

/// The status and the first `MOST_BODY` bytes of the page at `url`.
async fn visit(url: &str) -> Result<(u16, String), reqwest::Error> {
    let _visiting = crate::clock::busy();
    let client = crate::heroku::builder_for(url).timeout(VISIT_TIMEOUT).build()?;
    let mut response = client.get(url).send().await?;
    let status = response.status().as_u16();
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await? {
        body.extend_from_slice(&chunk);
        if body.len() >= MOST_BODY {
            break;
        }
    }
    Ok((status, String::from_utf8_lossy(&body).into_owned()))
}
