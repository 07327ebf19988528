//! Where each step id of a YAML runbook lives, so that a result used where it does not exist is
//! explained: a later step, a recovery step that only runs on failure, or a `finally:` step.

use std::collections::{HashMap, HashSet};

use super::model::{Runbook, Step};

/// The list a step sits in.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    Main,
    /// In the `on_failure:` list of the step with this name.
    Recovery(String),
    Finally,
}

/// Every step id of a runbook with the list it sits in.
pub struct StepPlaces {
    places: HashMap<String, Place>,
}

impl StepPlaces {
    pub fn of(runbook: &Runbook, main: &[Step]) -> Self {
        let mut places = HashMap::new();
        collect(main, &Place::Main, &mut places);
        collect(&runbook.finally, &Place::Finally, &mut places);
        Self { places }
    }

    /// Why `name`, a step id not in scope, cannot be used here; `None` when no step has that id.
    /// `seen` holds the ids checked so far, `in_finally` whether the user is a `finally:` step.
    pub fn explain(
        &self,
        name: &str,
        seen: &HashSet<String>,
        in_finally: bool,
    ) -> Option<Unavailable> {
        let place = self.places.get(name)?;
        let explanation = match place {
            Place::Recovery(failing) if seen.contains(name) => Unavailable {
                message: format!("`{name}` is the result of a recovery step"),
                label: format!("step `{name}` only runs when `{failing}` fails"),
                hint: "use it inside the same `on_failure:` list, after that step".to_string(),
            },
            Place::Finally if !in_finally => Unavailable {
                message: format!("`{name}` is the result of a `finally:` step"),
                label: "`finally:` steps run after all the others".to_string(),
                hint: "use it in a later `finally:` step, or move the step into `steps:`".to_string(),
            },
            Place::Main | Place::Recovery(_) if in_finally => Unavailable {
                message: format!("`{name}` is the result of a step that may not have run"),
                label: "`finally:` steps do not see the results of other steps".to_string(),
                hint: "`finally:` runs whatever happened, even when no step ran; use params, `app` and `env`".to_string(),
            },
            _ => Unavailable {
                message: format!("`{name}` is the result of a later step"),
                label: format!("step `{name}` runs after this one"),
                hint: format!("move this after the step with `id: {name}`, or that step before this one"),
            },
        };
        Some(explanation)
    }
}

/// What a diagnostic says about a result that does not exist where it is used.
pub struct Unavailable {
    pub message: String,
    pub label: String,
    pub hint: String,
}

fn collect(steps: &[Step], place: &Place, places: &mut HashMap<String, Place>) {
    for step in steps {
        if let Some(id) = &step.id {
            places.entry(id.value.clone()).or_insert_with(|| place.clone());
        }
        collect(&step.control.on_failure, &Place::Recovery(step.name.clone()), places);
    }
}
