//! App settings in the simulator: maintenance mode, config vars, add-ons.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::respond::{error, with_app};
use crate::sim::world::SharedState;
use crate::sim::world::add_release;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppUpdate {
    maintenance: Option<bool>,
    name: Option<String>,
    build_stack: Option<String>,
}

/// `PATCH /apps/{app}`: maintenance mode on or off (renames and stack changes are refused here).
pub async fn update(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    Json(update): Json<AppUpdate>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if update.name.is_some() || update.build_stack.is_some() {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The simulator changes only `maintenance`.",
            );
        }
        if let Some(maintenance) = update.maintenance {
            app.app.maintenance = maintenance;
            app.app.updated_at = Some(crate::sim::world::now());
            let word = if maintenance { "on" } else { "off" };
            app.logs
                .write("heroku", "api", &format!("Maintenance mode {word} by user"));
        }
        Json(&app.app).into_response()
    })
}

/// `PATCH /apps/{app}/config-vars`: set values, `null` removes; a new release records it.
pub async fn set_config(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    Json(changes): Json<Map<String, Value>>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if let Some((name, _)) = changes
            .iter()
            .find(|(_, value)| !(value.is_string() || value.is_null()))
        {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                &format!("Config var {name} must be a string or null."),
            );
        }
        for (name, value) in &changes {
            match value.as_str() {
                Some(text) => app.config_vars.insert(name.clone(), text.to_string()),
                None => app.config_vars.remove(name),
            };
        }
        let names: Vec<&str> = changes.keys().map(String::as_str).collect();
        let description = format!("Set {} config vars", names.join(", "));
        add_release(app, &description, None);
        app.logs
            .write("heroku", "api", &format!("{description} by user"));
        Json(&app.config_vars).into_response()
    })
}

pub async fn addons(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| Json(&app.addons).into_response())
}

/// `GET /apps/{app}`
pub async fn info(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| Json(&app.app).into_response())
}

/// `GET /apps/{app}/config-vars`
pub async fn config_vars(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| {
        Json(&app.config_vars).into_response()
    })
}
