//! `heroku.formation`: how many dynos of each process type, and their size.

use super::outcome;
use crate::effects::Effects;
use crate::heroku::formation;
use crate::ops::argument_sets::AppOnly;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, ReadOperation};
use crate::ops::outcome::{OperationOutput, Outcome};

pub struct Formation;

impl ReadOperation for Formation {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let entries =
                formation::list(effects.reader(), &AppOnly::parse(arguments)?.app).await?;
            let summary = entries
                .iter()
                .map(|entry| {
                    format!(
                        "{} x{} ({})",
                        entry.process_type, entry.quantity, entry.size
                    )
                })
                .collect::<Vec<_>>()
                .join(", ");
            Ok(outcome(&entries, summary))
        })
    }
}
