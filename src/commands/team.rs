//! Team mode's connection for the commands, and `runbook team sync`: the runs journaled here
//! while the database was out of reach, pushed to the shared journal.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use super::failure::Failure;
use crate::journal::{RunHistory, group_runs};
use crate::settings::Settings;
use crate::team::{ConnectError, DATABASE_URL_VARIABLE, Team};

/// The file whose presence says that some runs are in the local journal only.
pub const PENDING_FILE: &str = "team-pending";

/// The team's database for a command, on the command's one runtime: every exchange is a future
/// the session runs to its end.
pub struct TeamSession {
    runtime: tokio::runtime::Runtime,
    pub team: Arc<Team>,
}

impl TeamSession {
    /// Runs one exchange (or several, in an `async` block) to its end.
    pub fn run<T>(&self, exchange: impl std::future::Future<Output = T>) -> T {
        self.runtime.block_on(exchange)
    }

    /// Runs one read of the team's database: its failure says what could not be read.
    pub fn read<T, E: std::fmt::Display>(
        &self,
        what: &str,
        exchange: impl std::future::Future<Output = Result<T, E>>,
    ) -> Result<T, Failure> {
        self.run(exchange).map_err(|message| Failure::Access {
            message: format!("cannot read {what}: {message}"),
            hint: None,
        })
    }
}

/// The team's database, which this command needs.
pub fn required(settings: &Settings, command: &str) -> Result<TeamSession, Failure> {
    if settings.database_url.is_none() {
        return Err(Failure::usage(
            format!("`runbook {command}` works in team mode, and no team database is set"),
            format!(
                "set {DATABASE_URL_VARIABLE} (or --database-url) to the team's postgres:// URL; docs/team.md says how"
            ),
        ));
    }
    let runtime = super::runtime()?;
    let team = runtime.block_on(connect(settings))?;
    Ok(TeamSession { runtime, team: Arc::new(team) })
}

/// Connects to the database `settings` name, on the caller's runtime; unreachable is exit 4.
pub async fn connect(settings: &Settings) -> Result<Team, Failure> {
    let Some(url) = &settings.database_url else {
        unreachable!("connect is called in team mode only");
    };
    Team::connect(secrecy::ExposeSecret::expose_secret(url)).await.map_err(|error| match error {
        ConnectError::Url(message) => Failure::usage(
            format!("RUNBOOK_DATABASE_URL (or --database-url) is not a PostgreSQL URL: {message}"),
            "write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE (add ?sslmode=require for TLS)",
        ),
        ConnectError::Unreachable(message) => Failure::Access {
            message: format!("cannot reach the team's database: {message}"),
            hint: Some("check RUNBOOK_DATABASE_URL; `runbook run ... --no-team` goes on without the team, and its runs are pushed later (`runbook team sync`)".into()),
        },
    })
}

/// `runbook team sync`.
pub fn execute_sync(settings: &Settings) -> Result<(), Failure> {
    let session = required(settings, "team sync")?;
    let folder = journal_folder(settings)?;
    let pushed = session.run(sync(&session.team, settings, &folder))?;
    settings.printer.out_line(&match pushed {
        0 => "the shared journal has every run of this machine".to_string(),
        1 => "pushed 1 run to the shared journal".to_string(),
        many => format!("pushed {many} runs to the shared journal"),
    });
    Ok(())
}

/// Pushes the local runs the shared journal lacks, and forgets that some were pending.
pub async fn sync(team: &Team, settings: &Settings, folder: &Path) -> Result<usize, Failure> {
    let records = super::local_journal::records(settings)?;
    let local: Vec<(RunHistory, Vec<Value>)> = group_runs(records)
        .into_iter()
        .map(|run| {
            let masked =
                run.records.iter().filter_map(|record| serde_json::to_value(record).ok()).collect();
            (run, masked)
        })
        .collect();
    let pushed = team.sync(&local).await.map_err(|message| Failure::Access {
        message: format!("cannot push to the shared journal: {message}"),
        hint: None,
    })?;
    let _ = std::fs::remove_file(folder.join(PENDING_FILE));
    Ok(pushed)
}

/// Where the local journal lives.
pub fn journal_folder(settings: &Settings) -> Result<std::path::PathBuf, Failure> {
    settings.state_folder.clone().ok_or_else(|| {
        Failure::usage(
            "no journal folder: HOME is not set",
            "set RUNBOOK_STATE_DIR or XDG_STATE_HOME",
        )
    })
}
