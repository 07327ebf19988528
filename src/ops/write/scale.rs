//! `heroku.scale`: how many dynos of a process type, and optionally their size.

use futures_util::future::BoxFuture;

use super::{named_app, send_single};
use crate::effects::{Effects, Planned};
use crate::heroku::{Client, formation};
use crate::identifiers::ProcessType;
use crate::ops::argument_sets::ScaleArguments;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, WriteAction, WriteOperation};
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, OperationOutput, Outcome, TerminalInfo};
use crate::ops::prepared::PreparedWrite;

pub struct Scale;

/// What a scale asks for, kept to describe the change in the prompt.
struct Wanted {
    process_type: ProcessType,
    quantity: Option<i64>,
    size: Option<String>,
}

impl WriteOperation for Scale {
    fn prepare<'a>(
        &'a self,
        operation: &'static Operation,
        arguments: &'a ArgumentValues,
        reader: &'a Client,
        _terminal: &'a TerminalInfo,
    ) -> OperationFuture<'a, PreparedWrite> {
        Box::pin(async move {
            let ScaleArguments {
                app,
                process_type,
                quantity,
                size,
            } = ScaleArguments::parse(arguments)?;
            let app = named_app(app, reader).await?;
            if quantity < 0 {
                return Err(OperationError::Invalid(
                    "`quantity` of `heroku.scale` is a number of dynos, 0 or more".into(),
                ));
            }
            // The same request shape scales to a size alone, with no quantity.
            let quantity = Some(quantity);
            let request = formation::scale_request(&app, &process_type, quantity, size.as_deref());
            let wanted = Wanted {
                process_type,
                quantity,
                size,
            };
            Ok(PreparedWrite::new(
                operation,
                app.clone(),
                Planned::request(&app, request),
                wanted,
            ))
        })
    }
}

impl WriteAction for Wanted {
    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move { change(self, write, reader).await.into_iter().collect() })
    }

    fn send<'a>(
        self: Box<Self>,
        write: PreparedWrite,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(send_single(write, effects))
    }
}

/// `web: 2 x standard-1X -> 3 x standard-1X`.
async fn change(wanted: &Wanted, write: &PreparedWrite, reader: &Client) -> Option<String> {
    let kind = wanted.process_type.as_str();
    let entries = formation::list(reader, &write.app).await.ok()?;
    let entry = entries.iter().find(|entry| entry.process_type == kind)?;
    let quantity = wanted
        .quantity
        .map_or(entry.quantity.to_string(), |quantity| quantity.to_string());
    let size = wanted.size.clone().unwrap_or_else(|| entry.size.clone());
    Some(format!(
        "{kind}: {} x {} -> {quantity} x {size}",
        entry.quantity, entry.size
    ))
}
