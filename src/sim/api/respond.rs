//! Answers every route shares: Heroku's error body, an unknown app or endpoint, and the lookup of
//! the app a path names.

use axum::Json;
use axum::http::StatusCode;
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

/// Runs `read` on the app, or answers 404.
pub fn with_app(
    state: &SharedState,
    name: &str,
    read: impl FnOnce(&mut SimApp, &SimOptions) -> Response,
) -> Response {
    let mut state = lock(state);
    let options = state.options.clone();
    match state.app_mut(name) {
        Some(app) => {
            app.settle(options.boot_delay);
            read(app, &options)
        }
        None => app_not_found(),
    }
}
