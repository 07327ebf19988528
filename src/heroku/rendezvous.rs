//! The client side of Heroku's rendezvous protocol: TLS to the `attach_url`'s host, the secret on
//! the first line, the `rendezvous` greeting dropped; what is left is the dyno's terminal.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, ServerName};
use rustls_platform_verifier::ConfigVerifierExt;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::error::ApiError;

/// What the client appends to an attached command, so that the exit status comes back in-band
/// (as the Heroku CLI does).
pub const EXIT_MARKER: &str = "\u{FFFF} heroku-command-exit-status:";

/// `COMMAND; echo "\u{FFFF} heroku-command-exit-status: $?"`
pub fn with_exit_marker(command: &str) -> String {
    format!("{command}; echo \"{EXIT_MARKER} $?\"")
}

/// An attached session, past the greeting; `trusted` adds a certificate to trust (the
/// simulator's); otherwise the platform's roots are used, as for Heroku.
/// The stream of an attached dyno.
pub type DynoStream = BufReader<TlsStream<TcpStream>>;

pub async fn connect(attach_url: &str, trusted: Option<Vec<u8>>) -> Result<DynoStream, ApiError> {
    let failed = |reason: String| ApiError::Unreachable { url: attach_url.to_string(), reason };
    let rest = attach_url
        .strip_prefix("rendezvous://")
        .ok_or_else(|| failed("not a rendezvous:// URL".into()))?;
    let (address, secret) =
        rest.split_once('/').ok_or_else(|| failed("no session secret in the URL".into()))?;
    let host = address.rsplit_once(':').map_or(address, |(host, _)| host).to_string();
    let config = client_config(trusted).map_err(|error| failed(error.to_string()))?;
    let name = ServerName::try_from(host.clone()).map_err(|error| failed(error.to_string()))?;
    let tcp = TcpStream::connect(address).await.map_err(|error| failed(error.to_string()))?;
    let tls = TlsConnector::from(Arc::new(config))
        .connect(name, tcp)
        .await
        .map_err(|error| failed(error.to_string()))?;
    let mut stream = BufReader::new(tls);
    stream
        .get_mut()
        .write_all(format!("{secret}\r\n").as_bytes())
        .await
        .map_err(|error| failed(error.to_string()))?;
    let mut greeting = String::new();
    stream.read_line(&mut greeting).await.map_err(|error| failed(error.to_string()))?;
    if greeting.trim() != "rendezvous" {
        return Err(failed(format!(
            "the dyno answered `{}` instead of the rendezvous greeting",
            greeting.trim()
        )));
    }
    Ok(stream)
}

fn client_config(trusted: Option<Vec<u8>>) -> Result<rustls::ClientConfig, rustls::Error> {
    super::client::install_crypto_provider();
    let Some(certificate) = trusted else {
        return rustls::ClientConfig::with_platform_verifier();
    };
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from(certificate))?;
    Ok(rustls::ClientConfig::builder().with_root_certificates(roots).with_no_client_auth())
}
