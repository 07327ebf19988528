//! Commands run on this machine (git): the only code that starts local processes.

pub mod git;
