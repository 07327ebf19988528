//! `heroku.formation`: how many dynos of each process type, and their size.

use super::super::arguments::ArgumentValues;
use super::super::behaviour::{OperationFuture, ReadOperation};
use super::super::outcome::{OperationOutput, Outcome};
use super::outcome;
use crate::effects::Effects;
use crate::heroku::formation;

pub struct Formation;

impl ReadOperation for Formation {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let entries = formation::list(effects.reader(), &arguments.app()?).await?;
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
