//! `heroku.restart`: every dyno of the app, or those of one process type, at once; with
//! `rolling:`, dyno by dyno (`rolling_restart`).

use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::dynos;
use crate::ops::argument_sets::RestartArguments;
use crate::ops::behaviour::{Prepare, Prepared, Preparing};
use crate::ops::prepared::PreparedWrite;

pub struct Restart;

impl Prepare for Restart {
    type Arguments = RestartArguments;

    async fn prepare(&self, arguments: RestartArguments, preparing: Preparing<'_>) -> Prepared {
        let (app, process_type) = (arguments.app, arguments.process_type);
        if let Some(rolling) = arguments.rolling.and_then(|choice| choice.0) {
            return super::rolling_restart::prepare(
                preparing.operation,
                app,
                process_type,
                rolling,
                preparing.reader,
            )
            .await;
        }
        let request = dynos::restart_request(&app, process_type.as_ref());
        let planned = Planned::request(&app, request);
        let touched = match process_type {
            Some(process_type) => Dynos::OfType(process_type),
            None => Dynos::All,
        };
        Ok(PreparedWrite::new(preparing.operation, app, planned, OneRequestToDynos(touched)))
    }
}
