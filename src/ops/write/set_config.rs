//! `heroku.set_config`: config vars set (or removed with null); Heroku makes a new release.

use super::named_app;
use super::one_request::OneRequest;
use crate::effects::Planned;
use crate::heroku::{Client, config_vars};
use crate::ops::argument_sets::SetConfigArguments;
use crate::ops::behaviour::Prepare;
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct SetConfig;

impl Prepare for SetConfig {
    type Arguments = SetConfigArguments;

    async fn prepare(
        &self,
        operation: &'static Operation,
        SetConfigArguments { app, vars }: SetConfigArguments,
        reader: &Client,
        _terminal: &TerminalInfo,
    ) -> Result<PreparedWrite, OperationError> {
        let app = named_app(app, reader).await?;
        let impact = names_line(&vars);
        let planned = Planned::request(&app, config_vars::update_request(&app, vars));
        Ok(PreparedWrite::new(operation, app, planned, OneRequest).impact(impact))
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
        if chosen.is_empty() {
            "none".to_string()
        } else {
            chosen.join(", ")
        }
    };
    format!(
        "config vars to set: {}; to remove: {} (values masked)",
        names(false),
        names(true)
    )
}
