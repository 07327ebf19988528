//! The dyno resource: list, restarts (all, one process type, one dyno), stops and one-off dynos.

use reqwest::Method;
use serde_json::json;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::types::Dyno;
use crate::identifiers::{AppName, DynoName, ProcessType};

pub async fn list(client: &Client, app: &AppName) -> Result<Vec<Dyno>, ApiError> {
    client.list(&ApiPath::app(app).then("dynos")).await
}

/// `DELETE /apps/{app}/dynos`, or `DELETE /apps/{app}/formations/{type}` for one process type.
pub fn restart_request(app: &AppName, process_type: Option<&ProcessType>) -> Request {
    let path = match process_type {
        None => ApiPath::app(app).then("dynos"),
        Some(process_type) => ApiPath::app(app).then("formations").id(process_type),
    };
    Request::new(Method::DELETE, path)
}

pub fn restart_dyno_request(app: &AppName, dyno: &DynoName) -> Request {
    Request::new(Method::DELETE, ApiPath::app(app).then("dynos").id(dyno))
}

pub fn stop_request(app: &AppName, process_type: &ProcessType) -> Request {
    let path = ApiPath::app(app).then("formations").id(process_type).then("actions").then("stop");
    Request::new(Method::POST, path)
}

pub fn stop_dyno_request(app: &AppName, dyno: &DynoName) -> Request {
    let path = ApiPath::app(app).then("dynos").id(dyno).then("actions").then("stop");
    Request::new(Method::POST, path)
}

/// `POST /apps/{app}/dynos {"command", "attach", "type": "run"}`: a one-off dyno.
pub fn one_off_request(app: &AppName, body: serde_json::Value) -> Request {
    Request::new(Method::POST, ApiPath::app(app).then("dynos")).with_body(body)
}

/// The body of a detached one-off dyno (`heroku run:detached`).
pub fn detached_body(command: &str, size: Option<&str>) -> serde_json::Value {
    let mut body = json!({ "command": command, "attach": false, "type": "run" });
    if let Some(size) = size {
        body["size"] = json!(size);
    }
    body
}
