//! `heroku.app`: maintenance mode, web URL, region, last release time.

use super::outcome;
use crate::effects::Effects;
use crate::heroku::apps;
use crate::ops::argument_sets::AppOnly;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, ReadOperation};
use crate::ops::outcome::{OperationOutput, Outcome};

pub struct AppInfo;

impl ReadOperation for AppInfo {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let info = apps::info(effects.reader(), &AppOnly::parse(arguments)?.app).await?;
            let maintenance = if info.maintenance { "on" } else { "off" };
            let summary = format!(
                "{}: maintenance {maintenance}, {}",
                info.name,
                info.web_url.as_deref().unwrap_or("no web URL")
            );
            Ok(outcome(&info, summary))
        })
    }
}
