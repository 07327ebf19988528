//! Releases in the simulator: the list, and rollback, which makes a new release of an old one.

use axum::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::paging::page;
use super::respond::{AppItem, NamedApp, error};
use crate::heroku::types::Release;
use crate::sim::world::SimApp;
use crate::sim::world::add_release;

/// `GET /apps/{app}/releases`: oldest first unless the `Range` says `order=desc`, paged by
/// `version` or `id` as it asks.
pub async fn list(named: NamedApp, headers: HeaderMap) -> Response {
    named.with(|app, options| {
        let mut oldest_first = app.releases.clone();
        oldest_first.reverse();
        page(
            &oldest_first,
            |release, field| match field {
                "version" => release.version.to_string(),
                _ => release.id.clone(),
            },
            &headers,
            options.page_size,
        )
    })
}

/// The release `wanted` names: its version (`41`, `v41`) or its id.
fn find<'a>(app: &'a SimApp, wanted: &str) -> Option<&'a Release> {
    let version = wanted.trim_start_matches('v');
    app.releases
        .iter()
        .find(|release| release.id == wanted || release.version.to_string() == version)
}

fn release_not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that release.")
}

/// `GET /apps/{app}/releases/{id_or_version}`
pub async fn info(AppItem(named, release): AppItem) -> Response {
    named.with(|app, _| match find(app, &release) {
        Some(found) => Json(found).into_response(),
        None => release_not_found(),
    })
}

/// `GET /apps/{app}/releases/{id_or_version}/config-vars`: the simulator keeps one set of config
/// vars, so any release answers the current ones.
pub async fn config_vars(AppItem(named, release): AppItem) -> Response {
    named.with(|app, _| match find(app, &release) {
        Some(_) => Json(&app.config_vars).into_response(),
        None => release_not_found(),
    })
}

#[derive(Debug, Deserialize)]
pub struct Rollback {
    release: Option<String>,
}

/// `POST /apps/{app}/releases {"release": ID}`; a release from a slug is not simulated.
pub async fn rollback(named: NamedApp, Json(body): Json<Rollback>) -> Response {
    named.with(|app, _| {
        let Some(wanted) = body.release else {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The simulator creates releases only by rollback: give `release`.",
            );
        };
        let Some(target) = find(app, &wanted).cloned() else {
            return release_not_found();
        };
        let description = format!("Rollback to v{}", target.version);
        let release = add_release(app, &description, target.slug.clone());
        app.logs.write("heroku", "api", &format!("{description} by user"));
        (StatusCode::CREATED, Json(release)).into_response()
    })
}
