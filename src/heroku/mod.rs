//! The Heroku Platform API client and its payload types; knows nothing of runbooks. One file per
//! resource (`apps`, `dynos`, `releases`...), each building its requests from checked
//! identifiers; `Client` sends them.

pub mod account;
pub mod addons;
mod answer;
pub mod apps;
pub mod builds;
mod client;
pub mod config_vars;
mod credentials;
pub mod dynos;
mod error;
pub mod formation;
pub mod log_sessions;
mod path;
pub mod pipelines;
mod rate_budget;
pub mod releases;
pub mod rendezvous;
mod request;
mod retry;
pub mod types;
mod upload;

pub use answer::interpret_any as interpret_answer;
pub use client::{
    Access, Answer, Client, DEFAULT_API_URL, MAX_BODY, builder_for, install_crypto_provider,
};
pub use credentials::find_token;
pub use error::ApiError;
pub use request::{Request, logged_request_changes_nothing};
pub use retry::retry_after;
pub use upload::put as upload;
