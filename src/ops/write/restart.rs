//! `heroku.restart`: every dyno of the app, or those of one process type.

use futures_util::future::BoxFuture;

use super::{named_app, send_single};
use crate::effects::{Effects, Planned};
use crate::heroku::types::Dyno;
use crate::heroku::{Client, dynos};
use crate::identifiers::ProcessType;
use crate::ops::arguments::ArgumentValues;
use crate::ops::behaviour::{OperationFuture, WriteOperation};
use crate::ops::dyno_list::{describe, of_type};
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationOutput, Outcome, TerminalInfo};
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
            Ok(PreparedWrite::new(operation, app, planned).with_payload(process_type))
        })
    }

    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move {
            let process_type = write.payload::<Option<ProcessType>>().cloned().flatten();
            affected_dynos(reader, write, |all| of_type(all, process_type.as_ref())).await
        })
    }

    fn send<'a>(
        &'a self,
        write: PreparedWrite,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(send_single(write, effects))
    }
}

/// `dynos: 2 dynos: web.1 up, web.2 up`, for the prompt of a write that touches `chosen` dynos.
pub(super) async fn affected_dynos(
    reader: &Client,
    write: &PreparedWrite,
    chosen: impl FnOnce(Vec<Dyno>) -> Vec<Dyno>,
) -> Vec<String> {
    match dynos::list(reader, &write.app).await {
        Ok(all) => vec![format!("dynos: {}", describe(&chosen(all)))],
        Err(_) => Vec::new(),
    }
}
