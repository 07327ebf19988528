//! One-off dynos in the simulator (`heroku run`): a few canned commands whose output goes to the
//! app's log, ending with the exit status, as Heroku writes it for detached dynos.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::routes::{error, with_app};
use super::state::{SharedState, SimApp, lock};

#[derive(Debug, Deserialize)]
pub struct DynoCreate {
    command: String,
    #[serde(default)]
    attach: bool,
    size: Option<String>,
    #[serde(rename = "type")]
    process_type: Option<String>,
    #[serde(default)]
    env: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    force_no_tty: Option<bool>,
    #[serde(default)]
    time_to_live: Option<u64>,
}

/// `POST /apps/{app}/dynos`: a one-off dyno; detached ones run at once.
pub async fn create(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    Json(request): Json<DynoCreate>,
) -> Response {
    if request.command.trim().is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_params",
            "command must not be empty",
        );
    }
    let _ = (&request.env, request.force_no_tty, request.time_to_live);
    let rendezvous = lock(&state).rendezvous.clone();
    with_app(&state, &app, |app, _| {
        let number = 1000 + app.dynos.len() as u64 + app.logs.written() % 8000;
        let mut dyno = app.dynos[0].dyno.clone();
        dyno.id = super::seed::uuid();
        dyno.name = format!("run.{number}");
        dyno.process_type = request.process_type.clone().unwrap_or_else(|| "run".into());
        dyno.command = request.command.clone();
        dyno.size = request.size.clone().unwrap_or_else(|| "standard-1X".into());
        dyno.state = "starting".into();
        dyno.created_at = Some(super::seed::now());
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
                &format!(
                    "Starting process with command `{}` by user",
                    request.command
                ),
            );
        } else {
            run(app, &dyno.name, &request.command);
        }
        (StatusCode::CREATED, Json(dyno)).into_response()
    })
}

/// Runs `command` (commands separated by `;` or `&&`), writing its output and exit status.
fn run(app: &mut SimApp, dyno: &str, command: &str) {
    app.logs.write(
        "heroku",
        dyno,
        &format!("Starting process with command `{command}`"),
    );
    app.logs
        .write("heroku", dyno, "State changed from starting to up");
    let mut status = 0;
    for part in command.split(';').flat_map(|part| part.split("&&")) {
        let (output, code) = canned(part.trim());
        for line in output {
            app.logs.write("app", dyno, &line);
        }
        status = code;
        if status != 0 {
            break;
        }
    }
    app.logs.write(
        "heroku",
        dyno,
        &format!("Process exited with status {status}"),
    );
    app.logs
        .write("heroku", dyno, "State changed from up to complete");
}

/// What a command prints and its exit status.
pub fn canned(command: &str) -> (Vec<String>, i32) {
    let words: Vec<&str> = command.split_whitespace().collect();
    match words.as_slice() {
        [] => (Vec::new(), 0),
        ["echo", rest @ ..] => (vec![rest.join(" ")], 0),
        ["exit", code] => (Vec::new(), code.parse().unwrap_or(2)),
        ["true"] => (Vec::new(), 0),
        ["false"] => (Vec::new(), 1),
        ["python", "manage.py", "check"] => (
            vec!["System check identified no issues (0 silenced).".into()],
            0,
        ),
        ["python", "manage.py", "migrate"] => (
            vec![
                "Operations to perform:".into(),
                "  Apply all migrations: admin, auth, connector, contenttypes, sessions".into(),
                "Running migrations:".into(),
                "  No migrations to apply.".into(),
            ],
            0,
        ),
        ["bash"] | ["python", "manage.py", "shell"] => (Vec::new(), 0),
        ["python", "manage.py", "clearsessions"] => {
            (vec!["Deleted 1289 expired sessions.".into()], 0)
        }
        ["ls"] => (
            vec!["Procfile  config  connector  manage.py  requirements.txt  staticfiles".into()],
            0,
        ),
        ["pwd"] => (vec!["/app".into()], 0),
        ["whoami"] => (vec!["u12345".into()], 0),
        [program, ..] => (vec![format!("bash: {program}: command not found")], 127),
    }
}
