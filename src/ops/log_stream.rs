//! A log stream (a log session's `logplex_url`, a build's output) read a chunk at a time, never
//! whole, and handed on line by line: any bytes (`lines::LineBuffer`), each line at most 64 KiB,
//! and never read for ever: the answer must start within the client's timeout
//! (`RUNBOOK_HTTP_TIMEOUT`), and a stream that is not followed must not stay silent longer.

use std::time::Duration;

use super::outcome::OperationError;
use crate::heroku::{Client, log_sessions};
use crate::lines::LineBuffer;

/// How many times `RUNBOOK_HTTP_TIMEOUT` a stream that is not followed may take in all.
const WHOLE_READ_TIMEOUTS: u32 = 10;

/// Whether silence ends the reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Silence {
    /// A stream of lines that exist (`lines=N`, a build's output): silence longer than the
    /// client's timeout is an error.
    Fails,
    /// A follow (`tail`): a quiet app is silent; the follow's own limit or Ctrl-C ends it.
    Waits,
}

/// Reads the stream at `url` line by line until it ends or `on_line` says stop.
pub async fn each_line(
    reader: &Client,
    url: &str,
    silence: Silence,
    mut on_line: impl FnMut(&str) -> bool,
) -> Result<(), OperationError> {
    // Reading takes the server's time: only its own waits move a simulated clock meanwhile.
    let _reading = crate::clock::busy();
    let idle = reader.timeout();
    let mut response = log_sessions::open_stream(url, idle).await?;
    let mut lines = LineBuffer::default();
    let mut hand_on = |line: std::borrow::Cow<'_, str>| on_line(&line);
    // A stream of lines that exist ends: one that goes on past this is a broken server.
    let end = std::time::Instant::now().checked_add(idle.saturating_mul(WHOLE_READ_TIMEOUTS));
    loop {
        if silence == Silence::Fails && end.is_some_and(|end| std::time::Instant::now() >= end) {
            return Err(OperationError::Failed(format!(
                "the log stream did not end within {}: given up",
                humantime::format_duration(idle.saturating_mul(WHOLE_READ_TIMEOUTS))
            )));
        }
        let chunk = match tokio::time::timeout(idle, response.chunk()).await {
            Ok(chunk) => chunk.map_err(|error| {
                OperationError::Failed(format!("the log stream broke: {error}"))
            })?,
            Err(_) if silence == Silence::Waits => continue,
            Err(_) => return Err(silent_for(idle)),
        };
        let Some(chunk) = chunk else { break };
        if !lines.push(&chunk, &mut hand_on) {
            return Ok(());
        }
    }
    lines.finish(&mut hand_on);
    Ok(())
}

fn silent_for(idle: Duration) -> OperationError {
    OperationError::Failed(format!(
        "the log stream sent nothing for {}: given up (RUNBOOK_HTTP_TIMEOUT sets how long to wait)",
        humantime::format_duration(idle)
    ))
}
