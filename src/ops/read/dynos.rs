//! `heroku.dynos`: the app's dynos with their state.

use crate::effects::Effects;
use crate::heroku::dynos;
use crate::ops::argument_sets::AppAndProcessType;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, ReadOperation};
use crate::ops::dyno_list::{describe, of_type};
use crate::ops::outcome::{OperationOutput, Outcome};

pub struct Dynos;

impl ReadOperation for Dynos {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let AppAndProcessType { app, process_type } = AppAndProcessType::parse(arguments)?;
            let all = dynos::list(effects.reader(), &app).await?;
            let dynos = of_type(all, process_type.as_ref());
            Ok(Outcome {
                summary: Some(describe(&dynos)),
                value: serde_json::to_value(&dynos).unwrap_or_default(),
            })
        })
    }
}
