//! `heroku.promote`: the release of the pipeline's staging app (or `from`) promoted to this app,
//! then the wait until every dyno runs it.

use std::time::Duration;

use serde_json::json;

use super::send_first;
use crate::effects::Planned;
use crate::heroku::pipelines::{self, Coupling};
use crate::heroku::{Client, releases};
use crate::identifiers::{AppName, ResourceId};
use crate::ops::argument_sets::PromoteArguments;
use crate::ops::behaviour::named_app;
use crate::ops::behaviour::{Action, Prepare, Prepared, Preparing};
use crate::ops::health_watch::{self, WatchPlan};
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};
use crate::ops::prepared::PreparedWrite;
use crate::ops::release_wait::wait_for_release;

const POLL: Duration = Duration::from_millis(500);
const LONGEST: Duration = Duration::from_secs(10 * 60);

pub struct Promote;

/// The app promoted from, by name, and the watch of health that follows the promotion.
struct Source(AppName, WatchPlan);

impl Prepare for Promote {
    type Arguments = PromoteArguments;

    async fn prepare(&self, arguments: PromoteArguments, preparing: Preparing<'_>) -> Prepared {
        let app = arguments.app;
        let from = match arguments.from {
            Some(from) => Some(named_app(from, preparing.reader).await?),
            None => None,
        };
        let (source, target) = ends(preparing.reader, &app, from.as_ref()).await?;
        let pipeline = ResourceId::parse(&target.pipeline.id)
            .map_err(|error| OperationError::Failed(error.to_string()))?;
        let request = pipelines::promote_request(&pipeline, &source.app.id, &[&target.app.id]);
        // A coupling names its app by id only (as Heroku's does): the name is read from the app.
        let source_id = AppName::parse(&source.app.id)
            .map_err(|error| OperationError::Failed(error.to_string()))?;
        let source_name = named_app(source_id, preparing.reader).await?;
        let plan =
            health_watch::plan(&app, preparing.reader, arguments.watch, arguments.rollback).await?;
        let shown = plan.shown();
        Ok(shown.on(PreparedWrite::new(
            preparing.operation,
            app.clone(),
            Planned::request(&app, request),
            Source(source_name, plan),
        )))
    }
}

impl Action for Source {
    async fn affected(&self, write: &PreparedWrite, reader: &Client) -> Vec<String> {
        versions(&self.0, write, reader).await.into_iter().collect()
    }

    async fn send(self, write: PreparedWrite, running: Running<'_>) -> OperationResult {
        let app = write.app.clone();
        let outcome = promote(write, running).await?;
        health_watch::after_release(&self.1, outcome, running.effects, &app, running.output).await
    }
}

/// The coupling promoted from (`from`, or the pipeline's staging app) and the one promoted to.
async fn ends(
    reader: &Client,
    app: &AppName,
    from: Option<&AppName>,
) -> Result<(Coupling, Coupling), OperationError> {
    let target = pipelines::coupling(reader, app).await?;
    let source = match from {
        Some(from) => pipelines::coupling(reader, from).await?,
        None => {
            let pipeline = ResourceId::parse(&target.pipeline.id)
                .map_err(|error| OperationError::Failed(error.to_string()))?;
            pipelines::couplings(reader, &pipeline)
                .await?
                .into_iter()
                .find(|coupling| coupling.stage == "staging" && coupling.app.id != target.app.id)
                .ok_or_else(|| {
                    OperationError::Failed(format!(
                        "the pipeline of `{app}` has no staging app to promote from"
                    ))
                })?
        }
    };
    if source.pipeline.id != target.pipeline.id {
        return Err(OperationError::Failed(format!(
            "the app {} and `{app}` are not in the same pipeline",
            source.app.id
        )));
    }
    Ok((source, target))
}

/// `promoting lazona-connector-staging v42 (Deploy 9f3c2d1) to lazona-connector-production (now v41 ...)`
async fn versions(source: &AppName, write: &PreparedWrite, reader: &Client) -> Option<String> {
    let from = releases::list(reader, source).await.ok()?.into_iter().next()?;
    let to = releases::list(reader, &write.app).await.ok()?.into_iter().next()?;
    Some(format!(
        "promoting {source} v{} ({}) to {} (now v{} {})",
        from.version, from.description, write.app, to.version, to.description
    ))
}

async fn promote(write: PreparedWrite, running: Running<'_>) -> OperationResult {
    let Running { effects, output } = running;
    let (answer, _) = send_first(&write, effects).await?;
    let promotion = answer.body["id"].as_str().unwrap_or_default().to_string();
    let app = write.app.clone();
    let release = promoted_release(effects.reader(), &promotion).await?;
    wait_for_release(effects.reader(), &app, &release, output).await?;
    let now = releases::list(effects.reader(), &app).await?.into_iter().next();
    let version = now
        .as_ref()
        .map_or("?".into(), |release| format!("v{}: {}", release.version, release.description));
    Ok(Outcome {
        summary: Some(format!("promoted to {app}, now {version}; every dyno runs it")),
        value: json!({ "promotion": promotion, "release": release }),
    })
}

/// Polls the promotion's target until it is no longer pending; the release it made.
async fn promoted_release(reader: &Client, promotion: &str) -> Result<String, OperationError> {
    let id = ResourceId::parse(promotion).map_err(|error| {
        OperationError::Failed(format!("unexpected answer to POST /pipeline-promotions: {error}"))
    })?;
    let started = crate::clock::now();
    loop {
        let targets = pipelines::targets(reader, &id).await?;
        if let Some(failed) = targets.iter().find(|target| target.status == "failed") {
            let reason = failed.error_message.clone().unwrap_or_else(|| "no reason given".into());
            return Err(OperationError::Failed(format!("the promotion failed: {reason}")));
        }
        if let Some(done) = targets.iter().find(|target| target.status == "succeeded") {
            return done
                .release
                .as_ref()
                .map(|release| release.id.clone())
                .ok_or_else(|| OperationError::Failed("the promotion made no release".into()));
        }
        if crate::clock::since(started) > LONGEST {
            return Err(OperationError::Failed(format!(
                "the promotion {promotion} is still pending after 10 minutes"
            )));
        }
        crate::clock::sleep(POLL).await;
    }
}
