//! Where the API token comes from: `HEROKU_API_KEY`, else the Heroku CLI's `~/.netrc`; never a runbook.

use std::path::PathBuf;

use secrecy::SecretString;

pub const NETRC_MACHINE: &str = "api.heroku.com";

/// The token, if one can be found.
pub fn find_token() -> Option<SecretString> {
    if let Ok(token) = std::env::var("HEROKU_API_KEY")
        && !token.trim().is_empty()
    {
        return Some(SecretString::from(token.trim().to_string()));
    }
    netrc_token()
}

fn netrc_token() -> Option<SecretString> {
    let path = netrc_path()?;
    let netrc = netrc::Netrc::from_file(&path).ok()?;
    let machine = netrc.hosts.get(NETRC_MACHINE)?;
    (!machine.password.is_empty()).then(|| SecretString::from(machine.password.clone()))
}

fn netrc_path() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("NETRC") {
        return Some(PathBuf::from(path));
    }
    let home = std::env::var_os("HOME")?;
    let path = PathBuf::from(home).join(".netrc");
    path.is_file().then_some(path)
}
