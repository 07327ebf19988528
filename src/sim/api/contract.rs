//! Heroku's official Platform API schema as the simulator's contract. Each answer of a route is
//! completed to the `targetSchema` of the schema link it answers: the properties the simulated
//! world knows are kept (their values are the world's), every other declared property is given
//! the schema's own example (or, where it has none, a value of the declared type and format), and
//! any property the schema does not declare is dropped. So every answer has the shape Heroku's,
//! and the values that clients read (names, ids, states, versions) are the world's.

use std::sync::OnceLock;

use serde_json::{Map, Value};

/// A copy of `https://api.heroku.com/schema`, as `tests/fixtures/heroku/` keeps it too.
const SCHEMA: &str = include_str!("platform-api.schema.json");

/// The parsed schema and the table of its links.
struct Contract {
    schema: Value,
    links: Vec<Link>,
}

/// One link of the schema: its method, its `href` cut into segments (`None` for a `{(...)}`
/// placeholder), and the pointer to its target schema.
struct Link {
    method: String,
    segments: Vec<Option<String>>,
    target: Option<Value>,
}

fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA).unwrap_or_default();
        let links = schema["definitions"]
            .as_object()
            .into_iter()
            .flat_map(|resources| resources.values())
            .flat_map(|resource| resource["links"].as_array().into_iter().flatten())
            .map(|link| Link {
                method: link["method"].as_str().unwrap_or_default().to_string(),
                segments: link["href"]
                    .as_str()
                    .unwrap_or_default()
                    .split('/')
                    .map(|segment| (!segment.starts_with("{(")).then(|| segment.to_string()))
                    .collect(),
                target: link.get("targetSchema").cloned(),
            })
            .collect();
        Contract { schema, links }
    })
}

/// The target schema of the link `METHOD PATH` answers: the link whose fixed segments all match,
/// the most fixed segments winning (`/apps/{app}/formation` before `/apps/{app}/{anything}`).
fn target_of(method: &str, path: &str) -> Option<&'static Value> {
    let segments: Vec<&str> = path.split('/').collect();
    contract()
        .links
        .iter()
        .filter(|link| link.method == method && link.segments.len() == segments.len())
        .filter(|link| {
            link.segments
                .iter()
                .zip(&segments)
                .all(|(fixed, segment)| fixed.as_deref().is_none_or(|fixed| fixed == *segment))
        })
        .max_by_key(|link| link.segments.iter().filter(|fixed| fixed.is_some()).count())
        .and_then(|link| link.target.as_ref())
}

/// `answer` completed to what the schema declares for `METHOD PATH`; unchanged where the schema
/// has no such link.
pub fn complete(method: &str, path: &str, answer: Value) -> Value {
    match target_of(method, path) {
        Some(target) => shaped(target, answer),
        None => answer,
    }
}

/// The node a `$ref` points at, followed until it is none.
fn resolved(mut node: &Value) -> &Value {
    while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
        match contract().schema.pointer(reference.trim_start_matches('#')) {
            Some(target) => node = target,
            None => return &Value::Null,
        }
    }
    node
}

/// `value` in the shape of `node`.
fn shaped(node: &Value, value: Value) -> Value {
    let node = resolved(node);
    if let Some(branch) = branch_for(node, &value) {
        return shaped(branch, value);
    }
    match value {
        Value::Null if allows(node, "null") => Value::Null,
        Value::Null => example(node),
        Value::Object(given) if node.get("properties").is_some() => object(node, given),
        Value::Array(items) => match node.get("items") {
            Some(schema) => {
                Value::Array(items.into_iter().map(|item| shaped(schema, item)).collect())
            }
            None => Value::Array(items),
        },
        other => other,
    }
}

/// For an `anyOf` or a `oneOf`, the branch `value` is meant for: the first of its JSON type.
fn branch_for<'a>(node: &'a Value, value: &Value) -> Option<&'a Value> {
    let branches = node.get("anyOf").or_else(|| node.get("oneOf")).and_then(Value::as_array)?;
    branches
        .iter()
        .find(|branch| allows(resolved(branch), json_type(value)))
        .or_else(|| branches.first())
}

fn object(node: &Value, mut given: Map<String, Value>) -> Value {
    let Some(properties) = node.get("properties").and_then(Value::as_object) else {
        return Value::Object(given);
    };
    properties
        .iter()
        .map(|(name, property)| {
            let value = match given.remove(name) {
                Some(value) => shaped(property, value),
                None => example(property),
            };
            (name.clone(), value)
        })
        .collect::<Map<String, Value>>()
        .into()
}

/// What a property the world does not know is: `null` where the schema allows it (an app's
/// `team`, `space`: a personal app has none, and clients read a team into a value), else the
/// schema's example, else a plain value of its type and format.
fn example(node: &Value) -> Value {
    let node = resolved(node);
    if allows(node, "null") && !types(node).is_empty() {
        return Value::Null;
    }
    // An example of the declared type (the schema has a few that are not: an object given as the
    // example of a list).
    if let Some(example) = node.get("example").filter(|example| allows(node, json_type(example))) {
        return example.clone();
    }
    if let Some(branch) = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .and_then(Value::as_array)
        .and_then(|branches| branches.first())
    {
        return example(branch);
    }
    if node.get("properties").is_some() && allows(node, "object") {
        return object(node, Map::new());
    }
    match first_type(node) {
        "object" => Value::Object(Map::new()),
        "array" => Value::Array(Vec::new()),
        "boolean" => Value::Bool(false),
        "integer" | "number" => Value::from(0),
        _ => Value::String(by_format(node)),
    }
}

fn by_format(node: &Value) -> String {
    match node.get("format").and_then(Value::as_str) {
        Some("uuid") => "01234567-89ab-cdef-0123-456789abcdef".into(),
        Some("date-time") => "2026-12-01T12:00:00Z".into(),
        Some("date") => "2026-12-01".into(),
        Some("email") => "username@example.com".into(),
        Some("uri") => "https://example.com".into(),
        Some("ipv4") => "192.0.2.1".into(),
        _ => String::new(),
    }
}

fn types(node: &Value) -> Vec<&str> {
    match node.get("type") {
        Some(Value::String(one)) => vec![one.as_str()],
        Some(Value::Array(many)) => many.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn allows(node: &Value, kind: &str) -> bool {
    let declared = types(node);
    declared.is_empty()
        || declared.contains(&kind)
        || (kind == "integer" && declared.contains(&"number"))
}

fn first_type(node: &Value) -> &str {
    types(node).into_iter().find(|kind| *kind != "null").unwrap_or("string")
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(number) if number.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_answer_gets_every_declared_property_and_loses_the_others() {
        let app = complete(
            "GET",
            "/apps/lazona-connector-staging",
            json!({ "name": "lazona-connector-staging", "maintenance": true, "ours": 1 }),
        );
        assert_eq!(app["name"], "lazona-connector-staging");
        assert_eq!(app["maintenance"], true);
        assert!(app.get("ours").is_none());
        assert_eq!(app["region"]["name"], "us");
        assert!(app["team"].is_null() || app["team"].is_object());
        let listed = complete("GET", "/apps", json!([{ "name": "a" }]));
        assert_eq!(listed[0]["name"], "a");
        assert!(listed[0]["stack"].is_object());
    }

    #[test]
    fn a_path_the_schema_does_not_have_is_left_alone() {
        let answer = json!({ "anything": true });
        assert_eq!(complete("GET", "/__sim/stats", answer.clone()), answer);
    }
}
