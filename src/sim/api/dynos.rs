//! Dynos and formation in the simulator: list, restart, stop and scale, writing to the app's log
//! as Heroku does.

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::json;

use super::paging::page;
use super::respond::{AppItem, NamedApp, error};
use crate::sim::world::{SimApp, SimDyno};

pub async fn list(named: NamedApp, headers: HeaderMap) -> Response {
    named.with(|app, options| {
        let dynos: Vec<_> = app.dynos.iter().map(|dyno| dyno.current(options)).collect();
        page(
            &dynos,
            |dyno, field| match field {
                "name" => dyno.name.clone(),
                _ => dyno.id.clone(),
            },
            &headers,
            options.page_size,
        )
    })
}

/// `GET /apps/{app}/dynos/{dyno}`: one dyno, by name or id.
pub async fn info(AppItem(named, dyno): AppItem) -> Response {
    named.with(|app, options| match app.dynos.iter().find(|candidate| candidate.is(&dyno)) {
        Some(found) => Json(found.current(options)).into_response(),
        None => dyno_not_found(),
    })
}

/// Which dynos a request is about.
type DynoFilter = Box<dyn Fn(&SimDyno) -> bool>;

/// What `/dynos/{dyno}` names: a dyno, or (as the Heroku CLI's `ps:restart web` sends it) every
/// dyno of a process type.
fn dynos_named(app: &SimApp, dyno: &str) -> Option<DynoFilter> {
    let dyno = dyno.to_string();
    if app.dynos.iter().any(|candidate| candidate.is(&dyno)) {
        return Some(Box::new(move |candidate: &SimDyno| candidate.is(&dyno)));
    }
    has_process_type(app, &dyno)
        .then(|| Box::new(move |candidate: &SimDyno| candidate.dyno.process_type == dyno) as _)
}

fn accepted() -> Response {
    (StatusCode::ACCEPTED, Json(json!({}))).into_response()
}

fn formation_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that formation.")
}

fn has_process_type(app: &SimApp, process_type: &str) -> bool {
    app.formation.iter().any(|entry| entry.process_type == process_type)
}

fn dyno_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that dyno.")
}

/// Restarts the dynos `select` picks, logging it as Heroku does.
fn restart_where(app: &mut SimApp, select: impl Fn(&SimDyno) -> bool) {
    let names: Vec<String> =
        app.dynos.iter().filter(|dyno| select(dyno)).map(|dyno| dyno.dyno.name.clone()).collect();
    for dyno in app.dynos.iter_mut().filter(|dyno| select(dyno)) {
        dyno.restart();
    }
    for name in names {
        app.logs.write("heroku", &name, "Restarting");
        app.logs.write("heroku", &name, "State changed from up to starting");
    }
}

pub async fn restart_all(named: NamedApp) -> Response {
    named.with(|app, _| {
        restart_where(app, |_| true);
        accepted()
    })
}

pub async fn restart_formation(AppItem(named, process_type): AppItem) -> Response {
    named.with(|app, _| {
        if !has_process_type(app, &process_type) {
            return formation_not_found();
        }
        restart_where(app, |dyno| dyno.dyno.process_type == process_type);
        accepted()
    })
}

pub async fn restart_dyno(AppItem(named, dyno): AppItem) -> Response {
    named.with(|app, _| {
        let Some(select) = dynos_named(app, &dyno) else {
            return dyno_not_found();
        };
        restart_where(app, select);
        accepted()
    })
}

pub async fn stop_dyno(AppItem(named, dyno): AppItem) -> Response {
    named.with(|app, _| {
        let Some(select) = dynos_named(app, &dyno) else {
            return dyno_not_found();
        };
        let mut stopped = Vec::new();
        for found in app.dynos.iter_mut().filter(|candidate| select(candidate)) {
            found.stop();
            stopped.push(found.dyno.name.clone());
        }
        for name in stopped {
            app.logs.write("heroku", &name, "Stopping all processes with SIGTERM");
            app.logs.write("heroku", &name, "State changed from up to down");
        }
        accepted()
    })
}

