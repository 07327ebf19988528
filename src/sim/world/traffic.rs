//! Simulated traffic: the router and app lines an app writes while it runs, healthy or not, so
//! that the logs tell what state the app is in now.

use super::logs::{router_error, router_line};
use super::scenario::SLOW_UNTIL_WEB;
use super::state::SimApp;
use crate::heroku::types::DynoState;

/// Lines of traffic written each time somebody opens a log session.
pub const LIVE_LINES: usize = 200;

const PATHS: &[&str] = &["/", "/api/orders", "/api/products", "/api/cart", "/health"];

/// Writes `count` lines of traffic that reflect the app's state now.
pub fn record(app: &mut SimApp, count: usize) {
    let name = app.app.name.clone();
    let web_dynos: Vec<String> = app
        .dynos
        .iter()
        .filter(|dyno| dyno.dyno.process_type == "web")
        .map(|dyno| dyno.dyno.name.clone())
        .collect();
    let crashed = app.dynos.iter().any(|dyno| {
        dyno.dyno.process_type == "web"
            && dyno.dyno.state == DynoState::Crashed
            && dyno.restarted_at.is_none()
    });
    let web_quantity = app
        .formation
        .iter()
        .find(|entry| entry.process_type == "web")
        .map_or(0, |entry| entry.quantity);
    let slow = app.slow && web_quantity < SLOW_UNTIL_WEB;
    let failing = app.bad_release.is_some_and(|bad| {
        app.releases
            .first()
            .is_some_and(|current| current.version == bad)
    });
    for number in 0..count {
        let path = PATHS[number % PATHS.len()];
        let dyno = web_dynos
            .get(number % web_dynos.len().max(1))
            .cloned()
            .unwrap_or_else(|| "web.1".into());
        if web_dynos.is_empty() {
            app.logs.write(
                "heroku",
                "router",
                &router_error(&name, "H14", "No web dynos running", path, "", 0),
            );
        } else if crashed {
            app.logs.write(
                "heroku",
                "router",
                &router_error(&name, "H10", "App crashed", path, &dyno, 0),
            );
        } else if slow && number % 3 == 0 {
            app.logs.write(
                "heroku",
                "router",
                &router_error(&name, "H12", "Request timeout", path, &dyno, 30000),
            );
        } else if failing && number % 2 == 0 {
            app.logs.write(
                "app",
                &dyno,
                &format!("ERROR Internal Server Error: {path} (KeyError: 'currency')"),
            );
            app.logs.write(
                "heroku",
                "router",
                &router_line(&name, "GET", path, 500, 85, &dyno),
            );
        } else {
            app.logs.write(
                "heroku",
                "router",
                &router_line(&name, "GET", path, 200, 20 + (number as u64 % 40), &dyno),
            );
        }
    }
}
