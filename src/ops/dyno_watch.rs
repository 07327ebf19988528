//! Waiting for dynos the way Heroku tells it: a few quick polls for a short boot, then following
//! the app's log for `State changed from starting to up` (and `to crashed`) with a poll to
//! confirm, instead of polling every half second. A dyno that crashes while it starts ends the
//! wait at once, with its last log lines.

use std::collections::{BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use super::log_stream::{Silence, each_line};
use super::outcome::{OperationError, OperationOutput};
use crate::heroku::log_sessions::{self, LogRequest};
use crate::heroku::types::{Dyno, DynoState};
use crate::heroku::{Client, dynos};
use crate::identifiers::{AppName, ProcessType};

/// A short boot is over before a log follow would pay for itself: polls at these moments first
/// (from the start of the wait), then follows the log.
const EARLY_POLLS: &[Duration] = &[
    Duration::from_millis(500),
    Duration::from_millis(1000),
    Duration::from_millis(2000),
    Duration::from_millis(3000),
];
/// While the log is followed, a poll this often all the same, in case a line is missed.
const CONFIRM_EVERY: Duration = Duration::from_secs(5);
/// Without a log to follow, polls this often.
const POLL_EVERY: Duration = Duration::from_secs(1);
/// Lines of history the follow starts with: a change just before it opened is not missed.
const HISTORY: u64 = 10;
/// Log lines kept to explain a crash.
const KEPT_LINES: usize = 50;
const SHOWN_LINES: usize = 5;

/// What to wait for.
pub struct Wanted<'a> {
    pub app: &'a AppName,
    pub process_type: Option<&'a ProcessType>,
    /// When a dyno counts as ready: up, or up on a given release.
    pub ready: &'a (dyn Fn(&Dyno) -> bool + Send + Sync),
    pub timeout: Duration,
}

/// How a wait ended.
pub enum Watched {
    Ready(Vec<Dyno>),
    TimedOut(Vec<Dyno>),
    /// A dyno crashed as it started: the wait stops rather than run out its timeout.
    Crashed {
        message: String,
    },
}

/// Waits until every dyno `wanted` names is ready, one crashes, or the timeout passes.
pub async fn wait(
    reader: &Client,
    wanted: &Wanted<'_>,
    output: &OperationOutput<'_>,
) -> Result<Watched, OperationError> {
    let started = crate::clock::now();
    let mut dynos = poll(reader, wanted, output).await?;
    for after in EARLY_POLLS {
        if dynos.iter().all(|dyno| (wanted.ready)(dyno)) {
            return Ok(Watched::Ready(dynos));
        }
        let at = (started + *after).min(started + wanted.timeout);
        crate::clock::sleep_until(at).await;
        dynos = poll(reader, wanted, output).await?;
        if let Some(message) = crashed_early(reader, wanted, &dynos).await {
            return Ok(Watched::Crashed { message });
        }
    }
    if dynos.iter().all(|dyno| (wanted.ready)(dyno)) {
        return Ok(Watched::Ready(dynos));
    }
    let mut follow = Follow::open(reader, wanted).await;
    let mut watch = Watch {
        dynos,
        reported_up: BTreeSet::new(),
        recent: VecDeque::new(),
        next_poll: crate::clock::now() + follow.interval(),
    };
    let deadline = started + wanted.timeout;
    loop {
        let confirm = tokio::select! {
            line = follow.next_line() => watch.heard(line),
            () = crate::clock::sleep_until(watch.next_poll) => true,
            () = crate::clock::sleep_until(deadline) => {
                let dynos = poll(reader, wanted, output).await?;
                return Ok(watch.timed_out(dynos, wanted));
            }
        };
        if !confirm {
            continue;
        }
        watch.dynos = poll(reader, wanted, output).await?;
        watch.next_poll = crate::clock::now() + follow.interval();
        if let Some(ended) = watch.ended(wanted) {
            return Ok(ended);
        }
    }
}

/// A dyno found crashed while the wait polls: the message names it, with its last log lines
/// (read once, from a log session of its own).
async fn crashed_early(reader: &Client, wanted: &Wanted<'_>, dynos: &[Dyno]) -> Option<String> {
    let crashed: Vec<&Dyno> =
        dynos.iter().filter(|dyno| dyno.state == DynoState::Crashed).collect();
    let first = crashed.first()?;
    let request = LogRequest {
        lines: Some(KEPT_LINES as u64),
        source: None,
        dyno_name: Some(first.name.clone()),
        tail: false,
    };
    let mut recent = VecDeque::new();
    if let Ok(session) = log_sessions::create(reader, wanted.app, &request).await {
        let _ = each_line(reader, &session.logplex_url, Silence::Fails, |line| {
            if recent.len() == KEPT_LINES {
                recent.pop_front();
            }
            recent.push_back(line.to_string());
            true
        })
        .await;
    }
    let watch = Watch {
        dynos: Vec::new(),
        reported_up: BTreeSet::new(),
        recent,
        next_poll: crate::clock::now(),
    };
    Some(watch.crash_message(&crashed))
}

/// The dynos `wanted` names, read now, with the progress shown.
async fn poll(
    reader: &Client,
    wanted: &Wanted<'_>,
    output: &OperationOutput<'_>,
) -> Result<Vec<Dyno>, OperationError> {
    let all = dynos::list(reader, wanted.app).await?;
    let dynos = super::dyno_list::of_type(all, wanted.process_type);
    let ready = dynos.iter().filter(|dyno| (wanted.ready)(dyno)).count() as u64;
    let total = dynos.len() as u64;
    (output.progress)(ready, total, format!("{ready}/{total} dynos up"));
    Ok(dynos)
}

