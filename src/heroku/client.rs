//! One HTTP client for the Platform API: base URL, headers, token, typed errors, retries of reads.

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use reqwest::Method;
use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::answer::{header_text, interpret, redirected};
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::retry::{self, Attempt};

pub use super::answer::Answer;

pub const DEFAULT_API_URL: &str = "https://api.heroku.com";
const ACCEPT: &str = "application/vnd.heroku+json; version=3";
/// How long one request may take, answer included, unless the settings say otherwise.
#[cfg(test)]
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Whether the client may change anything. Dry-runs get a read-only client: defence in depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    ReadWrite,
    ReadOnly,
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: String,
    token: Option<SecretString>,
    access: Access,
    timeout: Duration,
    /// Heroku's `Request-Id` of every answer since the last `take_request_ids`.
    request_ids: Arc<Mutex<Vec<String>>>,
    /// The account's rate budget, shared by every request of the run.
    budget: Arc<super::rate_budget::RateBudget>,
}

/// One request to send.
struct Outgoing<'a> {
    method: &'a Method,
    path: &'a ApiPath,
    body: Option<&'a Value>,
    range: Option<&'a str>,
}

impl<'a> Outgoing<'a> {
    fn get(path: &'a ApiPath, range: Option<&'a str>) -> Self {
        Self { method: &Method::GET, path, body: None, range }
    }
}

/// The largest answer read, in bytes: Heroku pages its lists (at most 1,000 items a page), so a
/// larger answer is a broken or hostile server, and is refused rather than held in memory.
pub const MAX_BODY: usize = 16 * 1024 * 1024;

/// How many pages of one list to follow before deciding the server is looping.
const MAX_PAGES: usize = 1000;

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("token", &self.token.as_ref().map(|_| "[redacted]"))
            .field("access", &self.access)
            .finish()
    }
}

impl Client {
    pub fn new(
        base_url: &str,
        token: Option<SecretString>,
        access: Access,
        timeout: Duration,
    ) -> Result<Self, ApiError> {
        let http = builder_for(base_url).timeout(timeout).read_timeout(timeout).build().map_err(
            |error| ApiError::Unreachable { url: base_url.to_string(), reason: error.to_string() },
        )?;
        Ok(Self {
            http,
            base_url: base_url.trim_end_matches('/').to_string(),
            token,
            access,
            timeout,
            request_ids: Arc::default(),
            budget: Arc::default(),
        })
    }

    /// The request ids collected so far, emptying the list.
    pub fn take_request_ids(&self) -> Vec<String> {
        std::mem::take(&mut *self.request_ids.lock().unwrap_or_else(PoisonError::into_inner))
    }

    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// How long one request may take, and how long a stream may stay silent.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// A GET whose body is decoded into `T`.
    pub async fn get<T: DeserializeOwned>(&self, path: &ApiPath) -> Result<T, ApiError> {
        let answer = self.retried(Outgoing::get(path, None)).await?;
        decode(path, answer.body)
    }

