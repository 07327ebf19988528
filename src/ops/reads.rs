//! The simple read operations: app info, config vars, formation, releases, add-ons.

use serde_json::Value;

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, Outcome};
use crate::effects::Effects;
use crate::heroku::{addons, apps, config_vars, formation, releases};

fn outcome<T: serde::Serialize>(value: &T, summary: String) -> Outcome {
    Outcome {
        value: serde_json::to_value(value).unwrap_or(Value::Null),
        summary: Some(summary),
    }
}

pub async fn app_info(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let info = apps::info(effects.client(), app).await?;
    let maintenance = if info.maintenance { "on" } else { "off" };
    let summary = format!(
        "{}: maintenance {maintenance}, {}",
        info.name,
        info.web_url.as_deref().unwrap_or("no web URL")
    );
    Ok(outcome(&info, summary))
}

pub async fn config_vars(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let vars = config_vars::get(effects.client(), app).await?;
    let names: Vec<&str> = vars.keys().map(String::as_str).collect();
    let summary = format!(
        "{} config vars: {} (values masked)",
        names.len(),
        names.join(", ")
    );
    Ok(outcome(&vars, summary))
}

pub async fn formation(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let entries = formation::list(effects.client(), app).await?;
    let summary = entries
        .iter()
        .map(|entry| {
            format!(
                "{} x{} ({})",
                entry.process_type, entry.quantity, entry.size
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok(outcome(&entries, summary))
}

/// The newest `limit` releases (10 when not given), newest first.
pub async fn releases(
    effects: &Effects,
    values: &ArgumentValues,
) -> Result<Outcome, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let limit = values.int("limit").unwrap_or(10).clamp(1, 1000) as usize;
    let mut all = releases::list(effects.client(), &app).await?;
    all.truncate(limit);
    let summary = all
        .iter()
        .take(3)
        .map(|release| {
            format!(
                "v{}{} {}",
                release.version,
                if release.current { " (current)" } else { "" },
                release.description
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Ok(outcome(&all, summary))
}

/// The add-ons with their dashboards (Papertrail, Sentry, Scout APM).
pub async fn addons(effects: &Effects, app: &str) -> Result<Outcome, OperationError> {
    let all = addons::list(effects.client(), app).await?;
    let summary = all
        .iter()
        .map(|addon| {
            format!(
                "{}: {}",
                addon.addon_service.name,
                addon.web_url.as_deref().unwrap_or("no dashboard")
            )
        })
        .collect::<Vec<_>>()
        .join(", ");
    Ok(outcome(&all, summary))
}
