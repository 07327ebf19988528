//! Keeps secrets out of every byte we show or record: the token, config var values, secret params.
//!
//! A secret is masked whatever form it takes: as written, JSON-escaped (once, or twice when JSON
//! sits inside a JSON string), escaped as Rust and Rhai print strings, percent-encoded, each line
//! of a multi-line value, and the password inside a URL (`postgres://user:PASSWORD@host`). Public
//! names (app and environment names) are never masked, even where a secret's text falls inside
//! one, so that masking cannot hide which app a run touches.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::sync::{PoisonError, RwLock};

use serde_json::Value;

pub const MASK: &str = "••••••";

/// Values shorter than this are not treated as secrets: masking `1` or `on` everywhere would hide
/// unrelated text while protecting nothing.
const SHORTEST_SECRET: usize = 4;

#[derive(Debug, Default)]
pub struct Redactor {
    secrets: RwLock<Vec<String>>,
    public: RwLock<BTreeSet<String>>,
}

impl Redactor {
    /// From now on, `secret` is masked wherever it appears, in each of its forms.
    pub fn add(&self, secret: &str) {
        let mut forms = Vec::new();
        for part in parts(secret) {
            forms.extend(escaped_forms(&part));
        }
        let public = self.public.read().unwrap_or_else(PoisonError::into_inner);
        let mut secrets = self.secrets.write().unwrap_or_else(PoisonError::into_inner);
        for form in forms {
            if form.chars().count() >= SHORTEST_SECRET
                && !public.contains(&form)
                && !secrets.contains(&form)
            {
                secrets.push(form);
            }
        }
        secrets.sort_by_key(|known| std::cmp::Reverse(known.len()));
    }

    /// Names that are public (app and environment names): never masked, even when a secret
    /// has the same value.
    pub fn add_public(&self, name: &str) {
        self.public.write().unwrap_or_else(PoisonError::into_inner).insert(name.to_string());
        self.secrets
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .retain(|secret| secret != name);
    }

    /// Adds every string inside a JSON value.
    pub fn add_strings_of(&self, value: &Value) {
        match value {
            Value::String(text) => self.add(text),
            Value::Array(items) => items.iter().for_each(|item| self.add_strings_of(item)),
            Value::Object(entries) => entries.values().for_each(|item| self.add_strings_of(item)),
            _ => {}
        }
    }

    pub fn apply<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let secrets = self.secrets.read().unwrap_or_else(PoisonError::into_inner);
        let cut = cut_secrets(text, &secrets);
        if cut.is_empty() && !secrets.iter().any(|secret| text.contains(secret.as_str())) {
            return Cow::Borrowed(text);
        }
        let public = self.public.read().unwrap_or_else(PoisonError::into_inner);
        let kept = occurrences(text, public.iter());
        let mut masked: Vec<(usize, usize)> = occurrences(text, secrets.iter())
            .into_iter()
            .chain(cut)
            .filter(|(start, end)| {
                !kept.iter().any(|(kept_start, kept_end)| kept_start <= start && end <= kept_end)
            })
            .collect();
        masked.sort_unstable();
        Cow::Owned(replace_ranges(text, &masked))
    }

    /// Masks every string (and key) inside `value`, before it is serialized: no escaping of the
    /// serializer can then hide a secret from the mask.
    pub fn apply_to_value(&self, value: &Value) -> Value {
        match value {
            Value::String(text) => Value::String(self.apply(text).into_owned()),
            Value::Array(items) => {
                Value::Array(items.iter().map(|item| self.apply_to_value(item)).collect())
            }
            Value::Object(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, item)| (self.apply(key).into_owned(), self.apply_to_value(item)))
                    .collect(),
            ),
            other => other.clone(),
        }
    }

    /// `value` as one line of JSON with every secret masked.
    pub fn json_line(&self, value: &Value) -> String {
        let masked = self.apply_to_value(value);
        let line = serde_json::to_string(&masked).unwrap_or_default();
        self.apply(&line).into_owned()
    }
}

/// A text cut short (a line longer than runbook reads, an error body summed up) may end in the
/// first part of a secret, which masking by value cannot see: where `text` holds a cut mark,
/// the longest start of a secret that ends right before it is masked.
fn cut_secrets(text: &str, secrets: &[String]) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for mark in crate::lines::CUT_MARKS {
        for (at, _) in text.match_indices(mark) {
            let before = &text[..at];
            let longest = secrets
                .iter()
                .filter_map(|secret| {
                    (SHORTEST_SECRET..secret.len())
                        .rev()
                        .filter(|length| secret.is_char_boundary(*length))
                        .find(|length| before.ends_with(&secret[..*length]))
                })
                .max();
            if let Some(length) = longest {
                found.push((at - length, at));
            }
        }
    }
    found
}

/// Where each of `needles` occurs in `text`, as byte ranges.
fn occurrences<'a>(text: &str, needles: impl Iterator<Item = &'a String>) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    for needle in needles.filter(|needle| !needle.is_empty()) {
        found.extend(
            text.match_indices(needle.as_str()).map(|(start, _)| (start, start + needle.len())),
        );
    }
    found
}

