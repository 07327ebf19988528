//! `heroku.restart_dyno` and `heroku.stop_dyno`: one dyno, by name (`web.1`) or id. They differ
//! only in the request they send.

use super::named_app;
use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Client, Request, dynos};
use crate::identifiers::{AppName, DynoName};
use crate::ops::argument_sets::OneDynoArguments;
use crate::ops::behaviour::Prepare;
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

/// A write to one dyno: the request it sends.
pub struct OneDyno(fn(&AppName, &DynoName) -> Request);

pub const RESTART_DYNO: OneDyno = OneDyno(dynos::restart_dyno_request);

pub const STOP_DYNO: OneDyno = OneDyno(dynos::stop_dyno_request);

impl Prepare for OneDyno {
    type Arguments = OneDynoArguments;

    async fn prepare(
        &self,
        operation: &'static Operation,
        OneDynoArguments { app, dyno }: OneDynoArguments,
        reader: &Client,
        _terminal: &TerminalInfo,
    ) -> Result<PreparedWrite, OperationError> {
        let app = named_app(app, reader).await?;
        let planned = Planned::request(&app, (self.0)(&app, &dyno));
        Ok(PreparedWrite::new(
            operation,
            app,
            planned,
            OneRequestToDynos(Dynos::One(dyno)),
        ))
    }
}
