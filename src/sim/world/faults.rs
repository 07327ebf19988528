//! Faults the simulator can be told to inject on a route: an error status (429 with `Retry-After`),
//! a delay, a connection broken mid-answer, or an answer that never comes; for the next N matching
//! requests or for all of them.

use std::time::Duration;

use crate::duration::parse_duration;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum FaultKind {
    /// Answer with this status and a Heroku error body.
    Status(u16),
    /// Answer normally, after this long.
    Delay(Duration),
    /// Send the status line and headers, then break the connection before the body.
    Reset,
    /// Never answer.
    Hang,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Fault {
    pub method: String,
    pub path: String,
    pub kind: FaultKind,
    /// How many more requests it applies to; `None` for all.
    pub remaining: Option<u32>,
}

/// A fault that cannot be read, and why.
#[derive(Debug, thiserror::Error)]
pub enum NotAFault {
    #[error(
        "`{0}` is not a fault: write `METHOD PATH EFFECT[xN]` with EFFECT a status (503, 429...), `delay=DURATION`, `reset` or `hang`"
    )]
    Unreadable(String),
    #[error(transparent)]
    Delay(#[from] crate::duration::DurationError),
}

impl Fault {
    /// `GET /apps/x/dynos 503`, `DELETE /apps/x/dynos 500x1`, `GET /apps/x delay=5s`, `... delay=2sx3`.
    pub fn parse(text: &str) -> Result<Self, NotAFault> {
        let invalid = || NotAFault::Unreadable(text.to_string());
        let mut words = text.split_whitespace();
        let (Some(method), Some(path), Some(effect), None) =
            (words.next(), words.next(), words.next(), words.next())
        else {
            return Err(invalid());
        };
        let (effect, remaining) = match effect.rsplit_once('x') {
            Some((effect, count)) if count.parse::<u32>().is_ok() && !effect.is_empty() => {
                (effect, count.parse().ok())
            }
            _ => (effect, None),
        };
        let kind = match effect.strip_prefix("delay=") {
            Some(delay) => FaultKind::Delay(parse_duration(delay)?),
            None if effect == "reset" => FaultKind::Reset,
            None if effect == "hang" => FaultKind::Hang,
            None => FaultKind::Status(
                effect
                    .parse()
                    .ok()
                    .filter(|status| (400..600).contains(status))
                    .ok_or_else(invalid)?,
            ),
        };
        Ok(Self { method: method.to_ascii_uppercase(), path: path.to_string(), kind, remaining })
    }

    /// Whether this fault applies to a request; a `{name}` segment of its path (as the docs
    /// write routes, `/apps/{app}/dynos`) matches any one segment.
    fn matches(&self, method: &str, path: &str) -> bool {
        let pattern: Vec<&str> = self.path.trim_end_matches('/').split('/').collect();
        let actual: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        self.method == method
            && self.remaining != Some(0)
            && pattern.len() == actual.len()
            && pattern.iter().zip(&actual).all(|(wanted, given)| {
                (wanted.starts_with('{') && wanted.ends_with('}') && !given.is_empty())
                    || wanted == given
            })
    }
}

/// The fault to apply to this request, counting it down.
pub fn take(faults: &mut [Fault], method: &str, path: &str) -> Option<FaultKind> {
    let fault = faults.iter_mut().find(|fault| fault.matches(method, path))?;
    if let Some(remaining) = fault.remaining.as_mut() {
        *remaining -= 1;
    }
    Some(fault.kind.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_statuses_delays_and_counts() {
        let fault = Fault::parse("get /apps/a/dynos 503x2").unwrap();
        assert_eq!(
            (fault.method.as_str(), fault.kind.clone(), fault.remaining),
            ("GET", FaultKind::Status(503), Some(2))
        );
        let fault = Fault::parse("GET /apps/a delay=1500ms").unwrap();
        assert_eq!(
            (fault.kind, fault.remaining),
            (FaultKind::Delay(Duration::from_millis(1500)), None)
        );
        assert_eq!(Fault::parse("DELETE /apps/a/dynos reset").unwrap().kind, FaultKind::Reset);
        assert_eq!(Fault::parse("GET /apps/a hangx1").unwrap().remaining, Some(1));
        assert!(Fault::parse("GET /apps/a 200").is_err());
        assert!(Fault::parse("GET /apps/a").is_err());
    }

    #[test]
    fn a_route_template_matches_any_app() {
        let mut faults = vec![Fault::parse("DELETE /apps/{app}/dynos 503").unwrap()];
        assert_eq!(
            take(&mut faults, "DELETE", "/apps/lazona-connector-staging/dynos"),
            Some(FaultKind::Status(503))
        );
        assert_eq!(take(&mut faults, "DELETE", "/apps/x/dynos/web.1"), None);
        assert_eq!(take(&mut faults, "GET", "/apps/x/dynos"), None);
    }

    #[test]
    fn a_counted_fault_stops_applying() {
        let mut faults = vec![Fault::parse("GET /x 500x1").unwrap()];
        assert_eq!(take(&mut faults, "GET", "/x"), Some(FaultKind::Status(500)));
        assert_eq!(take(&mut faults, "GET", "/x"), None);
    }
}
