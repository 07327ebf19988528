//! The JSON Schema's rules for `with:`, one per catalogue operation, so that an editor knows each
//! operation's arguments, their types and docs, and which are required.

use serde_json::{Value, json};

use crate::ops::{ArgumentSpec, ArgumentType};
use crate::ops::{CATALOGUE, Operation};

/// `if do: NAME then with: {...}` for every operation, to put in the step's `allOf`.
pub fn with_rules() -> Vec<Value> {
    CATALOGUE.iter().map(rule).collect()
}

fn rule(operation: &Operation) -> Value {
    let properties: serde_json::Map<String, Value> = operation
        .arguments
        .iter()
        .map(|argument| (argument.name.to_string(), argument_schema(argument)))
        .collect();
    let required: Vec<&str> = operation
        .arguments
        .iter()
        .filter(|argument| argument.required)
        .map(|argument| argument.name)
        .collect();
    let mut then = json!({
        "properties": {
            "with": {
                "type": "object",
                "properties": properties,
                "additionalProperties": false,
                "required": required,
            }
        }
    });
    if !required.is_empty() {
        then["required"] = json!(["with"]);
    }
    json!({
        "if": { "properties": { "do": { "const": operation.name } }, "required": ["do"] },
        "then": then,
    })
}

/// A value the loader accepts for `argument`: its type, a `${...}` template, or null.
fn argument_schema(argument: &ArgumentSpec) -> Value {
    let template = json!({ "type": "string", "pattern": "\\$\\{" });
    let value = match argument.kind {
        ArgumentType::String => json!({ "type": "string" }),
        ArgumentType::App => json!({
            "type": "string",
            "pattern": "^([a-z][a-z0-9-]{1,28}[a-z0-9]|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
        }),
        ArgumentType::ProcessType => json!({ "type": "string", "pattern": "^[-\\w]{1,128}$" }),
        ArgumentType::Dyno => json!({
            "type": "string",
            "pattern": "^([-\\w]{1,128}\\.[0-9]{1,9}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$",
        }),
        ArgumentType::Release => json!({
            "anyOf": [
                { "type": "integer", "minimum": 1 },
                { "type": "string", "pattern": "^(v?[1-9][0-9]{0,8}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$" },
            ],
        }),
        ArgumentType::Int => json!({
            "anyOf": [{ "type": "integer" }, { "type": "string", "pattern": "^\\s*-?[0-9]+\\s*$" }],
        }),
        ArgumentType::Bool => {
            json!({ "anyOf": [{ "type": "boolean" }, { "enum": ["true", "false"] }] })
        }
        ArgumentType::Duration | ArgumentType::Follow => json!({ "type": ["string", "number"] }),
        ArgumentType::Map => json!({
            "type": "object",
            "additionalProperties": { "type": ["string", "null"] },
        }),
        ArgumentType::Percent => json!({
            "anyOf": [{ "type": "number", "minimum": 0, "maximum": 1 }, { "type": "string", "pattern": "^\\s*[0-9.]+\\s*%?\\s*$" }],
        }),
        ArgumentType::Rolling => json!({
            "anyOf": [
                { "type": "boolean" },
                {
                    "type": "object",
                    "additionalProperties": false,
                    "properties": {
                        "batch": { "type": ["integer", "string"] },
                        "pause": { "type": ["string", "number"] },
                        "max_failures": { "type": ["integer", "string"] },
                        "health": { "type": ["boolean", "string"] },
                    },
                },
            ],
        }),
    };
    json!({
        "description": argument.doc,
        "anyOf": [value, template, { "type": "null" }],
    })
}
