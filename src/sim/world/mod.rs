//! The simulated Heroku: apps, dynos, releases, logs, builds, pipelines, faults and scenarios, and
//! how they change. It knows no HTTP; `api/` serves it.

pub mod commands;
pub mod faults;
pub mod ids;
pub mod incident;
pub mod log_sessions;
pub mod logs;
pub mod options;
pub mod pipeline;
pub mod releases;
pub mod requests;
pub mod scenario;
pub mod seed;
pub mod sessions;
pub mod state;
pub mod traffic;

pub use state::{SharedState, SimApp, SimBuild, SimDyno, SimState, lock};
