//! What the chokepoint asks of the run about every write: may it leave (protection), and who is
//! told before it leaves and when it is answered (the journal, the dry-run plan).

use super::plan::{Planned, PlannedRequest};
use crate::heroku::{Answer, ApiError};
use crate::identifiers::AppName;

pub trait Guard: Send + Sync {
    /// `Err` with the reason when no write to `app` may leave (a protected app not confirmed).
    fn admit(&self, app: &AppName) -> Result<(), String>;
    /// A dry-run recorded `entry` instead of carrying it out.
    fn planned(&self, entry: &Planned);
    /// `request` is about to leave.
    fn sending(&self, request: &PlannedRequest);
    /// `request` was answered, or failed.
    fn answered(&self, request: &PlannedRequest, result: Result<&Answer, &ApiError>);
}
