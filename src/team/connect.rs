//! Opening a connection to the team's PostgreSQL: TLS through rustls when the URL asks for it
//! (`sslmode=require`, as Heroku Postgres does), plain otherwise.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres::tls::{MakeTlsConnect, TlsConnect};
use tokio_postgres::{Client, Config, NoTls, Socket};

use super::TeamError;

/// How long to wait for the server before saying it cannot be reached.
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// A database URL that cannot be read, and why (never the URL itself: it holds a password).
#[derive(Debug, thiserror::Error)]
#[error("the database URL cannot be read: {0}")]
pub struct BadDatabaseUrl(tokio_postgres::Error);

/// The parsed URL, or what is wrong with it.
pub fn config(url: &str) -> Result<Config, BadDatabaseUrl> {
    let mut config: Config = url.parse().map_err(BadDatabaseUrl)?;
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(CONNECT_TIMEOUT);
    }
    config.application_name("runbook");
    Ok(config)
}

/// A new session, its start-up given up after the connect timeout (a server that accepts the
/// connection and never answers); its driver runs on the caller's runtime until the session ends.
pub async fn open(config: &Config) -> Result<Client, TeamError> {
    match config.get_ssl_mode() {
        SslMode::Disable => started(config, NoTls).await,
        _ => started(config, tokio_postgres_rustls::MakeRustlsConnect::new(tls_config())).await,
    }
}

/// Connects through `tls` within the connect timeout, and leaves the connection's driver running.
async fn started<T>(config: &Config, tls: T) -> Result<Client, TeamError>
where
    T: MakeTlsConnect<Socket> + Send,
    T::Stream: Send + 'static,
    T::TlsConnect: Send,
    <T::TlsConnect as TlsConnect<Socket>>::Future: Send,
{
    let limit = config.get_connect_timeout().copied().unwrap_or(CONNECT_TIMEOUT);
    let (client, connection) = tokio::time::timeout(limit, config.connect(tls))
        .await
        .map_err(|_| {
            TeamError(format!("the team's database did not answer within {}s", limit.as_secs()))
        })?
        .map_err(|error| TeamError(super::describe(&error)))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(client)
}

/// As libpq's `sslmode=require`: the session is encrypted, and the server's certificate is not
/// checked against an authority (Heroku Postgres's are not signed by a public one).
fn tls_config() -> rustls::ClientConfig {
    crate::heroku::install_crypto_provider();
    rustls::ClientConfig::builder()
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(EncryptedOnly))
        .with_no_client_auth()
}

/// Accepts the server's certificate as `sslmode=require` does, while still checking that the
/// handshake is signed by the key of the certificate it presented.
#[derive(Debug)]
struct EncryptedOnly;

impl ServerCertVerifier for EncryptedOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            certificate,
            signature,
            &rustls::crypto::ring::default_provider().signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        certificate: &CertificateDer<'_>,
        signature: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            certificate,
            signature,
            &rustls::crypto::ring::default_provider().signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        rustls::crypto::ring::default_provider()
            .signature_verification_algorithms
            .supported_schemes()
    }
}
