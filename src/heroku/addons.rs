//! The add-on resource: Papertrail, Sentry, Scout APM and the rest, with their dashboards.

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;
use super::types::Addon;

pub async fn list(client: &Client, app: &str) -> Result<Vec<Addon>, ApiError> {
    client.list(&format!("{}/addons", app_path(app))).await
}
