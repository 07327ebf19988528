//! App locks: a session advisory lock on a 64-bit key of (API URL, app), held by the run's own
//! database session, and a row saying who holds it. PostgreSQL frees the lock when the session
//! ends (the process died, the connection dropped): a row whose session is gone is never obeyed.

use super::Queried;
use sha2::{Digest, Sha256};
use tokio_postgres::Client;

/// Who holds an app's lock, as `runbook locks` and a refused run show it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Holder {
    pub app: String,
    pub api_url: String,
    pub operator: String,
    pub run_id: String,
    pub runbook: String,
    /// RFC 3339, UTC.
    pub since: String,
    pub heartbeat: String,
}

/// What a run says of itself when it takes a lock.
pub struct Claim<'a> {
    pub api_url: &'a str,
    pub app: &'a str,
    pub operator: &'a str,
    pub run_id: &'a str,
    pub runbook: &'a str,
}

/// The lock key of `app` behind `api_url`: the same app on another API (a simulator) never
/// shares a lock with production, and one API spelled two ways (`HTTP://`, `:443`, `/./`, an
/// upper-case host, a trailing slash) is one API.
pub fn key(api_url: &str, app: &str) -> i64 {
    let api = canonical_api(api_url);
    let digest = Sha256::digest(format!("{api}\n{}", app.to_ascii_lowercase()).as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

/// `api_url` as the URL parser normalises it (scheme and host in lower case, the default port
/// left out, dot segments resolved), without a trailing slash.
pub fn canonical_api(api_url: &str) -> String {
    match reqwest::Url::parse(api_url.trim()) {
        Ok(url) => {
            format!("{}{}", url.origin().ascii_serialization(), url.path().trim_end_matches('/'))
        }
        Err(_) => api_url.trim().trim_end_matches('/').to_ascii_lowercase(),
    }
}

/// Whether a lock behind `api_url` is a drill's: the API is not Heroku's (a `sim serve` shared
/// by a team rehearsing), so the lock is shown apart from real incidents.
pub fn is_drill(api_url: &str) -> bool {
    canonical_api(api_url) != canonical_api(crate::heroku::DEFAULT_API_URL)
}

const LIVE_HOLDERS: &str = "
    select l.app, l.api_url, l.operator, l.run_id, l.runbook,
           to_char(l.since at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),
           to_char(l.heartbeat at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')
    from runbook_locks l
    join pg_locks k
      on k.locktype = 'advisory' and k.granted and k.pid = l.backend_pid and k.objsubid = 1
     and k.classid::bigint = ((l.lock_key >> 32) & 4294967295)
     and k.objid::bigint = (l.lock_key & 4294967295)";

/// Takes the lock of `claim` on this session: `None` when taken (or already held), else who
/// holds it.
pub async fn try_take(client: &Client, claim: &Claim<'_>) -> Queried<Option<Holder>> {
    let lock_key = key(claim.api_url, claim.app);
    let taken: bool =
        client.query_one("select pg_try_advisory_lock($1)", &[&lock_key]).await?.get(0);
    if taken {
        client
            .execute(
                "insert into runbook_locks
                     (lock_key, api_url, app, operator, run_id, runbook, since, heartbeat, backend_pid)
                 values ($1, $2, $3, $4, $5, $6, now(), now(), pg_backend_pid())
                 on conflict (lock_key) do update set
                     api_url = excluded.api_url, app = excluded.app, operator = excluded.operator,
                     run_id = excluded.run_id, runbook = excluded.runbook, since = excluded.since,
                     heartbeat = excluded.heartbeat, backend_pid = excluded.backend_pid",
                &[
                    &lock_key,
                    &claim.api_url,
                    &claim.app,
                    &claim.operator,
                    &claim.run_id,
                    &claim.runbook,
                ],
            )
            .await?;
        return Ok(None);
    }
    holder_of(client, lock_key).await.map(Some)
}

/// The live holder of `lock_key`; the holder may have taken the lock a moment before writing its
/// row, so this looks again briefly before saying it does not know who.
async fn holder_of(client: &Client, lock_key: i64) -> Queried<Holder> {
    let query = format!("{LIVE_HOLDERS} where l.lock_key = $1");
    for _ in 0..20 {
        if let Some(row) = client.query_opt(&query, &[&lock_key]).await? {
            return Ok(holder(&row));
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    Ok(Holder {
        app: String::new(),
        api_url: String::new(),
        operator: "another run".to_string(),
        run_id: "?".to_string(),
        runbook: "?".to_string(),
        since: String::new(),
        heartbeat: String::new(),
    })
}

fn holder(row: &tokio_postgres::Row) -> Holder {
    Holder {
        app: row.get(0),
        api_url: row.get(1),
        operator: row.get(2),
        run_id: row.get(3),
        runbook: row.get(4),
        since: row.get(5),
        heartbeat: row.get(6),
    }
}

/// Whether this session still holds every lock in `keys`, beating their heartbeat. An error (the
/// session is gone) means it holds none.
pub async fn still_held(client: &Client, keys: &[i64]) -> Queried<bool> {
    let beaten = client
        .execute(
            "update runbook_locks set heartbeat = now()
             where lock_key = any($1) and backend_pid = pg_backend_pid()",
            &[&keys],
        )
        .await?;
    Ok(usize::try_from(beaten).unwrap_or_default() == keys.len())
}

/// Lets go of every lock this session holds.
pub async fn release(client: &Client) -> Queried<()> {
    client
        .batch_execute(
            "delete from runbook_locks where backend_pid = pg_backend_pid();
             select pg_advisory_unlock_all();",
        )
        .await
}

/// Every lock held now, oldest first.
pub async fn holders(client: &Client) -> Queried<Vec<Holder>> {
    let query = format!("{LIVE_HOLDERS} order by l.since");
    let rows = client.query(&query, &[]).await?;
    Ok(rows.iter().map(holder).collect())
}

#[cfg(test)]
mod tests {
    use super::key;

    #[test]
    fn one_api_spelled_many_ways_is_one_lock() {
        let app = "lazona-connector-production";
        let plain = key("https://api.heroku.com", app);
        for spelling in [
            "https://api.heroku.com/",
            "HTTPS://API.HEROKU.COM",
            "https://api.heroku.com:443",
            "https://api.heroku.com/./",
            "https://api.heroku.com/v3/..",
            " https://api.heroku.com ",
        ] {
            assert_eq!(key(spelling, app), plain, "{spelling}");
        }
        assert_eq!(key("http://127.0.0.1:05099", app), key("http://127.0.0.1:5099/", app));
        assert_ne!(key("http://127.0.0.1:5099", app), plain, "a simulator has locks of its own");
        assert_ne!(key("https://api.heroku.com", "lazona-connector-staging"), plain);
    }
}