/// `text` with each of the sorted `ranges` (merged where they overlap) replaced by the mask.
fn replace_ranges(text: &str, ranges: &[(usize, usize)]) -> String {
    let mut masked = String::with_capacity(text.len());
    let mut written = 0;
    for &(start, end) in ranges {
        if end <= written {
            continue;
        }
        if start >= written {
            masked.push_str(&text[written..start]);
            masked.push_str(MASK);
        }
        written = end;
    }
    masked.push_str(&text[written..]);
    masked
}

/// The secret itself, each of its lines, and the password of a URL in it.
fn parts(secret: &str) -> Vec<String> {
    let mut parts = vec![secret.to_string()];
    if secret.contains('\n') || secret.contains('\r') {
        parts.extend(
            secret
                .lines()
                .map(|line| line.trim_end_matches('\r').to_string())
                .filter(|line| !line.trim().is_empty()),
        );
    }
    parts.extend(url_passwords(secret));
    parts
}

/// The password of every `scheme://user:password@host` in `text`, as written and decoded.
fn url_passwords(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for word in text.split_whitespace() {
        let Some((_, rest)) = word.split_once("://") else {
            continue;
        };
        let Some((credentials, _)) = rest.split_once('@') else {
            continue;
        };
        let Some((_, password)) = credentials.split_once(':') else {
            continue;
        };
        if password.is_empty() {
            continue;
        }
        found.push(password.to_string());
        if let Ok(url) = reqwest::Url::parse(word)
            && let Some(encoded) = url.password()
        {
            let decoded: String = percent_decode(encoded);
            found.push(encoded.to_string());
            found.push(decoded);
        }
    }
    found
}

fn percent_decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// `part` in every form a channel gives it before its bytes are final: as written, as Slack
/// escapes text (`&amp;`, `&lt;`, `&gt;`), as a Markdown table cell escapes it (`\|`), as a
/// terminal is shown it (`crate::visible`); each of those JSON-escaped once and twice (JSON in a
/// JSON string), escaped as Rust and Rhai show strings, and percent-encoded (upper and lower
/// case). Masking the final bytes of a channel then finds it whatever was done to it on the way.
fn escaped_forms(part: &str) -> Vec<String> {
    let channels = [
        part.to_string(),
        slack_escaped(part),
        markdown_cell(part),
        crate::visible::visible(part, crate::visible::Layout::Line).into_owned(),
    ];
    let mut forms = Vec::new();
    for form in channels {
        let once = escape(&form);
        let twice = escape(&once);
        forms.extend([
            once,
            twice,
            form.escape_debug().to_string(),
            form.escape_default().to_string(),
            percent_encoded(&form, false),
            percent_encoded(&form, true),
            form,
        ]);
    }
    forms.sort();
    forms.dedup();
    forms
}

/// As Slack's message format escapes text.
pub fn slack_escaped(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// As a Markdown table cell escapes text.
pub fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

/// Every byte but the unreserved ones (RFC 3986).
const UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Every byte but the unreserved ones as `%XX`, or as `%xx` when `lower` (both are sent).
fn percent_encoded(text: &str, lower: bool) -> String {
    let encoded = percent_encoding::utf8_percent_encode(text, UNRESERVED).to_string();
    if !lower {
        return encoded;
    }
    // Only the two hex digits after each `%` are letters to lower: the rest is unreserved text.
    let mut after_percent = 0;
    encoded
        .chars()
        .map(|character| match character {
            '%' => {
                after_percent = 2;
                character
            }
            _ if after_percent > 0 => {
                after_percent -= 1;
                character.to_ascii_lowercase()
            }
            _ => character,
        })
        .collect()
}

fn escape(text: &str) -> String {
    let quoted = serde_json::to_string(text).unwrap_or_default();
    quoted[1..quoted.len().saturating_sub(1).max(1)].to_string()
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
        assert_eq!(redactor.apply(&json), format!("{{\"v\":\"{MASK}\",\"x\":\"on\"}}"));
        assert_eq!(redactor.apply("plain s3cr\"et-value text"), format!("plain {MASK} text"));
        let nested = serde_json::json!({ "described": format!("PATCH /x {}", json) });
        assert!(!redactor.json_line(&nested).contains("s3cr"), "{nested}");
    }

    #[test]
    fn masks_each_line_and_the_password_of_a_url_but_never_a_public_name() {
        let redactor = Redactor::default();
        redactor.add_public("lazona-connector-staging");
        redactor.add("first-line-secret\nsecond-line-secret");
        redactor.add("postgres://admin:p%40ss-w0rd@db.example.com:5432/app");
        redactor.add("lazona-connector-staging");
        assert_eq!(redactor.apply("x second-line-secret y"), format!("x {MASK} y"));
        assert_eq!(redactor.apply("password p@ss-w0rd"), format!("password {MASK}"));
        assert_eq!(redactor.apply("lazona-connector-staging"), "lazona-connector-staging");
    }
}
