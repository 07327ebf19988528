//! `heroku.restart_dyno` and `heroku.stop_dyno`: one dyno, by name (`web.1`) or id. They differ
//! only in the request they send.

use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::{Request, dynos};
use crate::identifiers::{AppName, DynoName};
use crate::ops::argument_sets::OneDynoArguments;
use crate::ops::behaviour::{Prepare, Prepared, Preparing};
use crate::ops::prepared::PreparedWrite;

/// A write to one dyno: the request it sends.
pub struct OneDyno(fn(&AppName, &DynoName) -> Request);

pub const RESTART_DYNO: OneDyno = OneDyno(dynos::restart_dyno_request);

pub const STOP_DYNO: OneDyno = OneDyno(dynos::stop_dyno_request);

impl Prepare for OneDyno {
    type Arguments = OneDynoArguments;

    async fn prepare(&self, arguments: OneDynoArguments, preparing: Preparing<'_>) -> Prepared {
        let OneDynoArguments { app, dyno } = arguments;
        let planned = Planned::request(&app, (self.0)(&app, &dyno));
        Ok(PreparedWrite::new(
            preparing.operation,
            app,
            planned,
            OneRequestToDynos(Dynos::One(dyno)),
        ))
    }
}
