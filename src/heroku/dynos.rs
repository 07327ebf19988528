//! The dyno resource: list, and the three restarts (all, one process type, one dyno).

use reqwest::Method;

use super::apps::{encode, path as app_path};
use super::client::Client;
use super::error::ApiError;
use super::types::Dyno;

pub async fn list(client: &Client, app: &str) -> Result<Vec<Dyno>, ApiError> {
    client.list(&format!("{}/dynos", app_path(app))).await
}

/// A restart as a request, so that a dry-run can show it without sending it.
pub fn restart_request(app: &str, process_type: Option<&str>) -> (Method, String) {
    match process_type {
        None => (Method::DELETE, format!("{}/dynos", app_path(app))),
        Some(process_type) => (
            Method::DELETE,
            format!("{}/formations/{}", app_path(app), encode(process_type)),
        ),
    }
}

pub fn restart_dyno_request(app: &str, dyno: &str) -> (Method, String) {
    (
        Method::DELETE,
        format!("{}/dynos/{}", app_path(app), encode(dyno)),
    )
}

pub fn stop_request(app: &str, process_type: &str) -> (Method, String) {
    (
        Method::POST,
        format!(
            "{}/formations/{}/actions/stop",
            app_path(app),
            encode(process_type)
        ),
    )
}

pub fn stop_dyno_request(app: &str, dyno: &str) -> (Method, String) {
    (
        Method::POST,
        format!("{}/dynos/{}/actions/stop", app_path(app), encode(dyno)),
    )
}

/// `POST /apps/{app}/dynos {"command", "attach": false, "type": "run"}`: a detached one-off dyno.
pub fn run_request(
    app: &str,
    command: &str,
    size: Option<&str>,
) -> (Method, String, serde_json::Value) {
    let mut body = serde_json::json!({ "command": command, "attach": false, "type": "run" });
    if let Some(size) = size {
        body["size"] = serde_json::json!(size);
    }
    (Method::POST, format!("{}/dynos", app_path(app)), body)
}
