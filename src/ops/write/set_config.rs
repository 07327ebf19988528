//! `heroku.set_config`: config vars set (or removed with null); Heroku makes a new release.

use super::one_request::OneRequest;
use crate::effects::Planned;
use crate::heroku::config_vars;
use crate::ops::argument_sets::SetConfigArguments;
use crate::ops::behaviour::{Prepare, Prepared, Preparing};
use crate::ops::prepared::PreparedWrite;

pub struct SetConfig;

impl Prepare for SetConfig {
    type Arguments = SetConfigArguments;

    async fn prepare(&self, arguments: SetConfigArguments, preparing: Preparing<'_>) -> Prepared {
        let SetConfigArguments { app, vars } = arguments;
        let impact = names_line(&vars);
        let planned = Planned::request(&app, config_vars::update_request(&app, vars));
        Ok(PreparedWrite::new(preparing.operation, app, planned, OneRequest).impact(impact))
    }
}

/// `config vars to set: A, B; to remove: C (values masked)`.
fn names_line(vars: &serde_json::Map<String, serde_json::Value>) -> String {
    let names = |removed: bool| {
        let chosen: Vec<&str> = vars
            .iter()
            .filter(|(_, value)| value.is_null() == removed)
            .map(|(name, _)| name.as_str())
            .collect();
        if chosen.is_empty() { "none".to_string() } else { chosen.join(", ") }
    };
    format!("config vars to set: {}; to remove: {} (values masked)", names(false), names(true))
}
