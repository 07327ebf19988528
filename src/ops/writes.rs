//! The write operations: the request each sends (after reading what it needs), what it will
//! affect (for the prompt), and what it says once done.

use reqwest::Method;
use serde_json::Value;

use super::arguments::ArgumentValues;
use super::catalogue::{Operation, OperationKind};
use super::dynos as dyno_operations;
use super::invoke::OperationError;
use crate::effects::{Effects, PlannedRequest};
use crate::heroku::types::Release;
use crate::heroku::{apps, config_vars, dynos, formation, releases};

/// The request `operation` sends with `values`; `None` for reads.
pub async fn plan(
    operation: &Operation,
    values: &ArgumentValues,
    effects: &Effects,
) -> Result<Option<PlannedRequest>, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let text = |name: &str| values.string(name).unwrap_or_default();
    let plain = |(method, path): (Method, String)| (method, path, None);
    let with_body = |(method, path, body): (Method, String, Value)| (method, path, Some(body));
    let (method, path, body) = match operation.kind {
        OperationKind::Restart => plain(dynos::restart_request(
            &app,
            values.string("process_type").as_deref(),
        )),
        OperationKind::RestartDyno => plain(dynos::restart_dyno_request(&app, &text("dyno"))),
        OperationKind::Stop => plain(dynos::stop_request(&app, &text("process_type"))),
        OperationKind::StopDyno => plain(dynos::stop_dyno_request(&app, &text("dyno"))),
        OperationKind::Maintenance => with_body(apps::maintenance_request(
            &app,
            values.bool("enabled").unwrap_or(false),
        )),
        OperationKind::SetConfig => with_body(config_vars::update_request(
            &app,
            values.map("vars").cloned().unwrap_or_default(),
        )),
        OperationKind::Scale => with_body(formation::scale_request(
            &app,
            &text("process_type"),
            values.int("quantity"),
            values.string("size").as_deref(),
        )),
        OperationKind::Rollback => {
            let (_, target) =
                rollback_pair(effects, &app, values.string("release").as_deref()).await?;
            releases::rollback_request(&app, &target.id)
        }
        OperationKind::Run => return Ok(Some(super::one_off::plan(values))),
        OperationKind::Shell => return Ok(Some(super::shell::plan(values))),
        OperationKind::Deploy => return Ok(Some(super::deploy::plan(values))),
        OperationKind::Promote => return super::promote::plan(effects, values).await.map(Some),
        _ => return Ok(None),
    };
    Ok(Some(
        PlannedRequest::new(&app, (method, path)).with_body(body),
    ))
}

/// The current release and the one a rollback restores: `wanted` (an id, `v41` or `41`), or the
/// newest succeeded release before the current one.
pub async fn rollback_pair(
    effects: &Effects,
    app: &str,
    wanted: Option<&str>,
) -> Result<(Release, Release), OperationError> {
    let all = releases::list(effects.client(), app).await?;
    let current = all
        .iter()
        .find(|release| release.current)
        .or(all.first())
        .cloned();
    let Some(current) = current else {
        return Err(OperationError::Failed(format!(
            "`{app}` has no releases to roll back"
        )));
    };
    let target = match wanted {
        Some(wanted) => {
            let version = wanted.trim_start_matches('v');
            all.iter()
                .find(|release| release.id == wanted || release.version.to_string() == version)
                .cloned()
        }
        None => all
            .iter()
            .find(|release| release.version < current.version && release.status == "succeeded")
            .cloned(),
    };
    let target = target.ok_or_else(|| match wanted {
        Some(wanted) => OperationError::Failed(format!("`{app}` has no release `{wanted}`")),
        None => OperationError::Failed(format!("`{app}` has no earlier release to roll back to")),
    })?;
    if target.id == current.id {
        return Err(OperationError::Failed(format!(
            "v{} is already the current release of `{app}`",
            current.version
        )));
    }
    Ok((current, target))
}

