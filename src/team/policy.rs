//! The team's policy for each app, in the database: whether it is protected and how many
//! approvals its writes need. A run in team mode applies the stricter of this and its checkout's
//! `environments.yaml`, so that an old or edited checkout can never lower the bar.

use super::Queried;
use tokio_postgres::Client;

/// One app's policy as the team set it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AppPolicy {
    pub app: String,
    pub protected: bool,
    pub approvals: i32,
    pub changed_by: String,
    /// RFC 3339, UTC (empty for a policy not yet stored).
    pub changed_at: String,
}

pub async fn all(client: &Client) -> Queried<Vec<AppPolicy>> {
    let rows = client
        .query(
            "select app, protected, approvals, changed_by,
                    to_char(changed_at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
             from runbook_policy order by app",
            &[],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| AppPolicy {
            app: row.get(0),
            protected: row.get(1),
            approvals: row.get(2),
            changed_by: row.get(3),
            changed_at: row.get(4),
        })
        .collect())
}

pub async fn set(client: &Client, policy: &AppPolicy) -> Queried<()> {
    client
        .execute(
            "insert into runbook_policy (app, protected, approvals, changed_by, changed_at)
             values ($1, $2, $3, $4, now())
             on conflict (app) do update set protected = excluded.protected,
                 approvals = excluded.approvals, changed_by = excluded.changed_by,
                 changed_at = excluded.changed_at",
            &[&policy.app, &policy.protected, &policy.approvals, &policy.changed_by],
        )
        .await?;
    Ok(())
}
