//! Payload types of the Platform API, shared by the client and the simulator.

use serde::{Deserialize, Serialize};

/// A reference to another resource by id and name.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct NamedReference {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
}

/// `GET /apps/{app}`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct App {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub maintenance: bool,
    pub web_url: Option<String>,
    pub git_url: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub released_at: Option<String>,
    pub region: Option<NamedReference>,
    pub stack: Option<NamedReference>,
    /// The stack the next build uses.
    pub build_stack: Option<NamedReference>,
    pub owner: Option<Account>,
    /// Bytes, or `null`: Heroku always sends the key.
    pub repo_size: Option<u64>,
    pub slug_size: Option<u64>,
    /// Automated certificate management.
    #[serde(default)]
    pub acm: bool,
    /// `cedar` or `fir`.
    pub generation: Option<NamedReference>,
    /// The Private Space it runs in, if any.
    pub space: Option<NamedReference>,
    /// `standard`, `eco`...: not in the published schema, but the Heroku CLI reads it.
    pub process_tier: Option<String>,
}

/// The release a dyno runs.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ReleaseReference {
    pub id: String,
    pub version: u64,
}

/// `GET /apps/{app}/dynos`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Dyno {
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub process_type: String,
    pub state: DynoState,
    #[serde(default)]
    pub command: String,
    #[serde(default)]
    pub size: String,
    pub attach_url: Option<String>,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub app: Option<NamedReference>,
    pub release: Option<ReleaseReference>,
}

/// `GET /apps/{app}/formation`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Formation {
    pub id: String,
    #[serde(rename = "type")]
    pub process_type: String,
    pub quantity: u64,
    #[serde(default)]
    pub size: String,
    #[serde(default)]
    pub command: String,
    pub created_at: Option<String>,
    pub updated_at: Option<String>,
    pub app: Option<NamedReference>,
}

impl Dyno {
    pub fn is_up(&self) -> bool {
        self.state == DynoState::Up
    }
}

/// Where a dyno stands, as Heroku names it (`up`, `starting`, `crashed`...); a state this client
/// does not know is kept as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DynoState {
    Up,
    Starting,
    Crashed,
    Idle,
    Down,
    Restarting,
    Complete,
    Other(String),
}

impl DynoState {
    pub fn name(&self) -> &str {
        match self {
            DynoState::Up => "up",
            DynoState::Starting => "starting",
            DynoState::Crashed => "crashed",
            DynoState::Idle => "idle",
            DynoState::Down => "down",
            DynoState::Restarting => "restarting",
            DynoState::Complete => "complete",
            DynoState::Other(name) => name,
        }
    }

    pub fn parse(name: &str) -> Self {
        match name {
            "up" => DynoState::Up,
            "starting" => DynoState::Starting,
            "crashed" => DynoState::Crashed,
            "idle" => DynoState::Idle,
            "down" => DynoState::Down,
            "restarting" => DynoState::Restarting,
            "complete" => DynoState::Complete,
            other => DynoState::Other(other.to_string()),
        }
    }
}

impl std::fmt::Display for DynoState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.name())
    }
}

impl Serialize for DynoState {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for DynoState {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(DynoState::parse(&String::deserialize(deserializer)?))
    }
}

/// `GET /apps/{app}/releases`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Release {
    pub id: String,
    pub version: u64,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub current: bool,
    pub created_at: Option<String>,
    pub slug: Option<Identity>,
    pub user: Option<Account>,
    /// Whether a rollback may go to this release.
    #[serde(default)]
    pub eligible_for_rollback: bool,
    #[serde(default)]
    pub addon_plan_names: Vec<String>,
    /// The release phase's output, while one runs.
    pub output_stream_url: Option<String>,
}

/// A reference by id alone.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Identity {
    pub id: String,
}

/// Who did it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Account {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub email: String,
}

/// `GET /apps/{app}/addons`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Addon {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub addon_service: NamedReference,
    #[serde(default)]
    pub plan: AddonPlan,
    #[serde(default)]
    pub state: String,
    pub web_url: Option<String>,
    /// The app that owns it.
    pub app: Option<NamedReference>,
    /// What the owner is billed (it overrides the plan's price).
    pub billed_price: Option<Price>,
}

/// An add-on's plan, with its price.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct AddonPlan {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub name: String,
    pub price: Option<Price>,
}

/// A price in cents per `unit` (`month`).
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Price {
    pub cents: u64,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub contract: bool,
}

/// `GET /addon-attachments`: an add-on attached to an app under a name (`DATABASE`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AddonAttachment {
    pub id: String,
    pub name: String,
    pub addon: AttachedAddon,
    pub app: NamedReference,
    pub web_url: Option<String>,
}

/// The add-on an attachment names, and the app that owns it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AttachedAddon {
    pub id: String,
    pub name: String,
    pub app: NamedReference,
}

/// `POST /apps/{app}/log-sessions`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogSession {
    pub id: String,
    pub logplex_url: String,
    pub created_at: Option<String>,
}
