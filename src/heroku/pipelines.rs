//! Pipelines: which stage an app is at, and promotions from one stage to the next.

use reqwest::Method;
use serde::Deserialize;
use serde_json::{Value, json};

use super::client::Client;
use super::error::ApiError;
use super::path::ApiPath;
use super::request::Request;
use super::types::{Identity, NamedReference};
use crate::identifiers::{AppName, ResourceId};

#[derive(Debug, Clone, Deserialize)]
pub struct Coupling {
    pub app: NamedReference,
    pub pipeline: NamedReference,
    pub stage: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PromotionTarget {
    pub status: String,
    pub release: Option<Identity>,
    pub error_message: Option<String>,
}

pub async fn coupling(client: &Client, app: &AppName) -> Result<Coupling, ApiError> {
    client.get(&ApiPath::app(app).then("pipeline-couplings")).await
}

pub async fn couplings(client: &Client, pipeline: &ResourceId) -> Result<Vec<Coupling>, ApiError> {
    let path = ApiPath::root("pipelines").id(pipeline).then("pipeline-couplings");
    client.list(&path).await
}

/// `POST /pipeline-promotions`: the source app's current release to each target.
pub fn promote_request(pipeline: &ResourceId, source_app: &str, targets: &[&str]) -> Request {
    let targets: Vec<Value> = targets.iter().map(|id| json!({ "app": { "id": id } })).collect();
    let body = json!({
        "pipeline": { "id": pipeline.as_str() },
        "source": { "app": { "id": source_app } },
        "targets": targets,
    });
    Request::new(Method::POST, ApiPath::root("pipeline-promotions")).with_body(body)
}

pub async fn targets(
    client: &Client,
    promotion: &ResourceId,
) -> Result<Vec<PromotionTarget>, ApiError> {
    let path = ApiPath::root("pipeline-promotions").id(promotion).then("promotion-targets");
    client.list(&path).await
}
