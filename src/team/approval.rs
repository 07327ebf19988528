//! Approvals: a run on an environment with `approvals: 1` asks, before its first write, for a
//! different operator's `runbook approve RUN_ID`, and waits for the answer.

use serde_json::Value;
use tokio_postgres::Client;

/// A run's request as the approver sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Request {
    pub run_id: String,
    pub app: String,
    pub runbook: String,
    /// The API the run writes to.
    pub api_url: String,
    pub requested_by: String,
    pub requested_at: String,
    pub plan: Vec<String>,
    pub decision: Option<Decision>,
    /// The run's status in the shared journal (`unfinished` while it waits).
    pub run_status: Option<String>,
}

/// What the approver decided, who, and how they answered.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Decision {
    pub approved: bool,
    /// Neither approved nor rejected: the run stopped waiting first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
    pub by: String,
    pub how: String,
}

/// Asks for an approval of `request` (asked once: asking again changes nothing).
pub async fn ask(client: &Client, request: &Request) -> Result<(), tokio_postgres::Error> {
    let plan = Value::from(request.plan.clone());
    client
        .execute(
            "insert into runbook_approvals (run_id, app, runbook, requested_by, plan, api_url)
             values ($1, $2, $3, $4, $5, $6) on conflict (run_id) do nothing",
            &[
                &request.run_id,
                &request.app,
                &request.runbook,
                &request.requested_by,
                &plan,
                &request.api_url,
            ],
        )
        .await?;
    Ok(())
}

/// The requests whose run id starts with `prefix`, newest first.
pub async fn find(client: &Client, prefix: &str) -> Result<Vec<Request>, tokio_postgres::Error> {
    let rows = client
        .query(
            "select run_id, app, runbook, requested_by,
                    to_char(requested_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
                    plan, decision, decided_by, how, api_url,
                    (select status from runbook_runs r where r.run_id = a.run_id)
             from runbook_approvals a where starts_with(run_id, $1)
             order by requested_at desc",
            &[&prefix],
        )
        .await?;
    Ok(rows.iter().map(request).collect())
}

fn request(row: &tokio_postgres::Row) -> Request {
    let plan: Value = row.get(5);
    let decision: Option<String> = row.get(6);
    Request {
        run_id: row.get(0),
        app: row.get(1),
        runbook: row.get(2),
        api_url: row.get(9),
        run_status: row.get(10),
        requested_by: row.get(3),
        requested_at: row.get(4),
        plan: plan
            .as_array()
            .map(|lines| {
                lines
                    .iter()
                    .filter_map(|line| line.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        decision: decision.map(|decision| Decision {
            approved: decision == "approved",
            withdrawn: decision == "withdrawn",
            by: row.get::<_, Option<String>>(7).unwrap_or_default(),
            how: row.get::<_, Option<String>>(8).unwrap_or_default(),
        }),
    }
}

/// Withdraws an undecided request: its run no longer waits.
pub async fn withdraw(client: &Client, run_id: &str) -> Result<(), tokio_postgres::Error> {
    client
        .execute(
            "update runbook_approvals set decision = 'withdrawn', decided_at = now()
             where run_id = $1 and decision is null",
            &[&run_id],
        )
        .await?;
    Ok(())
}

/// Records the decision on `run_id`, unless one was made already; whether this one counted.
pub async fn decide(
    client: &Client,
    run_id: &str,
    decision: &Decision,
) -> Result<bool, tokio_postgres::Error> {
    let word = if decision.approved {
        "approved"
    } else {
        "rejected"
    };
    let changed = client
        .execute(
            "update runbook_approvals
             set decision = $2, decided_by = $3, how = $4, decided_at = now()
             where run_id = $1 and decision is null",
            &[&run_id, &word, &decision.by, &decision.how],
        )
        .await?;
    Ok(changed == 1)
}
