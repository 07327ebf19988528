//! What `--app` names, wherever it is given (`note`, `report`, `history`, `team policy`): an
//! environment's name stands for its app, an app of `environments.yaml` for itself; anything else
//! is refused with the apps there are, never silently kept (a note about `production` would
//! otherwise never appear in the app's report).

use super::failure::Failure;
use crate::identifiers::AppName;
use crate::runbook::Library;
use crate::settings::Settings;

/// The app `given` names.
pub fn resolve(settings: &Settings, given: &str) -> Result<String, Failure> {
    let Ok(library) = Library::open(settings.directory.as_deref()) else {
        return AppName::parse(given)
            .map(|app| app.to_string())
            .map_err(|error| Failure::usage(error.to_string(), "--app takes a Heroku app's name"));
    };
    let environments = &library.environments;
    if let Some(environment) = environments.get(given) {
        return Ok(environment.app.to_string());
    }
    if environments.entries.iter().any(|environment| environment.app.as_str() == given) {
        return Ok(given.to_string());
    }
    let known: Vec<String> = environments
        .entries
        .iter()
        .map(|environment| format!("{} ({})", environment.app, environment.name.value))
        .collect();
    Err(Failure::usage(
        format!("`{given}` is neither an app nor an environment of environments.yaml"),
        if known.is_empty() {
            "environments.yaml names no app".to_string()
        } else {
            format!("the apps are: {}", known.join(", "))
        },
    ))
}
