//! Approvals of an exact plan: a run on an app with `approvals: 1` asks a different operator to
//! approve what it will send (each write's method, path and body, the impact lines, its params,
//! the API and the runbook's content hash), and waits for the answer. A run that would then send
//! a write its approved plan does not hold asks again.

use super::Queried;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use tokio_postgres::Client;

/// A run's request as the approver sees it.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    pub id: i64,
    pub run_id: String,
    pub app: String,
    pub runbook: String,
    /// The API the run writes to.
    pub api_url: String,
    pub requested_by: String,
    /// RFC 3339, UTC.
    pub requested_at: String,
    /// When the run stops waiting, RFC 3339 (none: it waits without end).
    pub expires_at: Option<String>,
    pub plan: Plan,
    pub decision: Option<Decision>,
    /// The run's status in the shared journal (`unfinished` while it waits).
    pub run_status: Option<String>,
    /// When the run first sent a write under this approval.
    pub used_at: Option<String>,
}

/// What the requester saw and will send.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Plan {
    /// What the requester's prompt showed: the app, what it touches, each request.
    pub lines: Vec<String>,
    pub writes: Vec<PlanWrite>,
    /// The params, secrets masked.
    pub params: Value,
    pub content_hash: String,
}

/// One write of a plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanWrite {
    pub app: String,
    pub method: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
}

/// What the approver decided, who, how they answered, and why when they rejected.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub approved: bool,
    /// Neither approved nor rejected: the run stopped waiting first.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub withdrawn: bool,
    pub by: String,
    pub how: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// RFC 3339, UTC.
    pub at: String,
}

const COLUMNS: &str = "id, run_id, app, runbook, api_url, requested_by,
    to_char(requested_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
    to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
    plan, decision, decided_by, how, reason,
    to_char(decided_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
    (select status from runbook_runs r where r.run_id = a.run_id),
    to_char(used_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')";

/// Asks for an approval of `request`'s plan; the new request's id.
pub async fn ask(client: &Client, request: &Request) -> Queried<i64> {
    let plan = serde_json::to_value(&request.plan).unwrap_or_default();
    let row = client
        .query_one(
            "insert into runbook_plan_approvals
                 (run_id, app, runbook, requested_by, plan, api_url, expires_at)
             values ($1, $2, $3, $4, $5, $6, $7::text::timestamptz)
             returning id",
            &[
                &request.run_id,
                &request.app,
                &request.runbook,
                &request.requested_by,
                &plan,
                &request.api_url,
                &request.expires_at,
            ],
        )
        .await?;
    Ok(row.get(0))
}

/// The requests of the runs whose id starts with `prefix`, newest first.
pub async fn find(client: &Client, prefix: &str) -> Queried<Vec<Request>> {
    let query = format!(
        "select {COLUMNS} from runbook_plan_approvals a where starts_with(run_id, $1)
         order by requested_at desc, id desc"
    );
    let rows = client.query(&query, &[&prefix]).await?;
    Ok(rows.iter().map(request).collect())
}

/// The requests nobody decided yet whose run still waits, oldest first.
pub async fn waiting(client: &Client) -> Queried<Vec<Request>> {
    let query = format!(
        "select {COLUMNS} from runbook_plan_approvals a
         where decision is null and (expires_at is null or expires_at > now())
         order by requested_at, id"
    );
    let rows = client.query(&query, &[]).await?;
    Ok(rows.iter().map(request).collect())
}

/// Request `id`.
pub async fn by_id(client: &Client, id: i64) -> Queried<Option<Request>> {
    let query = format!("select {COLUMNS} from runbook_plan_approvals a where id = $1");
    Ok(client.query_opt(&query, &[&id]).await?.as_ref().map(request))
}

fn request(row: &tokio_postgres::Row) -> Request {
    let plan: Value = row.get(8);
    let decision: Option<String> = row.get(9);
    Request {
        id: row.get(0),
        run_id: row.get(1),
        app: row.get(2),
        runbook: row.get(3),
        api_url: row.get(4),
        requested_by: row.get(5),
        requested_at: row.get(6),
        expires_at: row.get(7),
        plan: serde_json::from_value(plan).unwrap_or_default(),
        decision: decision.map(|decision| Decision {
            approved: decision == "approved",
            withdrawn: decision == "withdrawn",
            by: row.get::<_, Option<String>>(10).unwrap_or_default(),
            how: row.get::<_, Option<String>>(11).unwrap_or_default(),
            reason: row.get(12),
            at: row.get::<_, Option<String>>(13).unwrap_or_default(),
        }),
        run_status: row.get(14),
        used_at: row.get(15),
    }
}

/// Withdraws an undecided request: its run no longer waits.
pub async fn withdraw(client: &Client, id: i64) -> Queried<()> {
    client
        .execute(
            "update runbook_plan_approvals set decision = 'withdrawn', decided_at = now()
             where id = $1 and decision is null",
            &[&id],
        )
        .await?;
    Ok(())
}

/// Records the decision on request `id`, unless one was made already; whether this one counted.
pub async fn decide(client: &Client, id: i64, decision: &Decision) -> Queried<bool> {
    let word = if decision.approved { "approved" } else { "rejected" };
    let changed = client
        .execute(
            "update runbook_plan_approvals
             set decision = $2, decided_by = $3, how = $4, reason = $5, decided_at = now()
             where id = $1 and decision is null",
            &[&id, &word, &decision.by, &decision.how, &decision.reason],
        )
        .await?;
    Ok(changed == 1)
}

/// The run sent its first write under request `id`.
pub async fn mark_used(client: &Client, id: i64) -> Queried<()> {
    client
        .execute(
            "update runbook_plan_approvals set used_at = now() where id = $1 and used_at is null",
            &[&id],
        )
        .await?;
    Ok(())
}
