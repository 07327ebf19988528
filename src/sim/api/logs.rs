//! Log sessions: `POST /apps/{app}/log-sessions` answers a `logplex_url` on the simulator, whose
//! stream sends the kept lines (filtered by source and dyno), then follows new ones when tailing.

use std::time::Duration;

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::respond::{NamedApp, error};
use crate::sim::world::LogSessionSpec;
use crate::sim::world::synthetic_line;
use crate::sim::world::{SharedState, lock};

/// How often a tailing stream looks for new lines.
const TAIL_POLL: Duration = Duration::from_millis(100);
/// A following stream sees one request's traffic every this many ticks (a second), as a live
/// app's log does.
const TRAFFIC_TICKS: u64 = 10;
/// Lines per chunk of a synthetic stream.
const SYNTHETIC_CHUNK: u64 = 512;

pub async fn create(
    named: NamedApp,
    headers: HeaderMap,
    body: Option<Json<LogSessionSpec>>,
) -> Response {
    let host = headers
        .get("host")
        .and_then(|value| value.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_string();
    let mut spec = body.map(|Json(spec)| spec).unwrap_or_default();
    let name = named.with(|app, _| {
        spec.app = app.app.name.clone();
        crate::sim::world::record_traffic(app, crate::sim::world::LIVE_LINES);
        StatusCode::OK.into_response()
    });
    if name.status() != StatusCode::OK {
        return name;
    }
    let id = crate::sim::world::uuid();
    lock(&named.state).log_sessions.insert(id.clone(), spec);
    let session = json!({
        "id": id,
        "logplex_url": format!("http://{host}/__sim/log-streams/{id}"),
        "created_at": crate::sim::world::now(),
    });
    (StatusCode::CREATED, Json(session)).into_response()
}

/// How a stream is framed: plain lines, or server-sent events (`data: LINE`) when the client asks
/// for `text/event-stream`, as the Heroku CLI does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    Lines,
    Events,
}

impl Framing {
    fn of(headers: &HeaderMap) -> Self {
        let accept =
            headers.get("accept").and_then(|value| value.to_str().ok()).unwrap_or_default();
        if accept.contains("text/event-stream") { Framing::Events } else { Framing::Lines }
    }

    fn frame(self, line: &str) -> String {
        match self {
            Framing::Lines => format!("{line}\n"),
            Framing::Events => format!("data: {line}\n\n"),
        }
    }

    fn respond(self, body: Body) -> Response {
        let kind = match self {
            Framing::Lines => "text/plain; charset=utf-8",
            Framing::Events => "text/event-stream",
        };
        ([("content-type", kind), ("cache-control", "no-cache")], body).into_response()
    }
}

/// The stream of a session: not part of the API, so no token, like Heroku's logplex URLs.
pub async fn stream(
    State(state): State<SharedState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let framing = Framing::of(&headers);
    let (spec, synthetic) = {
        let state = lock(&state);
        (state.log_sessions.get(&id).cloned(), state.options.synthetic_log_lines)
    };
    let Some(spec) = spec else {
        return error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that log session.");
    };
    if let Some(total) = synthetic {
        return framing.respond(synthetic_stream(total, framing));
    }
    let (kept, written) = {
        let mut state = lock(&state);
        match state.app_mut(&spec.app) {
            Some(app) => (app.logs.all(), app.logs.written()),
            None => (Vec::new(), 0),
        }
    };
    let wanted = spec.lines.unwrap_or(100).min(crate::sim::world::KEPT_LINES as u64) as usize;
    let matching: Vec<String> = kept.into_iter().filter(|line| matches(&spec, line)).collect();
    let start = matching.len().saturating_sub(wanted);
    let first: String = matching[start..].iter().map(|line| framing.frame(line)).collect();
    if !spec.tail {
        return framing.respond(Body::from(first));
    }
    framing.respond(tailing_stream(state, spec, first, written, framing))
}

fn matches(spec: &LogSessionSpec, line: &str) -> bool {
    let Some((_, rest)) = line.split_once(' ') else {
        return false;
    };
    let Some((origin, _)) = rest.split_once(": ") else {
        return false;
    };
    let (source, process) = origin.trim_end_matches(']').split_once('[').unwrap_or((origin, ""));
    spec.source.as_ref().is_none_or(|wanted| wanted == source)
        && spec
            .dyno
            .as_ref()
            .is_none_or(|wanted| process == wanted || process.starts_with(&format!("{wanted}.")))
}

/// The kept lines, then every new matching line as it is written, until the client goes away.
fn tailing_stream(
    state: SharedState,
    spec: LogSessionSpec,
    first: String,
    written: u64,
    framing: Framing,
) -> Body {
    let initial =
        futures_util::stream::once(async move { Ok::<Bytes, std::io::Error>(Bytes::from(first)) });
    let follow = futures_util::stream::unfold(
        (state, spec, written, 0u64),
        move |(state, spec, mut seen, mut ticks)| async move {
            loop {
                crate::clock::sleep_serving(TAIL_POLL).await;
                let fresh = {
                    let mut locked = lock(&state);
                    let boot_delay = locked.options.boot_delay;
                    let app = locked.app_mut(&spec.app)?;
                    app.settle(boot_delay);
                    ticks += 1;
                    if ticks % TRAFFIC_TICKS == 0 {
                        crate::sim::world::record_traffic(app, 1);
                    }
                    let fresh = app.logs.since(seen);
                    seen = app.logs.written();
                    fresh
                };
                let text: String = fresh
                    .iter()
                    .filter(|line| matches(&spec, line))
                    .map(|line| framing.frame(line))
                    .collect();
                if !text.is_empty() {
                    return Some((Ok(Bytes::from(text)), (state, spec, seen, ticks)));
                }
            }
        },
    );
    Body::from_stream(futures_util::StreamExt::chain(initial, follow))
}

/// `total` generated lines, made as they are sent: the simulator never holds the stream.
fn synthetic_stream(total: u64, framing: Framing) -> Body {
    let chunks = futures_util::stream::unfold(0u64, move |next| async move {
        if next >= total {
            return None;
        }
        let end = (next + SYNTHETIC_CHUNK).min(total);
        let text: String = (next..end)
            .map(|number| match framing {
                Framing::Lines => synthetic_line(number),
                Framing::Events => framing.frame(synthetic_line(number).trim_end()),
            })
            .collect();
        Some((Ok::<Bytes, std::io::Error>(Bytes::from(text)), end))
    });
    Body::from_stream(chunks)
}
