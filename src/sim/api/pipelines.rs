//! The pipeline of the simulated apps: every app coupled to one pipeline (apps whose name ends in
//! `staging` at the staging stage, the others at production), and promotions along it.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::respond::{NamedApp, error};
use crate::sim::world::add_release;
use crate::sim::world::stage_of;
use crate::sim::world::{SharedState, SimApp, lock};

fn coupling(pipeline: &str, app_id: &str, app: &str) -> Value {
    json!({
        "id": format!("coupling-{app_id}"),
        "app": { "id": app_id, "name": app },
        "pipeline": { "id": pipeline, "name": "lazona-connector" },
        "stage": stage_of(app),
    })
}

pub async fn by_app(named: NamedApp) -> Response {
    let pipeline = lock(&named.state).pipeline_id.clone();
    named.with(|app, _| Json(coupling(&pipeline, &app.app.id, &app.app.name)).into_response())
}

pub async fn by_pipeline(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    let state = lock(&state);
    if id != state.pipeline_id {
        return error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that pipeline.");
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

/// What a promotion copies: the source app's name, and its current slug and version.
struct Promoted {
    source: String,
    slug: Option<crate::heroku::types::Identity>,
    version: u64,
}

/// `POST /pipeline-promotions`: copies the source's current slug to each target as a new release.
/// Every app is checked before any target changes, so a bad request changes nothing.
pub async fn promote(
    State(state): State<SharedState>,
    Json(request): Json<PromotionCreate>,
) -> Response {
    let mut state = lock(&state);
    if request.pipeline.id != state.pipeline_id {
        return not_found("Couldn't find that pipeline.");
    }
    let promoted = match promoted_release(&state.apps, &request.source.app.id) {
        Ok(promoted) => promoted,
        Err((status, id, message)) => return error(status, id, message),
    };
    let known = |id: &str| state.apps.iter().any(|app| app.app.id == id);
    if !request.targets.iter().all(|target| known(&target.app.id)) {
        return not_found("Couldn't find a target app.");
    }
    let id = crate::sim::world::uuid();
    let targets: Vec<Value> = request
        .targets
        .iter()
        .filter_map(|target| {
            let app = state.apps.iter_mut().find(|app| app.app.id == target.app.id)?;
            Some(promote_to(app, &promoted, &id))
        })
        .collect();
    state.promotions.insert(id.clone(), targets);
    let body = json!({
        "id": id,
        "pipeline": { "id": request.pipeline.id },
        "source": { "app": { "id": request.source.app.id } },
        "status": "completed",
        "created_at": crate::sim::world::now(),
        "updated_at": crate::sim::world::now(),
    });
    state.promotion_records.insert(id, body.clone());
    (StatusCode::CREATED, Json(body)).into_response()
}

fn not_found(message: &str) -> Response {
    error(StatusCode::NOT_FOUND, "not_found", message)
}

/// Heroku's error for a request that cannot be served: status, id and message.
type Refusal = (StatusCode, &'static str, &'static str);

fn promoted_release(apps: &[SimApp], source_id: &str) -> Result<Promoted, Refusal> {
    let Some(source) = apps.iter().find(|app| app.app.id == source_id) else {
        return Err((StatusCode::NOT_FOUND, "not_found", "Couldn't find the source app."));
    };
    let Some(current) = source.releases.first() else {
        return Err((
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_params",
            "The source app has no release to promote.",
        ));
    };
    Ok(Promoted {
        source: source.app.name.clone(),
        slug: current.slug.clone(),
        version: current.version,
    })
}

/// Releases the promoted slug on `app` and restarts its dynos on it; the promotion target.
fn promote_to(app: &mut SimApp, promoted: &Promoted, promotion: &str) -> Value {
    let description = format!("Promote {} v{}", promoted.source, promoted.version);
    let release = add_release(app, &description, promoted.slug.clone());
    app.logs.write("heroku", "api", &format!("{description} by user"));
    json!({
        "id": crate::sim::world::uuid(),
        "app": { "id": app.app.id },
        "status": "succeeded",
        "release": { "id": release.id },
        "error_message": null,
        "pipeline_promotion": { "id": promotion },
    })
}

/// `GET /pipeline-promotions/{id}`
pub async fn info(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    match lock(&state).promotion_records.get(&id) {
        Some(promotion) => Json(promotion).into_response(),
        None => not_found("Couldn't find that promotion."),
    }
}

pub async fn targets(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    match lock(&state).promotions.get(&id) {
        Some(targets) => Json(targets).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that promotion."),
    }
}
