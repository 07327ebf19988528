//! `heroku.logs`: open a log session, read its stream chunk by chunk (never whole), parse and
//! filter each line, count Heroku error codes, keep only the last lines asked for.

use std::collections::{BTreeMap, VecDeque};
use std::time::Duration;

use serde_json::{Value, json};

use super::arguments::ArgumentValues;
use super::invoke::{OperationError, OperationOutput, Outcome};
use super::log_line::{self, LogLine};
use crate::effects::Effects;
use crate::heroku::log_sessions::{self, LogRequest};

/// Heroku sends at most 1,500 lines of history.
const MOST_LINES: i64 = 1500;
const DEFAULT_LINES: i64 = 100;

/// What to keep from a stream.
struct Filter {
    text: Option<String>,
    keep: usize,
}

/// What a stream gave: the last matching lines, counts by error code, and how many were read.
#[derive(Default)]
struct Tally {
    kept: VecDeque<LogLine>,
    codes: BTreeMap<String, u64>,
    read: u64,
    matched: u64,
}

pub async fn logs(
    effects: &Effects,
    values: &ArgumentValues,
    output: &OperationOutput<'_>,
) -> Result<Outcome, OperationError> {
    let app = values.string("app").unwrap_or_default();
    let lines = values
        .int("lines")
        .unwrap_or(DEFAULT_LINES)
        .clamp(1, MOST_LINES);
    let tail = values.duration("tail");
    let request = LogRequest {
        lines: Some(lines as u64),
        source: values.string("source"),
        dyno_name: values.string("dyno"),
        tail: tail.is_some(),
    };
    let session = log_sessions::create(effects.client(), &app, &request).await?;
    let filter = Filter {
        text: values.string("filter").map(|text| text.to_lowercase()),
        keep: lines as usize,
    };
    let mut tally = Tally::default();
    let reading = read_stream(&session.logplex_url, &filter, &mut tally, output);
    match tail {
        Some(limit) => {
            let _ = tokio::time::timeout(limit, reading).await;
        }
        None => reading.await?,
    }
    Ok(outcome(tally, tail))
}

async fn read_stream(
    url: &str,
    filter: &Filter,
    tally: &mut Tally,
    output: &OperationOutput<'_>,
) -> Result<(), OperationError> {
    each_line(url, |line| {
        take(line, filter, tally, output);
        true
    })
    .await
}

/// Reads the stream at `url` line by line, a chunk at a time, until it ends or `on_line` says stop.
pub async fn each_line(
    url: &str,
    mut on_line: impl FnMut(&str) -> bool,
) -> Result<(), OperationError> {
    let mut response = log_sessions::open_stream(url).await?;
    let mut partial = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| OperationError::Failed(format!("the log stream broke: {error}")))?
    {
        partial.extend_from_slice(&chunk);
        let complete = partial
            .iter()
            .rposition(|byte| *byte == b'\n')
            .map_or(0, |index| index + 1);
        for line in String::from_utf8_lossy(&partial[..complete]).lines() {
            if !on_line(line) {
                return Ok(());
            }
        }
        partial.drain(..complete);
    }
    if !partial.is_empty() {
        on_line(&String::from_utf8_lossy(&partial));
    }
    Ok(())
}

fn take(line: &str, filter: &Filter, tally: &mut Tally, output: &OperationOutput<'_>) {
    tally.read += 1;
    if filter
        .text
        .as_ref()
        .is_some_and(|text| !line.to_lowercase().contains(text))
    {
        return;
    }
    let Some(parsed) = log_line::parse(line) else {
        return;
    };
    tally.matched += 1;
    if let Some(code) = &parsed.code {
        *tally.codes.entry(code.clone()).or_default() += 1;
    }
    (output.line)(line.to_string());
    if tally.kept.len() == filter.keep {
        tally.kept.pop_front();
    }
    tally.kept.push_back(parsed);
}

fn outcome(tally: Tally, tail: Option<Duration>) -> Outcome {
    let explained: Vec<Value> = tally
        .codes
        .iter()
        .map(|(code, count)| json!({ "code": code, "count": count, "meaning": log_line::explain(code).unwrap_or("") }))
        .collect();
    let codes = if tally.codes.is_empty() {
        "no Heroku error codes".to_string()
    } else {
        tally
            .codes
            .iter()
            .map(|(code, count)| format!("{code} x{count}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let followed = tail
        .map(|limit| format!(" over {}", humantime::format_duration(limit)))
        .unwrap_or_default();
    Outcome {
        summary: Some(format!(
            "{} lines read{followed}, {} matched; {codes}",
            tally.read, tally.matched
        )),
        value: json!({
            "lines": tally.kept.into_iter().collect::<Vec<_>>(),
            "codes": tally.codes,
            "errors": explained,
            "read": tally.read,
            "matched": tally.matched,
        }),
    }
}
