//! `heroku.health`: is the app healthy now? Its verdict (every dyno up, the router's error rate
//! over a window under a threshold, the URL check) with the evidence: states, counts by code,
//! sample lines. It reads only: the dynos, one log session, and the URL.

use crate::ops::argument_sets::HealthArguments;
use crate::ops::behaviour::Read;
use crate::ops::health::{self, DEFAULT_MAX_ERROR_RATE, DEFAULT_WINDOW, HealthRule, UrlCheck};
use crate::ops::outcome::{OperationError, Outcome};
use crate::ops::outcome::{OperationResult, Running};

pub struct Health;

impl Read for Health {
    type Arguments = HealthArguments;

    async fn read(&self, arguments: HealthArguments, running: Running<'_>) -> OperationResult {
        let Running { effects, .. } = running;
        let app = arguments.app.clone();
        let rule = rule(arguments)?;
        let verdict = health::read(effects.reader(), &app, &rule).await?;
        Ok(Outcome { summary: Some(verdict.summary()), value: verdict.to_json() })
    }
}

fn rule(arguments: HealthArguments) -> Result<HealthRule, OperationError> {
    let HealthArguments { process_type, window, max_error_rate, path, status, contains, .. } =
        arguments;
    let status = match status {
        Some(status) => {
            u16::try_from(status).ok().filter(|status| (100..600).contains(status)).ok_or_else(
                || OperationError::Failed(format!("`status: {status}` is not an HTTP status")),
            )?
        }
        None => 200,
    };
    Ok(HealthRule {
        process_type,
        only_dynos: Vec::new(),
        window: window.unwrap_or(DEFAULT_WINDOW),
        max_error_rate: max_error_rate.map_or(DEFAULT_MAX_ERROR_RATE, |rate| rate.0),
        since: None,
        check: path.map(|path| UrlCheck { path, status, contains }),
    })
}
