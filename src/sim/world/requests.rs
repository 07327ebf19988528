//! The log of requests the simulator received, which rehearsals show and tests read.

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
