//! The simulator's HTTP surface: Heroku's paths, status codes, error bodies and headers.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use super::pages::page;
use super::state::{SharedState, SimApp, lock};
use super::{
    app_routes, build_routes, dyno_routes, log_routes, one_off, pipeline_routes, release_routes,
};

pub const REQUEST_LOG_PATH: &str = "/__sim/requests";
pub const STATS_PATH: &str = "/__sim/stats";
/// The largest source tarball the simulator takes (Heroku's slug limit is 500 MB).
const MAX_SOURCE_BYTES: usize = 512 * 1024 * 1024;

pub fn router(state: SharedState) -> Router {
    let api = Router::new()
        .route("/apps/{app}", get(app_info).patch(app_routes::update))
        .route(
            "/apps/{app}/dynos",
            get(dyno_routes::list)
                .delete(dyno_routes::restart_all)
                .post(one_off::create),
        )
        .route(
            "/apps/{app}/dynos/{dyno}",
            delete(dyno_routes::restart_dyno),
        )
        .route(
            "/apps/{app}/dynos/{dyno}/actions/stop",
            post(dyno_routes::stop_dyno),
        )
        .route(
            "/apps/{app}/formations/{process_type}",
            delete(dyno_routes::restart_formation),
        )
        .route(
            "/apps/{app}/formations/{process_type}/actions/stop",
            post(dyno_routes::stop_formation),
        )
        .route(
            "/apps/{app}/formation",
            get(formation_list).patch(dyno_routes::scale),
        )
        .route(
            "/apps/{app}/config-vars",
            get(config_vars).patch(app_routes::set_config),
        )
        .route("/apps/{app}/addons", get(app_routes::addons))
        .route(
            "/apps/{app}/releases",
            get(release_routes::list).post(release_routes::rollback),
        )
        .route("/apps/{app}/log-sessions", post(log_routes::create))
        .route("/apps/{app}/builds", post(build_routes::create_build))
        .route("/apps/{app}/builds/{id}", get(build_routes::build_info))
        .route("/sources", post(build_routes::create_source))
        .route(
            "/apps/{app}/pipeline-couplings",
            get(pipeline_routes::by_app),
        )
        .route(
            "/pipelines/{id}/pipeline-couplings",
            get(pipeline_routes::by_pipeline),
        )
        .route("/pipeline-promotions", post(pipeline_routes::promote))
        .route(
            "/pipeline-promotions/{id}/promotion-targets",
            get(pipeline_routes::targets),
        )
        .fallback(unknown_endpoint)
        .layer(middleware::from_fn_with_state(
            state.clone(),
            super::middleware::handle,
        ));
    Router::new()
        .route(REQUEST_LOG_PATH, get(request_log))
        .route(STATS_PATH, get(stats))
        .route("/__sim/log-streams/{id}", get(log_routes::stream))
        .route("/__sim/web/{app}/", get(super::web::home))
        .route("/__sim/web/{app}/{*path}", get(super::web::page))
        .route("/__sim/rendezvous-certificate", get(rendezvous_certificate))
        .route(
            "/__sim/sources/{id}",
            axum::routing::put(build_routes::upload_source)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_SOURCE_BYTES)),
        )
        .route("/__sim/builds/{id}/output", get(build_routes::build_output))
        .merge(api)
        .with_state(state)
}

/// Heroku's error body.
pub fn error(status: StatusCode, id: &str, message: &str) -> Response {
    (status, Json(json!({ "id": id, "message": message }))).into_response()
}

pub fn app_not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "Couldn't find that app.",
    )
}

/// The certificate of the rendezvous server (DER), for clients to trust in rehearsals.
async fn rendezvous_certificate(State(state): State<SharedState>) -> Response {
    match &lock(&state).rendezvous {
        Some(rendezvous) => rendezvous.certificate.clone().into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "No rendezvous server."),
    }
}

/// How many API requests were in flight at once, at most, since the simulator started.
async fn stats(State(state): State<SharedState>) -> Json<Value> {
    let state = lock(&state);
    Json(json!({ "max_in_flight": state.max_in_flight, "requests": state.requests.len() }))
}

async fn config_vars(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    with_app(&state, &app, |app, _| {
        Json(&app.config_vars).into_response()
    })
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
pub fn with_app(
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
