//! Dynos and formation in the simulator: list, restart, stop and scale, writing to the app's log
//! as Heroku does.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::paging::page;
use super::respond::{error, with_app};
use crate::sim::world::{SharedState, SimApp, SimDyno};

pub async fn list(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_app(&state, &app, |app, options| {
        let dynos: Vec<_> = app.dynos.iter().map(|dyno| dyno.current(options)).collect();
        page(&dynos, |dyno| dyno.id.as_str(), &headers, options.page_size)
    })
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, Json(json!({}))).into_response()
}

fn formation_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "Couldn't find that formation.",
    )
}

fn has_process_type(app: &SimApp, process_type: &str) -> bool {
    app.formation
        .iter()
        .any(|entry| entry.process_type == process_type)
}

fn dyno_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "Couldn't find that dyno.",
    )
}

/// Restarts the dynos `select` picks, logging it as Heroku does.
fn restart_where(app: &mut SimApp, select: impl Fn(&SimDyno) -> bool) {
    let names: Vec<String> = app
        .dynos
        .iter()
        .filter(|dyno| select(dyno))
        .map(|dyno| dyno.dyno.name.clone())
        .collect();
    for dyno in app.dynos.iter_mut().filter(|dyno| select(dyno)) {
        dyno.restart();
    }
    for name in names {
        app.logs.write("heroku", &name, "Restarting");
        app.logs
            .write("heroku", &name, "State changed from up to starting");
    }
}

pub async fn restart_all(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| {
        restart_where(app, |_| true);
        accepted()
    })
}

pub async fn restart_formation(
    State(state): State<SharedState>,
    Path((app, process_type)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if !has_process_type(app, &process_type) {
            return formation_not_found();
        }
        restart_where(app, |dyno| dyno.dyno.process_type == process_type);
        accepted()
    })
}

pub async fn restart_dyno(
    State(state): State<SharedState>,
    Path((app, dyno)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if !app.dynos.iter().any(|candidate| candidate.is(&dyno)) {
            return dyno_not_found();
        }
        restart_where(app, |candidate| candidate.is(&dyno));
        accepted()
    })
}

pub async fn stop_dyno(
    State(state): State<SharedState>,
    Path((app, dyno)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        match app.dynos.iter_mut().find(|candidate| candidate.is(&dyno)) {
            Some(found) => {
                found.stop();
                let name = found.dyno.name.clone();
                app.logs
                    .write("heroku", &name, "Stopping all processes with SIGTERM");
                app.logs
                    .write("heroku", &name, "State changed from up to down");
                accepted()
            }
            None => dyno_not_found(),
        }
    })
}

pub async fn stop_formation(
    State(state): State<SharedState>,
    Path((app, process_type)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if !has_process_type(app, &process_type) {
            return formation_not_found();
        }
        for dyno in app
            .dynos
            .iter_mut()
            .filter(|dyno| dyno.dyno.process_type == process_type)
        {
            dyno.stop();
        }
        app.logs.write(
            "heroku",
            &process_type,
            "Stopping all processes with SIGTERM",
        );
        accepted()
    })
}

#[derive(Debug, Deserialize)]
pub struct BatchUpdate {
    updates: Vec<FormationUpdate>,
}

#[derive(Debug, Deserialize)]
struct FormationUpdate {
    #[serde(rename = "type")]
    process_type: String,
    quantity: Option<u64>,
    size: Option<String>,
}

/// `PATCH /apps/{app}/formation {"updates": [{"type": "web", "quantity": 4}]}`
pub async fn scale(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    Json(batch): Json<BatchUpdate>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if let Some(unknown) = batch.updates.iter().find(|update| {
            !app.formation
                .iter()
                .any(|entry| entry.process_type == update.process_type)
        }) {
            let message = format!("Couldn't find that formation: {}.", unknown.process_type);
            return error(StatusCode::NOT_FOUND, "not_found", &message);
        }
        for update in &batch.updates {
            apply(app, update);
        }
        Json(&app.formation).into_response()
    })
}

fn apply(app: &mut SimApp, update: &FormationUpdate) {
    let Some(entry) = app
        .formation
        .iter_mut()
        .find(|entry| entry.process_type == update.process_type)
    else {
        return;
    };
    if let Some(size) = &update.size {
        entry.size = size.clone();
    }
    let quantity = update.quantity.unwrap_or(entry.quantity);
    entry.quantity = quantity;
    entry.updated_at = Some(crate::sim::world::now());
    let template = app
        .dynos
        .iter()
        .find(|dyno| dyno.dyno.process_type == update.process_type)
        .map(|dyno| dyno.dyno.clone());
    let (size, process_type) = (entry.size.clone(), entry.process_type.clone());
    app.dynos
        .retain(|dyno| dyno.dyno.process_type != process_type || dyno.number() <= quantity);
    for number in 1..=quantity {
        if app
            .dynos
            .iter()
            .any(|dyno| dyno.dyno.process_type == process_type && dyno.number() == number)
        {
            continue;
        }
        if let Some(mut dyno) = template.clone() {
            dyno.id = crate::sim::world::uuid();
            dyno.name = format!("{process_type}.{number}");
            let mut started = SimDyno {
                dyno,
                restarted_at: None,
            };
            started.restart();
            app.dynos.push(started);
        }
    }
    for dyno in app
        .dynos
        .iter_mut()
        .filter(|dyno| dyno.dyno.process_type == process_type)
    {
        dyno.dyno.size = size.clone();
    }
    app.logs.write(
        "heroku",
        "api",
        &format!("Scaled to {process_type}@{quantity}:{size} by user"),
    );
}

/// `GET /apps/{app}/formation`
pub async fn formation_list(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_app(&state, &app, |app, options| {
        page(
            &app.formation,
            |entry| entry.id.as_str(),
            &headers,
            options.page_size,
        )
    })
}
