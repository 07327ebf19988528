//! The incident record: the runs, writes, confirmations, approvals and notes of a period, in time
//! order, ready to paste into a postmortem (`runbook report`).

mod markdown;
mod timeline;

use serde::Serialize;

pub use markdown::render as markdown;
pub use timeline::build;

/// The timeline of a period.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub title: String,
    /// RFC 3339, UTC.
    pub from: String,
    pub to: String,
    pub apps: Vec<String>,
    /// People who took part for real: in runs that reached Heroku, and in notes.
    pub operators: Vec<String>,
    /// People who took part only in drills, rehearsals and dry-runs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drill_operators: Vec<String>,
    pub runs: usize,
    /// Of those, the dry-runs, rehearsals and drills, which changed nothing real.
    pub rehearsals: usize,
    pub entries: Vec<Entry>,
    pub dashboards: Vec<Dashboard>,
    /// Why there are no dashboards, when they could not be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dashboards_unread: Option<String>,
    /// "to undo: ..." lines the runs printed.
    pub undo: Vec<String>,
}

/// One moment of the timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// RFC 3339, UTC, with milliseconds.
    pub time: String,
    pub who: String,
    /// `run_started`, `confirmation`, `approval`, `write`, `failure`, `run_finished`, `note`.
    pub kind: &'static str,
    pub what: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub run_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// A dashboard of an add-on of one of the apps (Papertrail, Sentry, Scout).
#[derive(Debug, Clone, Serialize)]
pub struct Dashboard {
    pub app: String,
    pub service: String,
    pub url: String,
}

/// The add-on services whose dashboards an incident needs.
pub const DASHBOARD_SERVICES: &[&str] = &["papertrail", "sentry", "scout"];
