//! The simulated apps, their dynos and formation, and how dynos move from `starting` to `up`.

use crate::heroku::types::DynoState;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::heroku::types::{Addon, App, Dyno, Formation, Release};

use super::logs::LogBuffer;

use super::faults::Fault;
use super::options::SimOptions;
use super::requests::LoggedRequest;

pub type SharedState = Arc<Mutex<SimState>>;

pub struct SimState {
    pub apps: Vec<SimApp>,
    pub requests: Vec<LoggedRequest>,
    pub faults: Vec<Fault>,
    pub options: SimOptions,
    pub request_count: u64,
    pub log_sessions: std::collections::HashMap<String, super::log_sessions::LogSessionSpec>,
    /// The one pipeline every simulated app is coupled to.
    pub pipeline_id: String,
    /// Promotion targets by promotion id.
    pub promotions: std::collections::HashMap<String, Vec<serde_json::Value>>,
    /// Promotions as they were answered, by id.
    pub promotion_records: std::collections::HashMap<String, serde_json::Value>,
    /// The TLS server attached one-off dynos connect to.
    pub rendezvous: Option<super::sessions::Attachments>,
    /// Uploaded source tarballs by id.
    pub sources: std::collections::HashMap<String, Vec<u8>>,
    pub in_flight: usize,
    pub max_in_flight: usize,
    /// Each token's rate budget: requests left, and when it was last counted.
    pub budgets: std::collections::HashMap<String, (f64, std::time::Instant)>,
    /// Since when the world differs from a fresh one (a scenario set up, or a change), if it does.
    pub changed_since: Option<String>,
    /// The apps a request changed, by name.
    pub changed_apps: std::collections::BTreeSet<String>,
}

#[derive(Serialize, Deserialize)]
pub struct SimApp {
    pub app: App,
    pub formation: Vec<Formation>,
    pub dynos: Vec<SimDyno>,
    /// Name to value, as `GET /apps/{app}/config-vars` answers.
    pub config_vars: BTreeMap<String, String>,
    pub addons: Vec<Addon>,
    /// Newest first.
    pub releases: Vec<Release>,
    pub logs: LogBuffer,
    /// The slugs whose code fails half its requests (a scenario's bad release, a bad deploy):
    /// the app fails while its current release runs one, however that release was made
    /// (a rollback to it, a config change on it).
    #[serde(default)]
    pub bad_slugs: Vec<String>,
    /// A scenario's bad deploy: the next build makes a release whose code fails.
    #[serde(default)]
    pub next_deploy_bad: bool,
    /// Requests time out until then, whatever the formation (an app that recovers by itself).
    pub slow_until: Option<SystemTime>,
    /// Requests time out until web is scaled up (a scenario's slow app).
    pub slow: bool,
    /// Process types (`web`) or dynos (`web.3`) that crash as they boot (a scenario's broken
    /// config, a bad host).
    #[serde(default)]
    pub crashing: Vec<String>,
    pub builds: Vec<SimBuild>,
    /// The app's collaborators besides its owner, by email.
    #[serde(default)]
    pub collaborators: Vec<String>,
    /// The app's features (`preboot`, ...) and whether each is on.
    #[serde(default = "default_features")]
    pub features: Vec<(String, bool)>,
}

/// The features every app has, off but for metadata, as a new Heroku app has them.
pub fn default_features() -> Vec<(String, bool)> {
    [
        ("preboot", false),
        ("runtime-dyno-metadata", true),
        ("log-runtime-metrics", false),
        ("http-session-affinity", false),
    ]
    .iter()
    .map(|(name, enabled)| (name.to_string(), *enabled))
    .collect()
}

/// A build and where it stands.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SimBuild {
    pub id: String,
    pub version: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub release: Option<String>,
    pub output_stream_url: String,
}

/// A dyno as seeded, and when it was last restarted (a wall-clock time, so that a rehearsal's
/// saved world boots on where it left off).
#[derive(Serialize, Deserialize)]
pub struct SimDyno {
    pub dyno: Dyno,
    pub restarted_at: Option<SystemTime>,
}

pub fn lock(state: &SharedState) -> MutexGuard<'_, SimState> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

impl SimState {
    pub fn new(apps: Vec<SimApp>, options: SimOptions) -> Self {
        Self {
            apps,
            requests: Vec::new(),
            faults: options.faults.clone(),
            options,
            request_count: 0,
            log_sessions: std::collections::HashMap::new(),
            sources: std::collections::HashMap::new(),
            rendezvous: None,
            pipeline_id: super::ids::uuid(),
            promotions: std::collections::HashMap::new(),
            promotion_records: std::collections::HashMap::new(),
            in_flight: 0,
            max_in_flight: 0,
            budgets: std::collections::HashMap::new(),
            changed_since: None,
            changed_apps: std::collections::BTreeSet::new(),
        }
    }

    /// Notes that `name_or_id`'s app was changed by a request.
    pub fn mark_changed(&mut self, name_or_id: &str) {
        let Some(name) = self.app_mut(name_or_id).map(|app| app.app.name.clone()) else {
            return;
        };
        self.changed_since.get_or_insert_with(super::ids::now);
        self.changed_apps.insert(name);
    }

