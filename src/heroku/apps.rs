//! The app resource.

use reqwest::Method;
use serde_json::json;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::types::App;
use crate::identifiers::AppName;

/// `PATCH /apps/{app} {"maintenance": on}`
pub fn maintenance_request(app: &AppName, on: bool) -> Request {
    Request::new(Method::PATCH, ApiPath::app(app)).with_body(json!({ "maintenance": on }))
}

pub async fn info(client: &Client, app: &AppName) -> Result<App, ApiError> {
    client.get(&ApiPath::app(app)).await
}
