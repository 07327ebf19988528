//! The world in brief, as `runbook test` checks it after a rehearsal: per app, maintenance, the
//! current release, the formation, each dyno's state as of now, and the config vars; and the
//! requests the simulator received.

use serde_json::{Map, Value, json};

use super::state::{SimApp, SimState};

/// `{"apps": {NAME: {...}}, "requests": [...]}`, dyno states as of now on the world's clock.
pub fn summary(state: &SimState) -> Value {
    let apps: Map<String, Value> =
        state.apps.iter().map(|app| (app.app.name.clone(), app_summary(state, app))).collect();
    json!({ "apps": apps, "requests": state.requests })
}

fn app_summary(state: &SimState, app: &SimApp) -> Value {
    let current =
        app.releases.iter().find(|release| release.current).or_else(|| app.releases.first());
    let dynos: Map<String, Value> = app
        .dynos
        .iter()
        .map(|dyno| {
            let now = dyno.current(&state.options);
            (now.name, Value::String(now.state.name().to_string()))
        })
        .collect();
    let formation: Map<String, Value> = app
        .formation
        .iter()
        .map(|formation| (formation.process_type.clone(), json!(formation.quantity)))
        .collect();
    json!({
        "maintenance": app.app.maintenance,
        "release": current.map(|release| format!("v{}", release.version)),
        "release_description": current.map(|release| release.description.clone()),
        "dynos": dynos,
        "formation": formation,
        "config_vars": app.config_vars,
    })
}
