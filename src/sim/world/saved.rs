//! The simulated world as a rehearsal leaves it, saved between `--sim` runs so that an incident
//! carries over: troubleshoot, restart, troubleshoot again shows it fixed.

use serde::{Deserialize, Serialize};

use super::faults::Fault;
use super::scenario::Scenario;
use super::state::{SimApp, SimState};

/// Bumped when the saved form changes: an older file is then ignored, not misread.
const FORMAT: u32 = 2;

#[derive(Serialize, Deserialize)]
pub struct SavedWorld {
    format: u32,
    apps: Vec<SimApp>,
    pipeline_id: String,
    /// Faults not yet spent (a flaky API's remaining failures).
    faults: Vec<Fault>,
    /// The scenario the world was seeded with, for the commands it declares.
    scenario: Option<Scenario>,
    /// Since when the world differs from a fresh one, and which apps requests changed.
    changed_since: Option<String>,
    #[serde(default)]
    changed_apps: Vec<String>,
}

impl SavedWorld {
    /// The world of `state`, to save.
    pub fn of(state: &SimState) -> serde_json::Result<String> {
        #[derive(Serialize)]
        struct Borrowed<'a> {
            format: u32,
            apps: &'a [SimApp],
            pipeline_id: &'a str,
            faults: &'a [Fault],
            scenario: &'a Option<Scenario>,
            changed_since: &'a Option<String>,
            changed_apps: Vec<&'a String>,
        }
        serde_json::to_string(&Borrowed {
            format: FORMAT,
            apps: &state.apps,
            pipeline_id: &state.pipeline_id,
            faults: &state.faults,
            scenario: &state.options.scenario,
            changed_since: &state.changed_since,
            changed_apps: state.changed_apps.iter().collect(),
        })
    }

    /// A saved world from its text; `None` when it is not one this version wrote.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_str::<Self>(text).ok().filter(|saved| saved.format == FORMAT)
    }

    /// Puts the saved apps in place of the freshly seeded ones of the same name (apps no longer
    /// in `environments.yaml` are dropped, new ones stay as seeded), with the faults and scenario
    /// the world had.
    pub fn restore_into(self, state: &mut SimState) {
        let mut saved = self.apps;
        for app in &mut state.apps {
            if let Some(position) = saved.iter().position(|old| old.app.name == app.app.name) {
                let mut restored = saved.swap_remove(position);
                restored.app.web_url = app.app.web_url.clone();
                restored.app.git_url = app.app.git_url.clone();
                *app = restored;
            }
        }
        state.pipeline_id = self.pipeline_id;
        state.faults = self.faults;
        state.changed_since = self.changed_since;
        state.changed_apps = self.changed_apps.into_iter().collect();
        if state.options.scenario.is_none() {
            state.options.scenario = self.scenario;
        }
    }
}
