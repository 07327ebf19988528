//! What a run says in the team's Slack channel, in Slack's message format: a `text` (what
//! notifications and old clients show) and blocks that read well in a channel.

use serde_json::{Value, json};

use crate::redact::Redactor;

/// Who runs what, where: the same in every message of a run.
#[derive(Debug, Clone, Default)]
pub struct RunFacts {
    pub run_id: String,
    /// `deploy-production`.
    pub runbook: String,
    pub app: Option<String>,
    pub operator: String,
    /// The params as the journal has them (secrets masked by the sender).
    pub params: Value,
}

/// One moment of a run worth telling the channel.
#[derive(Debug, Clone)]
pub enum Announcement {
    Started,
    /// A step failed or its write was refused.
    Problem {
        step: String,
        error: String,
    },
    /// The run waits for a second operator to approve its plan.
    WaitingForApproval {
        app: String,
        command: String,
        plan: Vec<String>,
    },
    Finished {
        status: String,
        summary: String,
        error: Option<String>,
        /// "to undo: ..." lines the run printed.
        undo: Vec<String>,
    },
}

/// Text as Slack shows it literally: `&`, `<` and `>` escaped, so that no param or error can
/// mention `<!channel>` or disguise a link.
fn escape(text: &str) -> String {
    crate::redact::slack_escaped(text)
}

/// The Slack message for `announcement`.
pub fn message(facts: &RunFacts, announcement: &Announcement) -> Value {
    let facts = &RunFacts {
        run_id: escape(&facts.run_id),
        runbook: escape(&facts.runbook),
        app: facts.app.as_deref().map(escape),
        operator: escape(&facts.operator),
        params: facts.params.clone(),
    };
    let announcement = &escaped(announcement);
    let app = facts.app.as_deref().unwrap_or("no app");
    let headline = match announcement {
        Announcement::Started => {
            format!(":arrow_forward: *{}* started `{}` on *{app}*", facts.operator, facts.runbook)
        }
        Announcement::Problem { step, error } => format!(
            ":warning: `{}` on *{app}*: step *{step}* did not complete: {error}",
            facts.runbook
        ),
        Announcement::WaitingForApproval { app: waiting_on, command, .. } => format!(
            ":hourglass: `{}` by *{}* waits for a second operator to approve its plan for *{waiting_on}*: `{command}`",
            facts.runbook, facts.operator
        ),
        Announcement::Finished { status, .. } => {
            format!("{} `{}` on *{app}* {}", icon(status), facts.runbook, status.replace('_', " "))
        }
    };
    let mut lines = vec![headline.clone()];
    lines.extend(details(facts, announcement));
    let context = format!("run `{}` · by {}", facts.run_id, facts.operator);
    json!({
        "text": plain(&headline),
        "blocks": [
            { "type": "section", "text": { "type": "mrkdwn", "text": lines.join("\n") } },
            { "type": "context", "elements": [ { "type": "mrkdwn", "text": context } ] }
        ]
    })
}

/// `facts` with every secret the run knows masked.
pub fn masked_facts(facts: &RunFacts, redactor: &Redactor) -> RunFacts {
    let mask = |text: &str| redactor.apply(text).into_owned();
    RunFacts {
        run_id: mask(&facts.run_id),
        runbook: mask(&facts.runbook),
        app: facts.app.as_deref().map(mask),
        operator: mask(&facts.operator),
        params: redactor.apply_to_value(&facts.params),
    }
}

/// `announcement` with every secret the run knows masked.
pub fn masked(announcement: &Announcement, redactor: &Redactor) -> Announcement {
    map_texts(announcement, &|text| redactor.apply(text).into_owned())
}

fn escaped(announcement: &Announcement) -> Announcement {
    map_texts(announcement, &|text| escape(text))
}

/// `announcement` with `change` applied to each of its texts.
fn map_texts(announcement: &Announcement, change: &dyn Fn(&str) -> String) -> Announcement {
    match announcement {
        Announcement::Started => Announcement::Started,
        Announcement::Problem { step, error } => {
            Announcement::Problem { step: change(step), error: change(error) }
        }
        Announcement::WaitingForApproval { app, command, plan } => {
            Announcement::WaitingForApproval {
                app: change(app),
                command: change(command),
                plan: plan.iter().map(|line| change(line)).collect(),
            }
        }
        Announcement::Finished { status, summary, error, undo } => Announcement::Finished {
            status: change(status),
            summary: change(summary),
            error: error.as_deref().map(change),
            undo: undo.iter().map(|line| change(line)).collect(),
        },
    }
}

fn details(facts: &RunFacts, announcement: &Announcement) -> Vec<String> {
    match announcement {
        Announcement::Started => params_line(&facts.params).into_iter().collect(),
        Announcement::Problem { .. } => Vec::new(),
        Announcement::WaitingForApproval { plan, .. } => {
            plan.iter().map(|line| format!("`{line}`")).collect()
        }
        Announcement::Finished { summary, error, undo, .. } => {
            let mut lines = vec![summary.clone()];
            lines.extend(error.iter().map(|error| format!("error: {error}")));
            lines.extend(undo.iter().cloned());
            lines
        }
    }
}

fn params_line(params: &Value) -> Option<String> {
    let given = crate::output::given_params(params);
    (!given.is_empty()).then(|| escape(&format!("params: {}", given.join(" "))))
}

fn icon(status: &str) -> &'static str {
    match status {
        "succeeded" => ":white_check_mark:",
        "not_confirmed" | "aborted" | "locked" | "rejected" | "approval_expired" => ":no_entry:",
        "interrupted" => ":double_vertical_bar:",
        _ => ":x:",
    }
}

/// The headline without Slack's markup, for the `text` fallback.
fn plain(headline: &str) -> String {
    let without_icon = headline
        .split_once(' ')
        .filter(|(first, _)| first.starts_with(':') && first.ends_with(':'))
        .map_or(headline, |(_, rest)| rest);
    without_icon.replace('*', "")
}
