//! The team's tables, created and migrated by runbook itself: versioned migrations embedded in
//! the binary, each applied once, under a lock so that two operators starting together are safe.

use super::Queried;
use tokio_postgres::Client;

/// The advisory lock key every migration runs under (the bytes of "runbook!").
const MIGRATION_LOCK: i64 = 0x7275_6e62_6f6f_6b21;

/// Every migration, in order; a released one is never edited, only followed by another.
const MIGRATIONS: &[(i32, &str)] = &[
    (1, include_str!("migrations/0001_team.sql")),
    (2, include_str!("migrations/0002_plans_and_policy.sql")),
];

/// Brings the schema to the newest version; returns how many migrations it applied.
pub async fn migrate(client: &mut Client) -> Queried<usize> {
    let transaction = client.transaction().await?;
    transaction.execute("select pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK]).await?;
    transaction
        .batch_execute(
            "create table if not exists runbook_schema (
                 version integer primary key,
                 applied_at timestamptz not null default now()
             )",
        )
        .await?;
    let current: i32 = transaction
        .query_one("select coalesce(max(version), 0) from runbook_schema", &[])
        .await?
        .get(0);
    let mut applied = 0;
    for (version, sql) in MIGRATIONS.iter().filter(|(version, _)| *version > current) {
        transaction.batch_execute(sql).await?;
        transaction.execute("insert into runbook_schema (version) values ($1)", &[version]).await?;
        applied += 1;
    }
    transaction.commit().await?;
    Ok(applied)
}
