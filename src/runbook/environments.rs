//! `runbooks/environments.yaml`: the named targets (app, protected or not) that runbooks run against.

use std::path::Path;
use std::sync::Arc;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::diagnostic::Diagnostic;
use super::source::{Located, SourceFile};
use super::yaml_error;
use crate::identifiers::AppName;

pub const FILE_NAME: &str = "environments.yaml";

/// One named target.
#[derive(Debug, Clone)]
pub struct Environment {
    pub name: Located<String>,
    pub app: AppName,
    pub protected: bool,
    /// `approvals: 1`: a second operator approves a run before its first write (team mode).
    pub approvals: Option<Located<u32>>,
    /// `notify: { slack: VARIABLE }`: the environment variable holding a Slack incoming-webhook
    /// URL that live runs post to (its name only: the URL is a secret).
    pub notify_slack: Option<String>,
}

/// Every environment, in file order, with the file they came from.
#[derive(Debug, Clone, Default)]
pub struct Environments {
    pub entries: Vec<Environment>,
    /// The file they were read from, for diagnostics found later (`approvals:` without a team).
    pub source: Option<Arc<SourceFile>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EnvironmentSpec {
    app: Spanned<String>,
    #[serde(default)]
    protected: bool,
    approvals: Option<Spanned<u32>>,
    notify: Option<NotifySpec>,
}

/// Where live runs on an environment are announced.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NotifySpec {
    /// The name of the environment variable holding the Slack webhook URL.
    slack: Spanned<String>,
}

/// One environment whose app is well named, its `approvals:` and `notify:` checked.
fn environment(
    source: &Arc<SourceFile>,
    name: Located<String>,
    app: AppName,
    spec: &EnvironmentSpec,
    problems: &mut Vec<Diagnostic>,
) -> Environment {
    let approvals = spec.approvals.as_ref().map(|approvals| Located {
        value: approvals.value,
        span: yaml_error::span(source, approvals),
    });
    if let Some(approvals) = approvals.as_ref().filter(|approvals| approvals.value > 1) {
        problems.push(
            Diagnostic::new(
                source,
                approvals.span,
                format!("environment `{}` asks for {} approvals", name.value, approvals.value),
            )
            .label("one approval at most")
            .hint("write `approvals: 1`: one operator other than the one running it approves"),
        );
    }
    let slack = spec.notify.as_ref().map(|notify| &notify.slack);
    if let Some(problem) = slack.and_then(|slack| notify_problem(source, &name.value, slack)) {
        problems.push(problem);
    }
    Environment {
        name,
        app,
        protected: spec.protected,
        approvals: approvals.filter(|approvals| approvals.value > 0),
        notify_slack: slack.map(|slack| slack.value.clone()),
    }
}

/// `notify: { slack: ... }` names a variable (`SLACK_WEBHOOK_OPS`), never the URL itself.
fn notify_problem(
    source: &Arc<SourceFile>,
    environment: &str,
    slack: &Spanned<String>,
) -> Option<Diagnostic> {
    let name = slack.value.as_str();
    let is_variable = !name.is_empty()
        && !name.starts_with(|first: char| first.is_ascii_digit())
        && name.chars().all(|letter| letter.is_ascii_alphanumeric() || letter == '_');
    if is_variable {
        return None;
    }
    let span = yaml_error::span(source, slack);
    let looks_like_url = name.contains("://") || name.contains('/') || name.contains('.');
    let message = if looks_like_url {
        format!(
            "environment `{environment}` writes a webhook URL where the name of a variable holding it goes"
        )
    } else {
        format!(
            "environment `{environment}`: `notify: slack:` takes the name of an environment variable"
        )
    };
    Some(
        Diagnostic::new(source, span, message)
            .label("a variable's name, like SLACK_WEBHOOK_OPS")
            .hint(if looks_like_url {
                "the URL is a secret: keep it out of the repository, export it as SLACK_WEBHOOK_OPS=..., and write `notify: { slack: SLACK_WEBHOOK_OPS }`"
            } else {
                "write the variable's name: letters, digits and `_`, for example `notify: { slack: SLACK_WEBHOOK_OPS }`"
            }),
    )
}

impl Environments {
    /// Reads `environments.yaml` from the runbooks folder; a missing file means no environments.
    pub fn load(directory: &Path) -> Result<Self, Vec<Diagnostic>> {
        let path = directory.join(FILE_NAME);
        if !path.exists() {
            return Ok(Self::default());
        }
        let source = yaml_error::read(&path)?;
        Self::parse(&source)
    }

    /// The environments written in `source`, the text of an `environments.yaml`.
    pub fn parse(source: &Arc<SourceFile>) -> Result<Self, Vec<Diagnostic>> {
        let specs: IndexMap<Spanned<String>, EnvironmentSpec> = yaml_error::parse(source)?;
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (name, spec) in specs {
            let name = yaml_error::located(source, name);
            let span = yaml_error::span(source, &spec.app);
            if spec.app.value.trim().is_empty() {
                problems.push(
                    Diagnostic::new(
                        source,
                        span,
                        format!("environment `{}` names no app", name.value),
                    )
                    .label("empty app name")
                    .hint("write the Heroku app name, for example `app: my-app-staging`"),
                );
                continue;
            }
            match AppName::parse(&spec.app.value) {
                Ok(app) if app.is_id() => problems.push(
                    Diagnostic::new(source, span, format!("environment `{}` names its app by id", name.value))
                        .label("an id, not a name")
                        .hint("write the app's name (protection is decided by the name every request carries)"),
                ),
                Ok(app) => entries.push(environment(source, name, app, &spec, &mut problems)),
                Err(error) => problems.push(
                    Diagnostic::new(source, span, error.to_string())
                        .label("not a Heroku app name")
                        .hint("write the app's name as Heroku shows it, for example `app: my-app-staging`"),
                ),
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self { entries, source: Some(Arc::clone(source)) })
    }

    /// The apps whose writes wait for a second operator's approval.
    pub fn approval_apps(&self) -> std::collections::BTreeSet<AppName> {
        self.entries
            .iter()
            .filter(|entry| entry.approvals.is_some())
            .map(|entry| entry.app.clone())
            .collect()
    }

    /// `approvals:` needs team mode: without a team database each one is an error.
    pub fn approvals_without_team(&self) -> Vec<Diagnostic> {
        let Some(source) = &self.source else {
            return Vec::new();
        };
        self.entries
            .iter()
            .filter_map(|entry| {
                let approvals = entry.approvals.as_ref()?;
                Some(
                    Diagnostic::new(
                        source,
                        approvals.span,
                        format!("environment `{}` needs approvals, and there is no team database", entry.name.value),
                    )
                    .label("approvals need team mode")
                    .hint("set RUNBOOK_DATABASE_URL to the team's PostgreSQL (docs/team.md), or remove `approvals:`"),
                )
            })
            .collect()
    }

    pub fn get(&self, name: &str) -> Option<&Environment> {
        self.entries.iter().find(|entry| entry.name.value == name)
    }

    /// Every app that an environment marks protected: writes to it need its name typed.
    pub fn protected_apps(&self) -> std::collections::BTreeSet<AppName> {
        self.entries.iter().filter(|entry| entry.protected).map(|entry| entry.app.clone()).collect()
    }

    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|entry| entry.name.value.as_str()).collect()
    }
}
