//! Heroku's list paging: a `Range` header asks for a page, 206 and `Next-Range` say there is more.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// The page of `items` that the request's `Range` header asks for.
pub fn page<T: Serialize>(
    items: &[T],
    id_of: impl Fn(&T) -> &str,
    headers: &HeaderMap,
    page_size: usize,
) -> Response {
    let range = headers
        .get("range")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("id ..");
    let size = max_of(range).unwrap_or(page_size).clamp(1, page_size);
    let start = match start_after(range) {
        Some(after) => items
            .iter()
            .position(|item| id_of(item) == after)
            .map_or(items.len(), |index| index + 1),
        None => 0,
    };
    let end = (start + size).min(items.len());
    let slice = &items[start.min(end)..end];
    if end >= items.len() {
        return Json(slice).into_response();
    }
    let mut response = (StatusCode::PARTIAL_CONTENT, Json(slice)).into_response();
    let next = format!("id ]{}..; max={size}", id_of(&items[end - 1]));
    if let Ok(value) = HeaderValue::from_str(&next) {
        response.headers_mut().insert("next-range", value);
    }
    response
}

/// `id ]abc..; max=2` starts after `abc`.
fn start_after(range: &str) -> Option<&str> {
    let after = range.split_once(']')?.1;
    Some(after.split("..").next().unwrap_or(after).trim())
}

fn max_of(range: &str) -> Option<usize> {
    range
        .split(';')
        .find_map(|part| part.trim().strip_prefix("max=")?.trim().parse().ok())
}
