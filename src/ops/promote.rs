//! `heroku.promote`: the release of the app at the pipeline's staging stage, promoted to this app,
//! then the wait until every dyno runs it.

use std::time::{Duration, Instant};

use serde_json::json;

use super::arguments::ArgumentValues;
use super::deploy::wait_for_release;
use super::invoke::{OperationError, OperationOutput, Outcome, not_sent};
use crate::effects::{Effects, PlannedRequest, WriteOutcome};
use crate::heroku::pipelines::{self, Coupling};
use crate::heroku::releases;

const POLL: Duration = Duration::from_millis(500);
const LONGEST: Duration = Duration::from_secs(10 * 60);

/// The app promoted from (`from`, or the pipeline's staging app) and the app promoted to.
pub async fn ends(
    effects: &Effects,
    values: &ArgumentValues,
) -> Result<(Coupling, Coupling), OperationError> {
    let app = values.string("app").unwrap_or_default();
    let target = pipelines::coupling(effects.client(), &app).await?;
    let source = match values.string("from") {
        Some(from) => pipelines::coupling(effects.client(), &from).await?,
        None => pipelines::couplings(effects.client(), &target.pipeline.id)
            .await?
            .into_iter()
            .find(|coupling| coupling.stage == "staging" && coupling.app.id != target.app.id)
            .ok_or_else(|| {
                OperationError::Failed(format!(
                    "the pipeline of `{app}` has no staging app to promote from"
                ))
            })?,
    };
    if source.pipeline.id != target.pipeline.id {
        return Err(OperationError::Failed(format!(
            "`{}` and `{app}` are not in the same pipeline",
            source.app.name
        )));
    }
    Ok((source, target))
}

pub async fn plan(
    effects: &Effects,
    values: &ArgumentValues,
) -> Result<PlannedRequest, OperationError> {
    let (source, target) = ends(effects, values).await?;
    let (method, path, body) =
        pipelines::promote_request(&target.pipeline.id, &source.app.id, &[&target.app.id]);
    Ok(PlannedRequest::new(&target.app.name, (method, path)).with_body(Some(body)))
}

/// `promoting lazona-connector-staging v42 (Deploy 9f3c2d1) to lazona-connector-production (now v41 ...)`
pub async fn affected(effects: &Effects, values: &ArgumentValues) -> Option<String> {
    let (source, target) = ends(effects, values).await.ok()?;
    let from = releases::list(effects.client(), &source.app.name)
        .await
        .ok()?
        .into_iter()
        .next()?;
    let to = releases::list(effects.client(), &target.app.name)
        .await
        .ok()?
        .into_iter()
        .next()?;
    Some(format!(
        "promoting {} v{} ({}) to {} (now v{} {})",
        source.app.name,
        from.version,
        from.description,
        target.app.name,
        to.version,
        to.description
    ))
}

pub async fn promote(
    effects: &Effects,
    values: &ArgumentValues,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let request = plan(effects, values).await?;
    let described = request.describe();
    let WriteOutcome::Sent { body, .. } = effects.write(request).await? else {
        return Ok(not_sent(&described));
    };
    let promotion = body["id"].as_str().unwrap_or_default().to_string();
    let app = values.string("app").unwrap_or_default();
    let release = promoted_release(effects, &promotion).await?;
    wait_for_release(effects, &app, &release, output).await?;
    let now = releases::list(effects.client(), &app)
        .await?
        .into_iter()
        .next();
    let version = now.as_ref().map_or("?".into(), |release| {
        format!("v{}: {}", release.version, release.description)
    });
    Ok(Outcome {
        summary: Some(format!(
            "promoted to {app}, now {version}; every dyno runs it"
        )),
        value: json!({ "promotion": promotion, "release": release }),
    })
}

/// Polls the promotion's target until it is no longer pending; the release it made.
async fn promoted_release(effects: &Effects, promotion: &str) -> Result<String, OperationError> {
    let started = Instant::now();
    loop {
        let targets = pipelines::targets(effects.client(), promotion).await?;
        if let Some(failed) = targets.iter().find(|target| target.status == "failed") {
            let reason = failed
                .error_message
                .clone()
                .unwrap_or_else(|| "no reason given".into());
            return Err(OperationError::Failed(format!(
                "the promotion failed: {reason}"
            )));
        }
        if let Some(done) = targets.iter().find(|target| target.status == "succeeded") {
            return done
                .release
                .as_ref()
                .map(|release| release.id.clone())
                .ok_or_else(|| OperationError::Failed("the promotion made no release".into()));
        }
        if started.elapsed() > LONGEST {
            return Err(OperationError::Failed(format!(
                "the promotion {promotion} is still pending after 10 minutes"
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}
