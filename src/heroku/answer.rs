//! What an answer of the API means, from its status, headers and body bytes: a success with its
//! JSON, a typed error (Heroku's `{id, message, url}` kept as fields), a redirect that is never
//! followed. A pure function of what came over the wire, so that any bytes at all can be fed to
//! it (the `api_answer` fuzz target): none makes it panic.

use reqwest::Method;
use serde_json::Value;

use super::error::{ApiError, ErrorBody};
use super::path::ApiPath;
use super::retry::{self, Attempt};

/// A successful answer: its JSON body and Heroku's request id.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: Value,
    pub request_id: Option<String>,
    /// Where the next page of a list starts, when Heroku answered 206 Partial Content.
    pub next_range: Option<String>,
}

/// The answer of `method path`: `status`, `headers` and the whole `body` (at most
/// `client::MAX_BODY` bytes, as the client reads it).
pub fn interpret(
    method: &Method,
    path: &ApiPath,
    status: u16,
    headers: &reqwest::header::HeaderMap,
    body: &[u8],
) -> Result<Answer, Box<Attempt>> {
    if (300..400).contains(&status) {
        return Err(Box::new(redirected(method, path, status, headers)));
    }
    let request_id = header_text(headers, "request-id");
    if status >= 400 {
        return Err(Box::new(api_error(
            status,
            &String::from_utf8_lossy(body),
            request_id,
            headers,
        )));
    }
    let value = if body.trim_ascii().is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(body)
            .map_err(|error| Box::new(Attempt::final_error(decode_error(method, path, &error))))?
    };
    Ok(Answer { status, body: value, request_id, next_range: header_text(headers, "next-range") })
}

/// `interpret` of an answer to `GET /apps` and to `DELETE /apps`: whether it was a success.
pub fn interpret_any(status: u16, headers: &reqwest::header::HeaderMap, body: &[u8]) -> bool {
    let path = ApiPath::root("apps");
    [Method::GET, Method::DELETE]
        .iter()
        .all(|method| interpret(method, &path, status, headers, body).is_ok())
}

pub fn header_text(headers: &reqwest::header::HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(String::from)
}

/// A 3xx: never followed, an error naming where it pointed.
pub fn redirected(
    method: &Method,
    path: &ApiPath,
    status: u16,
    headers: &reqwest::header::HeaderMap,
) -> Attempt {
    Attempt::final_error(ApiError::Redirected {
        method: method.to_string(),
        path: path.to_string(),
        status,
        location: header_text(headers, "location").unwrap_or_else(|| "nowhere".into()),
    })
}

/// Heroku's error body `{id, message, url}` as a typed error, retryable on 429 and 503.
fn api_error(
    status: u16,
    text: &str,
    request_id: Option<String>,
    headers: &reqwest::header::HeaderMap,
) -> Attempt {
    let error_body: Option<ErrorBody> = serde_json::from_str(text).ok();
    let (id, message, url) = match error_body {
        Some(body) => (body.id, body.message, body.url),
        None => ("unknown".to_string(), summarize(text), None),
    };
    Attempt {
        error: ApiError::Api { status, id, message, url, request_id },
        retry_after: retry::retry_after(headers),
        retryable: retry::is_retryable_status(status),
    }
}

fn decode_error(method: &Method, path: &ApiPath, error: &dyn std::error::Error) -> ApiError {
    ApiError::Decode {
        method: method.to_string(),
        path: path.to_string(),
        reason: error.to_string(),
    }
}

/// A body that is not Heroku's error JSON, summed up in its first 200 characters (and the cut
/// mark, which tells masking that a secret may end there cut in two).
fn summarize(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return "(empty body)".to_string();
    }
    let mut kept: String = trimmed.chars().take(200).collect();
    if kept.len() < trimmed.len() {
        kept.push_str(crate::lines::CUT_MARKS[1]);
    }
    kept
}
