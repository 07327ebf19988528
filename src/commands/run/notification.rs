//! A run's notifier, when its environment has `notify: { slack: VARIABLE }`: live runs post,
//! dry-runs and rehearsals say they would, and a variable that is not set is said, not ignored.

use std::sync::{Arc, Weak};

use crate::exec::{Reporter, Target};
use crate::journal::Event;
use crate::notify::Notifier;
use crate::runbook::Library;
use crate::settings::{Mode, RunSettings, Settings, Target as Destination};

/// What the run does about notifications, decided before it starts.
pub enum Notification {
    None,
    /// A dry-run or a rehearsal: it says what it would post, and posts nothing.
    Would(String),
    /// The variable is not set: nobody is told, and the run says so.
    Unset(String),
    /// The variable holds something that is not a webhook URL (never shown: it may be one).
    Unusable(String),
    Live,
}

/// Sets up the notifier of the run (before its start is reported).
pub fn prepare(
    settings: &Settings,
    run: &RunSettings,
    library: &Library,
    target: Option<&Target>,
    reporter: &Arc<Reporter>,
) -> Notification {
    let rehearsal = matches!(run.target, Destination::Sim { .. });
    let Some(variable) = target
        .and_then(|target| library.environments.get(&target.name))
        .and_then(|environment| environment.notify_slack.clone())
    else {
        return Notification::None;
    };
    if rehearsal || run.mode == Mode::DryRun {
        return Notification::Would(variable);
    }
    let Some(url) = crate::settings::variable(&variable) else {
        return Notification::Unset(variable);
    };
    let usable = reqwest::Url::parse(&url)
        .is_ok_and(|parsed| matches!(parsed.scheme(), "https" | "http") && parsed.has_host());
    if !usable {
        settings.printer.redactor().add(&url);
        return Notification::Unusable(variable);
    }
    let weak: Weak<Reporter> = Arc::downgrade(reporter);
    let notifier = Notifier::start(
        secrecy::SecretString::from(url),
        Arc::clone(settings.printer.redactor()),
        Arc::new(move |error| {
            if let Some(reporter) = weak.upgrade() {
                reporter.emit(&Event::NotificationFailed { error });
            }
        }),
    );
    reporter.notify_with(Arc::new(notifier));
    Notification::Live
}

/// Says, once the run has started, what it does not post.
pub fn report(notification: &Notification, reporter: &Reporter) {
    match notification {
        Notification::Would(variable) => reporter.emit(&Event::WouldNotify {
            variable: variable.clone(),
        }),
        Notification::Unset(variable) => reporter.emit(&Event::NotificationFailed {
            error: format!("{variable} is not set, so nobody was notified (environments.yaml names it in `notify:`)"),
        }),
        Notification::Unusable(variable) => reporter.emit(&Event::NotificationFailed {
            error: format!("{variable} does not hold an http(s) URL, so nobody was notified"),
        }),
        Notification::None | Notification::Live => {}
    }
}
