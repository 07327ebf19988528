//! `heroku.restart`: every dyno of the app, or those of one process type.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, dynos};
use crate::ops::arguments::ArgumentValues;
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
            let app = named_app(arguments, "app", reader).await?;
            let process_type = arguments.process_type("process_type")?;
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
