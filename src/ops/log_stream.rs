//! A log stream (a log session's `logplex_url`, a build's output) read a chunk at a time, never
//! whole, and handed on line by line.

use super::outcome::OperationError;
use crate::heroku::log_sessions;

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
