//! One-off dynos in the simulator (`heroku run`): a few canned commands whose output goes to the
//! app's log, ending with the exit status, as Heroku writes it for detached dynos.

use crate::heroku::types::DynoState;
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::respond::{NamedApp, error};
use crate::sim::world::lock;

#[derive(Debug, Deserialize)]
pub struct DynoCreate {
    command: String,
    #[serde(default)]
    attach: bool,
    size: Option<String>,
    #[serde(rename = "type")]
    process_type: Option<String>,
    /// Names to values: strings, or numbers (`COLUMNS` and `LINES` as the Heroku CLI sends them).
    #[serde(default)]
    env: std::collections::BTreeMap<String, serde_json::Value>,
    force_no_tty: Option<bool>,
    time_to_live: Option<u64>,
}

/// `POST /apps/{app}/dynos`: a one-off dyno; detached ones run at once.
pub async fn create(named: NamedApp, Json(request): Json<DynoCreate>) -> Response {
    if request.command.trim().is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_params",
            "command must not be empty",
        );
    }
    let _ = (&request.env, request.force_no_tty, request.time_to_live);
    let rendezvous = lock(&named.state).rendezvous.clone();
    named.with(|app, options| {
        let number = 1000 + app.dynos.len() as u64 + app.logs.written() % 8000;
        let mut dyno = app.dynos[0].dyno.clone();
        dyno.id = crate::sim::world::uuid();
        dyno.name = format!("run.{number}");
        dyno.process_type = request.process_type.clone().unwrap_or_else(|| "run".into());
        dyno.command = request.command.clone();
        dyno.size = request.size.clone().unwrap_or_else(|| "standard-1X".into());
        dyno.state = DynoState::Starting;
        dyno.created_at = Some(crate::sim::world::now());
        dyno.attach_url = None;
        if request.attach {
            let Some(rendezvous) = &rendezvous else {
                return error(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "unavailable",
                    "The simulator's rendezvous server is not running.",
                );
            };
            dyno.attach_url = Some(rendezvous.open(&request.command));
            app.logs.write(
                "heroku",
                &dyno.name,
                &format!("Starting process with command `{}` by user", request.command),
            );
        } else {
            let declared = options
                .scenario
                .as_ref()
                .map(|scenario| scenario.commands.clone())
                .unwrap_or_default();
            crate::sim::world::run_detached(app, &dyno.name, &request.command, &declared);
        }
        (StatusCode::CREATED, Json(dyno)).into_response()
    })
}
