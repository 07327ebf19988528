//! `heroku.check_app`: does the app answer? A plain GET of its web URL, as a visitor would.

use std::time::Instant;

use serde_json::json;

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, Outcome};
use crate::effects::Effects;
use crate::heroku::apps;

pub async fn check(effects: &Effects, values: &ArgumentValues) -> Result<Outcome, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let path = values.string("path").unwrap_or_else(|| "/".into());
    let expected = values.int("status").unwrap_or(200);
    let info = apps::info(effects.client(), &app).await?;
    let base = info
        .web_url
        .ok_or_else(|| OperationError::Failed(format!("`{app}` has no web URL")))?;
    let url = format!(
        "{}/{}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    );
    crate::heroku::client::install_crypto_provider();
    let started = Instant::now();
    let status = reqwest::get(&url)
        .await
        .map_err(|error| OperationError::Failed(format!("{url} did not answer: {error}")))?
        .status()
        .as_u16();
    let took = started.elapsed().as_millis();
    let summary = format!("GET {url} answered {status} in {took} ms");
    if i64::from(status) != expected {
        return Err(OperationError::Failed(format!("{summary}, not {expected}")));
    }
    Ok(Outcome {
        value: json!({ "url": url, "status": status, "milliseconds": took }),
        summary: Some(summary),
    })
}
