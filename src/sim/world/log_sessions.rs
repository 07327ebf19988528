//! What a log session asked for (the body of `POST /apps/{app}/log-sessions`), kept until its
//! stream is read.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LogSessionSpec {
    #[serde(skip)]
    pub app: String,
    pub lines: Option<u64>,
    pub source: Option<String>,
    pub dyno_name: Option<String>,
    #[serde(default)]
    pub tail: bool,
}
