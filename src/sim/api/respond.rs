//! Answers every route shares: Heroku's error body, an unknown app or endpoint, and the lookup of
//! the app a path names.

use std::sync::Arc;

use axum::Json;
use axum::extract::{FromRequestParts, Path};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use crate::sim::SimOptions;
use crate::sim::world::{SharedState, SimApp, lock};

/// Heroku's error body.
pub fn error(status: StatusCode, id: &str, message: &str) -> Response {
    (status, Json(json!({ "id": id, "message": message }))).into_response()
}

/// A boolean as clients send it: `true`/`false`, or as heroku3 does, `1`/`0`.
pub fn lenient_bool<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<bool>, D::Error> {
    use serde::Deserialize;
    let value = Option::<serde_json::Value>::deserialize(deserializer)?;
    match value {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Bool(flag)) => Ok(Some(flag)),
        Some(serde_json::Value::Number(number)) if number.as_u64().is_some_and(|n| n <= 1) => {
            Ok(Some(number.as_u64() == Some(1)))
        }
        Some(other) => Err(serde::de::Error::custom(format!("expected a boolean, found {other}"))),
    }
}

pub fn app_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that app.")
}

pub async fn unknown_endpoint() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "not_found",
        "The requested API endpoint was not found. Are you using the right HTTP verb (i.e. `GET` vs. `POST`), and did you specify your intended version with the `Accept` header?",
    )
}

/// The app a route's `{app}` names, and the world it lives in: what every `/apps/{app}/...`
/// handler starts from.
pub struct NamedApp {
    pub state: SharedState,
    pub name: String,
}

/// A route's `{app}` and the one segment after it that names something of the app (a dyno, a
/// release, an add-on...).
pub struct AppItem(pub NamedApp, pub String);

impl NamedApp {
    /// Runs `read` on the app, settled to now, or answers 404.
    pub fn with(&self, read: impl FnOnce(&mut SimApp, &SimOptions) -> Response) -> Response {
        let mut state = lock(&self.state);
        let options = state.options.clone();
        match state.app_mut(&self.name) {
            Some(app) => {
                app.settle(options.boot_delay);
                read(app, &options)
            }
            None => app_not_found(),
        }
    }
}

/// The path's segments in order: `{app}` first.
async fn segments(parts: &mut Parts, state: &SharedState) -> Result<Vec<String>, Response> {
    let Path(segments) = Path::<Vec<String>>::from_request_parts(parts, state)
        .await
        .map_err(IntoResponse::into_response)?;
    Ok(segments)
}

impl FromRequestParts<SharedState> for NamedApp {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Response> {
        let name = segments(parts, state).await?.into_iter().next().unwrap_or_default();
        Ok(NamedApp { state: Arc::clone(state), name })
    }
}

impl FromRequestParts<SharedState> for AppItem {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &SharedState) -> Result<Self, Response> {
        let mut segments = segments(parts, state).await?.into_iter();
        let name = segments.next().unwrap_or_default();
        let item = segments.next().unwrap_or_default();
        Ok(AppItem(NamedApp { state: Arc::clone(state), name }, item))
    }
}
