//! What every simulated API request passes through: the token check, injected faults and latency,
//! the in-flight count, `Request-Id` and `RateLimit-Remaining`, and the request log.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;

use super::respond::error;
use crate::sim::world::LoggedRequest;
use crate::sim::world::uuid;
use crate::sim::world::{FaultKind, take_fault};
use crate::sim::world::{SharedState, lock};

/// The largest body the request log keeps, and the largest an API request may have.
const LOGGED_BODY: usize = 64 * 1024;
const LARGEST_BODY: usize = 16 * 1024 * 1024;

pub async fn handle(State(state): State<SharedState>, request: Request, next: Next) -> Response {
    let mut logged = logged(&request);
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, LARGEST_BODY).await.unwrap_or_default();
    if bytes.len() <= LOGGED_BODY {
        logged.body = serde_json::from_slice(&bytes).ok();
    }
    let has_body = !bytes.is_empty();
    let request = Request::from_parts(parts, axum::body::Body::from(bytes));
    let (latency, fault) = {
        let mut state = lock(&state);
        state.in_flight += 1;
        state.max_in_flight = state.max_in_flight.max(state.in_flight);
        let fault = take_fault(&mut state.faults, &logged.method, &logged.path);
        (state.options.latency, fault)
    };
    let mut delay = latency;
    if let Some(FaultKind::Delay(extra)) = &fault {
        delay += *extra;
    }
    if !delay.is_zero() {
        crate::clock::sleep_serving(delay).await;
    }
    if fault == Some(FaultKind::Hang) {
        // Logged with status 0 (no answer), then left waiting until the client gives up.
        {
            let mut held = lock(&state);
            held.in_flight -= 1;
            held.requests.push(logged);
        }
        return std::future::pending().await;
    }
    let token = api_key(request.headers()).unwrap_or_default();
    let (method, path) = (logged.method.clone(), logged.path.clone());
    let response = match (unauthorized(&state, request.headers()), fault) {
        (Some(refusal), _) => refusal,
        (None, Some(FaultKind::Status(status))) => injected(status),
        (None, Some(FaultKind::Reset)) => broken(),
        (None, _) => {
            let spent = lock(&state).spend(&token);
            match spent {
                Ok(remaining) => {
                    let request = if has_body { as_json(request) } else { request };
                    let response = next.run(request).await;
                    let mut response = to_the_contract(&method, &path, response).await;
                    response
                        .headers_mut()
                        .insert("ratelimit-remaining", HeaderValue::from(remaining));
                    response
                }
                Err(wait) => rate_limited(wait),
            }
        }
    };
    finish(&state, logged, response)
}

/// A body sent without a content type is read as JSON, as Heroku reads it (an empty body stays
/// without one: the routes that take none, or an optional one, see none).
fn as_json(mut request: Request) -> Request {
    if !request.headers().contains_key("content-type") {
        request.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    }
    request
}

/// A success completed to the schema's target for its link (`contract`); an error that is not
/// Heroku's JSON (a body that is not JSON, a verb a path does not take) made one.
async fn to_the_contract(method: &str, path: &str, response: Response) -> Response {
    let status = response.status();
    let is_json = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|kind| kind.starts_with("application/json"));
    if !is_json {
        return match status.as_u16() {
            400 => error(status, "bad_request", "The request body is not valid JSON."),
            405 => error(
                status,
                "method_not_allowed",
                "The requested API endpoint does not take this HTTP method.",
            ),
            413 => error(status, "request_too_large", "The request body is too large."),
            415 | 422 => error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The request body does not have the fields and types this endpoint takes.",
            ),
            _ => response,
        };
    }
    if !status.is_success() {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, LARGEST_BODY).await else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_server_error",
            "The simulator could not read its own answer.",
        );
    };
    let Ok(answer) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Response::from_parts(parts, axum::body::Body::from(bytes));
    };
    let completed = super::contract::complete(method, path, answer);
    let text = serde_json::to_vec(&completed).unwrap_or_default();
    parts.headers.remove("content-length");
    Response::from_parts(parts, axum::body::Body::from(text))
}

