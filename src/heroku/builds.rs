//! Sources and builds: where to upload a tarball, and the build made from it.

use reqwest::Method;
use serde::Deserialize;
use serde_json::json;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use crate::identifiers::{AppName, ResourceId};

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
    pub output_stream_url: Option<String>,
    pub release: Option<super::types::Identity>,
}

pub fn create_source_request() -> Request {
    Request::new(Method::POST, ApiPath::root("sources"))
}

pub fn create_build_request(app: &AppName, source_url: &str, version: &str) -> Request {
    Request::new(Method::POST, ApiPath::app(app).then("builds"))
        .with_body(json!({ "source_blob": { "url": source_url, "version": version } }))
}

pub async fn info(client: &Client, app: &AppName, id: &ResourceId) -> Result<Build, ApiError> {
    client.get(&ApiPath::app(app).then("builds").id(id)).await
}
