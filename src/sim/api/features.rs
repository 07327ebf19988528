//! An app's features (`preboot`, `runtime-dyno-metadata`...): listed, read, turned on or off.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::account::id_of;
use super::respond::{AppItem, NamedApp, error};
use crate::sim::world::SimApp;

fn feature(app: &SimApp, name: &str, enabled: bool) -> Value {
    json!({
        "id": id_of(&format!("feature/{name}")),
        "name": name,
        "enabled": enabled,
        "state": "general",
        "description": format!("The `{name}` feature of the app."),
        "doc_url": format!("https://devcenter.heroku.com/articles/{name}"),
        "display_name": name,
        "feedback_email": "",
        "created_at": app.app.created_at,
        "updated_at": app.app.updated_at,
    })
}

/// `GET /apps/{app}/features`
pub async fn list(named: NamedApp) -> Response {
    named.with(|app, _| {
        let all: Vec<Value> =
            app.features.iter().map(|(name, enabled)| feature(app, name, *enabled)).collect();
        Json(all).into_response()
    })
}

/// `GET /apps/{app}/features/{name or id}`
pub async fn info(AppItem(named, wanted): AppItem) -> Response {
    named.with(|app, _| match find(app, &wanted) {
        Some(position) => {
            let (name, enabled) = app.features[position].clone();
            Json(feature(app, &name, enabled)).into_response()
        }
        None => not_found(),
    })
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureUpdate {
    #[serde(deserialize_with = "super::respond::lenient_bool")]
    enabled: Option<bool>,
}

/// `PATCH /apps/{app}/features/{name or id} {"enabled": true}`
pub async fn update(
    AppItem(named, wanted): AppItem,
    Json(update): Json<FeatureUpdate>,
) -> Response {
    named.with(|app, _| match find(app, &wanted) {
        Some(position) => {
            if let Some(enabled) = update.enabled {
                app.features[position].1 = enabled;
            }
            let (name, enabled) = app.features[position].clone();
            Json(feature(app, &name, enabled)).into_response()
        }
        None => not_found(),
    })
}

fn find(app: &SimApp, wanted: &str) -> Option<usize> {
    app.features
        .iter()
        .position(|(name, _)| name == wanted || id_of(&format!("feature/{name}")) == wanted)
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that feature.")
}