/// The API key of a request: a `Bearer` token, or the password of `Basic` credentials (as
/// `~/.netrc` and Heroku's own clients send it, the email or nothing as the user).
pub fn api_key(headers: &HeaderMap) -> Option<String> {
    let value = headers.get("authorization")?.to_str().ok()?.trim();
    if let Some(token) = value.strip_prefix("Bearer ") {
        return Some(token.trim().to_string()).filter(|token| !token.is_empty());
    }
    let encoded = value.strip_prefix("Basic ")?;
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
    let credentials = String::from_utf8(decoded).ok()?;
    let (_, password) = credentials.split_once(':')?;
    Some(password.to_string()).filter(|password| !password.is_empty())
}

/// 401 when the API key is missing, or is not the one the simulator was told to accept.
fn unauthorized(state: &SharedState, headers: &HeaderMap) -> Option<Response> {
    let token = api_key(headers);
    let expected = lock(state).options.api_key.clone();
    match (token, expected) {
        (None, _) => Some(error(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "There were no credentials in your `Authorization` header. Try `Authorization: Bearer <api-key>`.",
        )),
        (Some(token), Some(expected)) if token != expected.as_str() => {
            Some(error(StatusCode::UNAUTHORIZED, "unauthorized", "Invalid credentials provided."))
        }
        _ => None,
    }
}

/// A 200 whose body fails at once: the server closes the connection mid-answer.
fn broken() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<axum::body::Bytes, std::io::Error>(std::io::Error::other(
            "connection reset by the simulator",
        ))
    });
    Response::new(axum::body::Body::from_stream(failing))
}

fn injected(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = match status.as_u16() {
        429 => error(
            status,
            "rate_limit",
            "Your account reached the API rate limit. Please wait a few minutes before making new requests.",
        ),
        503 => {
            error(status, "unavailable", "The API is temporarily unavailable. Please try again.")
        }
        _ => error(
            status,
            "internal_server_error",
            "Internal server error (injected by the simulator).",
        ),
    };
    if status.as_u16() == 429 {
        response.headers_mut().insert("retry-after", HeaderValue::from(1));
    }
    response
}

/// 429 when the token's budget is spent, with when to come back.
fn rate_limited(wait: std::time::Duration) -> Response {
    let mut response = error(
        StatusCode::TOO_MANY_REQUESTS,
        "rate_limit",
        "Your account reached the API rate limit. Please wait a few minutes before making new requests.",
    );
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    response.headers_mut().insert("retry-after", HeaderValue::from(seconds));
    response.headers_mut().insert("ratelimit-remaining", HeaderValue::from(0));
    response
}

fn finish(state: &SharedState, mut logged: LoggedRequest, mut response: Response) -> Response {
    let mut state = lock(state);
    state.in_flight -= 1;
    state.request_count += 1;
    logged.status = response.status().as_u16();
    if let Some(app) = changed_app(&logged) {
        state.mark_changed(app);
    }
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&logged.request_id) {
        headers.insert("request-id", value);
    }
    state.requests.push(logged);
    response
}

/// The app a successful write changed (`PATCH /apps/APP/...`); a log session changes nothing.
fn changed_app(logged: &LoggedRequest) -> Option<&str> {
    let writes = logged.method != "GET" && (200..300).contains(&logged.status);
    let mut segments = logged.path.split('/').skip(1);
    let app = match (segments.next(), segments.next()) {
        (Some("apps"), Some(app)) if writes => app,
        _ => return None,
    };
    (!logged.path.ends_with("/log-sessions")).then_some(app)
}

/// The request as it arrived; its status is filled in when the answer is ready.
fn logged(request: &Request) -> LoggedRequest {
    let headers = request.headers();
    LoggedRequest {
        method: request.method().to_string(),
        path: request.uri().path().to_string(),
        status: 0,
        request_id: uuid(),
        user_agent: header_text(headers, "user-agent"),
        accept: header_text(headers, "accept"),
        range: header_text(headers, "range"),
        body: None,
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers.get(name).and_then(|value| value.to_str().ok()).map(String::from)
}
