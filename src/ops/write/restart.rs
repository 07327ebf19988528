//! `heroku.restart`: every dyno of the app, or those of one process type, at once; with
//! `rolling:`, dyno by dyno (`rolling_restart`).

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, dynos};
use crate::ops::argument_sets::RestartArguments;
use crate::ops::behaviour::Prepare;
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct Restart;

impl Prepare for Restart {
    type Arguments = RestartArguments;

    async fn prepare(
        &self,
        operation: &'static Operation,
        RestartArguments {
            app,
            process_type,
            rolling,
        }: RestartArguments,
        reader: &Client,
        _terminal: &TerminalInfo,
    ) -> Result<PreparedWrite, OperationError> {
        let app = named_app(app, reader).await?;
        if let Some(rolling) = rolling.and_then(|choice| choice.0) {
            return super::rolling_restart::prepare(operation, app, process_type, rolling, reader)
                .await;
        }
        let request = dynos::restart_request(&app, process_type.as_ref());
        let planned = Planned::request(&app, request);
        let touched = match process_type {
            Some(process_type) => Dynos::OfType(process_type),
            None => Dynos::All,
        };
        Ok(PreparedWrite::new(
            operation,
            app,
            planned,
            OneRequestToDynos(touched),
        ))
    }
}
