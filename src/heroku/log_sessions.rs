//! Log sessions: ask for a `logplex_url`, then read the log stream from it line by line.

use reqwest::Method;
use serde::Serialize;

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;
use super::types::LogSession;

/// What a log session asks for (the body of `POST /apps/{app}/log-sessions`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dyno_name: Option<String>,
    pub tail: bool,
}

pub async fn create(client: &Client, app: &str, request: &LogRequest) -> Result<LogSession, ApiError> {
    let body = serde_json::to_value(request).unwrap_or_default();
    let answer = client.request(Method::POST, &format!("{}/log-sessions", app_path(app)), Some(&body)).await?;
    serde_json::from_value(answer.body).map_err(|error| ApiError::Decode {
        method: "POST".into(),
        path: format!("{}/log-sessions", app_path(app)),
        reason: error.to_string(),
    })
}
