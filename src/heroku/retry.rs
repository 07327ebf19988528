//! Which failed requests may be sent again, and when: idempotent ones only, never a blind POST.

use std::time::Duration;

use super::error::ApiError;

pub const MAX_RETRIES: usize = 4;
pub const FIRST_DELAY: Duration = Duration::from_millis(250);
pub const LONGEST_DELAY: Duration = Duration::from_secs(20);

/// A failed attempt: the error, and how long the server asked us to wait.
#[derive(Debug)]
pub struct Attempt {
    pub error: ApiError,
    pub retry_after: Option<Duration>,
    pub retryable: bool,
}

/// 429 and 503 are worth another try; so is a connection that failed.
pub fn is_retryable_status(status: u16) -> bool {
    status == 429 || status == 503
}

/// `Retry-After` in seconds, capped so that a confused server cannot stall a run for long. Any
/// text at all is safe here: a value that is not a finite number of seconds (`inf`, `NaN`, a
/// date, bytes that are not text) is ignored and the usual backoff applies.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let text = headers.get("retry-after")?.to_str().ok()?;
    seconds(text)
}

fn seconds(text: &str) -> Option<Duration> {
    let seconds: f64 = text.trim().parse().ok()?;
    if !seconds.is_finite() {
        return None;
    }
    let capped = seconds.clamp(0.0, LONGEST_DELAY.as_secs_f64());
    Duration::try_from_secs_f64(capped).ok()
}

impl Attempt {
    pub fn final_error(error: ApiError) -> Self {
        Self { error, retry_after: None, retryable: false }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_retry_after_is_a_bounded_delay_or_none() {
        for text in ["inf", "-inf", "NaN", "1e400", "-5", "", "Wed, 21 Oct 2015 07:28:00 GMT"] {
            let delay = seconds(text);
            assert!(delay.is_none_or(|delay| delay <= LONGEST_DELAY), "{text}: {delay:?}");
        }
        assert_eq!(seconds("2"), Some(Duration::from_secs(2)));
        assert_eq!(seconds("99999"), Some(LONGEST_DELAY));
        assert_eq!(seconds("-5"), Some(Duration::ZERO));
    }
}
