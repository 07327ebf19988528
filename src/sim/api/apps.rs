//! Apps in the simulator: the list, info, maintenance mode and renames, config vars, add-ons.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::paging::page;
use super::respond::{AppItem, NamedApp, error};
use crate::identifiers::AppName;
use crate::sim::world::add_release;
use crate::sim::world::{SharedState, SimApp, lock};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppUpdate {
    #[serde(default, deserialize_with = "super::respond::lenient_bool")]
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
        .then(|| error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_params", "Name is already taken"))
}

/// `PATCH /apps/{app}`: maintenance mode on or off, and a new name (stack changes are refused).
pub async fn update(named: NamedApp, Json(update): Json<AppUpdate>) -> Response {
    if let Some(refusal) = update.name.as_deref().and_then(|name| refused_name(&named.state, name))
    {
        return refusal;
    }
    named.with(|app, _| {
        if update.build_stack.is_some() {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The simulator does not change stacks.",
            );
        }
        if let Some(name) = &update.name {
            app.logs.write("heroku", "api", &format!("Rename {} to {name} by user", app.app.name));
            app.app.name.clone_from(name);
            app.app.updated_at = Some(crate::sim::world::now());
        }
        if let Some(maintenance) = update.maintenance {
            app.app.maintenance = maintenance;
            app.app.updated_at = Some(crate::sim::world::now());
            let word = if maintenance { "on" } else { "off" };
            app.logs.write("heroku", "api", &format!("Maintenance mode {word} by user"));
        }
        Json(&app.app).into_response()
    })
}

/// `PATCH /apps/{app}/config-vars`: set values, `null` removes; a new release records it.
pub async fn set_config(named: NamedApp, Json(changes): Json<Map<String, Value>>) -> Response {
    named.with(|app, _| {
        if let Some(name) = changes.keys().find(|name| !is_config_name(name)) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                &format!(
                    "Invalid config var name: {name}. Names are letters, digits and underscores, not starting with a digit."
                ),
            );
        }
        if let Some((name, _)) =
            changes.iter().find(|(_, value)| !(value.is_string() || value.is_null()))
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
        app.logs.write("heroku", "api", &format!("{description} by user"));
        Json(&app.config_vars).into_response()
    })
}

pub async fn addons(named: NamedApp) -> Response {
    named.with(|app, _| Json(&app.addons).into_response())
}

/// `GET /apps/{app}/addons/{addon}`: by id or name.
pub async fn addon_info(AppItem(named, addon): AppItem) -> Response {
    named.with(|app, _| match addon_position(app, &addon) {
        Some(index) => Json(&app.addons[index]).into_response(),
        None => addon_not_found(),
    })
}

/// A name Heroku takes for a config var: letters, digits and underscores, not starting with a
/// digit.
fn is_config_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|first: char| first.is_ascii_digit())
        && name.chars().all(|character| character.is_ascii_alphanumeric() || character == '_')
}

/// `GET /apps/{app}`
pub async fn info(named: NamedApp) -> Response {
    named.with(|app, _| Json(&app.app).into_response())
}

/// `GET /apps/{app}/config-vars`
pub async fn config_vars(named: NamedApp) -> Response {
    named.with(|app, _| Json(&app.config_vars).into_response())
}

#[derive(Debug, Deserialize)]
pub struct AddonCreate {
    plan: String,
    name: Option<String>,
}

/// `POST /apps/{app}/addons {"plan": "service:plan"}`: provisioned at once.
pub async fn addon_create(named: NamedApp, Json(request): Json<AddonCreate>) -> Response {
    named.with(|app, _| {
        let service = request.plan.split(':').next().unwrap_or_default().to_string();
        if service.is_empty() {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "plan must be `service` or `service:plan`.",
            );
        }
        let plan = if request.plan.contains(':') {
            request.plan.clone()
        } else {
            format!("{service}:free")
        };
        let owner = crate::heroku::types::NamedReference {
            id: app.app.id.clone(),
            name: app.app.name.clone(),
        };
        let mut addon = crate::sim::world::new_addon(&owner, &service, &plan, 0);
        if let Some(name) = &request.name {
            addon.name.clone_from(name);
        }
        app.addons.push(addon.clone());
        add_release(app, &format!("Attach {} add-on", service.to_uppercase()), None);
        (StatusCode::CREATED, Json(addon)).into_response()
    })
}

#[derive(Debug, Deserialize)]
pub struct AddonUpdate {
    plan: String,
}

/// `PATCH /apps/{app}/addons/{addon} {"plan": "service:other"}`: a plan change.
pub async fn addon_update(
    AppItem(named, addon): AppItem,
    Json(request): Json<AddonUpdate>,
) -> Response {
    named.with(|app, _| {
        let Some(index) = addon_position(app, &addon) else {
            return addon_not_found();
        };
        let found = &mut app.addons[index];
        found.plan.name.clone_from(&request.plan);
        Json(found.clone()).into_response()
    })
}

/// `DELETE /apps/{app}/addons/{addon}`
pub async fn addon_delete(AppItem(named, addon): AppItem) -> Response {
    named.with(|app, _| {
        let Some(index) = addon_position(app, &addon) else {
            return addon_not_found();
        };
        let mut removed = app.addons.remove(index);
        removed.state = "deprovisioned".into();
        let service = removed.addon_service.name.to_uppercase();
        add_release(app, &format!("Detach {service} add-on"), None);
        Json(removed).into_response()
    })
}

/// Where the add-on a path names, by id or name, stands in the app's list.
fn addon_position(app: &SimApp, wanted: &str) -> Option<usize> {
    app.addons.iter().position(|candidate| candidate.id == wanted || candidate.name == wanted)
}

fn addon_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that add-on.")
}

#[derive(Debug, Deserialize)]
pub struct AppCreate {
    name: Option<String>,
    #[allow(dead_code, reason = "every simulated app is in one region")]
    region: Option<String>,
    #[allow(dead_code, reason = "every simulated app is on one stack")]
    stack: Option<String>,
}

/// `POST /apps`: a new app, seeded as every simulated app is (a name is made when none is given).
pub async fn create(
    State(state): State<SharedState>,
    headers: HeaderMap,
    Json(request): Json<AppCreate>,
) -> Response {
    let name = request.name.unwrap_or_else(|| format!("app-{}", &crate::sim::world::uuid()[28..]));
    if let Some(refusal) = refused_name(&state, &name) {
        return refusal;
    }
    let mut app = crate::sim::world::seed_apps(std::slice::from_ref(&name)).remove(0);
    let host = headers.get("host").and_then(|value| value.to_str().ok()).unwrap_or("127.0.0.1");
    app.app.web_url = Some(format!("http://{host}/__sim/web/{name}/"));
    let answer = Json(&app.app).into_response();
    let mut state = lock(&state);
    state.apps.push(app);
    state.mark_changed(&name);
    (StatusCode::CREATED, answer).into_response()
}

/// `DELETE /apps/{app}`
pub async fn delete(named: NamedApp) -> Response {
    let app = &named.name;
    let mut state = lock(&named.state);
    let Some(position) = state
        .apps
        .iter()
        .position(|candidate| candidate.app.name == *app || candidate.app.id == *app)
    else {
        return super::respond::app_not_found();
    };
    let removed = state.apps.remove(position);
    Json(&removed.app).into_response()
}
