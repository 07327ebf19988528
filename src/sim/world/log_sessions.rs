//! What a log session asked for (the body of `POST /apps/{app}/log-sessions`), kept until its
//! stream is read.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct LogSessionSpec {
    #[serde(skip)]
    pub app: String,
    pub lines: Option<u64>,
    pub source: Option<String>,
    /// A dyno name or a process type: the Heroku CLI sends `dyno`, the schema says `dyno_name`.
    #[serde(alias = "dyno_name")]
    pub dyno: Option<String>,
    #[serde(default)]
    pub tail: bool,
}
