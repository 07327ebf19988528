//! The account a token belongs to (`GET /account`), the apps' collaborators, the add-on
//! attachments and the apps filter: what the Heroku CLI asks before and beside its commands.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::paging::page;
use super::respond::NamedApp;
use crate::heroku::types::{AddonAttachment, AttachedAddon, NamedReference};
use crate::sim::world::{SharedState, SimApp, lock};

/// The email of an account the simulator was not told of (`sim serve --account TOKEN=EMAIL`).
pub const DEFAULT_EMAIL: &str = "you@lazona.example";

/// `GET /account`, also what the CLI asks particleboard (`HEROKU_PARTICLEBOARD_URL`).
pub async fn account(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let token = super::middleware::api_key(&headers).unwrap_or_default();
    let email = lock(&state)
        .options
        .accounts
        .iter()
        .find(|(known, _)| *known == token)
        .map_or(DEFAULT_EMAIL.to_string(), |(_, email)| email.clone());
    Json(account_of(&email)).into_response()
}

/// An account as Heroku describes it; its id is the same for the same email.
fn account_of(email: &str) -> Value {
    let name = email.split('@').next().unwrap_or(email);
    json!({
        "id": id_of(email),
        "email": email,
        "name": name,
        "allow_tracking": false,
        "beta": false,
        "verified": true,
        "federated": false,
        "two_factor_authentication": true,
        "default_organization": null,
        "default_team": null,
        "delinquent_at": null,
        "suspended_at": null,
        "created_at": "2019-03-14T09:00:00Z",
        "updated_at": crate::sim::world::now(),
        "last_login": crate::sim::world::now(),
    })
}

/// A UUID-shaped id made from `text`, stable across starts.
pub fn id_of(text: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().take(16).map(|byte| format!("{byte:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// `GET /account/rate-limits`: the requests left of the caller's budget.
pub async fn rate_limits(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let token = super::middleware::api_key(&headers).unwrap_or_default();
    let state = lock(&state);
    let remaining = state
        .budgets
        .get(&token)
        .map_or(state.options.rate_limit.capacity, |(left, _)| left.floor() as u64);
    Json(json!({ "remaining": remaining })).into_response()
}

/// The attachments of an app's add-ons, each under its service's name (`PAPERTRAIL`).
fn attachments_of(app: &SimApp) -> Vec<AddonAttachment> {
    let reference = NamedReference { id: app.app.id.clone(), name: app.app.name.clone() };
    app.addons
        .iter()
        .map(|addon| AddonAttachment {
            id: id_of(&format!("attachment/{}", addon.id)),
            name: addon.addon_service.name.to_uppercase(),
            addon: AttachedAddon {
                id: addon.id.clone(),
                name: addon.name.clone(),
                app: reference.clone(),
            },
            app: reference.clone(),
            web_url: addon.web_url.clone(),
        })
        .collect()
}

fn page_attachments(
    attachments: &[AddonAttachment],
    headers: &HeaderMap,
    page_size: usize,
) -> Response {
    page(
        attachments,
        |attachment, field| match field {
            "name" => attachment.name.clone(),
            _ => attachment.id.clone(),
        },
        headers,
        page_size,
    )
}

/// `GET /addon-attachments`: every attachment the account can see, paged.
pub async fn all_attachments(State(state): State<SharedState>, headers: HeaderMap) -> Response {
    let state = lock(&state);
    let attachments: Vec<AddonAttachment> = state.apps.iter().flat_map(attachments_of).collect();
    page_attachments(&attachments, &headers, state.options.page_size)
}

/// `GET /apps/{app}/addon-attachments`
pub async fn app_attachments(named: NamedApp, headers: HeaderMap) -> Response {
    named.with(|app, options| page_attachments(&attachments_of(app), &headers, options.page_size))
}

#[derive(Debug, Deserialize)]
pub struct AppFilter {
    #[serde(rename = "in")]
    within: FilterIds,
}

#[derive(Debug, Deserialize)]
pub struct FilterIds {
    id: Vec<String>,
}

/// `POST /filters/apps {"in": {"id": [...]}}`: the apps among those ids.
pub async fn filter_apps(
    State(state): State<SharedState>,
    Json(filter): Json<AppFilter>,
) -> Response {
    let state = lock(&state);
    let apps: Vec<_> = state
        .apps
        .iter()
        .filter(|app| filter.within.id.contains(&app.app.id))
        .map(|app| app.app.clone())
        .collect();
    Json(apps).into_response()
}
