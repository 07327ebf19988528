//! Heroku's list paging: a `Range` header (`version ..; max=10, order=desc`) asks for a page,
//! 206 and `Next-Range` say there is more; the last page carries no `Next-Range`.

use axum::Json;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What a `Range` header asks: sorted by which field, starting where, how many, which way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    pub field: String,
    /// The key to start from, and whether that key itself is left out (`]abc..`).
    pub start: Option<(String, bool)>,
    pub max: Option<usize>,
    pub descending: bool,
}

impl Range {
    /// `id ]abc..; max=2`, `version ..; max=15, order=desc`, `version ..; order=desc,max=1`.
    pub fn parse(text: &str, default_field: &str) -> Self {
        let mut parts = text.split(';');
        let bounds = parts.next().unwrap_or_default().trim();
        let (field, rest) = bounds.split_once(' ').unwrap_or((bounds, ""));
        let field = if field.is_empty() || field.contains("..") {
            default_field.to_string()
        } else {
            field.to_string()
        };
        let rest = rest.trim();
        let start =
            rest.split("..").next().map(str::trim).filter(|start| !start.is_empty()).map(|start| {
                match start.strip_prefix(']') {
                    Some(after) => (after.trim().to_string(), true),
                    None => (start.trim_start_matches('[').to_string(), false),
                }
            });
        let options: Vec<&str> = parts.flat_map(|part| part.split(',')).collect();
        let max = options
            .iter()
            .find_map(|option| option.trim().strip_prefix("max=")?.trim().parse().ok());
        let descending =
            options.iter().any(|option| option.trim().replace(' ', "") == "order=desc");
        Self { field, start, max, descending }
    }

    fn next(&self, last_key: &str, size: usize) -> String {
        let order = if self.descending { ", order=desc" } else { "" };
        format!("{} ]{last_key}..; max={size}{order}", self.field)
    }
}

/// The page of `items` (in ascending order of their key) that the request's `Range` asks for;
/// `key_of` gives an item's key for the range's field (`id`, `version`...).
pub fn page<T: Serialize>(
    items: &[T],
    key_of: impl Fn(&T, &str) -> String,
    headers: &HeaderMap,
    page_size: usize,
) -> Response {
    let range = headers
        .get("range")
        .and_then(|value| value.to_str().ok())
        .map_or_else(|| Range::parse("id ..", "id"), |text| Range::parse(text, "id"));
    let mut ordered: Vec<&T> = items.iter().collect();
    // Sorted by the range's field, `id` when none is asked: the simulator's ids are made in
    // order, so by id is the order the list was made in.
    ordered.sort_by(|one, other| by_key(&key_of(one, &range.field), &key_of(other, &range.field)));
    if range.descending {
        ordered.reverse();
    }
    let size = range.max.unwrap_or(page_size).clamp(1, page_size);
    let start = match &range.start {
        Some((key, exclusive)) => ordered
            .iter()
            .position(|item| {
                let order = by_key(&key_of(item, &range.field), key);
                let order = if range.descending { order.reverse() } else { order };
                order.is_gt() || (order.is_eq() && !exclusive)
            })
            .unwrap_or(ordered.len()),
        None => 0,
    };
    let end = (start + size).min(ordered.len());
    let slice = &ordered[start.min(end)..end];
    if end >= ordered.len() {
        return Json(slice).into_response();
    }
    let mut response = (StatusCode::PARTIAL_CONTENT, Json(slice)).into_response();
    let next = range.next(&key_of(ordered[end - 1], &range.field), size);
    if let Ok(value) = HeaderValue::from_str(&next) {
        response.headers_mut().insert("next-range", value);
    }
    response
}

/// Keys in order: as numbers when both are (`version`), else as text.
fn by_key(one: &str, other: &str) -> std::cmp::Ordering {
    match (one.parse::<u64>(), other.parse::<u64>()) {
        (Ok(one), Ok(other)) => one.cmp(&other),
        _ => one.cmp(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_form_the_heroku_cli_sends() {
        let releases = Range::parse("version ..; max=15, order=desc", "id");
        assert_eq!(releases.field, "version");
        assert_eq!(releases.max, Some(15));
        assert!(releases.descending);
        let config_set = Range::parse("version ..; order=desc,max=1", "id");
        assert_eq!(config_set.max, Some(1));
        assert!(config_set.descending);
        let filters = Range::parse("id ..; max=1000;", "id");
        assert_eq!(filters.max, Some(1000));
        assert!(!filters.descending);
        let next = Range::parse("id ]abc..; max=2", "id");
        assert_eq!(next.start, Some(("abc".to_string(), true)));
    }
}
