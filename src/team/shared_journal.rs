//! The shared journal: every journal record of every operator, in the team's database. Runs are
//! rows (for `history --team` to filter fast); their records are events. Log lines stay local.

use serde_json::Value;
use tokio_postgres::{Client, GenericClient};

use super::Queried;
use crate::journal::{Record, RunHistory, RunId, Timestamp, group_runs};

/// Record kinds that stay in the local journal only: bulky, and not needed by anyone else.
const LOCAL_ONLY: &[&str] = &["log_line", "script_output", "step_progress"];

/// Whether the record `masked` (as the journal wrote it) is shared.
pub fn is_shared(masked: &Value) -> bool {
    kind(masked).is_some_and(|kind| !LOCAL_ONLY.contains(&kind))
}

fn kind(masked: &Value) -> Option<&str> {
    masked["event"]["event"].as_str()
}

/// Stores one record: a run's start makes its row, its end sets the row's status.
pub async fn insert(client: &impl GenericClient, masked: &Value) -> Queried<()> {
    let Some(kind) = kind(masked) else {
        return Ok(());
    };
    let run_id = masked["run_id"].as_str().unwrap_or_default();
    let time = masked["time"].as_str().unwrap_or_default();
    match kind {
        "run_started" => insert_run(client, masked).await?,
        "write_sent" => {
            let app = masked["event"]["request"]["app"].as_str().unwrap_or_default();
            client
                .execute(
                    "update runbook_runs set apps = array_append(apps, $2)
                     where run_id = $1 and not ($2 = any(apps))",
                    &[&run_id, &app],
                )
                .await?;
        }
        "run_finished" => {
            let status = masked["event"]["status"].as_str().unwrap_or("unfinished");
            client
                .execute(
                    "update runbook_runs set status = $2, finished_at = $3::text::timestamptz
                     where run_id = $1",
                    &[&run_id, &status, &time],
                )
                .await?;
        }
        _ => {}
    }
    client
        .execute(
            "insert into runbook_events (run_id, time, kind, record)
             values ($1, $2::text::timestamptz, $3, $4)",
            &[&run_id, &time, &kind, masked],
        )
        .await?;
    Ok(())
}

async fn insert_run(client: &impl GenericClient, masked: &Value) -> Queried<()> {
    let event = &masked["event"];
    let text = |name: &str| event[name].as_str().map(str::to_string);
    let operator = text("operator").or_else(|| text("user")).unwrap_or_default();
    client
        .execute(
            "insert into runbook_runs
                 (run_id, started_at, runbook, environment, app, operator, mode, target, api_url, started)
             values ($1, $2::text::timestamptz, $3, $4, $5, $6, $7, $8, $9, $10)
             on conflict (run_id) do nothing",
            &[
                &masked["run_id"].as_str().unwrap_or_default(),
                &masked["time"].as_str().unwrap_or_default(),
                &text("runbook").unwrap_or_default(),
                &text("environment"),
                &text("app"),
                &operator,
                &text("mode").unwrap_or_default(),
                &text("target").unwrap_or_default(),
                &text("api_url").unwrap_or_default(),
                event,
            ],
        )
        .await?;
    Ok(())
}

/// Which runs `history --team` asks for.
#[derive(Debug, Default, Clone)]
pub struct RunFilter {
    pub app: Option<String>,
    pub runbook: Option<String>,
    pub operator: Option<String>,
    pub status: Option<String>,
    pub limit: usize,
}

/// The newest runs that match, newest first.
pub async fn runs(client: &Client, filter: &RunFilter) -> Queried<Vec<RunHistory>> {
    let limit = i64::try_from(filter.limit).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "select run_id, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                    started, status
             from runbook_runs
             where ($1::text is null or app = $1 or apps @> array[$1::text])
               and ($2::text is null or runbook = $2
                    or runbook || '-' || coalesce(environment, '') = $2)
               and ($3::text is null or lower(operator) = lower($3))
               and ($4::text is null or status = $4)
             order by started_at desc
             limit $5",
            &[
                &filter.app,
                &filter.runbook,
                &filter.operator,
                &filter.status,
                &limit,
            ],
        )
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| {
            let record = Record {
                run_id: RunId::from_stored(row.get::<_, String>(0)),
                time: Timestamp::from_stored(row.get::<_, String>(1)),
                event: serde_json::from_value(row.get::<_, Value>(2)).ok()?,
            };
            let mut run = group_runs(vec![record]).pop()?;
            run.status = crate::journal::RunStatus::from_name(row.get(3));
            Some(run)
        })
        .collect())
}

/// Every shared record of the runs whose id starts with `prefix`, oldest first.
pub async fn records(client: &Client, prefix: &str) -> Queried<Vec<Record>> {
    let rows = client
        .query(
            "select record from runbook_events
             where run_id in (select run_id from runbook_runs where starts_with(run_id, $1))
             order by id",
            &[&prefix],
        )
        .await?;
    Ok(rows.iter().filter_map(|row| serde_json::from_value(row.get::<_, Value>(0)).ok()).collect())
}

/// Pushes the local runs the shared journal lacks, or has unfinished while they finished here:
/// their records replace what it had. Returns how many runs were pushed.
pub async fn sync(client: &mut Client, local: &[(RunHistory, Vec<Value>)]) -> Queried<usize> {
    let ids: Vec<&str> = local.iter().map(|(run, _)| run.run_id.as_str()).collect();
    let known = client
        .query("select run_id, status from runbook_runs where run_id = any($1)", &[&ids])
        .await?;
    let status_of = |run_id: &str| {
        known.iter().find(|row| row.get::<_, &str>(0) == run_id).map(|row| row.get::<_, String>(1))
    };
    let mut pushed = 0;
    for (run, masked) in local {
        let shared = status_of(&run.run_id);
        let behind = match &shared {
            None => true,
            Some(status) => status == "unfinished" && run.status.is_some(),
        };
        if !behind {
            continue;
        }
        let transaction = client.transaction().await?;
        transaction
            .execute("delete from runbook_events where run_id = $1", &[&run.run_id.as_str()])
            .await?;
        transaction
            .execute("delete from runbook_runs where run_id = $1", &[&run.run_id.as_str()])
            .await?;
        for record in masked.iter().filter(|record| is_shared(record)) {
            insert(&transaction, record).await?;
        }
        transaction.commit().await?;
        pushed += 1;
    }
    Ok(pushed)
}

/// The records of the runs started from `since` on that targeted or wrote to `app`.
pub async fn records_since(
    client: &Client,
    since: &str,
    app: Option<&str>,
) -> Queried<Vec<Record>> {
    let rows = client
        .query(
            "select record from runbook_events
             where run_id in (
                 select run_id from runbook_runs
                 where started_at >= $1::text::timestamptz
                   and ($2::text is null or app = $2 or apps @> array[$2::text]))
             order by time, id",
            &[&since, &app],
        )
        .await?;
    Ok(rows.iter().filter_map(|row| serde_json::from_value(row.get::<_, Value>(0)).ok()).collect())
}
