//! Where the API token comes from: `HEROKU_API_KEY`, else the Heroku CLI's `~/.netrc`; never a
//! runbook. The caller reads the environment; this only decides.

use std::path::Path;

use secrecy::SecretString;

pub const NETRC_MACHINE: &str = "api.heroku.com";

/// The token: `key` when it is set, else the password of `machine api.heroku.com` in `netrc`.
pub fn find_token(key: Option<&str>, netrc: Option<&Path>) -> Option<SecretString> {
    if let Some(key) = key.map(str::trim).filter(|key| !key.is_empty()) {
        return Some(SecretString::from(key.to_string()));
    }
    let netrc = netrc.filter(|path| path.is_file())?;
    let parsed = netrc::Netrc::from_file(netrc).ok()?;
    let machine = parsed.hosts.get(NETRC_MACHINE)?;
    (!machine.password.is_empty()).then(|| SecretString::from(machine.password.clone()))
}
