//! Builds in the simulator: sources to upload to, builds that stream buildpack output, and the
//! release a finished build creates (the dynos restart on it).

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::respond::{AppItem, NamedApp, error};
use crate::sim::world::add_release;
use crate::sim::world::{SharedState, SimBuild, lock};

/// How long each line of buildpack output takes to arrive.
const LINE_PACE: std::time::Duration = std::time::Duration::from_millis(20);

fn host(headers: &HeaderMap) -> String {
    headers.get("host").and_then(|value| value.to_str().ok()).unwrap_or("127.0.0.1").to_string()
}

/// `POST /sources`: where to upload a source tarball, and where Heroku will fetch it from.
pub async fn create_source(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let id = crate::sim::world::uuid();
    lock(&state).sources.insert(id.clone(), Vec::new());
    let url = format!("http://{}/__sim/sources/{id}", host(&headers));
    (StatusCode::CREATED, Json(json!({ "source_blob": { "get_url": url, "put_url": url } })))
        .into_response()
}

/// `PUT` to a source's `put_url` (S3 in real life: no token).
pub async fn upload_source(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let mut state = lock(&state);
    match state.sources.get_mut(&id) {
        Some(stored) => {
            *stored = body.to_vec();
            StatusCode::OK.into_response()
        }
        None => error(StatusCode::NOT_FOUND, "not_found", "No such source."),
    }
}

#[derive(Debug, Deserialize)]
pub struct BuildCreate {
    source_blob: SourceBlob,
}

#[derive(Debug, Deserialize)]
struct SourceBlob {
    url: String,
    version: Option<String>,
}

/// `POST /apps/{app}/builds`: a pending build of an uploaded source.
pub async fn create_build(
    named: NamedApp,
    headers: HeaderMap,
    Json(request): Json<BuildCreate>,
) -> Response {
    let source_id = request.source_blob.url.rsplit('/').next().unwrap_or_default().to_string();
    let uploaded = lock(&named.state).sources.get(&source_id).map(Vec::len);
    match uploaded {
        None => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "source_blob.url does not point at a source of this simulator",
            );
        }
        Some(0) => {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The source was never uploaded (empty tarball).",
            );
        }
        Some(_) => {}
    }
    let id = crate::sim::world::uuid();
    let build = SimBuild {
        id: id.clone(),
        version: request.source_blob.version.unwrap_or_else(|| "unknown".into()),
        status: "pending".into(),
        release: None,
        output_stream_url: format!("http://{}/__sim/builds/{id}/output", host(&headers)),
    };
    named.with(|app, _| {
        app.builds.push(build.clone());
        (StatusCode::CREATED, Json(build_json(&build, &app.app.name))).into_response()
    })
}

/// `GET /apps/{app}/builds`: oldest first.
pub async fn list(named: NamedApp) -> Response {
    named.with(|app, _| {
        let all: Vec<Value> =
            app.builds.iter().map(|build| build_json(build, &app.app.name)).collect();
        Json(all).into_response()
    })
}

pub async fn build_info(AppItem(named, id): AppItem) -> Response {
    named.with(|app, _| match app.builds.iter().find(|build| build.id == id) {
        Some(build) => Json(build_json(build, &app.app.name)).into_response(),
        None => error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that build."),
    })
}

fn build_json(build: &SimBuild, app: &str) -> Value {
    json!({
        "id": build.id,
        "status": build.status,
        "output_stream_url": build.output_stream_url,
        "source_blob": { "version": build.version },
        "release": build.release.as_ref().map(|id| json!({ "id": id })),
        "app": { "name": app },
    })
}

/// The build's output, a line at a time; when it ends the build has succeeded and released.
pub async fn build_output(State(state): State<SharedState>, Path(id): Path<String>) -> Response {
    let Some(version) = find_build(&state, &id).map(|build| build.version) else {
        return error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that build.");
    };
    let lines = buildpack_output(&version);
    let stream = futures_util::stream::unfold(
        (state, id, lines.into_iter()),
        |(state, id, mut lines)| async move {
            crate::clock::sleep_serving(LINE_PACE).await;
            match lines.next() {
                Some(line) => Some((
                    Ok::<Bytes, std::io::Error>(Bytes::from(format!("{line}\n"))),
                    (state, id, lines),
                )),
                None => {
                    let released = finish(&state, &id);
                    released
                        .map(|text| (Ok(Bytes::from(text)), (state, id, Vec::new().into_iter())))
                }
            }
        },
    );
    Body::from_stream(stream).into_response()
}

fn find_build(state: &SharedState, id: &str) -> Option<SimBuild> {
    lock(state).apps.iter().flat_map(|app| app.builds.iter()).find(|build| build.id == id).cloned()
}

/// Marks the build succeeded and releases it; the last line of output, once.
fn finish(state: &SharedState, id: &str) -> Option<String> {
    let mut state = lock(state);
    let app = state
        .apps
        .iter_mut()
        .find(|app| app.builds.iter().any(|build| build.id == id && build.status == "pending"))?;
    let short: String =
        app.builds.iter().find(|build| build.id == id)?.version.chars().take(7).collect();
    let release = add_release(
        app,
        &format!("Deploy {short}"),
        Some(crate::heroku::types::Identity { id: crate::sim::world::uuid() }),
    );
    if std::mem::take(&mut app.next_deploy_bad)
        && let Some(slug) = &release.slug
    {
        app.bad_slugs.push(slug.id.clone());
    }
    app.logs.write("heroku", "api", &format!("Deploy {short} by user"));
    app.logs.write("heroku", "api", &format!("Release v{} created by user", release.version));
    let build = app.builds.iter_mut().find(|build| build.id == id)?;
    build.status = "succeeded".into();
    build.release = Some(release.id.clone());
    Some(format!("-----> Released v{}\n", release.version))
}

fn buildpack_output(version: &str) -> Vec<String> {
    vec![
        "-----> Building on the Heroku-24 stack".into(),
        "-----> Determining which buildpack to use for this app".into(),
        "-----> Python app detected".into(),
        "-----> Using Python 3.12 specified in .python-version".into(),
        "-----> Installing requirements with pip".into(),
        "-----> $ python manage.py collectstatic --noinput".into(),
        "       142 static files copied to '/app/staticfiles'.".into(),
        "-----> Discovering process types".into(),
        "       Procfile declares types -> web, worker".into(),
        "-----> Compressing...".into(),
        "       Done: 71.4M".into(),
        format!("-----> Launching {}...", version.chars().take(7).collect::<String>()),
    ]
}
