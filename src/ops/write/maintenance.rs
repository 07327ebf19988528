//! `heroku.maintenance`: maintenance mode on (visitors see the maintenance page) or off.

use super::{send_first, sent};
use crate::effects::Planned;
use crate::heroku::{Client, apps};
use crate::ops::argument_sets::MaintenanceArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing};
use crate::ops::outcome::Outcome;
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

pub struct Maintenance;

/// Whether the write turns maintenance on.
struct TurnsOn(bool);

impl Prepare for Maintenance {
    type Arguments = MaintenanceArguments;

    async fn prepare(&self, arguments: MaintenanceArguments, preparing: Preparing<'_>) -> Prepared {
        let MaintenanceArguments { app, enabled: on } = arguments;
        let planned = Planned::request(&app, apps::maintenance_request(&app, on));
        Ok(PreparedWrite::new(preparing.operation, app, planned, TurnsOn(on)))
    }
}

impl Action for TurnsOn {
    async fn affected(&self, write: &PreparedWrite, reader: &Client) -> Vec<String> {
        let wanted = if self.0 { "on" } else { "off" };
        let now = apps::info(reader, &write.app)
            .await
            .ok()
            .map(|info| if info.maintenance { "on" } else { "off" });
        vec![format!("maintenance: {} -> {wanted}", now.unwrap_or("?"))]
    }

    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, .. } = running;
        let (answer, described) = send_first(&write, effects).await?;
        let state = if answer.body["maintenance"] == true { "on" } else { "off" };
        Ok(Outcome {
            summary: Some(format!("{}; maintenance is {state}", sent(&described, &answer))),
            value: answer.body,
        })
    }
}
