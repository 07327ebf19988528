//! The app resource.

use super::client::Client;
use super::error::ApiError;
use super::types::App;

pub fn path(app: &str) -> String {
    format!("/apps/{}", encode(app))
}

/// `PATCH /apps/{app} {"maintenance": on}`
pub fn maintenance_request(app: &str, on: bool) -> (reqwest::Method, String, serde_json::Value) {
    (
        reqwest::Method::PATCH,
        path(app),
        serde_json::json!({ "maintenance": on }),
    )
}

pub async fn info(client: &Client, app: &str) -> Result<App, ApiError> {
    client.get(&path(app)).await
}

/// Percent-encodes one path segment so that a name can never change the path's shape.
pub fn encode(segment: &str) -> String {
    let mut encoded = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}
