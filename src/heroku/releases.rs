//! The release resource: the list, and rollback (a new release that restores an old one).

use reqwest::Method;
use serde_json::json;

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::types::Release;
use crate::identifiers::AppName;

/// Every release, newest first.
pub async fn list(client: &Client, app: &AppName) -> Result<Vec<Release>, ApiError> {
    let mut releases: Vec<Release> = client.list(&ApiPath::app(app).then("releases")).await?;
    releases.sort_by_key(|release| std::cmp::Reverse(release.version));
    Ok(releases)
}

/// `POST /apps/{app}/releases {"release": ID}`: roll back to release `id`.
pub fn rollback_request(app: &AppName, release_id: &str) -> Request {
    Request::new(Method::POST, ApiPath::app(app).then("releases"))
        .with_body(json!({ "release": release_id }))
}
