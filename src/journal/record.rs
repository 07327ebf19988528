//! One journal line: which run, when, and the event as the run reported it; and the types of its
//! fields, so that a run id, a time and an API URL are never mistaken for one another or for
//! free text. Each is stored as the plain string it always was: the file format does not change.

use std::fmt;
use std::ops::Deref;

use serde::{Deserialize, Serialize};

use super::Event;

/// One line of the journal; a line that is not one of these is skipped on read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub run_id: RunId,
    pub time: Timestamp,
    /// The run event (`run_started`, `step_finished`, `confirmation`, ...) as the run emitted it.
    pub event: Event,
}

/// A string newtype stored as its string, read as `&str`.
macro_rules! text_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            /// The value as stored (read back from the journal or the team's database).
            pub fn from_stored(text: impl Into<String>) -> Self {
                Self(text.into())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl Deref for $name {
            type Target = str;

            fn deref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(&self.0)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl PartialEq<String> for $name {
            fn eq(&self, other: &String) -> bool {
                &self.0 == other
            }
        }
    };
}

text_type!(
    /// A run's id: `20261126-103212-4f1a9c`, the time it started then a random suffix, so that ids
    /// sort by time and a prefix is enough to type. Notes and policy changes have ids of their
    /// own kind (`note-...`, `policy-...`).
    RunId
);

text_type!(
    /// When a record was made: RFC 3339, UTC, with milliseconds. Two of them compare in time order
    /// as text.
    Timestamp
);

text_type!(
    /// The Heroku API a run talked to (`https://api.heroku.com`, a simulator's URL).
    ApiUrl
);

impl RunId {
    /// A new run id, from the time now.
    pub fn new() -> Self {
        let stamp = humantime::format_rfc3339_seconds(crate::clock::system_now()).to_string();
        let digits: String = stamp.chars().filter(char::is_ascii_digit).collect();
        let suffix = &uuid::Uuid::new_v4().simple().to_string()[..6];
        Self(format!("{}-{}-{suffix}", &digits[..8], &digits[8..14]))
    }

    /// The id of a record that belongs to no run (`note-...`, `policy-...`).
    pub fn of_kind(kind: &str) -> Self {
        Self(format!("{kind}-{}", Self::new()))
    }
}

impl Timestamp {
    pub fn now() -> Self {
        Self(humantime::format_rfc3339_millis(crate::clock::system_now()).to_string())
    }

    /// The time `wait` from now, to the second; `None` beyond what the clock can say.
    pub fn after(wait: std::time::Duration) -> Option<Self> {
        crate::clock::system_now()
            .checked_add(wait)
            .map(|then| Self(humantime::format_rfc3339_seconds(then).to_string()))
    }
}

impl ApiUrl {
    pub fn new(url: &str) -> Self {
        Self(url.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_ids_sort_by_time_and_keep_their_stored_form() {
        let id = RunId::new();
        assert_eq!(id.len(), 22, "{id}");
        assert_eq!(&id[8..9], "-");
        let stored = serde_json::to_string(&id).unwrap();
        assert_eq!(stored, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<RunId>(&stored).unwrap(), id);
        assert!(RunId::of_kind("note").starts_with("note-"));
    }

    #[test]
    fn timestamps_compare_in_time_order() {
        let earlier = Timestamp::from_stored("2026-12-06T03:00:00.000Z");
        let later = Timestamp::from_stored("2026-12-06T03:00:00.001Z");
        assert!(earlier < later);
        assert!(Timestamp::now() > earlier);
        assert!(Timestamp::after(std::time::Duration::from_secs(3600)).is_some());
        assert!(Timestamp::after(std::time::Duration::MAX).is_none());
    }
}
