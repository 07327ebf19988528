//! Simulated traffic: the router and app lines an app writes while it runs, healthy or not, so
//! that the logs tell what state the app is in now.

use super::logs::{router_error, router_line};
use super::state::SimApp;
use crate::heroku::types::DynoState;

/// Lines of traffic written each time somebody opens a log session.
pub const LIVE_LINES: usize = 200;

const PATHS: &[&str] = &["/", "/api/orders", "/api/products", "/api/cart", "/health"];

/// What the traffic of an app looks like now.
struct Health {
    web_dynos: Vec<String>,
    crashed: bool,
    slow: bool,
    failing: bool,
}

/// Writes `count` lines of traffic that reflect the app's state now.
pub fn record(app: &mut SimApp, count: usize) {
    let name = app.app.name.clone();
    let health = health(app);
    for number in 0..count {
        write_request(app, &name, &health, number);
    }
}

fn health(app: &SimApp) -> Health {
    let web = || app.dynos.iter().filter(|dyno| dyno.dyno.process_type == "web");
    // The router sends requests to the web dynos that are up; with none up and some crashed,
    // every request gets H10.
    let up: Vec<String> = web()
        .filter(|dyno| dyno.dyno.state == DynoState::Up && dyno.restarted_at.is_none())
        .map(|dyno| dyno.dyno.name.clone())
        .collect();
    let crashed = up.is_empty()
        && web().any(|dyno| dyno.dyno.state == DynoState::Crashed && dyno.restarted_at.is_none());
    let web_dynos =
        if up.is_empty() { web().map(|dyno| dyno.dyno.name.clone()).collect() } else { up };
    Health { web_dynos, crashed, slow: app.slow_now(), failing: app.failing() }
}

/// The log lines of the `number`th request of a burst.
fn write_request(app: &mut SimApp, name: &str, health: &Health, number: usize) {
    let path = PATHS[number % PATHS.len()];
    let dyno = health
        .web_dynos
        .get(number % health.web_dynos.len().max(1))
        .cloned()
        .unwrap_or_else(|| "web.1".into());
    let router = if health.web_dynos.is_empty() {
        router_error(name, "H14", "No web dynos running", path, "", 0)
    } else if health.crashed {
        router_error(name, "H10", "App crashed", path, &dyno, 0)
    } else if health.slow && number.is_multiple_of(3) {
        router_error(name, "H12", "Request timeout", path, &dyno, 30000)
    } else if health.failing && number.is_multiple_of(2) {
        app.logs.write(
            "app",
            &dyno,
            &format!("ERROR Internal Server Error: {path} (KeyError: 'currency')"),
        );
        router_line(name, "GET", path, 500, 85, &dyno)
    } else {
        router_line(name, "GET", path, 200, 20 + (number as u64 % 40), &dyno)
    };
    app.logs.write("heroku", "router", &router);
}
