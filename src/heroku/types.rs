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
    #[serde(default)]
    pub web_url: Option<String>,
    #[serde(default)]
    pub git_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub released_at: Option<String>,
    #[serde(default)]
    pub region: Option<NamedReference>,
    #[serde(default)]
    pub stack: Option<NamedReference>,
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
    #[serde(default)]
    pub attach_url: Option<String>,
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
    pub app: Option<NamedReference>,
    #[serde(default)]
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
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub updated_at: Option<String>,
    #[serde(default)]
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
    #[serde(default)]
    pub created_at: Option<String>,
    #[serde(default)]
    pub slug: Option<Identity>,
    #[serde(default)]
    pub user: Option<Account>,
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
    pub plan: NamedReference,
    #[serde(default)]
    pub state: String,
    #[serde(default)]
    pub web_url: Option<String>,
}

/// `POST /apps/{app}/log-sessions`
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LogSession {
    pub id: String,
    pub logplex_url: String,
    #[serde(default)]
    pub created_at: Option<String>,
}
