//! `heroku.maintenance`: maintenance mode on (visitors see the maintenance page) or off.

use futures_util::future::BoxFuture;

use super::{named_app, send_first, sent};
use crate::effects::{Effects, Planned};
use crate::heroku::{Client, apps};
use crate::ops::argument_sets::MaintenanceArguments;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, WriteAction, WriteOperation};
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationOutput, Outcome, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct Maintenance;

/// Whether the write turns maintenance on.
struct TurnsOn(bool);

impl WriteOperation for Maintenance {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(async move {
            let MaintenanceArguments { app, enabled: on } = MaintenanceArguments::parse(arguments)?;
            let app = named_app(app, reader).await?;
            let planned = Planned::request(&app, apps::maintenance_request(&app, on));
            Ok(PreparedWrite::new(operation, app, planned, TurnsOn(on)))
        })
    }
}

impl WriteAction for TurnsOn {
    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move {
            let wanted = if self.0 { "on" } else { "off" };
            let now = apps::info(reader, &write.app)
                .await
                .ok()
                .map(|info| if info.maintenance { "on" } else { "off" });
            vec![format!("maintenance: {} -> {wanted}", now.unwrap_or("?"))]
        })
    }

    fn send<'a>(
        self: Box<Self>,
        write: PreparedWrite,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let (answer, described) = send_first(&write, effects).await?;
            let state = if answer.body["maintenance"] == true {
                "on"
            } else {
                "off"
            };
            Ok(Outcome {
                summary: Some(format!(
                    "{}; maintenance is {state}",
                    sent(&described, &answer)
                )),
                value: answer.body,
            })
        })
    }
}
