//! How the simulator behaves: boot delay, paging, latency, faults, scenario, git remotes.

use std::time::Duration;

use super::faults;
use super::scenario;

/// How the simulator behaves.
#[derive(Debug, Clone)]
pub struct SimOptions {
    /// How long a restarted dyno stays `starting` before it is `up`.
    pub boot_delay: Duration,
    /// When set, only this bearer token is accepted; otherwise any non-empty one is.
    pub api_key: Option<String>,
    /// The most items a list answers with before it pages with 206 and `Next-Range`.
    pub page_size: usize,
    /// Added to every API request.
    pub latency: Duration,
    /// Injected errors and delays.
    pub faults: Vec<faults::Fault>,
    /// When set, every log stream sends this many generated lines (for load tests).
    pub synthetic_log_lines: Option<u64>,
    /// The incident to set up before serving.
    pub scenario: Option<scenario::Scenario>,
    /// The apps the scenario is set up on when it names none: a rehearsal's app (empty: all).
    pub scenario_apps: Vec<String>,
    /// Where each app gets a bare git repository as its `git_url`, for rehearsing `git push`.
    pub git_root: Option<std::path::PathBuf>,
    /// The account (email) each token belongs to, as `GET /account` answers.
    pub accounts: Vec<(String, String)>,
    /// Each token's rate budget: how many requests it may make at once, and how many come back
    /// a minute (Heroku: 4500, and 75).
    pub rate_limit: RateLimit,
}

/// A token bucket per API token, as Heroku limits accounts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimit {
    pub capacity: u64,
    pub per_minute: u64,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self { capacity: 4500, per_minute: 75 }
    }
}

/// The bare repositories of rehearsals, shared by every in-process simulator.
pub fn default_git_root() -> std::path::PathBuf {
    std::env::temp_dir().join("runbook-sim-git")
}

impl SimOptions {
    /// The simulator as a rehearsal uses it: quick dyno boots, no faults.
    pub fn rehearsal(boot_delay: Duration) -> Self {
        Self {
            boot_delay,
            api_key: None,
            page_size: DEFAULT_PAGE_SIZE,
            latency: Duration::ZERO,
            faults: Vec::new(),
            synthetic_log_lines: None,
            scenario: None,
            scenario_apps: Vec::new(),
            git_root: Some(default_git_root()),
            accounts: Vec::new(),
            rate_limit: RateLimit::default(),
        }
    }
}

/// Heroku's largest page.
pub const DEFAULT_PAGE_SIZE: usize = 1000;
