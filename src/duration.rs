//! Durations as people write them (`90s`, `2m`, `1h 30m`; a bare number is seconds): one parser for
//! runbooks, the command line, environment variables and the simulator.

use std::time::Duration;

pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text)
        .map_err(|_| format!("`{text}` is not a duration (write it like `90s`, `2m` or `1h`)"))
}
