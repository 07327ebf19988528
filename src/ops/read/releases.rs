//! `heroku.releases`: the newest `limit` releases (10 when not given), newest first.

use super::outcome;
use crate::effects::Effects;
use crate::heroku::releases;
use crate::ops::argument_sets::ReleasesArguments;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, ReadOperation};
use crate::ops::outcome::{OperationOutput, Outcome};

pub struct Releases;

impl ReadOperation for Releases {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let ReleasesArguments { app, limit } = ReleasesArguments::parse(arguments)?;
            let limit = limit.unwrap_or(10).clamp(1, 1000) as usize;
            let mut all = releases::list(effects.reader(), &app).await?;
            all.truncate(limit);
            let summary = all
                .iter()
                .take(3)
                .map(|release| {
                    format!(
                        "v{}{} {}",
                        release.version,
                        if release.current { " (current)" } else { "" },
                        release.description
                    )
                })
                .collect::<Vec<_>>()
                .join("; ");
            Ok(outcome(&all, summary))
        })
    }
}
