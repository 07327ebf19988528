//! The config-vars resource: the app's environment, secrets included.

use std::collections::BTreeMap;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use crate::identifiers::AppName;

/// Name to value; Heroku answers `null` for a var being removed.
pub async fn get(
    client: &Client,
    app: &AppName,
) -> Result<BTreeMap<String, Option<String>>, ApiError> {
    client.get(&ApiPath::app(app).then("config-vars")).await
}

/// `PATCH /apps/{app}/config-vars {"NAME": "value", "GONE": null}`
pub fn update_request(
    app: &AppName,
    changes: serde_json::Map<String, serde_json::Value>,
) -> Request {
    Request::new(reqwest::Method::PATCH, ApiPath::app(app).then("config-vars"))
        .with_body(serde_json::Value::Object(changes))
}
