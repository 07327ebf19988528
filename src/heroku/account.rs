//! Who the token belongs to: the email of its Heroku account (`GET /account`), which team mode
//! records as the operator of every run and answer.

use serde::Deserialize;

use super::path::ApiPath;
use super::{ApiError, Client};

#[derive(Deserialize)]
struct Account {
    email: String,
}

/// The email of the account of the client's token.
pub async fn email(client: &Client) -> Result<String, ApiError> {
    let account: Account = client.get(&ApiPath::root("account")).await?;
    Ok(account.email)
}
