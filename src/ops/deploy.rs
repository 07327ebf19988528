//! `heroku.deploy`: the committed tree of a branch, uploaded and built through the Build API, its
//! output streamed live, then the wait until every dyno runs the new release.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, OperationOutput, Outcome, placeholder};
use super::logs::each_line;
use crate::effects::{Effects, PlannedRequest, WriteOutcome};
use crate::heroku::builds::{self, Build, SourceBlob};
use crate::heroku::dynos;
use crate::local::git;

const POLL: Duration = Duration::from_millis(500);
const LONGEST_BUILD: Duration = Duration::from_secs(30 * 60);

pub fn plan(values: &ArgumentValues) -> PlannedRequest {
    PlannedRequest::new(
        &values.string("app").unwrap_or_default(),
        builds::create_source_request(),
    )
}

pub async fn deploy(
    effects: &Effects,
    values: &ArgumentValues,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let branch = values.string("branch").unwrap_or_else(|| "main".into());
    let directory = PathBuf::from(values.string("directory").unwrap_or_else(|| ".".into()));
    let archive = git::archive(&directory, &branch).map_err(OperationError::Failed)?;
    let short: String = archive.commit.chars().take(7).collect();
    let created = effects.write(plan(values)).await?;
    let WriteOutcome::Sent { body, .. } = created else {
        return plan_the_rest(effects, &app, &branch, &short, archive.bytes.len()).await;
    };
    let source: SourceBlob =
        serde_json::from_value(body["source_blob"].clone()).map_err(|error| {
            OperationError::Failed(format!("unexpected answer to POST /sources: {error}"))
        })?;
    effects.upload(&app, &source.put_url, archive.bytes).await?;
    let build = start_build(effects, &app, &source.get_url, &archive.commit).await?;
    if let Some(url) = &build.output_stream_url {
        each_line(url, |line| {
            (output.line)(line.to_string());
            true
        })
        .await?;
    }
    let release = finished_build(effects, &app, &build.id).await?;
    wait_for_release(effects, &app, &release, output).await?;
    Ok(Outcome {
        summary: Some(format!(
            "deployed {branch} @ {short} to {app}; every dyno runs the new release"
        )),
        value: json!({ "build": build.id, "release": release, "commit": archive.commit, "branch": branch }),
    })
}

/// In a dry-run: the upload and the build are added to the plan, after `POST /sources`.
async fn plan_the_rest(
    effects: &Effects,
    app: &str,
    branch: &str,
    short: &str,
    size: usize,
) -> Result<Outcome, OperationError> {
    let upload = PlannedRequest::new(
        app,
        (reqwest::Method::PUT, "<put_url of the new source>".into()),
    )
    .with_body(Some(Value::String(format!(
        "{size} bytes: tar.gz of {branch} @ {short}"
    ))));
    effects.write(upload).await?;
    let (method, path, body) =
        builds::create_build_request(app, "<get_url of the new source>", short);
    effects
        .write(PlannedRequest::new(app, (method, path)).with_body(Some(body)))
        .await?;
    Ok(Outcome {
        value: placeholder(&format!("the deploy of {branch} @ {short}")),
        summary: Some(format!(
            "dry-run: would upload {size} bytes ({branch} @ {short}), build and release them"
        )),
    })
}

async fn start_build(
    effects: &Effects,
    app: &str,
    source_url: &str,
    commit: &str,
) -> Result<Build, OperationError> {
    let (method, path, body) = builds::create_build_request(app, source_url, commit);
    let WriteOutcome::Sent { body, .. } = effects
        .write(PlannedRequest::new(app, (method, path)).with_body(Some(body)))
        .await?
    else {
        return Err(OperationError::Failed("the build was not started".into()));
    };
    serde_json::from_value(body).map_err(|error| {
        OperationError::Failed(format!("unexpected answer to POST /builds: {error}"))
    })
}

/// Polls the build until it is no longer pending; the id of the release it made.
async fn finished_build(effects: &Effects, app: &str, id: &str) -> Result<String, OperationError> {
    let started = Instant::now();
    loop {
        let build = builds::info(effects.client(), app, id).await?;
        match build.status.as_str() {
            "succeeded" => {
                return build
                    .release
                    .map(|release| release.id)
                    .ok_or_else(|| OperationError::Failed("the build made no release".into()));
            }
            "failed" => {
                return Err(OperationError::Failed(format!(
                    "the build {id} failed: see its output above"
                )));
            }
            _ if started.elapsed() > LONGEST_BUILD => {
                return Err(OperationError::Failed(format!(
                    "the build {id} is still pending after 30 minutes"
                )));
            }
            _ => tokio::time::sleep(POLL).await,
        }
    }
}

/// Waits until every dyno runs `release` and is up.
pub async fn wait_for_release(
    effects: &Effects,
    app: &str,
    release: &str,
    output: &OperationOutput<'_>,
) -> Result<(), OperationError> {
    let started = Instant::now();
    loop {
        let all = dynos::list(effects.client(), app).await?;
        let ready = all
            .iter()
            .filter(|dyno| {
                dyno.is_up()
                    && dyno
                        .release
                        .as_ref()
                        .is_some_and(|running| running.id == release)
            })
            .count();
        (output.progress)(
            ready as u64,
            all.len() as u64,
            format!("{ready}/{} dynos on the new release", all.len()),
        );
        if ready == all.len() {
            return Ok(());
        }
        if started.elapsed() > LONGEST_BUILD {
            return Err(OperationError::Failed(
                "the dynos did not all start on the new release".into(),
            ));
        }
        tokio::time::sleep(POLL).await;
    }
}
