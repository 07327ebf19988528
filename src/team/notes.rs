//! Notes in the shared record: a timestamped line by an operator, about an app or the incident.

use super::Queried;
use tokio_postgres::Client;

/// One note.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Note {
    /// RFC 3339, UTC, with milliseconds.
    pub time: String,
    pub operator: String,
    pub app: Option<String>,
    pub text: String,
}

pub async fn add(client: &Client, note: &Note) -> Queried<()> {
    client
        .execute(
            "insert into runbook_notes (time, operator, app, text)
             values ($1::text::timestamptz, $2, $3, $4)",
            &[&note.time, &note.operator, &note.app, &note.text],
        )
        .await?;
    Ok(())
}

pub async fn since(client: &Client, since: &str, app: Option<&str>) -> Queried<Vec<Note>> {
    let rows = client
        .query(
            "select to_char(time at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
                    operator, app, text
             from runbook_notes
             where time >= $1::text::timestamptz and ($2::text is null or app is null or app = $2)
             order by time, id",
            &[&since, &app],
        )
        .await?;
    Ok(rows
        .iter()
        .map(|row| Note {
            time: row.get(0),
            operator: row.get(1),
            app: row.get(2),
            text: row.get(3),
        })
        .collect())
}
