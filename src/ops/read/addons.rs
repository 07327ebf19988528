//! `heroku.addons`: the app's add-ons (Papertrail, Sentry, Scout APM...) with their dashboards.

use super::one_get::{Answered, OneGet};
use crate::heroku::types::Addon;
use crate::heroku::{Client, addons};
use crate::ops::argument_sets::AppOnly;

pub struct Addons;

impl OneGet for Addons {
    type Arguments = AppOnly;
    type Answer = Vec<Addon>;

    async fn get(&self, reader: &Client, arguments: &AppOnly) -> Answered<Self> {
        Ok(addons::list(reader, &arguments.app).await?)
    }

    fn summary(&self, all: &Vec<Addon>) -> String {
        let names: Vec<&str> = all.iter().map(|addon| addon.addon_service.name.as_str()).collect();
        format!("{} add-on(s): {}", all.len(), names.join(", "))
    }
}
