//! A real PostgreSQL for team mode: the server `.ci/run` started (`RUNBOOK_TEST_DATABASE_URL`),
//! else one started here once with `.ci/postgres`, which stops it when the tests end; each test
//! gets a database of its own.

use std::process::Command;
use std::sync::OnceLock;

/// A database of one test's own, on the test server.
pub struct Database {
    pub url: String,
}

impl Database {
    /// A new, empty database.
    pub fn fresh() -> Self {
        let server = server();
        let name = format!("t_{}", uuid_like());
        let (_, error) = try_psql(server, &format!("create database {name}"));
        assert!(error.is_empty(), "create database {name}: {error}");
        let base = server.rsplit_once('/').map_or(server, |(base, _)| base);
        Self { url: format!("{base}/{name}") }
    }

    /// Runs `sql` in this database and gives what it printed (unaligned, tuples only).
    pub fn sql(&self, sql: &str) -> String {
        let (printed, error) = try_psql(&self.url, sql);
        assert!(error.is_empty(), "psql `{sql}`: {error}");
        printed
    }

    /// `sql`'s output, or `None` while it fails (a table a run has not made yet, a migration
    /// under way): for polling.
    pub fn poll(&self, sql: &str) -> Option<String> {
        let (printed, error) = try_psql(&self.url, sql);
        error.is_empty().then_some(printed)
    }
}

fn server() -> &'static str {
    static SERVER: OnceLock<String> = OnceLock::new();
    SERVER.get_or_init(|| {
        if let Ok(url) = std::env::var("RUNBOOK_TEST_DATABASE_URL")
            && !url.is_empty()
        {
            return url;
        }
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/postgres");
        // Nobody else stops this server: it stops itself once this test process has ended.
        let owner = std::process::id().to_string();
        let output = Command::new(script)
            .args(["start", "--until", &owner])
            .output()
            .expect(".ci/postgres starts a server");
        assert!(
            output.status.success(),
            "cannot start PostgreSQL for the team tests: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap().trim().to_string()
    })
}

/// What `psql` printed, and its error (empty when it succeeded).
fn try_psql(url: &str, sql: &str) -> (String, String) {
    let output = Command::new("psql")
        .args([url, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql])
        .output()
        .expect("psql runs");
    let error = if output.status.success() {
        String::new()
    } else {
        format!("{} {}", output.status, String::from_utf8_lossy(&output.stderr))
    };
    (String::from_utf8_lossy(&output.stdout).into_owned(), error)
}

fn uuid_like() -> String {
    use std::time::{SystemTime, UNIX_EPOCH};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos();
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    format!("{}_{nanos}_{count}", std::process::id())
}
