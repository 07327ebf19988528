//! `runbook sim serve` against Heroku's official Platform API schema (`tests/fixtures/heroku/`):
//! every route it serves is called, and each answer is validated against the `targetSchema` of
//! the schema link it answers, strictly (every declared property present, none undeclared, the
//! declared types and patterns). Errors are JSON with Heroku's ids; Bearer and Basic both
//! authenticate. The walk must cover every route of the simulator's table, so that the contract
//! cannot drift.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::harness::{Test, exchange, exchange_bytes};

const APP: &str = "lazona-connector-staging";
const OTHER_APP: &str = "lazona-connector-production";

fn schema() -> &'static Value {
    static SCHEMA: OnceLock<Value> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/heroku/platform-api.schema.json");
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    })
}

/// The node a `$ref` points at, followed until it is no `$ref`.
fn resolved(mut node: &Value) -> &Value {
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        node = schema().pointer(pointer).unwrap_or_else(|| panic!("no {reference} in the schema"));
    }
    node
}

/// The schema link that `METHOD PATH` answers: its `href` with every `{(...)}` as one segment.
fn link(method: &str, path: &str) -> Option<&'static Value> {
    let segments: Vec<&str> = path.split('/').collect();
    schema()["definitions"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|resource| resource["links"].as_array().into_iter().flatten())
        .filter(|link| link["method"] == method)
        .filter(|link| {
            let href: Vec<&str> = link["href"].as_str().unwrap().split('/').collect();
            href.len() == segments.len()
                && href
                    .iter()
                    .zip(&segments)
                    .all(|(template, segment)| template.starts_with("{(") || template == segment)
        })
        // A fixed segment beats a template: `/apps/{app}/formation` before `/apps/{app}/{x}`.
        .max_by_key(|link| {
            link["href"]
                .as_str()
                .unwrap()
                .split('/')
                .filter(|segment| !segment.starts_with("{("))
                .count()
        })
}

/// Every way `value` departs from `node`, strictly; `at` names where.
fn departures(value: &Value, node: &Value, at: &str) -> Vec<String> {
    let node = resolved(node);
    for alternatives in ["anyOf", "oneOf"] {
        if let Some(branches) = node.get(alternatives).and_then(Value::as_array) {
            let fits = branches.iter().any(|branch| departures(value, branch, at).is_empty());
            return if fits {
                Vec::new()
            } else {
                vec![format!("{at}: {value} fits none of its {alternatives}")]
            };
        }
    }
    let mut found = Vec::new();
    if let Some(types) = node.get("type") {
        let allowed: Vec<&str> = match types {
            Value::String(one) => vec![one.as_str()],
            Value::Array(many) => many.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if !allowed.iter().any(|kind| is_of_type(value, kind)) {
            return vec![format!("{at}: {value} is not {allowed:?}")];
        }
    }
    if let Some(choices) = node.get("enum").and_then(Value::as_array)
        && !value.is_null()
        && !choices.contains(value)
    {
        found.push(format!("{at}: {value} is not one of {choices:?}"));
    }
    if let (Some(pattern), Some(text)) =
        (node.get("pattern").and_then(Value::as_str), value.as_str())
        && !is_the_simulators_own(at)
        && !regex::Regex::new(pattern).unwrap().is_match(text)
    {
        found.push(format!("{at}: `{text}` does not match {pattern}"));
    }
    if let (Some(properties), Some(object)) =
        (node.get("properties").and_then(Value::as_object), value.as_object())
    {
        let declared: BTreeSet<&str> = properties.keys().map(String::as_str).collect();
        let given: BTreeSet<&str> = object.keys().map(String::as_str).collect();
        for missing in declared.difference(&given) {
            found.push(format!("{at}.{missing}: declared, missing"));
        }
        for extra in given.difference(&declared) {
            found.push(format!("{at}.{extra}: not declared"));
        }
        for (name, property) in properties {
            if let Some(inner) = object.get(name) {
                found.extend(departures(inner, property, &format!("{at}.{name}")));
            }
        }
    }
    if let (Some(items), Some(array)) = (node.get("items"), value.as_array()) {
        for (position, item) in array.iter().enumerate() {
            found.extend(departures(item, items, &format!("{at}[{position}]")));
        }
    }
    found
}

/// The URLs that point at the simulator rather than at Heroku, so that clients can use them: an
/// app's `git_url` (a bare repository `git push` reaches) and `web_url` (its pages). Their type is
/// checked, not Heroku's host pattern (docs/simulator.md).
fn is_the_simulators_own(at: &str) -> bool {
    at.ends_with(".git_url") || at.ends_with(".web_url")
}

/// A small source tarball, uploaded where the source says, as `heroku builds:create` uploads.
fn upload(put_url: &str) {
    let mut archive =
        tar::Builder::new(flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast()));
    let text = b"web: python app.py\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o644);
    archive.append_data(&mut header, "Procfile", &text[..]).unwrap();
    let bytes = archive.into_inner().unwrap().finish().unwrap();
    let _ = exchange_bytes(put_url, "PUT", &[], &bytes);
}

