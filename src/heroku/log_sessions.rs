//! Log sessions: ask for a `logplex_url`, then read the log stream from it line by line.

use std::time::Duration;

use reqwest::Method;
use serde::Serialize;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::types::LogSession;
use crate::identifiers::AppName;

/// What a log session asks for (the body of `POST /apps/{app}/log-sessions`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct LogRequest {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// A dyno or a process type, sent as `dyno` as the Heroku CLI does for cedar apps (the
    /// schema's `dyno_name` is for fir apps).
    #[serde(rename = "dyno", skip_serializing_if = "Option::is_none")]
    pub dyno_name: Option<String>,
    pub tail: bool,
}

pub async fn create(
    client: &Client,
    app: &AppName,
    request: &LogRequest,
) -> Result<LogSession, ApiError> {
    let body = serde_json::to_value(request).unwrap_or_default();
    let path = ApiPath::app(app).then("log-sessions");
    let answer = client.request(&Request::new(Method::POST, path.clone()).with_body(body)).await?;
    serde_json::from_value(answer.body).map_err(|error| ApiError::Decode {
        method: "POST".into(),
        path: path.to_string(),
        reason: error.to_string(),
    })
}

/// Opens the stream of a session. The `logplex_url` carries its own token: no API credentials go
/// there, and it is only ever read. Connecting and the start of the answer take at most `idle`.
pub async fn open_stream(url: &str, idle: Duration) -> Result<reqwest::Response, ApiError> {
    let unreachable = |reason: String| ApiError::Unreachable { url: url.to_string(), reason };
    let client = super::client::builder_for(url)
        .connect_timeout(idle)
        .build()
        .map_err(|error| unreachable(error.to_string()))?;
    let response = tokio::time::timeout(idle, client.get(url).send())
        .await
        .map_err(|_| unreachable(format!("no answer within {}", humantime::format_duration(idle))))?
        .map_err(|error| unreachable(error.to_string()))?;
    if !response.status().is_success() {
        return Err(ApiError::Api {
            status: response.status().as_u16(),
            id: "log_stream".into(),
            message: format!("the log stream answered {}", response.status()),
            url: None,
            request_id: None,
        });
    }
    Ok(response)
}
