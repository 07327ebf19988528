//! Times as people read them, one way everywhere on screen: `03:14 UTC` for today, `2026-12-05
//! 03:14 UTC` before; ages as `12m` or `3h 05m`. JSON keeps RFC 3339.

use std::time::{Duration, SystemTime};

/// `03:14 UTC` for a time of today (UTC), `2026-12-05 03:14 UTC` for an older one; the text as
/// it is when it is not an RFC 3339 time.
pub fn people_time(rfc3339: &str) -> String {
    let (Some(date), Some(clock)) = (rfc3339.get(..10), rfc3339.get(11..16)) else {
        return rfc3339.to_string();
    };
    let today = humantime::format_rfc3339_seconds(SystemTime::now()).to_string();
    if today.starts_with(date) {
        format!("{clock} UTC")
    } else {
        format!("{date} {clock} UTC")
    }
}

/// How long ago `rfc3339` was: `40s`, `12m`, `3h 05m`, `2d 4h`; empty when unreadable.
pub fn age(rfc3339: &str) -> String {
    let Ok(then) = humantime::parse_rfc3339_weak(rfc3339.trim_end_matches('Z')) else {
        return String::new();
    };
    let elapsed = SystemTime::now()
        .duration_since(then)
        .unwrap_or(Duration::ZERO)
        .as_secs();
    match elapsed {
        0..60 => format!("{elapsed}s"),
        60..3600 => format!("{}m", elapsed / 60),
        3600..86400 => format!("{}h {:02}m", elapsed / 3600, (elapsed / 60) % 60),
        _ => format!("{}d {}h", elapsed / 86400, (elapsed / 3600) % 24),
    }
}

/// Rows under a header, each column as wide as its widest cell, two spaces between.
pub fn aligned<const COLUMNS: usize>(
    header: &[String; COLUMNS],
    rows: &[[String; COLUMNS]],
) -> Vec<String> {
    let mut widths: [usize; COLUMNS] = std::array::from_fn(|column| header[column].chars().count());
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    std::iter::once(header)
        .chain(rows)
        .map(|row| {
            row.iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect::<Vec<_>>()
                .join("  ")
                .trim_end()
                .to_string()
        })
        .collect()
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
    }

    #[test]
    fn columns_line_up() {
        let header = ["A".to_string(), "BB".to_string()];
        let rows = [["long".to_string(), "x".to_string()]];
        assert_eq!(aligned(&header, &rows), ["A     BB", "long  x"]);
    }
}
