//! `heroku.stop`: every dyno of one process type, which stay down until restarted or scaled.

use futures_util::future::BoxFuture;

use super::restart::affected_dynos;
use super::{named_app, send_single};
use crate::effects::{Effects, Planned};
use crate::heroku::{Client, dynos};
use crate::identifiers::ProcessType;
use crate::ops::arguments::ArgumentValues;
use crate::ops::behaviour::{OperationFuture, WriteOperation};
use crate::ops::dyno_list::of_type;
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, OperationOutput, Outcome, TerminalInfo};
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
            let app = named_app(arguments, "app", reader).await?;
            let process_type = arguments.process_type("process_type")?.ok_or_else(|| {
                OperationError::Invalid("`heroku.stop` needs a process type".into())
            })?;
            let planned = Planned::request(&app, dynos::stop_request(&app, &process_type));
            Ok(PreparedWrite::new(operation, app, planned).with_payload(process_type))
        })
    }

    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move {
            let process_type = write.payload::<ProcessType>().cloned();
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
