//! Incident scenarios for rehearsals: a YAML file that sets up what went wrong (crashed dynos, slow
//! requests, a bad release, a flaky API) on the rehearsal's app, or on the apps it names.

use std::collections::BTreeMap;

use std::path::Path;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Its name (the file's, without `.yaml`), for the rehearsal's header.
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub description: String,
    /// The apps it is set up on; when none, the rehearsal's app (`sim serve`: every app).
    #[serde(default)]
    pub apps: Vec<String>,
    /// Process type to the state all its dynos are in (`web: crashed`).
    #[serde(default)]
    pub dynos: BTreeMap<String, String>,
    /// Requests time out (H12) until web runs at least `SLOW_UNTIL_WEB` dynos.
    #[serde(default)]
    pub slow: bool,
    /// A new release with this description makes the app fail (half its requests answer 500)
    /// while its code is current.
    pub bad_release: Option<String>,
    /// The next deploy (a build) makes a release whose code fails as `bad_release`'s does.
    #[serde(default)]
    pub bad_deploy: bool,
    /// Requests time out (H12) for this long after the scenario is set up, then the app
    /// recovers by itself (`90s`).
    pub slow_for: Option<String>,
    /// Dynos per process type to start with (`web: 4`).
    #[serde(default)]
    pub formation: BTreeMap<String, u64>,
    /// Process types (`web`) or dynos (`web.3`) that crash as they boot (after any restart), as
    /// a broken config or a bad host does.
    #[serde(default)]
    pub boot_crashes: Vec<String>,
    /// Faults as `sim serve --fault` takes them; `{app}` stands for each app.
    #[serde(default)]
    pub faults: Vec<String>,
    /// What one-off commands print and how they end (`"python manage.py clear_cache": {output:
    /// "Cache cleared.", status: 0}`).
    #[serde(default)]
    pub commands: Commands,
}

/// One-off commands a scenario declares, by the command line as run.
pub type Commands = BTreeMap<String, DeclaredCommand>;

/// What a declared command prints, and its exit status.
#[derive(Debug, Clone, Default, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredCommand {
    #[serde(default)]
    pub output: String,
    #[serde(default)]
    pub status: i32,
}

/// Web dynos needed for a slow app to keep up.
pub const SLOW_UNTIL_WEB: u64 = 4;

/// Why a scenario cannot be set up: not found, not readable as one, or a value in it wrong.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("no scenario `{wanted}` (looked for {}); known: {}", looked.display(), listed(known))]
    NotFound { wanted: String, looked: std::path::PathBuf, known: Vec<String> },
    /// The text is not a scenario (serde's words, with its line and column).
    #[error("{0}")]
    NotAScenario(String),
    #[error("{}: {error}", path.display())]
    InFile { path: std::path::PathBuf, error: Box<ScenarioError> },
    #[error("slow_for: {0}")]
    SlowFor(crate::duration::DurationError),
    #[error(transparent)]
    Fault(#[from] super::faults::NotAFault),
}

fn listed(known: &[String]) -> String {
    if known.is_empty() { "none".into() } else { known.join(", ") }
}

impl Scenario {
    pub fn parse(text: &str) -> Result<Self, ScenarioError> {
        serde_saphyr::from_str(text).map_err(|error| ScenarioError::NotAScenario(error.to_string()))
    }

    /// `wanted` as a file, or as `folder/NAME.yaml`.
    pub fn load(wanted: &str, folder: &Path) -> Result<Self, ScenarioError> {
        let direct = Path::new(wanted);
        let path = if direct.is_file() {
            direct.to_path_buf()
        } else {
            folder.join(format!("{wanted}.yaml"))
        };
        let text = std::fs::read_to_string(&path).map_err(|_| ScenarioError::NotFound {
            wanted: wanted.to_string(),
            looked: path.clone(),
            known: known(folder),
        })?;
        let mut scenario = Self::parse(&text).map_err(|error| ScenarioError::InFile {
            path: path.clone(),
            error: Box::new(error),
        })?;
        if scenario.name.is_empty() {
            scenario.name = path
                .file_stem()
                .map_or_else(|| wanted.to_string(), |stem| stem.to_string_lossy().into_owned());
        }
        Ok(scenario)
    }
}

/// The scenario names in `folder`.
pub fn known(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            entry.path().file_stem().and_then(|stem| stem.to_str()).map(String::from)
        })
        .collect();
    names.sort();
    names
}
