//! The shared shapes of a write that is one request: sent, its answer the value and its request
//! id in the summary; and the same for a request that touches dynos, whose prompt names them
//! (`restart`, `stop`, `restart_dyno`, `stop_dyno` differ only in the request they build).

use super::send_single;
use crate::heroku::{Client, dynos};
use crate::identifiers::{DynoName, ProcessType};
use crate::ops::behaviour::Action;
use crate::ops::dyno_list::{describe, of_type};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;

/// A write that is one request, nothing more to show at its prompt.
pub struct OneRequest;

impl Action for OneRequest {
    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, .. } = running;
        send_single(write, effects).await
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

impl Action for OneRequestToDynos {
    async fn affected(&self, write: &PreparedWrite, reader: &Client) -> Vec<String> {
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
    }

    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let Running { effects, .. } = running;
        send_single(write, effects).await
    }
}
