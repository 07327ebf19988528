//! The simulator's HTTP surface: Heroku's paths, status codes, error bodies and headers, over the
//! simulated world. One file per resource; this one is the route table.

mod account;
mod apps;
mod builds;
mod collaborators;
mod contract;
mod control;
mod dynos;
mod features;
mod logs;
mod middleware;
mod one_off;
mod paging;
mod pipelines;
mod releases;
mod respond;
mod web;

use axum::Router;
use axum::middleware as layer;
use axum::routing::{delete, get, post, put};

use super::world::SharedState;

/// The largest source tarball the simulator takes (Heroku's slug limit is 500 MB).
const MAX_SOURCE_BYTES: usize = 512 * 1024 * 1024;

pub fn router(state: SharedState) -> Router {
    // The paths that serve three methods, or two with long names, named to keep one route a line.
    let collaborator = get(collaborators::info).delete(collaborators::delete);
    let app_dynos = get(dynos::list).delete(dynos::restart_all).post(one_off::create);
    let formation_entry = get(dynos::formation_info).patch(dynos::formation_update);
    let addon = get(apps::addon_info).patch(apps::addon_update).delete(apps::addon_delete);
    let api = Router::new()
        .route("/account", get(account::account))
        .route("/account/rate-limits", get(account::rate_limits))
        .route("/apps", get(apps::list).post(apps::create))
        .route("/users/{account}/apps", get(apps::list))
        .route("/addon-attachments", get(account::all_attachments))
        .route("/filters/apps", post(account::filter_apps))
        .route("/apps/{app}", get(apps::info).patch(apps::update).delete(apps::delete))
        .route("/apps/{app}/collaborators", get(collaborators::list).post(collaborators::create))
        .route("/apps/{app}/collaborators/{collaborator}", collaborator)
        .route("/apps/{app}/features", get(features::list))
        .route("/apps/{app}/features/{feature}", get(features::info).patch(features::update))
        .route("/apps/{app}/addon-attachments", get(account::app_attachments))
        .route("/apps/{app}/dynos", app_dynos)
        .route("/apps/{app}/dynos/{dyno}", get(dynos::info).delete(dynos::restart_dyno))
        .route("/apps/{app}/dynos/{dyno}/actions/stop", post(dynos::stop_dyno))
        .route("/apps/{app}/formations/{process_type}", delete(dynos::restart_formation))
        .route("/apps/{app}/formations/{process_type}/actions/stop", post(dynos::stop_formation))
        .route("/apps/{app}/formation", get(dynos::formation_list).patch(dynos::scale))
        .route("/apps/{app}/formation/{process_type}", formation_entry)
        .route("/apps/{app}/config-vars", get(apps::config_vars).patch(apps::set_config))
        .route("/apps/{app}/addons", get(apps::addons).post(apps::addon_create))
        .route("/apps/{app}/addons/{addon}", addon)
        .route("/apps/{app}/releases", get(releases::list).post(releases::rollback))
        .route("/apps/{app}/releases/{release}", get(releases::info))
        .route("/apps/{app}/releases/{release}/config-vars", get(releases::config_vars))
        .route("/apps/{app}/log-sessions", post(logs::create))
        .route("/apps/{app}/builds", get(builds::list).post(builds::create_build))
        .route("/apps/{app}/builds/{id}", get(builds::build_info))
        .route("/sources", post(builds::create_source))
        .route("/apps/{app}/pipeline-couplings", get(pipelines::by_app))
        .route("/pipelines/{id}/pipeline-couplings", get(pipelines::by_pipeline))
        .route("/pipeline-promotions", post(pipelines::promote))
        .route("/pipeline-promotions/{id}", get(pipelines::info))
        .route("/pipeline-promotions/{id}/promotion-targets", get(pipelines::targets))
        .fallback(respond::unknown_endpoint)
        .layer(layer::from_fn_with_state(state.clone(), middleware::handle));
    Router::new()
        .route(control::REQUEST_LOG_PATH, get(control::request_log))
        .route(control::STATS_PATH, get(control::stats))
        .route("/__sim/log-streams/{id}", get(logs::stream))
        .route("/__sim/web/{app}/", get(web::home))
        .route("/__sim/web/{app}/{*path}", get(web::page))
        .route("/__sim/rendezvous-certificate", get(control::rendezvous_certificate))
        .route("/__sim/rendezvous-certificate.pem", get(control::rendezvous_certificate_pem))
        .route(
            "/__sim/sources/{id}",
            put(builds::upload_source)
                .layer(axum::extract::DefaultBodyLimit::max(MAX_SOURCE_BYTES)),
        )
        .route("/__sim/builds/{id}/output", get(builds::build_output))
        .merge(api)
        .with_state(state)
}
