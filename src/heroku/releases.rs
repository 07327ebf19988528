//! The release resource: the list, and rollback (a new release that restores an old one).

use reqwest::Method;
use serde_json::{Value, json};

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;
use super::types::Release;

/// Every release, newest first.
pub async fn list(client: &Client, app: &str) -> Result<Vec<Release>, ApiError> {
    let mut releases: Vec<Release> = client.list(&format!("{}/releases", app_path(app))).await?;
    releases.sort_by_key(|release| std::cmp::Reverse(release.version));
    Ok(releases)
}

/// `POST /apps/{app}/releases {"release": ID}`: roll back to release `id`.
pub fn rollback_request(app: &str, release_id: &str) -> (Method, String, Option<Value>) {
    (
        Method::POST,
        format!("{}/releases", app_path(app)),
        Some(json!({ "release": release_id })),
    )
}
