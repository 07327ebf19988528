//! Uploads to storage URLs that Heroku hands out (a source's `put_url`): signed URLs that need no
//! credentials, so the API token is never sent there.

use super::error::ApiError;

/// How long an upload of a source may take.
const UPLOAD_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15 * 60);

pub async fn put(url: &str, bytes: Vec<u8>) -> Result<(), ApiError> {
    let unreachable = |error: reqwest::Error| ApiError::Unreachable {
        url: url.to_string(),
        reason: error.to_string(),
    };
    let response = super::client::builder_for(url)
        .timeout(UPLOAD_TIMEOUT)
        .build()
        .map_err(unreachable)?
        .put(url)
        .body(bytes)
        .send()
        .await
        .map_err(unreachable)?;
    if response.status().is_success() {
        return Ok(());
    }
    Err(ApiError::Api {
        status: response.status().as_u16(),
        id: "upload_failed".into(),
        message: format!("the upload of the source answered {}", response.status()),
        url: None,
        request_id: None,
    })
}
