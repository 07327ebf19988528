//! Who the operator is, for the commands that record it outside a run (`approve`, `note`): the
//! Heroku account of their token (`GET /account`).

use super::failure::Failure;
use crate::heroku::{Access, Client};
use crate::settings::Settings;

/// `API_URL` (or Heroku's when empty), normalised for the commands that take one.
pub fn api_url(given: Option<&String>) -> String {
    given
        .filter(|url| !url.trim().is_empty())
        .cloned()
        .unwrap_or_else(|| crate::heroku::DEFAULT_API_URL.to_string())
}

/// The email of the account of the token (`HEROKU_API_KEY` or `~/.netrc`), asked of `api_url`;
/// `doing` says what needs it, in the error.
pub fn account_email(settings: &Settings, api_url: &str, doing: &str) -> Result<String, Failure> {
    let Some(token) = crate::settings::token() else {
        let error = crate::heroku::ApiError::NoCredentials;
        return Err(Failure::Access {
            message: format!("{doing} needs to know who you are: {error}"),
            hint: error.hint(),
        });
    };
    settings.printer.redactor().add(secrecy::ExposeSecret::expose_secret(&token));
    let client =
        Client::new(api_url, Some(token), Access::ReadOnly, std::time::Duration::from_secs(30))
            .map_err(|error| Failure::Access { message: error.to_string(), hint: None })?;
    let runtime = super::runtime()?;
    runtime.block_on(crate::heroku::account::email(&client)).map_err(|error| Failure::Access {
        message: format!("cannot tell who you are (GET /account): {error}"),
        hint: error.hint(),
    })
}
