//! `heroku.restart_dyno` and `heroku.stop_dyno`: one dyno, by name (`web.1`) or id. They differ
//! only in the request they send.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, Request, dynos};
use crate::identifiers::{AppName, DynoName};
use crate::ops::argument_sets::OneDynoArguments;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, WriteOperation};
use crate::ops::operation::Operation;
use crate::ops::outcome::TerminalInfo;
use crate::ops::prepared::PreparedWrite;

pub struct RestartDyno;

pub struct StopDyno;

impl WriteOperation for RestartDyno {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(prepare(
            operation,
            arguments,
            reader,
            dynos::restart_dyno_request,
        ))
    }
}

impl WriteOperation for StopDyno {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(prepare(
            operation,
            arguments,
            reader,
            dynos::stop_dyno_request,
        ))
    }
}

async fn prepare(
    operation: &'static Operation,
    arguments: &ArgumentValues,
    reader: &Client,
    request: fn(&AppName, &DynoName) -> Request,
) -> Result<PreparedWrite, crate::ops::outcome::OperationError> {
    let OneDynoArguments { app, dyno } = OneDynoArguments::parse(arguments)?;
    let app = named_app(app, reader).await?;
    let planned = Planned::request(&app, request(&app, &dyno));
    Ok(PreparedWrite::new(
        operation,
        app,
        planned,
        OneRequestToDynos(Dynos::One(dyno)),
    ))
}