    /// A GET of a list, following `Next-Range` through every 206 page.
    pub async fn list<T: DeserializeOwned>(&self, path: &ApiPath) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut range: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let answer = self.retried(Outgoing::get(path, range.as_deref())).await?;
            items.extend(decode::<Vec<T>>(path, answer.body)?);
            match (answer.status, answer.next_range) {
                (206, Some(next)) => range = Some(next),
                _ => return Ok(items),
            }
        }
        Err(ApiError::Decode {
            method: "GET".into(),
            path: path.to_string(),
            reason: format!("still 206 after {MAX_PAGES} pages"),
        })
    }

    /// Sends one request; reads are retried on 429, 503 and connection errors, writes never: a
    /// write leaves at most once.
    pub async fn request(&self, request: &Request) -> Result<Answer, ApiError> {
        let changes_nothing = request.changes_nothing();
        if self.access == Access::ReadOnly && !changes_nothing {
            return Err(ApiError::RefusedInDryRun {
                method: request.method.to_string(),
                path: request.path.to_string(),
            });
        }
        let outgoing = Outgoing {
            method: &request.method,
            path: &request.path,
            body: request.body.as_ref(),
            range: None,
        };
        if !changes_nothing {
            return self.send_once(&outgoing).await.map_err(|attempt| attempt.error);
        }
        self.retried(outgoing).await
    }

    async fn retried(&self, outgoing: Outgoing<'_>) -> Result<Answer, ApiError> {
        let backoff = ExponentialBuilder::default()
            .with_min_delay(retry::FIRST_DELAY)
            .with_max_delay(retry::LONGEST_DELAY)
            .with_max_times(retry::MAX_RETRIES)
            .with_jitter();
        (|| self.send_once(&outgoing))
            .retry(backoff)
            .sleep(crate::clock::sleep)
            .when(|attempt: &Attempt| attempt.retryable)
            .adjust(|attempt: &Attempt, planned| {
                planned.map(|planned| attempt.retry_after.unwrap_or(planned))
            })
            .await
            .map_err(|attempt| attempt.error)
    }

    async fn send_once(&self, outgoing: &Outgoing<'_>) -> Result<Answer, Attempt> {
        let token =
            self.token.as_ref().ok_or_else(|| Attempt::final_error(ApiError::NoCredentials))?;
        let url = self.url_of(outgoing.path).map_err(Attempt::final_error)?;
        let mut request = self
            .http
            .request(outgoing.method.clone(), url)
            .header(reqwest::header::ACCEPT, ACCEPT)
            .bearer_auth(token.expose_secret());
        if let Some(body) = outgoing.body {
            request = request.json(body);
        }
        if let Some(range) = outgoing.range {
            request = request.header(reqwest::header::RANGE, range);
        }
        self.budget.admit().await;
        let _in_flight = crate::clock::busy();
        let response = request.send().await.map_err(|error| {
            if error.is_timeout() {
                return Attempt::final_error(self.timed_out(outgoing.method, outgoing.path));
            }
            let reason = connection_reason(&error);
            let error = if error.is_connect() {
                ApiError::Unreachable { url: self.base_url.clone(), reason }
            } else {
                // Sent, maybe acted on, but not answered: a read may be sent again, a write never is.
                ApiError::Interrupted {
                    method: outgoing.method.to_string(),
                    path: outgoing.path.to_string(),
                    reason,
                }
            };
            Attempt { error, retry_after: None, retryable: true }
        })?;
        self.read_answer(outgoing.method, outgoing.path, response).await
    }

    /// The URL of `path`, checked to name exactly that path: no library may fold a segment away.
    fn url_of(&self, path: &ApiPath) -> Result<reqwest::Url, ApiError> {
        let text = format!("{}{}", self.base_url, path);
        let url = reqwest::Url::parse(&text).map_err(|error| ApiError::Unreachable {
            url: self.base_url.clone(),
            reason: error.to_string(),
        })?;
        let base_path = reqwest::Url::parse(&self.base_url)
            .map(|base| base.path().trim_end_matches('/').to_string())
            .unwrap_or_default();
        if url.path() != format!("{base_path}{path}") || url.query().is_some() {
            return Err(ApiError::PathChanged {
                path: path.to_string(),
                sent: url.path().to_string(),
            });
        }
        Ok(url)
    }

    fn timed_out(&self, method: &Method, path: &ApiPath) -> ApiError {
        ApiError::TimedOut {
            method: method.to_string(),
            path: path.to_string(),
            after: humantime::format_duration(self.timeout).to_string(),
        }
    }

    async fn read_answer(
        &self,
        method: &Method,
        path: &ApiPath,
        response: reqwest::Response,
    ) -> Result<Answer, Attempt> {
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if (300..400).contains(&status) {
            return Err(redirected(method, path, status, &headers));
        }
        if let Some(remaining) = header_text(&headers, "ratelimit-remaining")
            .and_then(|text| text.trim().parse::<u64>().ok())
        {
            self.budget.observe(remaining).await;
        }
        let request_id = header_text(&headers, "request-id");
        if let Some(request_id) = &request_id {
            self.request_ids
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(request_id.clone());
        }
        let bytes = self.body(method, path, response).await?;
        interpret(method, path, status, &headers, &bytes).map_err(|attempt| *attempt)
    }

    /// The whole body, read a chunk at a time and never more than `MAX_BODY` bytes; a connection
    /// that breaks mid-answer may be retried for a read, never for a write (the caller decides).
    async fn body(
        &self,
        method: &Method,
        path: &ApiPath,
        mut response: reqwest::Response,
    ) -> Result<Vec<u8>, Attempt> {
        let mut body = Vec::new();
        loop {
            let chunk = response.chunk().await.map_err(|error| {
                if error.is_timeout() {
                    return Attempt::final_error(self.timed_out(method, path));
                }
                Attempt {
                    error: ApiError::Interrupted {
                        method: method.to_string(),
                        path: path.to_string(),
                        reason: connection_reason(&error),
                    },
                    retry_after: None,
                    retryable: true,
                }
            })?;
            let Some(chunk) = chunk else {
                return Ok(body);
            };
            if body.len() + chunk.len() > MAX_BODY {
                return Err(Attempt::final_error(ApiError::TooLarge {
                    method: method.to_string(),
                    path: path.to_string(),
                    limit: format!("{} MiB", MAX_BODY / (1024 * 1024)),
                }));
            }
            body.extend_from_slice(&chunk);
        }
    }
}

