//! `heroku.logs`: open a log session, read its stream chunk by chunk (never whole), parse and
//! filter each line, count Heroku error codes, keep only the last lines asked for.

use std::collections::{BTreeMap, VecDeque};

use serde_json::{Value, json};

use crate::heroku::log_sessions::{self, LogRequest};
use crate::ops::argument_sets::LogsArguments;
use crate::ops::arguments::Follow;
use crate::ops::behaviour::Read;
use crate::ops::log_line::{self, LogLine};
use crate::ops::log_stream::{Silence, each_line};
use crate::ops::outcome::{OperationError, OperationOutput, Outcome};
use crate::ops::outcome::{OperationResult, Running};

/// Heroku sends at most 1,500 lines of history.
const MOST_LINES: i64 = 1500;
const DEFAULT_LINES: i64 = 100;

/// What to keep from a stream.
struct Filter {
    text: Option<String>,
    keep: usize,
    /// Show each line as it comes (else only with `--verbose`).
    show: bool,
    /// Show the kept lines once the read ends (the last `lines` that match), not as they come.
    at_the_end: bool,
}

/// What a stream gave: the last matching lines, counts by error code, and how many were read.
#[derive(Default)]
struct Tally {
    kept: VecDeque<LogLine>,
    /// The kept lines as they were written.
    kept_raw: VecDeque<String>,
    codes: BTreeMap<String, u64>,
    read: u64,
    matched: u64,
}

pub struct Logs;

impl Read for Logs {
    type Arguments = LogsArguments;

    async fn read(&self, arguments: LogsArguments, running: Running<'_>) -> OperationResult {
        let Running { effects, output } = running;
        let app = arguments.app;
        let lines = arguments.lines.unwrap_or(DEFAULT_LINES).clamp(1, MOST_LINES);
        let follow = arguments.tail;
        let text = arguments.filter.map(|text| text.to_lowercase());
        // A text filter applies before `lines`: read all the history Heroku keeps and show the last
        // `lines` that match, at the end of the read. A follow shows lines as they come, so there
        // the filter applies to the last `lines` of history.
        let history = if text.is_some() && follow.is_none() { MOST_LINES } else { lines };
        let request = LogRequest {
            lines: Some(history as u64),
            source: arguments.source,
            dyno_name: arguments.dyno,
            tail: follow.is_some(),
        };
        let session = log_sessions::create(effects.reader(), &app, &request).await?;
        let filter = Filter {
            text,
            keep: lines as usize,
            show: arguments.show_lines.unwrap_or(true),
            at_the_end: follow.is_none(),
        };
        let mut tally = Tally::default();
        let url = &session.logplex_url;
        let reading = read_stream(effects.reader(), url, &filter, &mut tally, output);
        let ended_by_ctrl_c = followed(reading, follow, output).await?;
        if filter.at_the_end {
            for kept in &tally.kept_raw {
                show(&filter, output, kept);
            }
        }
        Ok(outcome(tally, follow, ended_by_ctrl_c, filter.show))
    }
}

/// Reads to the end, or follows for a while or for ever; true when Ctrl-C ended the follow.
/// Ctrl-C is how anyone ends a follow: it ends the follow with its summary, not the run.
async fn followed(
    reading: impl Future<Output = Result<(), OperationError>>,
    follow: Option<Follow>,
    output: &OperationOutput<'_>,
) -> Result<bool, OperationError> {
    let Some(follow) = follow else {
        reading.await?;
        return Ok(false);
    };
    let catch = output.interrupt.catch();
    match follow {
        Follow::For(limit) => Ok(tokio::select! {
            _ = crate::clock::timeout(limit, reading) => false,
            () = catch.caught() => true,
        }),
        Follow::Forever => tokio::select! {
            read = reading => read.map(|()| false),
            () = catch.caught() => Ok(false),
        },
    }
}

/// A line, shown as it comes or kept for `--verbose`.
fn show(filter: &Filter, output: &OperationOutput<'_>, line: &str) {
    if filter.show {
        (output.line)(line.to_string());
    } else {
        (output.detail)(line.to_string());
    }
}

async fn read_stream(
    reader: &crate::heroku::Client,
    url: &str,
    filter: &Filter,
    tally: &mut Tally,
    output: &OperationOutput<'_>,
) -> Result<(), OperationError> {
    let silence = if filter.at_the_end { Silence::Fails } else { Silence::Waits };
    each_line(reader, url, silence, |line| {
        take(line, filter, tally, output);
        true
    })
    .await
}

fn take(line: &str, filter: &Filter, tally: &mut Tally, output: &OperationOutput<'_>) {
    tally.read += 1;
    if filter.text.as_ref().is_some_and(|text| !line.to_lowercase().contains(text)) {
        return;
    }
    let Some(parsed) = log_line::parse(line) else {
        return;
    };
    tally.matched += 1;
    if let Some(code) = &parsed.code {
        *tally.codes.entry(code.clone()).or_default() += 1;
    }
    if !filter.at_the_end {
        show(filter, output, line);
    }
    if tally.kept.len() == filter.keep {
        tally.kept.pop_front();
        tally.kept_raw.pop_front();
    }
    tally.kept.push_back(parsed);
    tally.kept_raw.push_back(line.to_string());
}

fn outcome(tally: Tally, follow: Option<Follow>, ended_by_ctrl_c: bool, shown: bool) -> Outcome {
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
    let followed = match follow {
        Some(Follow::For(limit)) if ended_by_ctrl_c => {
            format!(" until Ctrl-C (of {})", humantime::format_duration(limit))
        }
        Some(Follow::For(limit)) => format!(" over {}", humantime::format_duration(limit)),
        Some(Follow::Forever) => " until Ctrl-C".to_string(),
        None => String::new(),
    };
    // Of more matching lines than asked for, the summary says which were kept and shown.
    let kept = if tally.matched > tally.kept.len() as u64 && !tally.kept.is_empty() {
        let word = if shown { "shown" } else { "kept" };
        format!(" (the last {} {word})", tally.kept.len())
    } else {
        String::new()
    };
    Outcome {
        summary: Some(format!(
            "{} lines read{followed}, {} matched{kept}; {codes}",
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
