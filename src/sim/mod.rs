//! The built-in Heroku simulator: the Platform API endpoints runbooks use, with state that changes.
//!
//! Used in-process by `run --sim` and standalone by `runbook sim serve`. Knows nothing of runbooks
//! or the executor: `world/` is the simulated state (no HTTP), `api/` serves it over HTTP with
//! Heroku's payload types (`heroku::types`), and `rendezvous` plays attached one-off dynos.

mod api;
mod rendezvous;
mod world;

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::sync::oneshot;

pub use world::Fault;
pub use world::LoggedRequest;
pub use world::Scenario;

/// Where the shipped incident scenarios live, inside the runbooks folder.
pub const SCENARIOS_FOLDER: &str = "scenarios";
pub use world::{RateLimit, SimOptions, default_git_root};
use world::{SavedWorld, SharedState, SimState, seed_apps, seed_git_remotes};

/// Where a rehearsal's world is kept in the state folder between `--sim` runs.
pub const WORLD_FILE: &str = "sim-world.json";

/// A running simulator; dropping it stops the server.
pub struct Simulator {
    pub url: String,
    /// What an earlier rehearsal left in the world this one goes on from, said in its header.
    pub carried: Option<String>,
    state: SharedState,
    _shutdown: oneshot::Sender<()>,
}

/// The one-off commands the scenario of `state` declares.
fn scenario_commands(state: &SimState) -> world::Commands {
    state.options.scenario.as_ref().map(|scenario| scenario.commands.clone()).unwrap_or_default()
}

/// Starts the simulator on 127.0.0.1 with `apps`; port 0 picks a free one.
pub async fn start(apps: &[String], options: SimOptions, port: u16) -> std::io::Result<Simulator> {
    start_from(None, apps, options, port).await
}

/// The same, going on from a world saved by an earlier simulator (`Simulator::saved`), unless
/// `options` set up a scenario, which seeds anew.
pub async fn start_from(
    saved: Option<&str>,
    apps: &[String],
    options: SimOptions,
    port: u16,
) -> std::io::Result<Simulator> {
    let scenario = options.scenario.clone();
    let git_root = options.git_root.clone();
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], port))).await?;
    let address = listener.local_addr()?;
    let mut initial = SimState::new(seed_apps(apps), options);
    for app in &mut initial.apps {
        app.app.web_url = Some(format!("http://{address}/__sim/web/{}/", app.app.name));
    }
    if let Some(root) = git_root {
        seed_git_remotes(&mut initial.apps, &root);
    }
    let mut carried_over = None;
    match (scenario, saved.and_then(SavedWorld::parse)) {
        (Some(scenario), _) => {
            let only = if scenario.apps.is_empty() {
                initial.options.scenario_apps.clone()
            } else {
                scenario.apps.clone()
            };
            world::apply_incident(&scenario, &mut initial, &only).map_err(std::io::Error::other)?;
        }
        (None, Some(saved)) => {
            saved.restore_into(&mut initial);
            carried_over = carried(&initial);
        }
        (None, None) => {}
    }
    let carried = carried_over;
    let declared = scenario_commands(&initial);
    initial.rendezvous = Some(rendezvous::start(declared).await?);
    let state = Arc::new(std::sync::Mutex::new(initial));
    let router = api::router(Arc::clone(&state));
    let (shutdown, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let server = axum::serve(listener, router).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        let _ = server.await;
    });
    Ok(Simulator { url: format!("http://{address}"), carried, state, _shutdown: shutdown })
}

/// What the world carries from earlier rehearsals (a scenario, changes to apps), if anything;
/// a scenario set up by this run is its own, not carried.
fn carried(state: &SimState) -> Option<String> {
    let since = state.changed_since.as_ref()?;
    let mut what = Vec::new();
    if let Some(scenario) = &state.options.scenario {
        what.push(format!("the scenario `{}`", scenario.name));
    }
    if !state.changed_apps.is_empty() {
        let apps: Vec<&str> = state.changed_apps.iter().map(String::as_str).collect();
        what.push(format!("changes to {}", apps.join(", ")));
    }
    if what.is_empty() {
        return None;
    }
    Some(format!(
        "the simulated world carries {} since {} from earlier rehearsals; `runbook sim reset` starts afresh",
        what.join(" and "),
        crate::people_time::people_time(since)
    ))
}

impl Simulator {
    /// The world as it is now, to go on from with `start_from`.
    pub fn saved(&self) -> String {
        SavedWorld::of(&world::lock(&self.state)).unwrap_or_default()
    }

    /// The world in brief (per app: maintenance, release, formation, dyno states, config vars),
    /// for `runbook test`.
    pub fn summary(&self) -> serde_json::Value {
        world::summary(&world::lock(&self.state))
    }

    /// The log of requests, readable after this handle is gone from view (a run's end).
    pub fn request_log(&self) -> RequestLog {
        RequestLog(Arc::clone(&self.state))
    }
}

/// The simulator's log of requests, shared.
pub struct RequestLog(SharedState);

impl RequestLog {
    /// The requests received so far, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        world::lock(&self.0).requests.clone()
    }
}
