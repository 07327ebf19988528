//! Where another operator's run stands, read from its shared records: the step it is at, of how
//! many, so that someone refused its lock knows whether to wait.

use super::Queried;
use tokio_postgres::Client;

/// `at step 3 of 4 (Restart dynos)`, `at step 2 (Restart)` for a script; `None` before its first
/// step, or when its records are not there.
pub async fn of(client: &Client, run_id: &str) -> Queried<Option<String>> {
    let row = client
        .query_opt(
            "select record from runbook_events
             where run_id = $1 and kind = 'step_started'
               and record -> 'event' -> 'phase' is null
             order by id desc limit 1",
            &[&run_id],
        )
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let record: serde_json::Value = row.get(0);
    let event = &record["event"];
    let index = event["index"].as_u64().unwrap_or_default();
    let name = event["name"].as_str().unwrap_or_default();
    Ok(Some(match event["total"].as_u64() {
        Some(total) => format!("at step {index} of {total} ({name})"),
        None => format!("at step {index} ({name})"),
    }))
}
