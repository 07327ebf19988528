//! Notifications: a live run on an environment with `notify: { slack: VARIABLE }` tells the team's
//! channel when it starts, when a step fails or a write is refused, and when it ends. Posts go
//! out from a thread of their own: a webhook that fails or hangs never fails the run, and delays
//! its end by at most [`FLUSH_WAIT`]. The webhook URL is a secret, masked everywhere.

mod slack;

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

pub use slack::{Announcement, RunFacts};

use crate::journal::{Event, StepStatus};
use crate::redact::Redactor;

/// How long one post may take.
const POST_TIMEOUT: Duration = Duration::from_secs(3);
/// How long the end of a run waits for the posts still under way.
pub const FLUSH_WAIT: Duration = Duration::from_secs(4);

/// Told once when a post fails; the run goes on.
pub type OnFailure = Arc<dyn Fn(String) + Send + Sync>;

/// The run's notifier: it turns the run's events into posts, sent in the background.
pub struct Notifier {
    facts: Mutex<RunFacts>,
    undo: Mutex<Vec<String>>,
    posts: Mutex<Option<Sender<serde_json::Value>>>,
    done: Mutex<Option<Receiver<()>>>,
    redactor: Arc<Redactor>,
}

impl Notifier {
    /// Starts the posting thread for the webhook `url`.
    pub fn start(url: SecretString, redactor: Arc<Redactor>, on_failure: OnFailure) -> Self {
        redactor.add(url.expose_secret());
        let (posts, queue) = channel();
        let (finished, done) = channel();
        let thread_redactor = Arc::clone(&redactor);
        std::thread::spawn(move || {
            post_all(&url, &queue, &thread_redactor, &on_failure);
            let _ = finished.send(());
        });
        Self {
            facts: Mutex::default(),
            undo: Mutex::default(),
            posts: Mutex::new(Some(posts)),
            done: Mutex::new(Some(done)),
            redactor,
        }
    }

    /// Sees every event of the run; some become posts.
    pub fn observe(&self, event: &Event) {
        let announcement = match event {
            Event::RunStarted { .. } => {
                *self.lock_facts() = facts_of(event);
                Some(Announcement::Started)
            }
            Event::StepFinished {
                status:
                    StepStatus::Failed
                    | StepStatus::NotConfirmed
                    | StepStatus::Locked
                    | StepStatus::Rejected
                    | StepStatus::ApprovalExpired,
                name,
                error,
                ..
            } => Some(Announcement::Problem {
                step: name.clone(),
                error: error.clone().unwrap_or_else(|| "not confirmed".into()),
            }),
            Event::StepFinished { summary: Some(summary), .. } => {
                self.keep_undo(summary);
                None
            }
            Event::ScriptOutput { message } => {
                self.keep_undo(message);
                None
            }
            Event::ApprovalRequested { app, command, plan, .. } => {
                Some(Announcement::WaitingForApproval {
                    app: app.clone(),
                    command: command.clone(),
                    plan: plan.clone(),
                })
            }
            Event::RunFinished { .. } => Some(self.finished(event)),
            _ => None,
        };
        if let Some(announcement) = announcement {
            self.post(&announcement);
        }
    }

    /// Waits a little for the posts still under way, then lets them go.
    pub fn finish(&self) {
        self.posts.lock().unwrap_or_else(PoisonError::into_inner).take();
        if let Some(done) = self.done.lock().unwrap_or_else(PoisonError::into_inner).take() {
            let _ = done.recv_timeout(FLUSH_WAIT);
        }
    }

    /// Posts `announcement`: its texts masked before Slack's escaping and markup are applied,
    /// and the message masked again once built, so that no transformation (escaping, the markup
    /// `*` taken out of the plain `text`) can carry a secret past the mask.
    fn post(&self, announcement: &Announcement) {
        let facts = slack::masked_facts(&self.lock_facts(), &self.redactor);
        let announcement = slack::masked(announcement, &self.redactor);
        let message = slack::message(&facts, &announcement);
        let masked: serde_json::Value = serde_json::from_str(&self.redactor.json_line(&message))
            .unwrap_or(serde_json::Value::Null);
        if let Some(posts) = self.posts.lock().unwrap_or_else(PoisonError::into_inner).as_ref() {
            let _ = posts.send(masked);
        }
    }

