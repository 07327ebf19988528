//! `heroku.restart_dyno`: one dyno, by name (`web.1`) or id.

use futures_util::future::BoxFuture;

use super::restart::affected_dynos;
use super::{named_app, send_single};
use crate::effects::{Effects, Planned};
use crate::heroku::{Client, dynos};
use crate::identifiers::DynoName;
use crate::ops::arguments::ArgumentValues;
use crate::ops::behaviour::{OperationFuture, WriteOperation};
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationOutput, Outcome, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct RestartDyno;

impl WriteOperation for RestartDyno {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(async move {
            let app = named_app(arguments, "app", reader).await?;
            let dyno = arguments.dyno("dyno")?;
            let planned = Planned::request(&app, dynos::restart_dyno_request(&app, &dyno));
            Ok(PreparedWrite::new(operation, app, planned).with_payload(dyno))
        })
    }

    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(one_dyno(write, reader))
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

/// The prompt line of a write to one dyno: that dyno and its state.
pub(super) async fn one_dyno(write: &PreparedWrite, reader: &Client) -> Vec<String> {
    let Some(dyno) = write.payload::<DynoName>().cloned() else {
        return Vec::new();
    };
    affected_dynos(reader, write, |all| {
        all.into_iter()
            .filter(|candidate| dyno.names(&candidate.name, &candidate.id))
            .collect()
    })
    .await
}
