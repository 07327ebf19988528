//! After a release (a deploy, a promotion): health watched for a window, and, when it turns bad,
//! a rollback to the release it replaced. The rollback is planned when the write is prepared,
//! so the prompt, the dry-run's plan and an approval all name it ("if it turns unhealthy within
//! 5m, rolls back to v41"); it is sent through the same chokepoint as any write, at most once.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::health::{self, HealthRule, Verdict};
use super::outcome::{OperationError, OperationOutput};
use super::prepared::PreparedWrite;
use super::release_wait::wait_for_release;
use crate::effects::{Effects, Planned, PlannedRequest};
use crate::heroku::{Client, releases};
use crate::identifiers::AppName;

/// How long a release is watched when the runbook does not say.
pub const DEFAULT_WATCH: Duration = Duration::from_secs(300);
/// How often health is read while watched.
const CHECK_EVERY: Duration = Duration::from_secs(15);

/// What to do after the release: how long to watch, and the rollback if it turns bad.
pub struct WatchPlan {
    pub window: Duration,
    pub rollback: Option<RollbackPlan>,
    /// What the prompt says of it.
    impact: Option<String>,
}

/// The release a rollback restores, and the request that does it.
pub struct RollbackPlan {
    pub request: PlannedRequest,
    pub version: u64,
}

/// The watch of `app` after its release (and its rollback), planned from its current release.
pub async fn plan(
    app: &AppName,
    reader: &Client,
    watch: Option<Duration>,
    rollback: Option<bool>,
) -> Result<WatchPlan, OperationError> {
    let window = watch.unwrap_or(DEFAULT_WATCH);
    let shown = humantime::format_duration(window);
    if window.is_zero() {
        return Ok(WatchPlan { window, rollback: None, impact: None });
    }
    if rollback == Some(false) {
        return Ok(WatchPlan {
            window,
            rollback: None,
            impact: Some(format!("then watches health for {shown} and reports it (no rollback)")),
        });
    }
    let current =
        releases::list(reader, app).await?.into_iter().find(|release| release.current).ok_or_else(
            || OperationError::Failed(format!("`{app}` has no current release to come back to")),
        )?;
    Ok(WatchPlan {
        window,
        impact: Some(format!(
            "then watches health for {shown}; if it turns unhealthy, rolls back to v{} ({})",
            current.version, current.description
        )),
        rollback: Some(RollbackPlan {
            request: PlannedRequest {
                app: app.clone(),
                request: releases::rollback_request(app, &current.id),
            },
            version: current.version,
        }),
    })
}

impl WatchPlan {
    /// What the write shows of it: the prompt's line, and the rollback among its planned
    /// requests (taken before the plan moves into the write's action).
    pub fn shown(&self) -> Shown {
        Shown {
            impact: self.impact.clone(),
            rollback: self
                .rollback
                .as_ref()
                .map(|rollback| Planned::Request(rollback.request.clone())),
        }
    }
}

/// A watch as its write shows it.
pub struct Shown {
    impact: Option<String>,
    rollback: Option<Planned>,
}

impl Shown {
    /// `write` with the watch in its prompt and its rollback planned last.
    pub fn on(self, mut write: PreparedWrite) -> PreparedWrite {
        if let Some(impact) = self.impact {
            write = write.impact(impact);
        }
        if let Some(rollback) = self.rollback {
            write = write.then(rollback);
        }
        write
    }
}

/// After the release `outcome` reports: the watch, and what it adds to the outcome (or the
/// failure it makes).
pub async fn after_release(
    plan: &WatchPlan,
    mut outcome: super::outcome::Outcome,
    effects: &Effects,
    app: &AppName,
    output: &OperationOutput<'_>,
) -> Result<super::outcome::Outcome, OperationError> {
    let watched = watch(plan, effects.reader(), app, output).await?;
    let (more, evidence) = conclude(plan, watched, effects, app, output).await?;
    if let Some(summary) = &mut outcome.summary {
        summary.push_str(&more);
    }
    outcome.value["health"] = evidence;
    Ok(outcome)
}

/// How a watch ended.
enum Watched {
    /// `watch: 0s`.
    Skipped,
    Healthy(Verdict),
    /// Unhealthy, and what was done about it.
    Unhealthy {
        verdict: Verdict,
        after: Duration,
    },
}

/// Watches `app` from `released` for the plan's window; ends early at the first bad verdict.
async fn watch(
    plan: &WatchPlan,
    reader: &Client,
    app: &AppName,
    output: &OperationOutput<'_>,
) -> Result<Watched, OperationError> {
    if plan.window.is_zero() {
        return Ok(Watched::Skipped);
    }
    let released: SystemTime = crate::clock::system_now();
    let started = crate::clock::now();
    let rule = HealthRule { since: Some(released), ..HealthRule::default() };
    loop {
        let elapsed = crate::clock::since(started);
        let wait = CHECK_EVERY.min(plan.window.saturating_sub(elapsed));
        crate::clock::sleep(wait).await;
        let verdict = health::read(reader, app, &rule).await?;
        let elapsed = crate::clock::since(started);
        if !verdict.healthy {
            return Ok(Watched::Unhealthy { verdict, after: elapsed });
        }
        let left = plan.window.saturating_sub(elapsed);
        if left.is_zero() {
            return Ok(Watched::Healthy(verdict));
        }
        (output.progress)(
            elapsed.as_secs(),
            plan.window.as_secs(),
            format!(
                "watching health, {} left: {}",
                humantime::format_duration(Duration::from_secs(left.as_secs())),
                verdict.summary()
            ),
        );
    }
}

/// What a watch adds to the operation's summary, or the failure it makes: a bad verdict rolls
/// back when the plan says so.
async fn conclude(
    plan: &WatchPlan,
    watched: Watched,
    effects: &Effects,
    app: &AppName,
    output: &OperationOutput<'_>,
) -> Result<(String, Value), OperationError> {
    match watched {
        Watched::Skipped => Ok((String::new(), Value::Null)),
        Watched::Healthy(verdict) => Ok((
            format!(
                "; healthy for {} ({})",
                humantime::format_duration(plan.window),
                verdict.summary()
            ),
            verdict.to_json(),
        )),
        Watched::Unhealthy { verdict, after } => {
            let seen = format!(
                "unhealthy {} after the release: {}",
                humantime::format_duration(Duration::from_secs(after.as_secs())),
                verdict.reasons.join("; ")
            );
            let Some(rollback) = &plan.rollback else {
                return Err(OperationError::Failed(format!(
                    "{seen}; not rolled back (rollback off): `heroku.rollback` restores the release before it"
                )));
            };
            (output.line)(format!("{seen}; rolling back to v{}", rollback.version));
            let answer = effects.send(&rollback.request).await?;
            let release = answer.body["id"].as_str().unwrap_or_default().to_string();
            let version = answer.body["version"].clone();
            wait_for_release(effects.reader(), app, &release, output).await?;
            Err(OperationError::Failed(format!(
                "{seen}; rolled back to v{} (now v{version}, every dyno runs it)",
                rollback.version
            )))
        }
    }
}
