//! Pipelines: which stage an app is at, and promotions from one stage to the next.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::apps::path as app_path;
use super::client::Client;
use super::error::ApiError;
use super::types::{Identity, NamedReference};

#[derive(Debug, Clone, Deserialize)]
pub struct Coupling {
    pub app: NamedReference,
    pub pipeline: NamedReference,
    pub stage: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PromotionTarget {
    pub status: String,
    #[serde(default)]
    pub release: Option<Identity>,
    #[serde(default)]
    pub error_message: Option<String>,
}

pub async fn coupling(client: &Client, app: &str) -> Result<Coupling, ApiError> {
    client
        .get(&format!("{}/pipeline-couplings", app_path(app)))
        .await
}

pub async fn couplings(client: &Client, pipeline: &str) -> Result<Vec<Coupling>, ApiError> {
    client
        .list(&format!("/pipelines/{pipeline}/pipeline-couplings"))
        .await
}

/// `POST /pipeline-promotions`: the source app's current release to each target.
pub fn promote_request(
    pipeline: &str,
    source_app: &str,
    targets: &[&str],
) -> (Method, String, Value) {
    let targets: Vec<Value> = targets
        .iter()
        .map(|id| json!({ "app": { "id": id } }))
        .collect();
    let body = json!({ "pipeline": { "id": pipeline }, "source": { "app": { "id": source_app } }, "targets": targets });
    (Method::POST, "/pipeline-promotions".to_string(), body)
}

pub async fn targets(client: &Client, promotion: &str) -> Result<Vec<PromotionTarget>, ApiError> {
    client
        .list(&format!(
            "/pipeline-promotions/{promotion}/promotion-targets"
        ))
        .await
}
