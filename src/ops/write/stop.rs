//! `heroku.stop`: every dyno of one process type, which stay down until restarted or scaled.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, dynos};
use crate::ops::argument_sets::StopArguments;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, WriteOperation};
use crate::ops::operation::Operation;
use crate::ops::outcome::TerminalInfo;
use crate::ops::prepared::PreparedWrite;

pub struct Stop;

impl WriteOperation for Stop {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(async move {
            let StopArguments { app, process_type } = StopArguments::parse(arguments)?;
            let app = named_app(app, reader).await?;
            let planned = Planned::request(&app, dynos::stop_request(&app, &process_type));
            Ok(PreparedWrite::new(
                operation,
                app,
                planned,
                OneRequestToDynos(Dynos::OfType(process_type)),
            ))
        })
    }
}