fn is_of_type(value: &Value, kind: &str) -> bool {
    match kind {
        "null" => value.is_null(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        _ => true,
    }
}

/// One answer of the simulator.
struct Answer {
    status: u16,
    head: String,
    body: Value,
}

struct Walk<'a> {
    test: &'a Test,
    /// `METHOD PATH` of each call made, with the schema link it answered, and what departed.
    called: Vec<(String, String)>,
    departures: Vec<String>,
}

impl<'a> Walk<'a> {
    fn new(test: &'a Test) -> Self {
        Self { test, called: Vec::new(), departures: Vec::new() }
    }

    fn call(&mut self, method: &str, path: &str, body: Option<Value>) -> Answer {
        let answer = send(self.test, method, path, body, "Bearer test-key", "");
        let link = link(method, path.split('?').next().unwrap())
            .unwrap_or_else(|| panic!("no schema link answers {method} {path}"));
        let href = link["href"].as_str().unwrap().to_string();
        self.called.push((format!("{method} {path}"), href.clone()));
        if !(200..300).contains(&answer.status) {
            self.departures.push(format!("{method} {path}: {} {}", answer.status, answer.body));
            return answer;
        }
        let target = link.get("targetSchema").unwrap_or(&Value::Null);
        let found = departures(&answer.body, target, &format!("{method} {path}"));
        self.departures.extend(found);
        answer
    }
}

fn send(
    test: &Test,
    method: &str,
    path: &str,
    body: Option<Value>,
    authorization: &str,
    range: &str,
) -> Answer {
    let text = body.map(|body| body.to_string()).unwrap_or_default();
    let mut headers = vec![
        ("Accept", "application/vnd.heroku+json; version=3"),
        ("Content-Type", "application/json"),
        ("Authorization", authorization),
    ];
    if !range.is_empty() {
        headers.push(("Range", range));
    }
    let url = format!("{}{path}", test.simulator().url);
    let (head, body) = exchange(&url, method, &headers, &text);
    let status = head.split_whitespace().nth(1).and_then(|status| status.parse().ok()).unwrap_or(0);
    Answer { status, head, body: serde_json::from_str(&body).unwrap_or(Value::String(body)) }
}

