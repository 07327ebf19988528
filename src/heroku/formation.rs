//! The formation resource: how many dynos of each process type.

use reqwest::Method;
use serde_json::{Value, json};

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;
use super::types::Formation;

pub async fn list(client: &Client, app: &str) -> Result<Vec<Formation>, ApiError> {
    client.list(&format!("{}/formation", app_path(app))).await
}

/// `PATCH /apps/{app}/formation {"updates": [{"type", "quantity", "size"}]}`
pub fn scale_request(
    app: &str,
    process_type: &str,
    quantity: Option<i64>,
    size: Option<&str>,
) -> (Method, String, Value) {
    let mut update = json!({ "type": process_type });
    if let Some(quantity) = quantity {
        update["quantity"] = json!(quantity);
    }
    if let Some(size) = size {
        update["size"] = json!(size);
    }
    (
        Method::PATCH,
        format!("{}/formation", app_path(app)),
        json!({ "updates": [update] }),
    )
}
