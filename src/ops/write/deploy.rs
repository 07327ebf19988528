//! `heroku.deploy`: the committed tree of a branch, uploaded and built through the Build API, its
//! output streamed live, then the wait until every dyno runs the new release. The branch is
//! packed once, when the write is prepared: what the prompt names is what is uploaded.

use std::path::PathBuf;
use std::time::Duration;

use serde_json::json;

use crate::effects::{Effects, Planned, PlannedRequest, PlannedUpload};
use crate::heroku::builds::{self, Build, SourceBlob};
use crate::heroku::{Client, Request};
use crate::identifiers::{AppName, ResourceId};
use crate::local::{self, Archive};
use crate::ops::argument_sets::DeployArguments;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing, ThisMachineCheck};
use crate::ops::health_watch::{self, WatchPlan};
use crate::ops::log_stream::{Silence, each_line};
use crate::ops::operation::Operation;
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;
use crate::ops::release_wait::wait_for_release;

const POLL: Duration = Duration::from_millis(500);
const LONGEST_BUILD: Duration = Duration::from_secs(30 * 60);

pub struct Deploy;

impl Prepare for Deploy {
    type Arguments = DeployArguments;

    async fn prepare(&self, arguments: DeployArguments, preparing: Preparing<'_>) -> Prepared {
        let (directory, branch) = checkout(arguments.directory, arguments.branch);
        let archive = local::archive(&directory, &branch)?;
        let app = arguments.app;
        let plan =
            health_watch::plan(&app, preparing.reader, arguments.watch, arguments.rollback).await?;
        Ok(planned(preparing.operation, app, &branch, archive, plan))
    }

    const THIS_MACHINE: Option<ThisMachineCheck<Self>> = Some(branch_to_deploy);
}

/// The branch is there to deploy: said before the run starts rather than at its deploy step.
fn branch_to_deploy(arguments: &DeployArguments) -> Result<(), OperationError> {
    let (directory, branch) = checkout(arguments.directory.clone(), arguments.branch.clone());
    local::commit(&directory, &branch)?;
    Ok(())
}

/// The work tree and branch a deploy or push reads: `.` and `main` unless given.
/// An empty `directory` (`-p directory=`) is `.` too.
pub fn checkout(directory: Option<String>, branch: Option<String>) -> (PathBuf, String) {
    let directory = directory.filter(|directory| !directory.is_empty());
    (
        PathBuf::from(directory.unwrap_or_else(|| ".".into())),
        branch.unwrap_or_else(|| "main".into()),
    )
}

/// What a deploy sends: the branch, packed when it was prepared.
struct Packed {
    branch: String,
    archive: Archive,
}

/// The deploy, and the watch of health that follows it.
struct Watched {
    packed: Packed,
    plan: WatchPlan,
}

impl Action for Watched {
    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let app = write.app.clone();
        let outcome = deploy(self.packed, write, running).await?;
        health_watch::after_release(&self.plan, outcome, running.effects, &app, running.output)
            .await
    }
}

/// What a deploy sends: the source, the upload, the build (and the rollback its watch may send).
fn planned(
    operation: &'static Operation,
    app: AppName,
    branch: &str,
    archive: Archive,
    plan: WatchPlan,
) -> PreparedWrite {
    let size = archive.bytes.len();
    let described = archive.commit.describe(branch);
    let short = archive.commit.short().to_string();
    let source = Planned::request(&app, builds::create_source_request());
    let upload = Planned::Upload(PlannedUpload {
        app: app.clone(),
        method: "PUT".into(),
        path: "<put_url of the new source>".into(),
        body: format!("{size} bytes: tar.gz of {branch} @ {short}"),
    });
    let build = Planned::request(
        &app,
        builds::create_build_request(&app, "<get_url of the new source>", &archive.commit.id),
    );
    let shown = plan.shown();
    let packed = Packed { branch: branch.to_string(), archive };
    let write = PreparedWrite::new(operation, app, source, Watched { packed, plan })
        .then(upload)
        .then(build)
        .impact(format!("deploying {described}"))
        .dry_run_summary(format!(
            "dry-run: would upload {size} bytes ({branch} @ {short}), build and release them"
        ));
    shown.on(write)
}

async fn deploy(packed: Packed, write: PreparedWrite, running: Running<'_>) -> OperationResult {
    let Running { effects, output } = running;
    let app = write.app.clone();
    let Packed { branch, archive } = packed;
    let Some(Planned::Request(source_request)) = write.planned.first() else {
        return Err(OperationError::Failed("the deploy was not prepared".into()));
    };
    let created = effects.send(source_request).await?;
    let source: SourceBlob =
        serde_json::from_value(created.body["source_blob"].clone()).map_err(|error| {
            OperationError::Failed(format!("unexpected answer to POST /sources: {error}"))
        })?;
    effects.upload(&app, &source.put_url, archive.bytes).await?;
    let request = builds::create_build_request(&app, &source.get_url, &archive.commit.id);
    let build = start_build(effects, &app, request).await?;
    if let Some(url) = &build.output_stream_url {
        // The build's status is read below whatever happens to its output: a silent or broken
        // stream only ends the showing of the output. Its lines are shown as they come.
        let streamed = each_line(effects.reader(), url, Silence::Fails, |line| {
            (output.progress)(0, 0, "building".into());
            (output.line)(line.to_string());
            true
        })
        .await;
        if let Err(error) = streamed {
            (output.detail)(format!("build output not followed further: {error}"));
        }
    }
    let release = finished_build(effects.reader(), &app, &build.id).await?;
    wait_for_release(effects.reader(), &app, &release, output).await?;
    let short = archive.commit.short();
    Ok(Outcome {
        summary: Some(format!(
            "deployed {branch} @ {short} to {app}; every dyno runs the new release"
        )),
        value: json!({ "build": build.id, "release": release, "commit": archive.commit.id, "branch": branch }),
    })
}

async fn start_build(
    effects: &Effects,
    app: &AppName,
    request: Request,
) -> Result<Build, OperationError> {
    let planned = PlannedRequest { app: app.clone(), request };
    let answer = effects.send(&planned).await?;
    serde_json::from_value(answer.body).map_err(|error| {
        OperationError::Failed(format!("unexpected answer to POST /builds: {error}"))
    })
}

/// Polls the build until it is no longer pending; the id of the release it made.
async fn finished_build(
    reader: &Client,
    app: &AppName,
    id: &str,
) -> Result<String, OperationError> {
    let id = ResourceId::parse(id).map_err(|error| OperationError::Failed(error.to_string()))?;
    let started = crate::clock::now();
    loop {
        let build = builds::info(reader, app, &id).await?;
        match build.status.as_str() {
            "succeeded" => {
                return build
                    .release
                    .map(|release| release.id)
                    .ok_or_else(|| OperationError::Failed("the build made no release".into()));
            }
            "failed" => {
                return Err(OperationError::Failed(format!(
                    "the build {} failed: see its output above",
                    id.as_str()
                )));
            }
            _ if crate::clock::since(started) > LONGEST_BUILD => {
                return Err(OperationError::Failed(format!(
                    "the build {} is still pending after 30 minutes",
                    id.as_str()
                )));
            }
            _ => crate::clock::sleep(POLL).await,
        }
    }
}