/// Calls every route the simulator serves, in an order that makes each id it needs.
fn walk(test: &Test) -> Walk<'_> {
    let mut walk = Walk::new(test);
    let app = format!("/apps/{APP}");
    walk.call("GET", "/account", None);
    walk.call("GET", "/account/rate-limits", None);
    walk.call("GET", "/apps", None);
    walk.call("GET", "/users/~/apps", None);
    let info = walk.call("GET", &app, None);
    let app_id = info.body["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("/apps/{app_id}"), None);
    walk.call("PATCH", &app, Some(json!({ "maintenance": true })));
    walk.call("PATCH", &app, Some(json!({ "maintenance": false })));
    walk.call("POST", "/filters/apps", Some(json!({ "in": { "id": [app_id] } })));
    walk.call("GET", &format!("{app}/formation"), None);
    walk.call("GET", &format!("{app}/formation/web"), None);
    walk.call(
        "PATCH",
        &format!("{app}/formation"),
        Some(json!({ "updates": [{ "type": "web", "quantity": 2 }] })),
    );
    walk.call(
        "PATCH",
        &format!("{app}/formation/web"),
        Some(json!({ "quantity": 2, "size": "standard-1X" })),
    );
    let dynos = walk.call("GET", &format!("{app}/dynos"), None);
    let dyno_id = dynos.body[0]["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("{app}/dynos/web.1"), None);
    walk.call("GET", &format!("{app}/dynos/{dyno_id}"), None);
    walk.call("DELETE", &format!("{app}/dynos/web.1"), None);
    walk.call("DELETE", &format!("{app}/formations/web"), None);
    walk.call("DELETE", &format!("{app}/dynos"), None);
    walk.call("POST", &format!("{app}/dynos/web.1/actions/stop"), None);
    walk.call("POST", &format!("{app}/formations/worker/actions/stop"), None);
    walk.call(
        "POST",
        &format!("{app}/dynos"),
        Some(json!({ "command": "echo hello", "attach": false })),
    );
    walk.call("GET", &format!("{app}/config-vars"), None);
    walk.call("PATCH", &format!("{app}/config-vars"), Some(json!({ "FEATURE_FLAG": "on" })));
    let releases = walk.call("GET", &format!("{app}/releases"), None);
    let release_id = releases.body[0]["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("{app}/releases/{release_id}"), None);
    let version = releases.body[0]["version"].as_u64().unwrap_or(1);
    walk.call("GET", &format!("{app}/releases/{version}"), None);
    walk.call("GET", &format!("{app}/releases/{release_id}/config-vars"), None);
    walk.call("POST", &format!("{app}/releases"), Some(json!({ "release": release_id })));
    walk.call("GET", &format!("{app}/addons"), None);
    let attachments = walk.call("GET", &format!("{app}/addon-attachments"), None);
    let addon_id = attachments.body[0]["addon"]["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("{app}/addons/{addon_id}"), None);
    walk.call("GET", "/addon-attachments", None);
    let added =
        walk.call("POST", &format!("{app}/addons"), Some(json!({ "plan": "heroku-redis:mini" })));
    let added_id = added.body["id"].as_str().unwrap_or_default().to_string();
    walk.call(
        "PATCH",
        &format!("{app}/addons/{added_id}"),
        Some(json!({ "plan": "heroku-redis:premium-0" })),
    );
    walk.call("DELETE", &format!("{app}/addons/{added_id}"), None);
    walk.call("POST", "/apps", Some(json!({ "name": "walk-made-app" })));
    walk.call("DELETE", "/apps/walk-made-app", None);
    walk.call("GET", &format!("{app}/collaborators"), None);
    walk.call(
        "POST",
        &format!("{app}/collaborators"),
        Some(json!({ "user": "grace@example.com" })),
    );
    walk.call("GET", &format!("{app}/collaborators/grace@example.com"), None);
    walk.call("DELETE", &format!("{app}/collaborators/grace@example.com"), None);
    let features = walk.call("GET", &format!("{app}/features"), None);
    let feature = features.body[0]["name"].as_str().unwrap_or("x").to_string();
    walk.call("GET", &format!("{app}/features/{feature}"), None);
    walk.call("PATCH", &format!("{app}/features/{feature}"), Some(json!({ "enabled": true })));
    walk.call("POST", &format!("{app}/log-sessions"), Some(json!({ "lines": 10 })));
    let source = walk.call("POST", "/sources", None);
    let get_url = source.body["source_blob"]["get_url"].as_str().unwrap_or_default().to_string();
    let put_url = source.body["source_blob"]["put_url"].as_str().unwrap_or_default().to_string();
    upload(&put_url);
    let build = walk.call(
        "POST",
        &format!("{app}/builds"),
        Some(json!({ "source_blob": { "url": get_url, "version": "abc123" } })),
    );
    let build_id = build.body["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("{app}/builds"), None);
    walk.call("GET", &format!("{app}/builds/{build_id}"), None);
    let couplings = walk.call("GET", &format!("/apps/{OTHER_APP}/pipeline-couplings"), None);
    let pipeline = couplings.body["pipeline"]["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("/pipelines/{pipeline}/pipeline-couplings"), None);
    let staging_coupling = walk.call("GET", &format!("{app}/pipeline-couplings"), None);
    let promotion = walk.call(
        "POST",
        "/pipeline-promotions",
        Some(json!({
            "pipeline": { "id": pipeline },
            "source": { "app": { "id": staging_coupling.body["app"]["id"] } },
            "targets": [{ "app": { "id": couplings.body["app"]["id"] } }],
        })),
    );
    let promotion_id = promotion.body["id"].as_str().unwrap_or_default().to_string();
    walk.call("GET", &format!("/pipeline-promotions/{promotion_id}"), None);
    walk.call("GET", &format!("/pipeline-promotions/{promotion_id}/promotion-targets"), None);
    walk.call("PATCH", &app, Some(json!({ "name": "lazona-connector-renamed" })));
    walk
}

#[test]
fn every_answer_is_what_the_official_schema_declares() {
    let test = Test::new().sim(&[]);
    let walk = walk(&test);
    assert!(
        walk.departures.is_empty(),
        "{} departures from the schema:\n{}",
        walk.departures.len(),
        walk.departures.join("\n")
    );
}

/// The routes of the simulator's table (`src/sim/api/mod.rs`), `METHOD /path/{param}`.
fn served_routes() -> BTreeSet<String> {
    let table = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sim/api/mod.rs"),
    )
    .unwrap();
    let flat: String = table.split_whitespace().collect();
    let mut routes = BTreeSet::new();
    for piece in flat.split(".route(\"").skip(1) {
        let Some((path, rest)) = piece.split_once('"') else {
            continue;
        };
        if path.starts_with("/__sim") || !path.starts_with('/') {
            continue;
        }
        let handlers = rest.split(".route(").next().unwrap_or_default();
        for (word, method) in [
            ("get(", "GET"),
            ("post(", "POST"),
            ("patch(", "PATCH"),
            ("delete(", "DELETE"),
            ("put(", "PUT"),
        ] {
            if handlers.contains(word) {
                routes.insert(format!("{method} {path}"));
            }
        }
    }
    routes
}

#[test]
fn the_walk_calls_every_route_the_simulator_serves() {
    let test = Test::new().sim(&[]);
    let walk = walk(&test);
    let served = served_routes();
    let covered = |route: &String| {
        let (method, path) = route.split_once(' ').unwrap();
        let wanted: Vec<&str> = path.split('/').collect();
        walk.called.iter().any(|(call, _)| {
            let (called_method, called_path) = call.split_once(' ').unwrap();
            let segments: Vec<&str> = called_path.split('?').next().unwrap().split('/').collect();
            called_method == method
                && segments.len() == wanted.len()
                && segments
                    .iter()
                    .zip(&wanted)
                    .all(|(segment, template)| template.starts_with('{') || segment == template)
        })
    };
    let uncalled: Vec<&String> = served.iter().filter(|route| !covered(route)).collect();
    assert!(uncalled.is_empty(), "routes the walk does not call: {uncalled:?}");
    assert!(served.len() >= 40, "only {} routes served", served.len());
}

#[test]
fn errors_are_json_with_herokus_ids() {
    let test = Test::new().sim(&[]);
    let cases = [
        ("GET", "/apps/no-such-app", None, 404, "not_found"),
        ("GET", "/no/such/endpoint", None, 404, "not_found"),
        ("PUT", "/apps/lazona-connector-staging", None, 405, "method_not_allowed"),
        (
            "PATCH",
            "/apps/lazona-connector-staging/formation/web",
            Some("{not json"),
            400,
            "bad_request",
        ),
        (
            "PATCH",
            "/apps/lazona-connector-staging/formation/web",
            Some("{\"quantity\": \"many\"}"),
            422,
            "invalid_params",
        ),
    ];
    for (method, path, body, status, id) in cases {
        let url = format!("{}{path}", test.simulator().url);
        let (head, text) = exchange(
            &url,
            method,
            &[("Authorization", "Bearer test-key"), ("Content-Type", "application/json")],
            body.unwrap_or_default(),
        );
        let answer: Value = serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("{method} {path}: not JSON: {head}\n{text}"));
        assert!(head.contains(&format!(" {status} ")), "{method} {path}: {head}");
        assert_eq!(answer["id"], id, "{method} {path}: {answer}");
        assert!(answer["message"].is_string(), "{answer}");
        assert!(head.to_lowercase().contains("content-type: application/json"), "{head}");
    }
    let unauthenticated = send(&test, "GET", "/account", None, "", "");
    assert_eq!(unauthenticated.status, 401);
    assert_eq!(unauthenticated.body["id"], "unauthorized");
}

#[test]
fn bearer_and_basic_authentication_are_both_accepted() {
    let test = Test::new().sim(&["--api-key", "the-key"]);
    let basic = format!("Basic {}", base64(":the-key"));
    let with_email = format!("Basic {}", base64("ada@example.com:the-key"));
    for authorization in ["Bearer the-key", basic.as_str(), with_email.as_str()] {
        let answer = send(&test, "GET", "/account", None, authorization, "");
        assert_eq!(answer.status, 200, "{authorization}: {}", answer.body);
    }
    let wrong = format!("Basic {}", base64(":not-the-key"));
    for authorization in ["Bearer not-the-key", wrong.as_str(), "Basic !!!"] {
        let answer = send(&test, "GET", "/account", None, authorization, "");
        assert_eq!(answer.status, 401, "{authorization}");
        assert_eq!(answer.body["id"], "unauthorized");
    }
}

fn base64(text: &str) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let bytes = text.as_bytes();
    let mut encoded = String::new();
    for chunk in bytes.chunks(3) {
        let joined = chunk.iter().enumerate().fold(0u32, |joined, (position, byte)| {
            joined | (u32::from(*byte) << (16 - 8 * position))
        });
        for position in 0..4 {
            if position <= chunk.len() {
                encoded.push(ALPHABET[((joined >> (18 - 6 * position)) & 63) as usize] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    encoded
}

#[test]
fn a_list_is_paged_by_its_range_header() {
    let apps: Vec<String> = (1..=25).map(|number| format!("--app=paged-app-{number:02}")).collect();
    let flags: Vec<&str> = apps.iter().map(String::as_str).collect();
    let test = Test::new().sim(&flags);
    let first = send(&test, "GET", "/apps", None, "Bearer test-key", "name ..; max=10");
    assert_eq!(first.status, 206, "{}", first.head);
    assert_eq!(first.body.as_array().unwrap().len(), 10);
    let next = first
        .head
        .lines()
        .find_map(|line| {
            line.strip_prefix("Next-Range: ").or_else(|| line.strip_prefix("next-range: "))
        })
        .unwrap_or_else(|| panic!("no Next-Range: {}", first.head))
        .trim()
        .to_string();
    let second = send(&test, "GET", "/apps", None, "Bearer test-key", &next);
    let names = |answer: &Answer| -> Vec<String> {
        answer
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|app| app["name"].as_str().unwrap().to_string())
            .collect()
    };
    let (first_names, second_names) = (names(&first), names(&second));
    assert!(first_names.windows(2).all(|pair| pair[0] < pair[1]), "{first_names:?}");
    assert!(first_names.last() < second_names.first(), "{first_names:?} then {second_names:?}");
}