/// The app's log, followed in a task of its own; `None` when no session could be opened (then
/// the wait polls).
struct Follow {
    lines: Option<tokio::sync::mpsc::UnboundedReceiver<String>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Follow {
    async fn open(reader: &Client, wanted: &Wanted<'_>) -> Self {
        let request = LogRequest {
            lines: Some(HISTORY),
            source: None,
            dyno_name: wanted.process_type.map(|kind| kind.as_str().to_string()),
            tail: true,
        };
        let Ok(session) = log_sessions::create(reader, wanted.app, &request).await else {
            return Self { lines: None, task: None };
        };
        let (sender, lines) = tokio::sync::mpsc::unbounded_channel();
        let reader = reader.clone();
        let task = tokio::spawn(async move {
            let _ = each_line(&reader, &session.logplex_url, Silence::Waits, |line| {
                sender.send(line.to_string()).is_ok()
            })
            .await;
        });
        Self { lines: Some(lines), task: Some(task) }
    }

    /// The next line of the log; never, once there is no log to follow.
    async fn next_line(&mut self) -> Option<String> {
        match &mut self.lines {
            Some(lines) => {
                let line = lines.recv().await;
                if line.is_none() {
                    self.lines = None;
                }
                line
            }
            None => std::future::pending().await,
        }
    }

    fn interval(&self) -> Duration {
        if self.lines.is_some() { CONFIRM_EVERY } else { POLL_EVERY }
    }
}

impl Drop for Follow {
    fn drop(&mut self) {
        if let Some(task) = &self.task {
            task.abort();
        }
    }
}

/// What the wait knows so far.
struct Watch {
    dynos: Vec<Dyno>,
    /// Dynos the log said came up since the last poll.
    reported_up: BTreeSet<String>,
    recent: VecDeque<String>,
    next_poll: Instant,
}

impl Watch {
    /// Takes in a line of the log (or its end); whether it is worth a poll now: a dyno crashed, or
    /// every dyno not ready at the last poll has since come up.
    fn heard(&mut self, line: Option<String>) -> bool {
        let Some(line) = line else {
            self.next_poll = self.next_poll.min(crate::clock::now() + POLL_EVERY);
            return false;
        };
        if self.recent.len() == KEPT_LINES {
            self.recent.pop_front();
        }
        self.recent.push_back(line.clone());
        match state_change(&line) {
            Some((dyno, "crashed")) => self.dynos.iter().any(|known| known.name == dyno),
            Some((dyno, "up")) => {
                self.reported_up.insert(dyno);
                self.dynos
                    .iter()
                    .filter(|known| !known.is_up())
                    .all(|known| self.reported_up.contains(&known.name))
            }
            _ => false,
        }
    }

    /// The end, once every dyno is ready or one has crashed.
    fn ended(&mut self, wanted: &Wanted<'_>) -> Option<Watched> {
        self.reported_up.clear();
        if self.dynos.iter().all(|dyno| (wanted.ready)(dyno)) {
            return Some(Watched::Ready(std::mem::take(&mut self.dynos)));
        }
        let crashed: Vec<&Dyno> =
            self.dynos.iter().filter(|dyno| dyno.state == DynoState::Crashed).collect();
        if crashed.is_empty() {
            return None;
        }
        let message = self.crash_message(&crashed);
        Some(Watched::Crashed { message })
    }

    fn timed_out(&mut self, dynos: Vec<Dyno>, wanted: &Wanted<'_>) -> Watched {
        if dynos.iter().all(|dyno| (wanted.ready)(dyno)) {
            Watched::Ready(dynos)
        } else {
            Watched::TimedOut(dynos)
        }
    }

    /// `web.1 crashed as it started; its last log lines: ...`
    fn crash_message(&self, crashed: &[&Dyno]) -> String {
        let names: Vec<&str> = crashed.iter().map(|dyno| dyno.name.as_str()).collect();
        let theirs: Vec<&String> = self
            .recent
            .iter()
            .filter(|line| names.iter().any(|name| line.contains(&format!("[{name}]"))))
            .collect();
        let last: Vec<&str> = theirs
            .iter()
            .skip(theirs.len().saturating_sub(SHOWN_LINES))
            .map(|line| line.as_str())
            .collect();
        if last.is_empty() {
            format!("{} crashed as it started", names.join(", "))
        } else {
            format!(
                "{} crashed as it started; the last log lines:\n{}",
                names.join(", "),
                last.join("\n")
            )
        }
    }
}

/// `heroku[web.1]: State changed from starting to up` gives `("web.1", "up")`.
fn state_change(line: &str) -> Option<(String, &str)> {
    let (origin, message) = line.split_once("]: ")?;
    let dyno = origin.rsplit_once("heroku[")?.1;
    let to = message.strip_prefix("State changed from ")?.split(" to ").nth(1)?;
    Some((dyno.to_string(), to.trim()))
}

#[cfg(test)]
mod tests {
    use super::state_change;

    #[test]
    fn reads_heroku_state_changes() {
        assert_eq!(
            state_change(
                "2026-12-01T10:00:00+00:00 heroku[web.1]: State changed from starting to up"
            ),
            Some(("web.1".to_string(), "up"))
        );
        assert_eq!(
            state_change(
                "2026-12-01T10:00:00+00:00 heroku[worker.2]: State changed from starting to crashed"
            ),
            Some(("worker.2".to_string(), "crashed"))
        );
        assert_eq!(
            state_change("2026-12-01T10:00:00+00:00 app[web.1]: State changed from a to b"),
            None
        );
        assert_eq!(state_change("heroku[router]: at=info"), None);
    }
}