    fn keep_undo(&self, text: &str) {
        let mut undo = self.undo.lock().unwrap_or_else(PoisonError::into_inner);
        undo.extend(
            text.lines()
                .map(str::trim)
                .filter(|line| line.starts_with("to undo:"))
                .map(String::from),
        );
    }

    fn finished(&self, event: &Event) -> Announcement {
        let Event::RunFinished {
            status,
            duration_ms,
            steps_done,
            steps_failed,
            steps_skipped,
            writes_sent,
            error,
            ..
        } = event
        else {
            unreachable!("called with a run's end");
        };
        Announcement::Finished {
            status: status.name().to_string(),
            summary: format!(
                "{steps_done} done, {steps_failed} failed, {steps_skipped} skipped, {writes_sent} write(s) sent, in {:.1}s",
                *duration_ms as f64 / 1000.0
            ),
            error: error.clone(),
            undo: self.undo.lock().unwrap_or_else(PoisonError::into_inner).clone(),
        }
    }

    fn lock_facts(&self) -> std::sync::MutexGuard<'_, RunFacts> {
        self.facts.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn facts_of(event: &Event) -> RunFacts {
    let Event::RunStarted { run_id, runbook, environment, app, params, user, operator, .. } = event
    else {
        return RunFacts::default();
    };
    RunFacts {
        run_id: run_id.to_string(),
        runbook: match environment {
            Some(environment) => format!("{runbook}-{environment}"),
            None => runbook.clone(),
        },
        app: app.clone(),
        operator: operator.clone().unwrap_or_else(|| user.clone()),
        params: params.clone(),
    }
}

/// Posts each message as it comes; the first failure is told, the rest are not.
fn post_all(
    url: &SecretString,
    queue: &Receiver<serde_json::Value>,
    redactor: &Redactor,
    on_failure: &OnFailure,
) {
    let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else {
        on_failure("cannot start the notifier".to_string());
        return;
    };
    let client = crate::heroku::builder_for(url.expose_secret())
        .timeout(POST_TIMEOUT)
        .connect_timeout(POST_TIMEOUT)
        .build();
    let mut told = false;
    while let Ok(message) = queue.recv() {
        let outcome = match &client {
            Ok(client) => runtime.block_on(send(client, url, &message)),
            Err(error) => Err(NotDelivered::NoClient(error.to_string())),
        };
        if let Err(error) = outcome
            && !told
        {
            told = true;
            on_failure(redactor.apply(&error.to_string()).into_owned());
        }
    }
}

/// Why a message did not reach the webhook, in words without its URL (the URL is the secret).
#[derive(Debug, thiserror::Error)]
enum NotDelivered {
    #[error("the webhook did not answer within {}s", POST_TIMEOUT.as_secs())]
    Timeout,
    #[error("cannot connect to the webhook")]
    Unreachable,
    #[error("{0}")]
    Transport(reqwest::Error),
    #[error("the webhook answered {0}")]
    Answered(reqwest::StatusCode),
    #[error("{0}")]
    NoClient(String),
}

impl From<reqwest::Error> for NotDelivered {
    fn from(error: reqwest::Error) -> Self {
        let error = error.without_url();
        if error.is_timeout() {
            NotDelivered::Timeout
        } else if error.is_connect() {
            NotDelivered::Unreachable
        } else {
            NotDelivered::Transport(error)
        }
    }
}

async fn send(
    client: &reqwest::Client,
    url: &SecretString,
    message: &serde_json::Value,
) -> Result<(), NotDelivered> {
    let answer = client.post(url.expose_secret()).json(message).send().await?;
    if answer.status().is_success() { Ok(()) } else { Err(NotDelivered::Answered(answer.status())) }
}
