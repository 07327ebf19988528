//! An incident set up on the simulated world: a scenario's bad release, crashed dynos, slow app
//! and faults, applied to the apps it is meant for (the rehearsal's app, or those it names).

use super::faults::Fault;
use super::ids::uuid;
use super::releases::add_release;
use super::scenario::{Scenario, ScenarioError};
use super::state::SimState;
use crate::heroku::types::{DynoState, Identity};

/// How long before the rehearsal a scenario's bad release went out.
const BAD_RELEASE_AGE: std::time::Duration = std::time::Duration::from_secs(180);

/// Sets `scenario` up on the apps named in `only` (every app when it is empty); a fault that
/// does not parse is an error.
pub fn apply(
    scenario: &Scenario,
    state: &mut SimState,
    only: &[String],
) -> Result<(), ScenarioError> {
    let mut faults = Vec::new();
    let meant = |name: &str| only.is_empty() || only.iter().any(|wanted| wanted == name);
    for app in state.apps.iter_mut().filter(|app| meant(&app.app.name)) {
        // The bad release first: a release restarts every dyno, and the scenario's states win.
        for (process_type, quantity) in &scenario.formation {
            app.scale(process_type, *quantity, None);
            for dyno in &mut app.dynos {
                dyno.restarted_at = None;
                dyno.dyno.state = DynoState::Up;
            }
        }
        if let Some(description) = &scenario.bad_release {
            let slug = Identity { id: uuid() };
            app.bad_slugs.push(slug.id.clone());
            add_release(app, description, Some(slug));
            // The bad release went out a few minutes before the incident is rehearsed: its
            // dynos are up, serving its errors.
            for dyno in &mut app.dynos {
                dyno.restarted_at = None;
                dyno.dyno.state = DynoState::Up;
                dyno.dyno.updated_at = Some(super::ids::ago(BAD_RELEASE_AGE));
            }
        }
        app.next_deploy_bad = scenario.bad_deploy;
        app.slow_until = slow_until(scenario)?;
        for dyno in &mut app.dynos {
            if let Some(wanted) = scenario.dynos.get(&dyno.dyno.process_type) {
                dyno.dyno.state = DynoState::parse(wanted);
                dyno.restarted_at = None;
            }
        }
        app.slow = scenario.slow;
        app.crashing.clone_from(&scenario.boot_crashes);
        for fault in &scenario.faults {
            faults.push(Fault::parse(&fault.replace("{app}", &app.app.name))?);
        }
        super::traffic::record(app, super::traffic::LIVE_LINES);
    }
    state.faults.extend(faults);
    state.changed_since.get_or_insert_with(super::ids::now);
    Ok(())
}

/// When a scenario's `slow_for` ends, from now.
fn slow_until(scenario: &Scenario) -> Result<Option<std::time::SystemTime>, ScenarioError> {
    let Some(text) = &scenario.slow_for else {
        return Ok(None);
    };
    let length = crate::duration::parse_wait(text).map_err(ScenarioError::SlowFor)?;
    Ok(Some(crate::clock::system_now() + length))
}
