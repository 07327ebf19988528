//! The pipeline of the simulated apps: every app coupled to one pipeline (apps whose name ends in
//! `staging` at the staging stage, the others at production), and promotions along it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::respond::{error, with_app};
use crate::heroku::types::ReleaseReference;
use crate::sim::world::pipeline::stage_of;
use crate::sim::world::releases::add_release;
use crate::sim::world::{SharedState, lock};

fn coupling(pipeline: &str, app_id: &str, app: &str) -> Value {
    json!({
        "id": format!("coupling-{app_id}"),
        "app": { "id": app_id, "name": app },
        "pipeline": { "id": pipeline, "name": "lazona-connector" },
        "stage": stage_of(app),
    })
}

pub async fn by_app(State(state): State<SharedState>, Path(app): Path<String>) -> Response {
    let pipeline = lock(&state).pipeline_id.clone();
    with_app(&state, &app, |app, _| {
        Json(coupling(&pipeline, &app.app.id, &app.app.name)).into_response()
    })
}

pub async fn by_pipeline(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    let state = lock(&state);
    if id != state.pipeline_id {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Couldn't find that pipeline.",
        );
    }
    let couplings: Vec<Value> = state
        .apps
        .iter()
        .map(|app| coupling(&state.pipeline_id, &app.app.id, &app.app.name))
        .collect();
    Json(couplings).into_response()
}

#[derive(Debug, Deserialize)]
pub struct PromotionCreate {
    pipeline: Identity,
    source: Source,
    targets: Vec<Target>,
}

#[derive(Debug, Deserialize)]
struct Identity {
    id: String,
}

#[derive(Debug, Deserialize)]
struct Source {
    app: Identity,
}

#[derive(Debug, Deserialize)]
struct Target {
    app: Identity,
}

/// `POST /pipeline-promotions`: copies the source's current slug to each target as a new release.
pub async fn promote(
    State(state): State<SharedState>,
    Json(request): Json<PromotionCreate>,
) -> Response {
    let mut state = lock(&state);
    if request.pipeline.id != state.pipeline_id {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Couldn't find that pipeline.",
        );
    }
    let Some(source) = state
        .apps
        .iter()
        .find(|app| app.app.id == request.source.app.id)
    else {
        return error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Couldn't find the source app.",
        );
    };
    let (source_name, slug, version) = match source.releases.first() {
        Some(current) => (
            source.app.name.clone(),
            current.slug.clone(),
            current.version,
        ),
        None => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The source app has no release to promote.",
            );
        }
    };
    let id = crate::sim::world::ids::uuid();
    let mut targets = Vec::new();
    for target in &request.targets {
        let Some(app) = state
            .apps
            .iter_mut()
            .find(|app| app.app.id == target.app.id)
        else {
            return error(
                StatusCode::NOT_FOUND,
                "not_found",
                "Couldn't find a target app.",
            );
        };
        let release = add_release(
            app,
            &format!("Promote {source_name} v{version}"),
            slug.clone(),
        );
        for dyno in &mut app.dynos {
            dyno.dyno.release = Some(ReleaseReference {
                id: release.id.clone(),
                version: release.version,
            });
            dyno.restart();
        }
        app.logs.write(
            "heroku",
            "api",
            &format!("Promote {source_name} v{version} by user"),
        );
        targets.push(json!({
            "id": crate::sim::world::ids::uuid(),
            "app": { "id": app.app.id },
            "status": "succeeded",
            "release": { "id": release.id },
            "error_message": null,
            "pipeline_promotion": { "id": id },
        }));
    }
    state.promotions.insert(id.clone(), targets);
    let body = json!({ "id": id, "pipeline": { "id": request.pipeline.id }, "source": { "app": { "id": request.source.app.id } }, "status": "completed", "created_at": crate::sim::world::ids::now() });
    (StatusCode::CREATED, Json(body)).into_response()
}

pub async fn targets(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    match lock(&state).promotions.get(&id) {
        Some(targets) => Json(targets).into_response(),
        None => error(
            StatusCode::NOT_FOUND,
            "not_found",
            "Couldn't find that promotion.",
        ),
    }
}
