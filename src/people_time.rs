//! Times as people read them, one way everywhere on screen (tables, errors, prompts): `03:14 UTC`
//! for today, `2026-12-05 03:14 UTC` before; ages as `12m` or `3h 05m`. JSON keeps RFC 3339.

use std::time::{Duration, SystemTime};

/// `03:14 UTC` for a time of today (UTC), `2026-12-05 03:14 UTC` for an older one; the text as
/// it is when it is not an RFC 3339 time.
pub fn people_time(rfc3339: &str) -> String {
    shown(rfc3339, 16)
}

/// `03:14:05 UTC`, `2026-12-05 03:14:05 UTC`: `people_time` with the seconds, for a timeline.
pub fn people_time_to_the_second(rfc3339: &str) -> String {
    shown(rfc3339, 19)
}

/// The clock time up to byte `end` of `rfc3339` (16: minutes, 19: seconds), its date when it is
/// not today, and its zone.
fn shown(rfc3339: &str, end: usize) -> String {
    let well_formed = rfc3339.as_bytes().get(10) == Some(&b'T');
    let (Some(date), Some(clock), true) = (rfc3339.get(..10), rfc3339.get(11..end), well_formed)
    else {
        return rfc3339.to_string();
    };
    let today = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    if today.starts_with(date) { format!("{clock} UTC") } else { format!("{date} {clock} UTC") }
}

/// How long ago `rfc3339` was: `40s`, `12m`, `3h 05m`, `2d 4h`; empty when unreadable.
pub fn age(rfc3339: &str) -> String {
    let Ok(then) = humantime::parse_rfc3339_weak(rfc3339.trim_end_matches('Z')) else {
        return String::new();
    };
    let elapsed = SystemTime::now().duration_since(then).unwrap_or(Duration::ZERO).as_secs();
    match elapsed {
        0..60 => format!("{elapsed}s"),
        60..3600 => format!("{}m", elapsed / 60),
        3600..86400 => format!("{}h {:02}m", elapsed / 3600, (elapsed / 60) % 60),
        _ => format!("{}d {}h", elapsed / 86400, (elapsed / 3600) % 24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn old_times_carry_their_date_and_every_time_its_zone() {
        assert_eq!(people_time("2020-01-02T03:04:05Z"), "2020-01-02 03:04 UTC");
        let now = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
        assert!(people_time(&now).ends_with(" UTC"));
        assert_eq!(people_time(&now).len(), 9);
        assert_eq!(people_time("soon"), "soon");
        assert_eq!(
            people_time_to_the_second("2020-01-02T03:04:05.678Z"),
            "2020-01-02 03:04:05 UTC"
        );
        assert_eq!(people_time_to_the_second(&now).len(), 12);
    }

    #[test]
    fn ages_are_short_and_exact_enough() {
        let now = SystemTime::now();
        let before = |seconds: u64| {
            humantime::format_rfc3339_seconds(now - Duration::from_secs(seconds)).to_string()
        };
        assert_eq!(age(&before(40)), "40s");
        assert_eq!(age(&before(12 * 60 + 5)), "12m");
        assert_eq!(age(&before(3 * 3600 + 5 * 60)), "3h 05m");
        assert_eq!(age("not a time"), "");
    }
}
