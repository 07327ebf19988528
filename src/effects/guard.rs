//! What the chokepoint asks of the run about every write: may it leave (protection), and who is
//! told before it leaves and when it is answered (the journal, the dry-run plan). A write, or a
//! local command, whose leaving could not be recorded durably does not leave.

use futures_util::future::BoxFuture;

use super::plan::{Planned, PlannedCommand, PlannedRequest, PlannedUpload};
use super::refusal::Refusal;
use crate::heroku::{Answer, ApiError};
use crate::identifiers::AppName;

pub trait Guard: Send + Sync {
    /// `Err` with the reason when no write to `app` may leave (a protected app not confirmed,
    /// another run's team lock, an approval not given); `request` is the write, when it is an API
    /// request (an approval holds requests). Asynchronous: a lock or an approval may be awaited.
    fn admit<'a>(
        &'a self,
        app: &'a AppName,
        request: Option<&'a PlannedRequest>,
    ) -> BoxFuture<'a, Result<(), Refusal>>;
    /// A dry-run recorded `entry` instead of carrying it out.
    fn planned(&self, entry: &Planned);
    /// `request` is about to leave: `Err` when that could not be recorded, and then it must not.
    fn sending(&self, request: &PlannedRequest) -> Result<(), Unrecorded>;
    /// `upload` is about to leave: `Err` when that could not be recorded, and then it must not.
    fn uploading(&self, upload: &PlannedUpload) -> Result<(), Unrecorded>;
    /// `request` was answered, or failed.
    fn answered(&self, request: &PlannedRequest, result: Result<&Answer, &ApiError>);
    /// `command` is about to start, every process of it marked as `marked` says (its group id
    /// is not known yet): `Err` when that could not be recorded, and then it must not start.
    fn starting(&self, command: &PlannedCommand, marked: &ProcessGroup) -> Result<(), Unrecorded>;
    /// `command` runs as the process group `group`: `Err` when that could not be recorded (the
    /// group is then stopped at once, since nobody could tell later that it may still run).
    fn running(&self, command: &PlannedCommand, group: &ProcessGroup) -> Result<(), Unrecorded>;
    /// `command` ended with `status` (`None`: a signal, a timeout or Ctrl-C ended it).
    fn ended(&self, command: &PlannedCommand, status: Option<i32>);
}

/// An effect that did not happen because the record of it could not be written (a full disk).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{reason}")]
pub struct Unrecorded {
    pub reason: String,
}

/// Where a local command runs, as the kernel knows it: enough to tell later, on the same
/// machine, whether it may still be running.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ProcessGroup {
    /// The process group id (the id of its first process); 0 before the command started.
    pub id: i32,
    /// `/proc/sys/kernel/random/boot_id`: a group id means nothing after a reboot.
    pub boot: String,
    /// The mark in the environment of every process the command starts
    /// (`RUNBOOK_COMMAND=MARK`): a process that left the group (`setsid`, `nohup`) still has it.
    #[serde(default)]
    pub mark: String,
}