/// A client builder for requests to `url` only. For plain HTTP (the simulator) it skips loading
/// the system's certificates, which costs a third of a short run.
pub fn builder_for(url: &str) -> reqwest::ClientBuilder {
    install_crypto_provider();
    let builder = reqwest::Client::builder()
        .user_agent(concat!("runbook/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none());
    if !url.starts_with("http://") {
        return builder;
    }
    builder.tls_backend_preconfigured(
        rustls::ClientConfig::builder()
            .with_root_certificates(rustls::RootCertStore::empty())
            .with_no_client_auth(),
    )
}

/// rustls with the ring provider, installed once for the process before the first client.
pub fn install_crypto_provider() {
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

fn decode<T: DeserializeOwned>(path: &ApiPath, body: Value) -> Result<T, ApiError> {
    serde_json::from_value(body).map_err(|error| ApiError::Decode {
        method: "GET".into(),
        path: path.to_string(),
        reason: error.to_string(),
    })
}

/// The innermost cause of a connection failure, which says the most (refused, timed out, DNS).
fn connection_reason(error: &reqwest::Error) -> String {
    let mut reason = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        reason = cause.to_string();
        source = cause.source();
    }
    reason
}

#[cfg(test)]
mod tests {
    //! The read-only guard is the last line of defence of a dry-run, so it is tested on its own,
    //! against the real simulator over real HTTP.

    use std::time::Duration;

    use super::*;
    use crate::sim::{self, SimOptions};

    async fn simulator() -> sim::Simulator {
        let options = SimOptions::rehearsal(Duration::from_millis(10));
        sim::start(&["guarded-app".to_string()], options, 0).await.expect("the simulator starts")
    }

    #[tokio::test]
    async fn a_read_only_client_refuses_every_write_before_it_leaves_the_machine() {
        let simulator = simulator().await;
        let token = Some(SecretString::from("test-key"));
        let client = Client::new(&simulator.url, token, Access::ReadOnly, DEFAULT_TIMEOUT).unwrap();
        let app = crate::identifiers::AppName::parse("guarded-app").unwrap();
        for method in [Method::DELETE, Method::POST, Method::PATCH, Method::PUT] {
            let request = Request::new(method.clone(), ApiPath::app(&app).then("dynos"));
            let error = client.request(&request).await.unwrap_err();
            assert!(matches!(error, ApiError::RefusedInDryRun { .. }), "{method}: {error}");
        }
        assert!(simulator.request_log().requests().is_empty());
        let info: crate::heroku::types::App = client.get(&ApiPath::app(&app)).await.unwrap();
        assert_eq!(info.name, "guarded-app");
        let logs = client
            .request(&Request::new(Method::POST, ApiPath::app(&app).then("log-sessions")))
            .await;
        assert!(logs.is_ok(), "opening a log session changes nothing: {logs:?}");
        assert_eq!(simulator.request_log().requests().len(), 2);
    }

    #[test]
    fn debug_output_never_shows_the_token() {
        let token = Some(SecretString::from("very-secret-token"));
        let client =
            Client::new("http://127.0.0.1:1", token, Access::ReadWrite, DEFAULT_TIMEOUT).unwrap();
        let shown = format!("{client:?}");
        assert!(!shown.contains("very-secret-token"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");
    }
}
