//! The shared shapes of a write that is one request: sent, its answer the value and its request
//! id in the summary; and the same for a request that touches dynos, whose prompt names them
//! (`restart`, `stop`, `restart_dyno`, `stop_dyno` differ only in the request they build).

use futures_util::future::BoxFuture;

use super::send_single;
use crate::effects::Effects;
use crate::heroku::{Client, dynos};
use crate::identifiers::{DynoName, ProcessType};
use crate::ops::behaviour::{OperationFuture, WriteAction};
use crate::ops::dyno_list::{describe, of_type};
use crate::ops::outcome::{OperationOutput, Outcome};
use crate::ops::prepared::PreparedWrite;

/// A write that is one request, nothing more to show at its prompt.
pub struct OneRequest;

impl WriteAction for OneRequest {
    fn send<'a>(
        self: Box<Self>,
        write: PreparedWrite,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(send_single(write, effects))
    }
}

/// Which dynos a write touches.
pub enum Dynos {
    All,
    OfType(ProcessType),
    One(DynoName),
}

/// A write that is one request touching `Dynos`: its prompt says which, and in what state.
pub struct OneRequestToDynos(pub Dynos);

impl WriteAction for OneRequestToDynos {
    fn affected<'a>(
        &'a self,
        write: &'a PreparedWrite,
        reader: &'a Client,
    ) -> BoxFuture<'a, Vec<String>> {
        Box::pin(async move {
            let Ok(all) = dynos::list(reader, &write.app).await else {
                return Vec::new();
            };
            let chosen = match &self.0 {
                Dynos::All => all,
                Dynos::OfType(process_type) => of_type(all, Some(process_type)),
                Dynos::One(dyno) => all
                    .into_iter()
                    .filter(|candidate| dyno.names(&candidate.name, &candidate.id))
                    .collect(),
            };
            vec![format!("dynos: {}", describe(&chosen))]
        })
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
