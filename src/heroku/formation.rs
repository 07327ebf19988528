//! The formation resource: how many dynos of each process type.

use reqwest::Method;
use serde_json::json;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::types::Formation;
use crate::identifiers::{AppName, ProcessType};

pub async fn list(client: &Client, app: &AppName) -> Result<Vec<Formation>, ApiError> {
    client.list(&ApiPath::app(app).then("formation")).await
}

/// `PATCH /apps/{app}/formation {"updates": [{"type", "quantity", "size"}]}`
pub fn scale_request(
    app: &AppName,
    process_type: &ProcessType,
    quantity: Option<i64>,
    size: Option<&str>,
) -> Request {
    let mut update = json!({ "type": process_type.as_str() });
    if let Some(quantity) = quantity {
        update["quantity"] = json!(quantity);
    }
    if let Some(size) = size {
        update["size"] = json!(size);
    }
    Request::new(Method::PATCH, ApiPath::app(app).then("formation"))
        .with_body(json!({ "updates": [update] }))
}
