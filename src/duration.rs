//! Durations as people write them (`90s`, `2m`, `1h 30m`; a bare number is seconds): one parser for
//! runbooks, the command line, environment variables and the simulator, and one bound for every
//! wait a run may make (a timeout, a delay, a follow, a sleep): at most a day, so no deadline
//! overflows and no typo (`30h` for `30m`) holds a night's run for ever.

use std::time::Duration;

/// The longest wait a runbook, a setting or a script may ask for.
pub const LONGEST_WAIT: Duration = Duration::from_secs(24 * 3600);

/// Why a text is not the duration or the wait it should be.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DurationError {
    #[error("`{0}` is not a duration (write it like `90s`, `2m` or `1h`)")]
    NotADuration(String),
    #[error("{0} is not a number of seconds to wait")]
    NotSeconds(f64),
    #[error("`{0}` is longer than a day: a wait is at most 24h")]
    LongerThanADay(String),
}

/// A duration of any length (`report --since 7d`).
pub fn parse_duration(text: &str) -> Result<Duration, DurationError> {
    let text = text.trim();
    if let Ok(seconds) = text.parse::<u64>() {
        return Ok(Duration::from_secs(seconds));
    }
    humantime::parse_duration(text).map_err(|_| DurationError::NotADuration(text.to_string()))
}

/// A wait: a duration of at most `LONGEST_WAIT`.
pub fn parse_wait(text: &str) -> Result<Duration, DurationError> {
    bounded(parse_duration(text)?, text.trim())
}

/// A wait given as a number of seconds (a script's `sleep(2.5)`, `follow: 30`).
pub fn wait_of_seconds(seconds: f64) -> Result<Duration, DurationError> {
    if !seconds.is_finite() || seconds < 0.0 {
        return Err(DurationError::NotSeconds(seconds));
    }
    let wait = Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX);
    bounded(wait, &format!("{seconds}s"))
}

fn bounded(wait: Duration, written: &str) -> Result<Duration, DurationError> {
    if wait > LONGEST_WAIT {
        return Err(DurationError::LongerThanADay(written.to_string()));
    }
    Ok(wait)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_longer_than_a_day_or_negative_are_refused() {
        assert_eq!(parse_wait("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_wait("24h"), Ok(LONGEST_WAIT));
        assert!(matches!(parse_wait("25h"), Err(DurationError::LongerThanADay(_))));
        assert!(parse_wait("99999999999999999h").is_err());
        assert!(parse_duration("7d").is_ok());
        assert!(wait_of_seconds(-1.0).is_err());
        assert!(wait_of_seconds(f64::NAN).is_err());
        assert!(wait_of_seconds(1e300).is_err());
        assert_eq!(wait_of_seconds(2.5), Ok(Duration::from_millis(2500)));
    }
}
