//! The log of requests the simulator received, which rehearsals show and tests read.

use axum::extract::Request;
use axum::http::HeaderMap;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    pub status: u16,
    pub request_id: String,
    pub user_agent: Option<String>,
    pub accept: Option<String>,
    pub range: Option<String>,
    /// The JSON body, when the request had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<serde_json::Value>,
}

impl LoggedRequest {
    /// The request as it arrived; its status is filled in when the answer is ready.
    pub fn of(request: &Request) -> Self {
        let headers = request.headers();
        Self {
            method: request.method().to_string(),
            path: request.uri().path().to_string(),
            status: 0,
            request_id: super::seed::uuid(),
            user_agent: header_text(headers, "user-agent"),
            accept: header_text(headers, "accept"),
            range: header_text(headers, "range"),
            body: None,
        }
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(String::from)
}
