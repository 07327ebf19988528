//! The read operations, one type each: they run for real in every mode.

mod addons;
mod app_info;
mod check_app;
mod config_vars;
mod dynos;
mod formation;
mod health;
mod logs;
mod one_get;
mod releases;
mod wait_dynos_up;

pub use addons::Addons;
pub use app_info::AppInfo;
pub use check_app::CheckApp;
pub use config_vars::ConfigVars;
pub use dynos::Dynos;
pub use formation::Formation;
pub use health::Health;
pub use logs::Logs;
pub use one_get::Get;
pub use releases::Releases;
pub use wait_dynos_up::WaitDynosUp;