/// What the prompt shows besides the app and the request.
pub async fn affected(
    operation: &Operation,
    values: &ArgumentValues,
    effects: &Effects,
) -> Vec<String> {
    let app = values.string("app").unwrap_or_default();
    let process_type = values.string("process_type");
    let dyno = values.string("dyno");
    let line = match operation.kind {
        OperationKind::Restart | OperationKind::Stop => {
            dyno_operations::affected(effects, &app, process_type.as_deref(), None).await
        }
        OperationKind::RestartDyno | OperationKind::StopDyno => {
            dyno_operations::affected(effects, &app, None, dyno.as_deref()).await
        }
        OperationKind::Rollback => {
            rollback_pair(effects, &app, values.string("release").as_deref())
                .await
                .ok()
                .map(|(current, target)| {
                    format!(
                        "leaving v{} ({}), restoring v{} ({})",
                        current.version, current.description, target.version, target.description
                    )
                })
        }
        OperationKind::Scale => scale_change(effects, &app, values).await,
        OperationKind::Promote => super::promote::affected(effects, values).await,
        OperationKind::Deploy => {
            let directory = values.string("directory").unwrap_or_else(|| ".".into());
            let branch = values.string("branch").unwrap_or_else(|| "main".into());
            Some(
                match crate::local::git::describe(std::path::Path::new(&directory), &branch) {
                    Ok(commit) => format!("deploying {commit}"),
                    Err(error) => format!("cannot read the branch: {error}"),
                },
            )
        }
        OperationKind::Maintenance => {
            let wanted = if values.bool("enabled").unwrap_or(false) {
                "on"
            } else {
                "off"
            };
            let now = apps::info(effects.client(), &app)
                .await
                .ok()
                .map(|info| if info.maintenance { "on" } else { "off" });
            Some(format!("maintenance: {} -> {wanted}", now.unwrap_or("?")))
        }
        OperationKind::SetConfig => values.map("vars").map(|vars| {
            let set: Vec<&str> = vars
                .iter()
                .filter(|(_, value)| !value.is_null())
                .map(|(name, _)| name.as_str())
                .collect();
            let unset: Vec<&str> = vars
                .iter()
                .filter(|(_, value)| value.is_null())
                .map(|(name, _)| name.as_str())
                .collect();
            format!(
                "config vars to set: {}; to remove: {} (values masked)",
                list_or_none(&set),
                list_or_none(&unset)
            )
        }),
        _ => None,
    };
    line.into_iter().collect()
}

fn list_or_none(names: &[&str]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

async fn scale_change(effects: &Effects, app: &str, values: &ArgumentValues) -> Option<String> {
    let kind = values.string("process_type")?;
    let entries = formation::list(effects.client(), app).await.ok()?;
    let entry = entries.iter().find(|entry| entry.process_type == kind)?;
    let quantity = values
        .int("quantity")
        .map_or(entry.quantity.to_string(), |quantity| quantity.to_string());
    let size = values.string("size").unwrap_or_else(|| entry.size.clone());
    Some(format!(
        "{kind}: {} x {} -> {quantity} x {size}",
        entry.quantity, entry.size
    ))
}

/// What a sent write says: the request, Heroku's request id, and how to undo a rollback.
pub fn summary(
    operation: &Operation,
    described: &str,
    body: &Value,
    request_id: Option<&str>,
) -> String {
    let sent = match request_id {
        Some(request_id) => format!("sent {described} (Request-Id {request_id})"),
        None => format!("sent {described}"),
    };
    match operation.kind {
        OperationKind::Rollback => format!(
            "{sent}; now v{}: {}",
            body["version"],
            body["description"].as_str().unwrap_or_default()
        ),
        OperationKind::Maintenance => format!(
            "{sent}; maintenance is {}",
            if body["maintenance"] == true {
                "on"
            } else {
                "off"
            }
        ),
        _ => sent,
    }
}
