//! `heroku.stop`: every dyno of one process type, which stay down until restarted or scaled.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, dynos};
use crate::ops::argument_sets::StopArguments;
use crate::ops::behaviour::Prepare;
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct Stop;

impl Prepare for Stop {
    type Arguments = StopArguments;

    async fn prepare(
        &self,
        operation: &'static Operation,
        StopArguments { app, process_type }: StopArguments,
        reader: &Client,
        _terminal: &TerminalInfo,
    ) -> Result<PreparedWrite, OperationError> {
        let app = named_app(app, reader).await?;
        let planned = Planned::request(&app, dynos::stop_request(&app, &process_type));
        Ok(PreparedWrite::new(
            operation,
            app,
            planned,
            OneRequestToDynos(Dynos::OfType(process_type)),
        ))
    }
}
