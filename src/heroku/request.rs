//! One request to the Platform API as a value: method, checked path, JSON body.

use reqwest::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use super::path::ApiPath;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    #[serde(serialize_with = "method_name", deserialize_with = "method_of")]
    pub method: Method,
    pub path: ApiPath,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

fn method_name<S: Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

fn method_of<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Method, D::Error> {
    let text = String::deserialize(deserializer)?;
    Method::from_bytes(text.as_bytes()).map_err(serde::de::Error::custom)
}

impl Request {
    pub fn new(method: Method, path: ApiPath) -> Self {
        Self { method, path, body: None }
    }

    pub fn with_body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// `DELETE /apps/x/dynos`, with the body when there is one.
    pub fn describe(&self) -> String {
        match &self.body {
            Some(body) => format!("{} {} {}", self.method, self.path, body),
            None => format!("{} {}", self.method, self.path),
        }
    }

    /// Reads, and the one POST that only opens a log session: what a dry-run may send.
    pub fn changes_nothing(&self) -> bool {
        logged_request_changes_nothing(self.method.as_str(), self.path.as_str())
    }
}

/// Whether a request of `method` to `path` changes nothing (a read, or the POST that opens a
/// log session): the one rule, for a request this client builds and one a server logged.
pub fn logged_request_changes_nothing(method: &str, path: &str) -> bool {
    matches!(method, "GET" | "HEAD")
        || (method == "POST" && path.starts_with("/apps/") && path.ends_with("/log-sessions"))
}
