//! `heroku.restart`: every dyno of the app, or those of one process type.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, dynos};
use crate::ops::argument_sets::AppAndProcessType;
use crate::ops::behaviour::Prepare;
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct Restart;

impl Prepare for Restart {
    type Arguments = AppAndProcessType;

    async fn prepare(
        &self,
        operation: &'static Operation,
        AppAndProcessType { app, process_type }: AppAndProcessType,
        reader: &Client,
        _terminal: &TerminalInfo,
    ) -> Result<PreparedWrite, OperationError> {
        let app = named_app(app, reader).await?;
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
