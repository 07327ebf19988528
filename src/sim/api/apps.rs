//! Apps in the simulator: the list, info, maintenance mode and renames, config vars, add-ons.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::paging::page;
use super::respond::{error, with_app};
use crate::identifiers::AppName;
use crate::sim::world::add_release;
use crate::sim::world::{SharedState, lock};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppUpdate {
    maintenance: Option<bool>,
    name: Option<String>,
    build_stack: Option<String>,
}

/// `GET /apps`: every app of the world, paged by `name` or `id` as the `Range` asks.
pub async fn list(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let state = lock(&state);
    let apps: Vec<&crate::heroku::types::App> = state.apps.iter().map(|app| &app.app).collect();
    page(
        &apps,
        |app, field| match field {
            "name" => app.name.clone(),
            _ => app.id.clone(),
        },
        &headers,
        state.options.page_size,
    )
}

/// Why a new name cannot be the app's: not one Heroku takes, or another app's.
fn refused_name(state: &SharedState, name: &str) -> Option<Response> {
    if AppName::parse(name).is_err() || name.len() > 30 || name.contains('.') {
        return Some(error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_params",
            "Name must start with a letter, end with a letter or digit and can only contain lowercase letters, digits, and dashes.",
        ));
    }
    lock(state)
        .apps
        .iter()
        .any(|app| app.app.name == name)
        .then(|| {
            error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "Name is already taken",
            )
        })
}

/// `PATCH /apps/{app}`: maintenance mode on or off, and a new name (stack changes are refused).
pub async fn update(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    Json(update): Json<AppUpdate>,
) -> Response {
    if let Some(refusal) = update
        .name
        .as_deref()
        .and_then(|name| refused_name(&state, name))
    {
        return refusal;
    }
    with_app(&state, &app, |app, _| {
        if update.build_stack.is_some() {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The simulator does not change stacks.",
            );
        }
        if let Some(name) = &update.name {
            app.logs.write(
                "heroku",
                "api",
                &format!("Rename {} to {name} by user", app.app.name),
            );
            app.app.name.clone_from(name);
            app.app.updated_at = Some(crate::sim::world::now());
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

/// `GET /apps/{app}/addons/{addon}`: by id or name.
pub async fn addon_info(
    State(state): State<SharedState>,
    Path((app, addon)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        match app
            .addons
            .iter()
            .find(|candidate| candidate.id == addon || candidate.name == addon)
        {
            Some(found) => Json(found).into_response(),
            None => error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Couldn't find that add-on.",
            ),
        }
    })
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
