//! The shape of a read that is one GET of an app's resource: the arguments are parsed, the answer
//! kept as the step's value, and its summary said. Each such read says only what differs: its
//! arguments, its call, and its summary line.

use std::future::Future;

use serde::Serialize;

use crate::heroku::Client;
use crate::ops::arguments::Arguments;
use crate::ops::behaviour::Read;
use crate::ops::outcome::{OperationError, OperationResult, Outcome, Running};

/// What a `OneGet` read: its answer, or why not.
pub type Answered<T> = Result<<T as OneGet>::Answer, OperationError>;

/// A read that is one GET (a list may be filtered or cut after it).
pub trait OneGet: Sync {
    type Arguments: Arguments + Send + Sync;
    type Answer: Serialize + Send;

    fn get(
        &self,
        reader: &Client,
        arguments: &Self::Arguments,
    ) -> impl Future<Output = Answered<Self>> + Send;

    fn summary(&self, answer: &Self::Answer) -> String;
}

/// A `OneGet` as a typed read: the answer is the step's value, its summary the step's line.
pub struct Get<T>(pub T);

impl<T: OneGet> Read for Get<T> {
    type Arguments = T::Arguments;

    async fn read(&self, arguments: T::Arguments, running: Running<'_>) -> OperationResult {
        let answer = self.0.get(running.effects.reader(), &arguments).await?;
        Ok(Outcome {
            summary: Some(self.0.summary(&answer)),
            value: serde_json::to_value(&answer).unwrap_or_default(),
        })
    }
}
