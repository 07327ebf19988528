//! `heroku.restart`: every dyno of the app, or those of one process type.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, dynos};
use crate::ops::argument_sets::AppAndProcessType;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, WriteOperation};
use crate::ops::operation::Operation;
use crate::ops::outcome::TerminalInfo;
use crate::ops::prepared::PreparedWrite;

pub struct Restart;

impl WriteOperation for Restart {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(async move {
            let AppAndProcessType { app, process_type } = AppAndProcessType::parse(arguments)?;
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
        })
    }
}