pub async fn stop_formation(AppItem(named, process_type): AppItem) -> Response {
    named.with(|app, _| {
        if !has_process_type(app, &process_type) {
            return formation_not_found();
        }
        for dyno in app.dynos.iter_mut().filter(|dyno| dyno.dyno.process_type == process_type) {
            dyno.stop();
        }
        app.logs.write("heroku", &process_type, "Stopping all processes with SIGTERM");
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
    /// A number, or as the Heroku CLI sends it a string: `"3"`, or relative `"+1"`, `"-2"`.
    quantity: Option<serde_json::Value>,
    #[serde(alias = "dyno_size")]
    size: Option<String>,
}

impl FormationUpdate {
    /// The quantity asked for, from `current`; `None` when it is not a quantity at all.
    fn quantity(&self, current: u64) -> Option<Option<u64>> {
        let Some(value) = &self.quantity else {
            return Some(None);
        };
        if let Some(number) = value.as_u64() {
            return Some(Some(number));
        }
        let text = value.as_str()?.trim();
        let relative = |sign: char| text.strip_prefix(sign)?.parse::<u64>().ok();
        let quantity = match (relative('+'), relative('-')) {
            (Some(more), _) => current + more,
            (_, Some(fewer)) => current.saturating_sub(fewer),
            _ => text.parse().ok()?,
        };
        Some(Some(quantity))
    }
}

/// `PATCH /apps/{app}/formation {"updates": [{"type": "web", "quantity": 4}]}`
pub async fn scale(named: NamedApp, Json(batch): Json<BatchUpdate>) -> Response {
    named.with(|app, _| {
        if let Some(unknown) = batch.updates.iter().find(|update| {
            !app.formation.iter().any(|entry| entry.process_type == update.process_type)
        }) {
            let message = format!("Couldn't find that formation: {}.", unknown.process_type);
            return error(StatusCode::NOT_FOUND, "not_found", &message);
        }
        if let Some(wrong) = batch.updates.iter().find(|update| update.quantity(0).is_none()) {
            let message =
                format!("Invalid quantity for {}: a whole number, or +N / -N.", wrong.process_type);
            return error(StatusCode::UNPROCESSABLE_ENTITY, "invalid_params", &message);
        }
        for update in &batch.updates {
            apply(app, update);
        }
        Json(&app.formation).into_response()
    })
}

fn apply(app: &mut SimApp, update: &FormationUpdate) {
    let Some(entry) = app.formation.iter().find(|entry| entry.process_type == update.process_type)
    else {
        return;
    };
    let quantity = update.quantity(entry.quantity).flatten().unwrap_or(entry.quantity);
    app.scale(&update.process_type, quantity, update.size.as_deref());
}

/// `GET /apps/{app}/formation`
pub async fn formation_list(named: NamedApp, headers: HeaderMap) -> Response {
    named.with(|app, options| {
        page(
            &app.formation,
            |entry, field| match field {
                "type" => entry.process_type.clone(),
                _ => entry.id.clone(),
            },
            &headers,
            options.page_size,
        )
    })
}

/// `GET /apps/{app}/formation/{type}`
pub async fn formation_info(AppItem(named, process_type): AppItem) -> Response {
    named.with(|app, _| {
        match app
            .formation
            .iter()
            .find(|entry| entry.process_type == process_type || entry.id == process_type)
        {
            Some(entry) => Json(entry).into_response(),
            None => formation_not_found(),
        }
    })
}

/// What `PATCH /apps/{app}/formation/{type}` takes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OneUpdate {
    quantity: Option<serde_json::Value>,
    #[serde(alias = "dyno_size")]
    size: Option<String>,
}

/// `PATCH /apps/{app}/formation/{type} {"quantity": 2, "size": "standard-2X"}`
pub async fn formation_update(
    AppItem(named, process_type): AppItem,
    Json(update): Json<OneUpdate>,
) -> Response {
    let update = FormationUpdate { process_type, quantity: update.quantity, size: update.size };
    named.with(|app, _| {
        let Some(current) = app
            .formation
            .iter()
            .find(|entry| entry.process_type == update.process_type)
            .map(|entry| entry.quantity)
        else {
            return formation_not_found();
        };
        if update.quantity(current).is_none() {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "Invalid quantity: a whole number, or +N / -N.",
            );
        }
        apply(app, &update);
        match app.formation.iter().find(|entry| entry.process_type == update.process_type) {
            Some(entry) => Json(entry).into_response(),
            None => formation_not_found(),
        }
    })
}
