//! `heroku.check_app`: does the app answer? A plain GET of its web URL, as a visitor would.

use std::time::Instant;

use serde_json::json;

use crate::effects::Effects;
use crate::heroku::apps;
use crate::identifiers::AppName;
use crate::ops::argument_sets::CheckAppArguments;
use crate::ops::behaviour::Read;
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};

pub struct CheckApp;

/// How long a visitor waits for the app to answer.
const VISIT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

impl Read for CheckApp {
    type Arguments = CheckAppArguments;

    async fn read(
        &self,
        CheckAppArguments { app, path, status }: CheckAppArguments,
        running: Running<'_>,
    ) -> OperationResult {
        let Running { effects, .. } = running;
        let path = path.unwrap_or_else(|| "/".into());
        let expected = status.unwrap_or(200);
        check(app, path, expected, effects).await
    }
}

async fn check(
    app: AppName,
    path: String,
    expected: i64,
    effects: &Effects,
) -> Result<Outcome, OperationError> {
    let info = apps::info(effects.reader(), &app).await?;
    let base =
        info.web_url.ok_or_else(|| OperationError::Failed(format!("`{app}` has no web URL")))?;
    let url = format!("{}/{}", base.trim_end_matches('/'), path.trim_start_matches('/'));
    let started = Instant::now();
    let client = crate::heroku::builder_for(&url)
        .timeout(VISIT_TIMEOUT)
        .build()
        .map_err(|error| OperationError::Failed(error.to_string()))?;
    let status = client
        .get(&url)
        .send()
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
