//! The Heroku Platform API client and its payload types; knows nothing of runbooks.

pub mod addons;
pub mod apps;
pub mod builds;
pub mod client;
pub mod config_vars;
pub mod credentials;
pub mod dynos;
pub mod error;
pub mod formation;

pub mod log_sessions;
pub mod path;
pub mod pipelines;
pub mod releases;
pub mod rendezvous;
mod request;
pub mod retry;
pub mod types;
pub mod upload;

pub use client::{Access, Answer, Client, builder_for, install_crypto_provider};
pub use error::ApiError;
pub use request::Request;
