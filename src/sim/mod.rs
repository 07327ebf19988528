//! The built-in Heroku simulator: the Platform API endpoints runbooks use, with state that changes.
//!
//! Used in-process by `run --sim` and standalone by `runbook sim serve`. Knows nothing of runbooks;
//! it shares only the payload types of `heroku/`.

pub mod app_routes;
pub mod build_routes;
pub mod dyno_routes;
pub mod faults;
pub mod log_routes;
pub mod logs;
pub mod middleware;
pub mod one_off;
pub mod pages;
pub mod pipeline_routes;
pub mod release_routes;
pub mod rendezvous;
pub mod request_log;
pub mod routes;
pub mod scenario;
pub mod seed;
pub mod state;
pub mod traffic;
pub mod web;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::oneshot;

pub use state::{SharedState, SimState};

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
    /// Where each app gets a bare git repository as its `git_url`, for rehearsing `git push`.
    pub git_root: Option<std::path::PathBuf>,
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
            git_root: Some(default_git_root()),
        }
    }
}

/// Heroku's largest page.
pub const DEFAULT_PAGE_SIZE: usize = 1000;

/// A running simulator; dropping it stops the server.
pub struct Simulator {
    pub url: String,
    pub state: SharedState,
    _shutdown: oneshot::Sender<()>,
}

/// Starts the simulator on 127.0.0.1 with `apps`; port 0 picks a free one.
pub async fn start(apps: &[String], options: SimOptions, port: u16) -> std::io::Result<Simulator> {
    let scenario = options.scenario.clone();
    let git_root = options.git_root.clone();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let address = listener.local_addr()?;
    let mut initial = SimState::new(seed::apps(apps), options);
    for app in &mut initial.apps {
        app.app.web_url = Some(format!("http://{address}/__sim/web/{}/", app.app.name));
    }
    if let Some(root) = git_root {
        seed::git_remotes(&mut initial.apps, &root);
    }
    if let Some(scenario) = scenario {
        scenario
            .apply(&mut initial)
            .map_err(std::io::Error::other)?;
    }
    initial.rendezvous = Some(rendezvous::Rendezvous::start().await?);
    let state = Arc::new(std::sync::Mutex::new(initial));
    let router = routes::router(Arc::clone(&state));
    let (shutdown, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let server = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        let _ = server.await;
    });
    Ok(Simulator {
        url: format!("http://{address}"),
        state,
        _shutdown: shutdown,
    })
}

impl Simulator {
    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<request_log::LoggedRequest> {
        state::lock(&self.state).requests.clone()
    }
}
