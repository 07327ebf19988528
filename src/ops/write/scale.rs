//! `heroku.scale`: how many dynos of a process type, and optionally their size.

use super::send_single;
use crate::effects::Planned;
use crate::heroku::{Client, formation};
use crate::identifiers::ProcessType;
use crate::ops::argument_sets::ScaleArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing};
use crate::ops::outcome::OperationError;
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

pub struct Scale;

/// What a scale asks for, kept to describe the change in the prompt.
struct Wanted {
    process_type: ProcessType,
    quantity: Option<i64>,
    size: Option<String>,
}

impl Prepare for Scale {
    type Arguments = ScaleArguments;

    async fn prepare(&self, arguments: ScaleArguments, preparing: Preparing<'_>) -> Prepared {
        let app = arguments.app;
        let (process_type, quantity, size) =
            (arguments.process_type, arguments.quantity, arguments.size);
        if quantity < 0 {
            return Err(OperationError::Invalid(
                "`quantity` of `heroku.scale` is a number of dynos, 0 or more".into(),
            ));
        }
        // The same request shape scales to a size alone, with no quantity.
        let quantity = Some(quantity);
        let request = formation::scale_request(&app, &process_type, quantity, size.as_deref());
        let wanted = Wanted { process_type, quantity, size };
        Ok(PreparedWrite::new(
            preparing.operation,
            app.clone(),
            Planned::request(&app, request),
            wanted,
        ))
    }
}

impl Action for Wanted {
    async fn affected(&self, write: &PreparedWrite, reader: &Client) -> Vec<String> {
        change(self, write, reader).await.into_iter().collect()
    }

    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, .. } = running;
        send_single(write, effects).await
    }
}

/// `web: 2 x standard-1X -> 3 x standard-1X`.
async fn change(wanted: &Wanted, write: &PreparedWrite, reader: &Client) -> Option<String> {
    let kind = wanted.process_type.as_str();
    let entries = formation::list(reader, &write.app).await.ok()?;
    let entry = entries.iter().find(|entry| entry.process_type == kind)?;
    let quantity =
        wanted.quantity.map_or(entry.quantity.to_string(), |quantity| quantity.to_string());
    let size = wanted.size.clone().unwrap_or_else(|| entry.size.clone());
    Some(format!("{kind}: {} x {} -> {quantity} x {size}", entry.quantity, entry.size))
}
