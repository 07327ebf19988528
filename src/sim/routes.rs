//! The simulator's HTTP surface: Heroku's paths, status codes, error bodies and headers.

use axum::extract::{Path, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::pages::page;
use super::request_log::LoggedRequest;
use super::state::{SharedState, SimApp, lock};

pub const REQUEST_LOG_PATH: &str = "/__sim/requests";
const RATE_LIMIT: u64 = 4500;

pub fn router(state: SharedState) -> Router {
    let api = Router::new()
        .route("/apps/{app}", get(app_info))
        .route("/apps/{app}/dynos", get(dyno_list).delete(restart_all))
        .route("/apps/{app}/dynos/{dyno}", delete(restart_dyno))
        .route(
            "/apps/{app}/formations/{process_type}",
            delete(restart_formation),
        )
        .route("/apps/{app}/formation", get(formation_list))
        .fallback(unknown_endpoint)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            authenticate_and_log,
        ));
    Router::new()
        .route(REQUEST_LOG_PATH, get(request_log))
        .merge(api)
        .with_state(state)
}

/// Heroku's error body.
fn error(status: StatusCode, id: &str, message: &str) -> Response {
    (status, Json(json!({ "id": id, "message": message }))).into_response()
}

fn app_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "Couldn't find that app.",
    )
}

/// Checks the bearer token, adds `Request-Id` and `RateLimit-Remaining`, and logs the request.
async fn authenticate_and_log(
    State(state): State<SharedState>,
    request: Request,
    next: Next,
) -> Response {
    let method = request.method().to_string();
    let path = request.uri().path().to_string();
    let headers = request.headers();
    let user_agent = header_text(headers, "user-agent");
    let accept = header_text(headers, "accept");
    let range = header_text(headers, "range");
    let token = request
        .headers()
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|token| !token.is_empty())
        .map(String::from);
    let expected = lock(&state).options.api_key.clone();
    let mut response = match (token, expected) {
        (None, _) => error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "There were no credentials in your `Authorization` header. Try `Authorization: Bearer <api-key>`.",
        ),
        (Some(token), Some(expected)) if token != expected => error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "Invalid credentials provided.",
        ),
        _ => next.run(request).await,
    };
    let request_id = super::seed::uuid();
    let mut state = lock(&state);
    state.request_count += 1;
    let remaining = RATE_LIMIT.saturating_sub(state.request_count).max(1);
    state.requests.push(LoggedRequest {
        method,
        path,
        status: response.status().as_u16(),
        request_id: request_id.clone(),
        user_agent,
        accept,
        range,
    });
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        headers.insert("request-id", value);
    }
    headers.insert("ratelimit-remaining", HeaderValue::from(remaining));
    response
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(String::from)
}

async fn request_log(State(state): State<SharedState>) -> Json<Value> {
    Json(serde_json::to_value(&lock(&state).requests).unwrap_or_default())
}

async fn unknown_endpoint() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?",
    )
}

/// Runs `read` on the app, or answers 404.
fn with_app(
    state: &SharedState,
    name: &str,
    read: impl FnOnce(&mut SimApp, &super::SimOptions) -> Response,
) -> Response {
    let mut state = lock(state);
    let options = state.options.clone();
    match state.app_mut(name) {
        Some(app) => read(app, &options),
        None => app_not_found(),
    }
}

async fn app_info(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| Json(&app.app).into_response())
}

async fn dyno_list(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_app(&state, &app, |app, options| {
        let dynos: Vec<_> = app.dynos.iter().map(|dyno| dyno.current(options)).collect();
        page(&dynos, |dyno| dyno.id.as_str(), &headers, options.page_size)
    })
}

async fn formation_list(
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

fn accepted() -> Response {
    (StatusCode::ACCEPTED, Json(json!({}))).into_response()
}

async fn restart_all(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| {
        app.dynos
            .iter_mut()
            .for_each(super::state::SimDyno::restart);
        accepted()
    })
}

async fn restart_formation(
    State(state): State<SharedState>,
    Path((app, process_type)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        if !app
            .formation
            .iter()
            .any(|entry| entry.process_type == process_type)
        {
            return error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Couldn't find that formation.",
            );
        }
        app.dynos
            .iter_mut()
            .filter(|dyno| dyno.dyno.process_type == process_type)
            .for_each(super::state::SimDyno::restart);
        accepted()
    })
}

async fn restart_dyno(
    State(state): State<SharedState>,
    Path((app, dyno)): Path<(String, String)>,
) -> Response {
    with_app(&state, &app, |app, _| {
        match app
            .dynos
            .iter_mut()
            .find(|candidate| candidate.dyno.name == dyno || candidate.dyno.id == dyno)
        {
            Some(found) => {
                found.restart();
                accepted()
            }
            None => error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Couldn't find that dyno.",
            ),
        }
    })
}
