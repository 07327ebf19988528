//! `heroku.addons`: the add-ons with their dashboards (Papertrail, Sentry, Scout APM).

use super::outcome;
use crate::effects::Effects;
use crate::heroku::addons;
use crate::ops::argument_sets::AppOnly;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, ReadOperation};
use crate::ops::outcome::{OperationOutput, Outcome};

pub struct Addons;

impl ReadOperation for Addons {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let all = addons::list(effects.reader(), &AppOnly::parse(arguments)?.app).await?;
            let names: Vec<&str> = all
                .iter()
                .map(|addon| addon.addon_service.name.as_str())
                .collect();
            let summary = format!("{} add-on(s): {}", all.len(), names.join(", "));
            Ok(outcome(&all, summary))
        })
    }
}
