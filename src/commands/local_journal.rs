//! The local journal as the commands read and write it: found in the state folder, its errors
//! said with what to do.

use std::sync::Arc;

use super::failure::Failure;
use crate::journal::{Journal, Lookup, Record};
use crate::settings::Settings;

/// What to do about a journal that cannot be opened or written.
pub const UNWRITABLE_HINT: &str = "set RUNBOOK_STATE_DIR to a folder you can write";

/// The journal in the state folder.
pub fn open(settings: &Settings) -> Result<Journal, Failure> {
    let folder = super::team::journal_folder(settings)?;
    Journal::open(&folder, Arc::clone(settings.printer.redactor()))
        .map_err(|error| Failure::usage(error, UNWRITABLE_HINT))
}

/// Appends one record (a note, a policy change) to the journal in the state folder.
pub fn append(settings: &Settings, record: &Record) -> Result<(), Failure> {
    open(settings)?.append(record).map_err(|error| Failure::usage(error, UNWRITABLE_HINT))
}

/// Every record of the journal in the state folder.
pub fn records(settings: &Settings) -> Result<Vec<Record>, Failure> {
    open(settings)?.read().map_err(|error| {
        Failure::usage(error.to_string(), "check the journal folder's permissions")
    })
}

/// A run asked for by id that is not there to show: what to do about it.
pub fn lookup_failure(lookup: Lookup) -> Failure {
    match lookup {
        Lookup::Unreadable(error) => {
            Failure::usage(error.to_string(), "check the journal folder's permissions")
        }
        missing => Failure::usage(missing.to_string(), "`runbook history` lists the runs"),
    }
}

/// A journal that cannot be read: what to do about it.
pub fn unreadable(error: crate::journal::JournalError) -> Failure {
    Failure::usage(error.to_string(), "check the journal folder's permissions")
}
