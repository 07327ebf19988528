//! An incident set up on the simulated world: a scenario's bad release, crashed dynos, slow app
//! and faults, applied to the apps it is meant for (the rehearsal's app, or those it names).

use super::faults::Fault;
use super::releases::add_release;
use super::scenario::Scenario;
use super::state::SimState;
use crate::heroku::types::DynoState;

/// Sets `scenario` up on the apps named in `only` (every app when it is empty); a fault that
/// does not parse is an error.
pub fn apply(scenario: &Scenario, state: &mut SimState, only: &[String]) -> Result<(), String> {
    let mut faults = Vec::new();
    let meant = |name: &str| only.is_empty() || only.iter().any(|wanted| wanted == name);
    for app in state.apps.iter_mut().filter(|app| meant(&app.app.name)) {
        // The bad release first: a release restarts every dyno, and the scenario's states win.
        if let Some(description) = &scenario.bad_release {
            let release = add_release(app, description, None);
            app.bad_release = Some(release.version);
        }
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
