//! Attached one-off dynos waiting for their client: each session's secret and command, and where
//! the rendezvous server listens (with its certificate, for clients to trust in rehearsals).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, PoisonError};

use super::scenario::Commands;

#[derive(Clone)]
pub struct Attachments {
    pub address: SocketAddr,
    /// The rendezvous server's certificate (DER).
    pub certificate: Vec<u8>,
    /// The same in PEM, as Node's `NODE_EXTRA_CA_CERTS` (the Heroku CLI) reads it.
    pub certificate_pem: String,
    /// The one-off commands the scenario declares.
    pub declared: Arc<Commands>,
    sessions: Arc<Mutex<HashMap<String, String>>>,
}

impl Attachments {
    pub fn new(
        address: SocketAddr,
        (certificate, certificate_pem): (Vec<u8>, String),
        declared: Commands,
    ) -> Self {
        Self {
            address,
            certificate,
            certificate_pem,
            declared: Arc::new(declared),
            sessions: Arc::default(),
        }
    }

    /// A new session for `command`; its `attach_url`.
    pub fn open(&self, command: &str) -> String {
        let secret = super::ids::uuid().replace('-', "");
        self.lock().insert(secret.clone(), command.to_string());
        format!("rendezvous://{}/{secret}", self.address)
    }

    /// The command of the session `secret` names, once: a secret serves one client.
    pub fn take(&self, secret: &str) -> Option<String> {
        self.lock().remove(secret)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
