//! Sources and builds: where to upload a tarball, and the build made from it.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;

/// Where to upload a source, and where Heroku fetches it from.
#[derive(Debug, Clone, Deserialize)]
pub struct SourceBlob {
    pub get_url: String,
    pub put_url: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Build {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub output_stream_url: Option<String>,
    #[serde(default)]
    pub release: Option<super::types::Identity>,
}

pub fn create_source_request() -> (Method, String) {
    (Method::POST, "/sources".to_string())
}

pub fn create_build_request(app: &str, source_url: &str, version: &str) -> (Method, String, Value) {
    (
        Method::POST,
        format!("{}/builds", app_path(app)),
        json!({ "source_blob": { "url": source_url, "version": version } }),
    )
}

pub async fn info(client: &Client, app: &str, id: &str) -> Result<Build, ApiError> {
    client.get(&format!("{}/builds/{id}", app_path(app))).await
}
