//! The simulated apps' own web traffic (their `web_url`): what a visitor gets, healthy or not.

use crate::heroku::types::DynoState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use crate::sim::world::{SharedState, lock};

pub async fn page(
    State(state): State<SharedState>,
    Path(path): Path<(String, String)>,
) -> Response {
    answer(&state, &path.0)
}

pub async fn home(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    answer(&state, &app)
}

fn answer(state: &SharedState, name: &str) -> Response {
    let mut state = lock(state);
    let options = state.options.clone();
    let Some(app) = state.app_mut(name) else {
        return (StatusCode::NOT_FOUND, Html("<h1>No such app</h1>")).into_response();
    };
    let web: Vec<DynoState> = app
        .dynos
        .iter()
        .filter(|dyno| dyno.dyno.process_type == "web")
        .map(|dyno| dyno.current(&options).state)
        .collect();
    let serving = web.contains(&DynoState::Up);
    let failing = app.failing();
    if app.app.maintenance {
        return (StatusCode::SERVICE_UNAVAILABLE, Html("<h1>Offline for Maintenance</h1>"))
            .into_response();
    }
    if !serving {
        return (StatusCode::SERVICE_UNAVAILABLE, Html("<h1>Application Error</h1>"))
            .into_response();
    }
    if failing {
        return (StatusCode::INTERNAL_SERVER_ERROR, Html("<h1>Server Error (500)</h1>"))
            .into_response();
    }
    if app.slow_now() {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            Html("<h1>Application Error (request timeout)</h1>"),
        )
            .into_response();
    }
    (StatusCode::OK, Html("<h1>La Zona connector</h1>")).into_response()
}
