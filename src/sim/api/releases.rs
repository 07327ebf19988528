//! Releases in the simulator: the list, and rollback, which makes a new release of an old one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::paging::page;
use super::respond::{error, with_app};
use crate::sim::world::SharedState;
use crate::sim::world::add_release;

pub async fn list(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    headers: HeaderMap,
) -> Response {
    with_app(&state, &app, |app, options| {
        let mut oldest_first = app.releases.clone();
        oldest_first.reverse();
        page(
            &oldest_first,
            |release| release.id.as_str(),
            &headers,
            options.page_size,
        )
    })
}

#[derive(Debug, Deserialize)]
pub struct Rollback {
    release: Option<String>,
}

/// `POST /apps/{app}/releases {"release": ID}`; a release from a slug is not simulated.
pub async fn rollback(
    State(state): State<SharedState>,
    Path(app): Path<String>,
    Json(body): Json<Rollback>,
) -> Response {
    with_app(&state, &app, |app, _| {
        let Some(wanted) = body.release else {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The simulator creates releases only by rollback: give `release`.",
            );
        };
        let Some(target) = app
            .releases
            .iter()
            .find(|release| release.id == wanted || format!("v{}", release.version) == wanted)
            .cloned()
        else {
            return error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Couldn't find that release.",
            );
        };
        let description = format!("Rollback to v{}", target.version);
        let release = add_release(app, &description, target.slug.clone());
        for dyno in &mut app.dynos {
            dyno.dyno.release = Some(crate::heroku::types::ReleaseReference {
                id: release.id.clone(),
                version: release.version,
            });
            dyno.restart();
        }
        if app.bad_release.is_some_and(|bad| bad != release.version) {
            app.bad_release = None;
            for dyno in &mut app.dynos {
                dyno.restart();
            }
        }
        app.logs
            .write("heroku", "api", &format!("{description} by user"));
        (StatusCode::CREATED, Json(release)).into_response()
    })
}
