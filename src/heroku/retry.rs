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

/// `Retry-After` in seconds, capped so that a confused server cannot stall a run for long.
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds: f64 = headers
        .get("retry-after")?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs_f64(seconds.max(0.0)).min(LONGEST_DELAY))
}

impl Attempt {
    pub fn final_error(error: ApiError) -> Self {
        Self {
            error,
            retry_after: None,
            retryable: false,
        }
    }
}