    /// Spends one request of `token`'s budget: what is left, or how long until one is back.
    pub fn spend(&mut self, token: &str) -> Result<u64, std::time::Duration> {
        let limit = self.options.rate_limit;
        let now = std::time::Instant::now();
        let (left, counted) =
            self.budgets.entry(token.to_string()).or_insert((limit.capacity as f64, now));
        let per_second = limit.per_minute as f64 / 60.0;
        *left = (*left + now.duration_since(*counted).as_secs_f64() * per_second)
            .min(limit.capacity as f64);
        *counted = now;
        if *left < 1.0 {
            let wait = if per_second > 0.0 { (1.0 - *left) / per_second } else { 60.0 };
            return Err(std::time::Duration::from_secs_f64(wait));
        }
        *left -= 1.0;
        Ok(*left as u64)
    }

    /// An app by name or id.
    pub fn app_mut(&mut self, name_or_id: &str) -> Option<&mut SimApp> {
        self.apps.iter_mut().find(|app| app.app.name == name_or_id || app.app.id == name_or_id)
    }
}

impl SimApp {
    /// Scales `process_type` to `quantity` dynos (and `size`), as Heroku does: the new dynos
    /// start, the extra ones stop, and the log says so.
    pub fn scale(&mut self, process_type: &str, quantity: u64, size: Option<&str>) {
        let Some(entry) =
            self.formation.iter_mut().find(|entry| entry.process_type == process_type)
        else {
            return;
        };
        if let Some(size) = size {
            entry.size = size.to_string();
        }
        entry.quantity = quantity;
        entry.updated_at = Some(super::ids::now());
        let size = entry.size.clone();
        let template = self
            .dynos
            .iter()
            .find(|dyno| dyno.dyno.process_type == process_type)
            .map(|dyno| dyno.dyno.clone());
        self.dynos
            .retain(|dyno| dyno.dyno.process_type != process_type || dyno.number() <= quantity);
        for number in 1..=quantity {
            let exists = self
                .dynos
                .iter()
                .any(|dyno| dyno.dyno.process_type == process_type && dyno.number() == number);
            if let (false, Some(mut dyno)) = (exists, template.clone()) {
                dyno.id = super::ids::uuid();
                dyno.name = format!("{process_type}.{number}");
                let mut started = SimDyno { dyno, restarted_at: None };
                started.restart();
                self.dynos.push(started);
            }
        }
        for dyno in self.dynos.iter_mut().filter(|dyno| dyno.dyno.process_type == process_type) {
            dyno.dyno.size = size.clone();
        }
        self.logs.write(
            "heroku",
            "api",
            &format!("Scaled to {process_type}@{quantity}:{size} by user"),
        );
    }

    /// Whether the current release runs code that fails.
    pub fn failing(&self) -> bool {
        self.releases
            .iter()
            .find(|release| release.current)
            .and_then(|release| release.slug.as_ref())
            .is_some_and(|slug| self.bad_slugs.contains(&slug.id))
    }

    /// Whether requests time out now: a slow app short of web dynos, or one not yet recovered.
    pub fn slow_now(&self) -> bool {
        let web = self
            .formation
            .iter()
            .find(|entry| entry.process_type == "web")
            .map_or(0, |entry| entry.quantity);
        (self.slow && web < super::scenario::SLOW_UNTIL_WEB)
            || self.slow_until.is_some_and(|until| crate::clock::system_now() < until)
    }

    /// Every dyno whose boot is over is up, or crashed for a process type that crashes on boot;
    /// the log says so as Heroku writes it (`State changed from starting to up`), at the moment
    /// it is noticed (every request, and every tick of a log follow).
    pub fn settle(&mut self, boot_delay: std::time::Duration) {
        let mut changed = Vec::new();
        for dyno in &mut self.dynos {
            let Some(restarted_at) = dyno.restarted_at else {
                continue;
            };
            if crate::clock::system_now().duration_since(restarted_at).unwrap_or_default()
                < boot_delay
            {
                continue;
            }
            let crashes = self.crashing.contains(&dyno.dyno.process_type)
                || self.crashing.contains(&dyno.dyno.name);
            dyno.restarted_at = None;
            dyno.dyno.state = if crashes { DynoState::Crashed } else { DynoState::Up };
            dyno.dyno.updated_at = Some(super::ids::now());
            changed.push((dyno.dyno.name.clone(), crashes));
        }
        for (name, crashes) in changed {
            if crashes {
                self.logs.write(
                    "app",
                    &name,
                    "django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.",
                );
                self.logs.write("heroku", &name, "Process exited with status 1");
                self.logs.write("heroku", &name, "State changed from starting to crashed");
            } else {
                self.logs.write("heroku", &name, "State changed from starting to up");
            }
        }
    }
}

impl SimDyno {
    /// The dyno with its state as of now: `starting` for the boot delay after a restart.
    pub fn current(&self, options: &SimOptions) -> Dyno {
        let mut dyno = self.dyno.clone();
        if let Some(restarted_at) = self.restarted_at {
            dyno.state =
                if crate::clock::system_now().duration_since(restarted_at).unwrap_or_default()
                    < options.boot_delay
                {
                    DynoState::Starting
                } else {
                    DynoState::Up
                };
        }
        dyno
    }

    /// `web.1` or its id.
    pub fn is(&self, name_or_id: &str) -> bool {
        self.dyno.name == name_or_id || self.dyno.id == name_or_id
    }

    /// The number in `web.2`.
    pub fn number(&self) -> u64 {
        self.dyno.name.rsplit('.').next().and_then(|number| number.parse().ok()).unwrap_or(0)
    }

    /// Stopped: `down` until restarted.
    pub fn stop(&mut self) {
        self.restarted_at = None;
        self.dyno.state = DynoState::Down;
        self.dyno.updated_at = Some(super::ids::now());
    }

    pub fn restart(&mut self) {
        self.restarted_at = Some(crate::clock::system_now());
        self.dyno.updated_at = Some(super::ids::now());
    }
}
