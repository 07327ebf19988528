//! Errors of the Heroku client, with Heroku's own error body kept as typed fields.

use serde::Deserialize;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// Heroku answered with an error body `{id, message, url}`.
    #[error("Heroku answered {status} `{id}`: {message}")]
    Api {
        status: u16,
        id: String,
        message: String,
        url: Option<String>,
        request_id: Option<String>,
    },
    #[error("no answer to {method} {path} within {after}")]
    TimedOut { method: String, path: String, after: String },
    #[error("the connection broke during the answer to {method} {path}: {reason}")]
    Interrupted { method: String, path: String, reason: String },
    #[error("cannot reach the Heroku API at {url}: {reason}")]
    Unreachable { url: String, reason: String },
    #[error(
        "no Heroku credentials: HEROKU_API_KEY is not set and ~/.netrc has no `machine api.heroku.com`"
    )]
    NoCredentials,
    #[error(
        "{method} {path} was answered {status} with a redirect to {location}, which runbook never follows"
    )]
    Redirected { method: String, path: String, status: u16, location: String },
    #[error("refused to send {path}: the URL library would have sent {sent} instead")]
    PathChanged { path: String, sent: String },
    #[error("refused to send {method} {path}: a dry-run sends only GET and HEAD requests")]
    RefusedInDryRun { method: String, path: String },
    #[error("unexpected answer to {method} {path}: {reason}")]
    Decode { method: String, path: String, reason: String },
    /// The answer went on past the size runbook reads; the rest was not read.
    #[error("the answer to {method} {path} is larger than {limit}: not read")]
    TooLarge { method: String, path: String, limit: String },
}

/// Heroku's error body.
#[derive(Debug, Deserialize)]
pub struct ErrorBody {
    pub id: String,
    pub message: String,
    pub url: Option<String>,
}

impl ApiError {
    /// A write that got this error may have reached the server and taken effect: it was sent,
    /// and no answer says otherwise.
    pub fn may_have_taken_effect(&self) -> bool {
        match self {
            ApiError::TimedOut { .. }
            | ApiError::Interrupted { .. }
            | ApiError::Decode { .. }
            | ApiError::TooLarge { .. } => true,
            ApiError::Api { status, .. } => *status >= 500 && *status != 503,
            ApiError::Redirected { .. } => true,
            ApiError::Unreachable { .. }
            | ApiError::NoCredentials
            | ApiError::RefusedInDryRun { .. }
            | ApiError::PathChanged { .. } => false,
        }
    }

    /// Credentials refused or the API out of reach: nothing a retry of the step would fix.
    pub fn is_access_problem(&self) -> bool {
        match self {
            ApiError::Api { status, .. } => *status == 401 || *status == 403,
            ApiError::Unreachable { .. } | ApiError::NoCredentials => true,
            ApiError::RefusedInDryRun { .. }
            | ApiError::Redirected { .. }
            | ApiError::PathChanged { .. }
            | ApiError::Decode { .. }
            | ApiError::TooLarge { .. }
            | ApiError::TimedOut { .. }
            | ApiError::Interrupted { .. } => false,
        }
    }

    /// A hint for the person reading the error.
    pub fn hint(&self) -> Option<String> {
        match self {
            ApiError::Api { status: 401, .. } | ApiError::NoCredentials => Some(
                "set HEROKU_API_KEY (`heroku auth:token` prints one) or run `heroku login`; rehearse without credentials with --sim".into(),
            ),
            ApiError::Api { status: 403, .. } => Some("your account lacks access to this app; ask an owner to add you".into()),
            ApiError::Api {
                status: 404,
                id,
                message,
                ..
            } if id == "not_found" && !message.to_lowercase().contains("app") => Some(
                "Heroku has no such thing on this app: check the step's arguments (a process type, dyno or release)".into(),
            ),
            ApiError::Api { status: 404, id, .. } if id == "not_found" => {
                Some("check the app name in runbooks/environments.yaml and that your account can see it".into())
            }
            ApiError::Api { url: Some(url), .. } => Some(format!("Heroku documents this error at {url}")),
            ApiError::Unreachable { .. } => Some("check the network, or --api-url / HEROKU_API_URL".into()),
            ApiError::Redirected { .. } => Some(
                "a write must reach the API it was meant for: check --api-url and HEROKU_API_URL".into(),
            ),
            ApiError::TooLarge { .. } => Some(
                "Heroku pages its lists; an answer this large comes from a broken server or a proxy: check --api-url and HEROKU_API_URL".into(),
            ),
            ApiError::TimedOut { .. } => Some("the API is slow or stalled; RUNBOOK_HTTP_TIMEOUT sets how long to wait (60s by default)".into()),
            _ => None,
        }
    }
}
