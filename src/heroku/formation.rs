//! The formation resource: how many dynos of each process type.

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;
use super::types::Formation;

pub async fn list(client: &Client, app: &str) -> Result<Vec<Formation>, ApiError> {
    client.list(&format!("{}/formation", app_path(app))).await
}
