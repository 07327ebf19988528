//! Running the runbook a `run:` step names: the same run (target, effects, gates, journal), its
//! params from the step's `with:`, its steps shown as `[run N/M]`.

use std::sync::Arc;

use serde_json::Value;

use super::evaluate::Evaluator;
use super::failure::{RunEnd, StepFailure};
use super::run::Run;
use super::{rhai_run, steps};
use crate::runbook::Body;
use crate::runbook::Runbook;
use crate::runbook::param_value_matches;

pub fn run_callee(
    run: &Arc<Run>,
    callee: &Runbook,
    given: Vec<(String, Value)>,
) -> Result<(Value, Option<String>), StepFailure> {
    let mut names = vec![(crate::runbook::REHEARSAL.to_string(), Value::Bool(run.rehearsal))];
    if let Some(target) = &run.target {
        names.push(("app".to_string(), Value::String(target.app.to_string())));
        names.push(("env".to_string(), Value::String(target.name.clone())));
    }
    names.extend(params(callee, given)?);
    let end = match &callee.body {
        Body::Steps(steps) => {
            let engine = crate::script::sandboxed(Arc::clone(&callee.modules));
            let evaluator = Evaluator::new(
                engine,
                &names,
                run.interrupt.clone(),
                std::sync::Arc::clone(&run.budget),
            );
            steps::run_nested(run, steps, &callee.finally, &evaluator)
        }
        Body::Script(ast) => {
            let file = callee.source.display_path();
            rhai_run::run_script(Arc::clone(run), ast, &names, &file)
        }
    };
    match end {
        RunEnd::Succeeded => Ok((Value::Null, Some(format!("ran `{}`", callee.name)))),
        RunEnd::Failed { error, hint, access_problem } => Err(StepFailure::Operation {
            message: format!("`{}` failed: {error}", callee.name),
            hint,
            access_problem,
            maybe_sent: false,
        }),
        RunEnd::NotConfirmed(refusal) => Err(StepFailure::NotConfirmed(refusal)),
        RunEnd::Aborted => Err(StepFailure::Aborted),
        RunEnd::Interrupted => Err(StepFailure::Interrupted),
    }
}

/// The callee's params: given values checked, defaults filled in.
fn params(
    callee: &Runbook,
    given: Vec<(String, Value)>,
) -> Result<Vec<(String, Value)>, StepFailure> {
    callee
        .params
        .iter()
        .map(|param| {
            let name = &param.name.value;
            let value = given
                .iter()
                .find(|(given_name, value)| given_name == name && !value.is_null())
                .map(|(_, value)| value.clone());
            let value = match (value, &param.default) {
                (Some(value), _) => {
                    param_value_matches(param, &value).map_err(|problem| {
                        StepFailure::failed(format!(
                            "param `{name}` of `{}` {problem}",
                            callee.name
                        ))
                    })?;
                    value
                }
                (None, Some(default)) => default.clone(),
                (None, None) if param.required => {
                    return Err(StepFailure::failed(format!(
                        "`{}` needs the param `{name}`",
                        callee.name
                    )));
                }
                (None, None) => Value::Null,
            };
            Ok((name.clone(), value))
        })
        .collect()
}
