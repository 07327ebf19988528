//! Identifiers that go into API paths, checked against the patterns of Heroku's Platform API
//! schema before any request is built: a value that does not fit can never name another resource
//! (`..`, `/`, `?`, `#`, `%`, spaces and control characters never fit any of them).

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A value that does not fit the identifier it was given as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not {what}: {rule}")]
pub struct IdentifierError {
    pub value: String,
    pub what: &'static str,
    pub rule: &'static str,
}

/// An app, by name (`^[a-z][a-z0-9-]{1,28}[a-z0-9]$`) or by id (a UUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AppName(String);

/// A process type (`web`, `worker`): `^[-\w]{1,128}$`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProcessType(String);

/// A dyno, by name (`web.1`, `run.4821`: a process type, a dot, a number) or by id (a UUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DynoName(String);

/// A release, by version (`41`, or `v41` as the CLI writes it) or by id (a UUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ReleaseRef {
    Version(u64),
    Id(String),
}

/// A resource the API names by UUID only: pipelines, builds, promotions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResourceId(String);

const APP_RULE: &str = "an app name is 3 to 30 lowercase letters, digits and dashes, starting with a letter and not ending with a dash (or the app's UUID)";
const PROCESS_TYPE_RULE: &str =
    "a process type is 1 to 128 letters, digits, `_` and `-` (such as `web` or `worker`)";
const DYNO_RULE: &str =
    "a dyno is named by its process type and number, such as `web.1` (or by its UUID)";
const RELEASE_RULE: &str = "a release is a version such as `41` or `v41` (or its UUID)";
const UUID_RULE: &str = "an id is a UUID such as `01234567-89ab-cdef-0123-456789abcdef`";

impl AppName {
    pub fn parse(value: &str) -> Result<Self, IdentifierError> {
        if is_app_name(value) || is_uuid(value) {
            Ok(Self(value.to_string()))
        } else {
            Err(refused(value, "an app name", APP_RULE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Named by its UUID rather than its name: protection is decided by name, so such an app is
    /// looked up first.
    pub fn is_id(&self) -> bool {
        is_uuid(&self.0)
    }
}

impl ProcessType {
    pub fn parse(value: &str) -> Result<Self, IdentifierError> {
        if is_process_type(value) {
            Ok(Self(value.to_string()))
        } else {
            Err(refused(value, "a process type", PROCESS_TYPE_RULE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl DynoName {
    pub fn parse(value: &str) -> Result<Self, IdentifierError> {
        let named = value.rsplit_once('.').is_some_and(|(kind, number)| {
            is_process_type(kind)
                && !number.is_empty()
                && number.len() <= 9
                && number.bytes().all(|byte| byte.is_ascii_digit())
        });
        if named || is_uuid(value) {
            Ok(Self(value.to_string()))
        } else {
            Err(refused(value, "a dyno", DYNO_RULE))
        }
    }

    /// Whether `name` or `id` (of a dyno the API listed) is this dyno.
    pub fn names(&self, name: &str, id: &str) -> bool {
        self.0 == name || self.0 == id
    }
}

impl ReleaseRef {
    pub fn parse(value: &str) -> Result<Self, IdentifierError> {
        let digits = value.strip_prefix('v').unwrap_or(value);
        if !digits.is_empty()
            && digits.len() <= 9
            && digits.bytes().all(|byte| byte.is_ascii_digit())
            && let Ok(version) = digits.parse::<u64>()
            && version > 0
        {
            return Ok(Self::Version(version));
        }
        if is_uuid(value) {
            return Ok(Self::Id(value.to_string()));
        }
        Err(refused(value, "a release", RELEASE_RULE))
    }

    /// Whether the release with this `id` and `version` is the one meant.
    pub fn names(&self, id: &str, version: u64) -> bool {
        match self {
            Self::Version(wanted) => *wanted == version,
            Self::Id(wanted) => wanted == id,
        }
    }
}

impl ResourceId {
    pub fn parse(value: &str) -> Result<Self, IdentifierError> {
        if is_uuid(value) {
            Ok(Self(value.to_string()))
        } else {
            Err(refused(value, "a resource id", UUID_RULE))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn refused(value: &str, what: &'static str, rule: &'static str) -> IdentifierError {
    let shown: String = value.chars().flat_map(char::escape_debug).take(80).collect();
    IdentifierError { value: shown, what, rule }
}

/// `^[a-z][a-z0-9-]{1,28}[a-z0-9]$`
fn is_app_name(value: &str) -> bool {
    let bytes = value.as_bytes();
    let (Some(first), Some(last)) = (bytes.first(), bytes.last()) else {
        return false;
    };
    (3..=30).contains(&bytes.len())
        && first.is_ascii_lowercase()
        && (last.is_ascii_lowercase() || last.is_ascii_digit())
        && bytes
            .iter()
            .all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || *byte == b'-')
}

/// `^[-\w]{1,128}$`, `\w` taken as ASCII.
fn is_process_type(value: &str) -> bool {
    (1..=128).contains(&value.len())
        && value.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
}

/// 8-4-4-4-12 hexadecimal digits.
fn is_uuid(value: &str) -> bool {
    let groups: Vec<&str> = value.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| {
            group.len() == length && group.bytes().all(|byte| byte.is_ascii_hexdigit())
        })
}

impl fmt::Display for AppName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl fmt::Display for ReleaseRef {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Version(version) => write!(formatter, "v{version}"),
            Self::Id(id) => formatter.write_str(id),
        }
    }
}

impl Serialize for AppName {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AppName {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        AppName::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// A value that may stand as one segment of an API path.
pub trait PathSegment {
    fn segment(&self) -> &str;
}

impl PathSegment for AppName {
    fn segment(&self) -> &str {
        &self.0
    }
}

impl PathSegment for ProcessType {
    fn segment(&self) -> &str {
        &self.0
    }
}

impl PathSegment for DynoName {
    fn segment(&self) -> &str {
        &self.0
    }
}

impl PathSegment for ResourceId {
    fn segment(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_names_follow_the_schema_pattern() {
        for good in
            ["lazona-connector-production", "abc", "a1-b2", "01234567-89ab-cdef-0123-456789abcdef"]
        {
            assert!(AppName::parse(good).is_ok(), "{good}");
        }
        for bad in [
            "..",
            ".",
            "",
            "ab",
            "Lazona",
            "app/dynos",
            "app?x",
            "app#x",
            "app%2e",
            "app-",
            "-app",
            "app name",
            "app\n",
            "a".repeat(31).as_str(),
        ] {
            assert!(AppName::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dynos_process_types_and_releases_refuse_path_tricks() {
        assert!(DynoName::parse("web.1").is_ok());
        assert!(DynoName::parse("run.4821").is_ok());
        for bad in ["..", ".", "web.", ".1", "web/1", "web.1/..", "web.1?", "web..1", ""] {
            assert!(DynoName::parse(bad).is_err(), "{bad:?}");
        }
        assert!(ProcessType::parse("web").is_ok());
        assert!(ProcessType::parse("clock_2-x").is_ok());
        for bad in ["..", ".", "web/..", "we b", "", "web%00"] {
            assert!(ProcessType::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(ReleaseRef::parse("v41"), Ok(ReleaseRef::Version(41)));
        assert_eq!(ReleaseRef::parse("41"), Ok(ReleaseRef::Version(41)));
        for bad in ["v0", "v", "..", "41/..", "-1", "v1.2"] {
            assert!(ReleaseRef::parse(bad).is_err(), "{bad:?}");
        }
    }
}
