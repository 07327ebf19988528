//! The simulator's own endpoints, under `/__sim/`: the request log, counters, and the certificate
//! of its rendezvous server.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::respond::error;
use crate::sim::world::{SharedState, lock};

pub const REQUEST_LOG_PATH: &str = "/__sim/requests";
pub const STATS_PATH: &str = "/__sim/stats";

/// The certificate of the rendezvous server (DER), for clients to trust in rehearsals.
pub async fn rendezvous_certificate(State(state): State<SharedState>) -> Response {
    match &lock(&state).rendezvous {
        Some(rendezvous) => rendezvous.certificate.clone().into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "No rendezvous server."),
    }
}

/// The same certificate in PEM, for `NODE_EXTRA_CA_CERTS` (the Heroku CLI's `heroku run`).
pub async fn rendezvous_certificate_pem(State(state): State<SharedState>) -> Response {
    match &lock(&state).rendezvous {
        Some(rendezvous) => rendezvous.certificate_pem.clone().into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "No rendezvous server."),
    }
}

/// How many API requests were in flight at once, at most, since the simulator started.
pub async fn stats(State(state): State<SharedState>) -> Json<Value> {
    let state = lock(&state);
    Json(json!({ "max_in_flight": state.max_in_flight, "requests": state.requests.len() }))
}

pub async fn request_log(State(state): State<SharedState>) -> Json<Value> {
    Json(serde_json::to_value(&lock(&state).requests).unwrap_or_default())
}
