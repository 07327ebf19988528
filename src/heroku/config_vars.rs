//! The config-vars resource: the app's environment, secrets included.

use std::collections::BTreeMap;

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;

/// Name to value; Heroku answers `null` for a var being removed.
pub async fn get(client: &Client, app: &str) -> Result<BTreeMap<String, Option<String>>, ApiError> {
    client.get(&format!("{}/config-vars", app_path(app))).await
}

/// `PATCH /apps/{app}/config-vars {"NAME": "value", "GONE": null}`
pub fn update_request(
    app: &str,
    changes: serde_json::Map<String, serde_json::Value>,
) -> (reqwest::Method, String, serde_json::Value) {
    (
        reqwest::Method::PATCH,
        format!("{}/config-vars", app_path(app)),
        serde_json::Value::Object(changes),
    )
}
