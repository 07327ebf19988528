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
}
