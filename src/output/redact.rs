//! Keeps secrets out of every byte we show or record: the token, config var values, secret params.

use std::borrow::Cow;
use std::sync::{PoisonError, RwLock};

pub const MASK: &str = "••••••";

/// Values shorter than this are not treated as secrets: masking `1` or `on` everywhere would hide
/// unrelated text while protecting nothing.
const SHORTEST_SECRET: usize = 4;

#[derive(Debug, Default)]
pub struct Redactor {
    secrets: RwLock<Vec<String>>,
}

impl Redactor {
    /// From now on, `secret` (and its JSON-escaped form) is masked wherever it appears.
    pub fn add(&self, secret: &str) {
        if secret.chars().count() < SHORTEST_SECRET {
            return;
        }
        let mut secrets = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        let escaped = serde_json::to_string(secret).unwrap_or_default();
        let escaped = escaped.trim_matches('"').to_string();
        for form in [secret.to_string(), escaped] {
            if !secrets.contains(&form) {
                secrets.push(form);
            }
        }
        secrets.sort_by_key(|known| std::cmp::Reverse(known.len()));
    }

    /// Adds every string inside a JSON value.
    pub fn add_strings_of(&self, value: &serde_json::Value) {
        match value {
            serde_json::Value::String(text) => self.add(text),
            serde_json::Value::Array(items) => {
                items.iter().for_each(|item| self.add_strings_of(item))
            }
            serde_json::Value::Object(entries) => {
                entries.values().for_each(|item| self.add_strings_of(item))
            }
            _ => {}
        }
    }

    pub fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let secrets = self.secrets.read().unwrap_or_else(PoisonError::into_inner);
        if !secrets.iter().any(|secret| text.contains(secret.as_str())) {
            return Cow::Borrowed(text);
        }
        let mut masked = text.to_string();
        for secret in secrets.iter() {
            masked = masked.replace(secret.as_str(), MASK);
        }
        Cow::Owned(masked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_secrets_and_their_json_form_but_not_short_values() {
        let redactor = Redactor::default();
        redactor.add("s3cr\"et-value");
        redactor.add("on");
        let json =
            serde_json::to_string(&serde_json::json!({"v": "s3cr\"et-value", "x": "on"})).unwrap();
        assert_eq!(
            redactor.apply(&json),
            format!("{{\"v\":\"{MASK}\",\"x\":\"on\"}}")
        );
        assert_eq!(
            redactor.apply("plain s3cr\"et-value text"),
            format!("plain {MASK} text")
        );
    }
}
