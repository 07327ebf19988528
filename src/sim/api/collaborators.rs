//! An app's collaborators: its owner, and the people added to it (`heroku access:add`).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{Value, json};

use super::account::{DEFAULT_EMAIL, id_of};
use super::respond::{AppItem, NamedApp, error};
use crate::sim::world::SimApp;

/// The owner's email.
fn owner(app: &SimApp) -> String {
    app.app.owner.as_ref().map_or(DEFAULT_EMAIL.to_string(), |owner| owner.email.clone())
}

/// One collaborator of `app`, as Heroku describes it.
fn collaborator(app: &SimApp, email: &str, role: &str) -> Value {
    json!({
        "id": id_of(&format!("{}/{email}", app.app.id)),
        "app": { "id": app.app.id, "name": app.app.name },
        "user": { "id": id_of(email), "email": email, "federated": false },
        "role": role,
        "permissions": [],
        "created_at": app.app.created_at,
        "updated_at": app.app.updated_at,
    })
}

fn everyone(app: &SimApp) -> Vec<Value> {
    let owner = owner(app);
    std::iter::once(collaborator(app, &owner, "owner"))
        .chain(app.collaborators.iter().map(|email| collaborator(app, email, "collaborator")))
        .collect()
}

/// `GET /apps/{app}/collaborators`: the owner, then the people added.
pub async fn list(named: NamedApp) -> Response {
    named.with(|app, _| Json(everyone(app)).into_response())
}

/// `GET /apps/{app}/collaborators/{email or id}`
pub async fn info(AppItem(named, wanted): AppItem) -> Response {
    named.with(|app, _| {
        match everyone(app)
            .into_iter()
            .find(|one| one["user"]["email"] == wanted.as_str() || one["id"] == wanted.as_str())
        {
            Some(found) => Json(found).into_response(),
            None => not_found(),
        }
    })
}

#[derive(Debug, Deserialize)]
pub struct CollaboratorCreate {
    user: String,
    #[serde(default)]
    #[allow(dead_code, reason = "accepted as Heroku accepts it; the simulator sends no mail")]
    silent: Option<bool>,
}

/// `POST /apps/{app}/collaborators {"user": "ada@example.com"}`
pub async fn create(named: NamedApp, Json(request): Json<CollaboratorCreate>) -> Response {
    named.with(|app, _| {
        let email = request.user.trim().to_lowercase();
        if !email.contains('@') {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "User must be an email address.",
            );
        }
        if email == owner(app) || app.collaborators.contains(&email) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "User is already a collaborator on app.",
            );
        }
        app.collaborators.push(email.clone());
        let added = collaborator(app, &email, "collaborator");
        (StatusCode::CREATED, Json(added)).into_response()
    })
}

/// `DELETE /apps/{app}/collaborators/{email or id}`: the owner cannot be removed.
pub async fn delete(AppItem(named, wanted): AppItem) -> Response {
    named.with(|app, _| {
        let Some(found) = everyone(app)
            .into_iter()
            .find(|one| one["user"]["email"] == wanted.as_str() || one["id"] == wanted.as_str())
        else {
            return not_found();
        };
        if found["role"] == "owner" {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_params",
                "The owner of an app cannot be removed from it.",
            );
        }
        let email = found["user"]["email"].as_str().unwrap_or_default().to_string();
        app.collaborators.retain(|one| *one != email);
        Json(found).into_response()
    })
}

fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "Couldn't find that collaborator.")
}
