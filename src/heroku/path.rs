//! API paths built from fixed words and checked identifiers only, so that no value can change the
//! shape of a path: `ApiPath::app(&app).then("dynos").id(&dyno)` is `/apps/APP/dynos/DYNO`.

use std::fmt;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::identifiers::{AppName, PathSegment};

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ApiPath {
    text: String,
    /// The app of an `/apps/{app}/...` path.
    app: Option<AppName>,
}

impl ApiPath {
    /// A path that starts with a fixed word: `/sources`, `/pipeline-promotions`.
    pub fn root(word: &'static str) -> Self {
        Self::default().then(word)
    }

    /// `/apps/{app}`.
    pub fn app(app: &AppName) -> Self {
        let mut path = Self::root("apps").id(app);
        path.app = Some(app.clone());
        path
    }

    /// One more fixed word.
    pub fn then(mut self, word: &'static str) -> Self {
        debug_assert!(
            !word.is_empty() && word.bytes().all(|byte| byte.is_ascii_lowercase() || byte == b'-'),
            "path words are lowercase: {word}"
        );
        self.text.push('/');
        self.text.push_str(word);
        self
    }

    /// One more segment holding a checked identifier, percent-encoded all the same.
    pub fn id(mut self, id: &impl PathSegment) -> Self {
        self.text.push('/');
        self.text.push_str(&encode(id.segment()));
        self
    }

    /// The app this path names, when it is under `/apps/{app}`.
    pub fn named_app(&self) -> Option<&AppName> {
        self.app.as_ref()
    }

    /// The path as sent.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// Every byte but the unreserved ones (RFC 3986) is percent-encoded in a path segment.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// The same, dots encoded too.
const DOTS_TOO: &AsciiSet = &UNRESERVED.add(b'.');

/// Percent-encodes one path segment; a segment of dots alone (`.`, `..`) has its dots encoded
/// too, so that it can never climb the path.
fn encode(segment: &str) -> String {
    let set = if segment.bytes().all(|byte| byte == b'.') { DOTS_TOO } else { UNRESERVED };
    utf8_percent_encode(segment, set).to_string()
}

impl fmt::Display for ApiPath {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

impl Serialize for ApiPath {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

/// A path read back from the journal: its text as it was sent, its app when it names one.
impl<'de> Deserialize<'de> for ApiPath {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        let app = text
            .strip_prefix("/apps/")
            .and_then(|rest| rest.split('/').next())
            .and_then(|name| AppName::parse(name).ok());
        Ok(Self { text, app })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identifiers::DynoName;

    #[test]
    fn paths_are_built_from_words_and_identifiers() {
        let app = AppName::parse("lazona-connector-staging").unwrap();
        let dyno = DynoName::parse("web.1").unwrap();
        let path = ApiPath::app(&app).then("dynos").id(&dyno);
        assert_eq!(path.to_string(), "/apps/lazona-connector-staging/dynos/web.1");
        assert_eq!(path.named_app(), Some(&app));
        assert_eq!(ApiPath::root("sources").to_string(), "/sources");
    }
}
