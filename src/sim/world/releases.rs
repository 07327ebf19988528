//! Releases as the simulated world makes them: a deploy, a promotion, a rollback or a config
//! change each adds a new current release.

use super::ids::{now, uuid};
use super::state::SimApp;
use crate::heroku::types::{Account, Identity, Release};

/// Adds a new current release; a rollback keeps the slug of the release it restores.
pub fn add_release(app: &mut SimApp, description: &str, slug: Option<Identity>) -> Release {
    let version = app.releases.first().map_or(1, |newest| newest.version + 1);
    let slug = slug.or_else(|| app.releases.first().and_then(|newest| newest.slug.clone()));
    for release in &mut app.releases {
        release.current = false;
    }
    let release = Release {
        id: uuid(),
        version,
        description: description.to_string(),
        status: "succeeded".into(),
        current: true,
        created_at: Some(now()),
        slug,
        user: Some(Account { id: uuid(), email: "you@lazona.example".into() }),
        eligible_for_rollback: true,
        addon_plan_names: app.addons.iter().map(|addon| addon.plan.name.clone()).collect(),
        output_stream_url: None,
    };
    app.releases.insert(0, release.clone());
    app.app.released_at = release.created_at.clone();
    // On Heroku a new release restarts every dyno on it.
    for dyno in &mut app.dynos {
        dyno.dyno.release = Some(crate::heroku::types::ReleaseReference {
            id: release.id.clone(),
            version: release.version,
        });
        dyno.restart();
    }
    release
}
