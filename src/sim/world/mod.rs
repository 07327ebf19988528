//! The simulated Heroku: apps, dynos, releases, logs, builds, pipelines, faults and scenarios, and
//! how they change. It knows no HTTP; `api/` serves it.

mod commands;
mod faults;
mod ids;
mod incident;
mod log_sessions;
mod logs;
mod options;
mod pipeline;
mod releases;
mod requests;
mod saved;
mod scenario;
mod seed;
mod sessions;
mod state;
mod summary;
mod traffic;

pub use commands::{canned, run_detached};
pub use faults::{Fault, FaultKind, take as take_fault};
pub use ids::{now, uuid};
pub use incident::apply as apply_incident;
pub use log_sessions::LogSessionSpec;
pub use logs::{KEPT_LINES, synthetic_line};
pub use options::{RateLimit, SimOptions, default_git_root};
pub use pipeline::stage_of;
pub use releases::add_release;
pub use requests::LoggedRequest;
pub use saved::SavedWorld;
pub use scenario::{Commands, Scenario};
pub use seed::{addon as new_addon, apps as seed_apps, git_remotes as seed_git_remotes};
pub use sessions::Attachments;
pub use state::{SharedState, SimApp, SimBuild, SimDyno, SimState, lock};
pub use summary::summary;
pub use traffic::{LIVE_LINES, record as record_traffic};
