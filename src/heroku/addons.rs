//! The add-on resource: Papertrail, Sentry, Scout APM and the rest, with their dashboards.

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::types::Addon;
use crate::identifiers::AppName;

pub async fn list(client: &Client, app: &AppName) -> Result<Vec<Addon>, ApiError> {
    client.list(&ApiPath::app(app).then("addons")).await
}
