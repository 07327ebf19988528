//! An incident set up on the simulated world: a scenario's crashed dynos, slow app, bad release
//! and faults, applied to every app.

use super::faults::Fault;
use super::releases::add_release;
use super::scenario::Scenario;
use super::state::SimState;
use crate::heroku::types::DynoState;

/// Sets `scenario` up on every app; a fault that does not parse is an error.
pub fn apply(scenario: &Scenario, state: &mut SimState) -> Result<(), String> {
    let mut faults = Vec::new();
    for app in &mut state.apps {
        for dyno in &mut app.dynos {
            if let Some(wanted) = scenario.dynos.get(&dyno.dyno.process_type) {
                dyno.dyno.state = DynoState::parse(wanted);
                dyno.restarted_at = None;
            }
        }
        app.slow = scenario.slow;
        app.crashing.clone_from(&scenario.boot_crashes);
        if let Some(description) = &scenario.bad_release {
            let release = add_release(app, description, None);
            app.bad_release = Some(release.version);
        }
        for fault in &scenario.faults {
            faults.push(Fault::parse(&fault.replace("{app}", &app.app.name))?);
        }
        super::traffic::record(app, super::traffic::LIVE_LINES);
    }
    state.faults.extend(faults);
    Ok(())
}
