//! `heroku.app`: the app's maintenance mode, web URL, region and last release time.

use super::one_get::OneGet;
use crate::heroku::types::App;
use crate::heroku::{Client, apps};
use crate::ops::argument_sets::AppOnly;
use crate::ops::outcome::OperationError;

pub struct AppInfo;

impl OneGet for AppInfo {
    type Arguments = AppOnly;
    type Answer = App;

    async fn get(&self, reader: &Client, arguments: &AppOnly) -> Result<App, OperationError> {
        Ok(apps::info(reader, &arguments.app).await?)
    }

    fn summary(&self, info: &App) -> String {
        let maintenance = if info.maintenance { "on" } else { "off" };
        format!(
            "{}: maintenance {maintenance}, {}",
            info.name,
            info.web_url.as_deref().unwrap_or("no web URL")
        )
    }
}
