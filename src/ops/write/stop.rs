//! `heroku.stop`: every dyno of one process type, which stay down until restarted or scaled.

use super::one_request::{Dynos, OneRequestToDynos};
use crate::effects::Planned;
use crate::heroku::dynos;
use crate::ops::argument_sets::StopArguments;
use crate::ops::behaviour::{Prepare, Prepared, Preparing};
use crate::ops::prepared::PreparedWrite;

pub struct Stop;

impl Prepare for Stop {
    type Arguments = StopArguments;

    async fn prepare(&self, arguments: StopArguments, preparing: Preparing<'_>) -> Prepared {
        let StopArguments { app, process_type } = arguments;
        let planned = Planned::request(&app, dynos::stop_request(&app, &process_type));
        Ok(PreparedWrite::new(
            preparing.operation,
            app,
            planned,
            OneRequestToDynos(Dynos::OfType(process_type)),
        ))
    }
}
