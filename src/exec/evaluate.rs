//! Evaluates `${...}`, `when:`, `for_each:` and `script:` with params, `app`, `env` and earlier
//! results in scope; scripts stop at their step's timeout or at Ctrl-C.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use rhai::{Dynamic, Engine, EvalAltResult, Scope};
use serde_json::Value;

use super::failure::{EvaluationError, StepFailure};
use crate::interrupt::Interrupt;
use crate::ops::ArgumentValues;
use crate::runbook::FOR_EACH_ITEM;
use crate::runbook::{Argument, ArgumentValue};
use crate::runbook::{Part, Template};
use crate::script::Budget;
use crate::script::value;

/// The Rhai scope of a YAML run, growing as steps with an `id` finish.
pub struct Evaluator {
    engine: Engine,
    scope: Mutex<Scope<'static>>,
    deadline: Arc<Mutex<Option<Instant>>>,
}

const INTERRUPTED: &str = "interrupted";
const TIMED_OUT: &str = "timed out";

/// What ends an expression or a `script:` early: Ctrl-C (any signal), or its step's timeout.
#[derive(Clone)]
struct Stop {
    interrupt: Interrupt,
    deadline: Arc<Mutex<Option<Instant>>>,
}

impl Stop {
    /// The token to end the script with, when it must end now.
    fn token(&self) -> Option<Dynamic> {
        if self.interrupt.is_requested() {
            return Some(Dynamic::from(INTERRUPTED));
        }
        let deadline = *self.deadline.lock().unwrap_or_else(PoisonError::into_inner);
        deadline
            .is_some_and(|deadline| crate::clock::now() >= deadline)
            .then(|| Dynamic::from(TIMED_OUT))
    }

    /// Rhai's `sleep`, ended by Ctrl-C and the step's timeout as any wait is.
    fn sleep(&self, seconds: rhai::FLOAT) -> Result<Dynamic, Box<EvalAltResult>> {
        sliced_sleep(seconds, &|| self.token())
    }
}

/// Rhai's `sleep(seconds)` in slices: `stop` says, between slices, whether to end it now, with
/// the token to end the script with.
pub fn sliced_sleep(
    seconds: rhai::FLOAT,
    stop: &dyn Fn() -> Option<Dynamic>,
) -> Result<Dynamic, Box<EvalAltResult>> {
    let wanted = crate::duration::wait_of_seconds(seconds)
        .map_err(|error| -> Box<EvalAltResult> { format!("sleep: {error}").into() })?;
    let end = crate::clock::now().checked_add(wanted);
    loop {
        if let Some(token) = stop() {
            return Err(EvalAltResult::ErrorTerminated(token, rhai::Position::NONE).into());
        }
        let left =
            end.map_or(SLEEP_SLICE, |end| end.saturating_duration_since(crate::clock::now()));
        if left.is_zero() {
            return Ok(Dynamic::UNIT);
        }
        let slice = if crate::clock::is_simulated() { SIMULATED_SLEEP_SLICE } else { SLEEP_SLICE };
        crate::clock::sleep_blocking(left.min(slice));
    }
}

/// How long a script's `sleep` waits before it looks again at Ctrl-C and its deadline.
const SLEEP_SLICE: Duration = Duration::from_millis(50);
/// On `runbook test`'s simulated clock, where a slice costs the same whatever its length.
const SIMULATED_SLEEP_SLICE: Duration = Duration::from_secs(1);

impl Evaluator {
    pub fn new(
        mut engine: Engine,
        names: &[(String, Value)],
        interrupt: Interrupt,
        budget: Arc<Budget>,
    ) -> Self {
        let deadline: Arc<Mutex<Option<Instant>>> = Arc::default();
        let watched = Arc::clone(&deadline);
        // The run's budget is the one limit (`script::Budget`), shared by every expression.
        engine.set_max_operations(0);
        let stop = Stop { interrupt, deadline: Arc::clone(&watched) };
        let sleeper = stop.clone();
        engine.register_fn("sleep", move |seconds: rhai::FLOAT| sleeper.sleep(seconds));
        let sleeper = stop.clone();
        engine
            .register_fn("sleep", move |seconds: rhai::INT| sleeper.sleep(seconds as rhai::FLOAT));
        engine.on_progress(move |_| stop.token().or_else(|| budget.spend()));
        let mut scope = Scope::new();
        for (name, json) in names {
            scope.push_dynamic(name.clone(), value::to_dynamic(json));
        }
        Self { engine, scope: Mutex::new(scope), deadline }
    }

    pub fn define(&self, name: &str, json: &Value) {
        self.lock().set_or_push(name.to_string(), value::to_dynamic(json));
    }

    /// A template's value: typed when it is one `${...}`, a string otherwise.
    pub fn template(&self, template: &Template) -> Result<Dynamic, EvaluationError> {
        let mut scope = self.lock();
        self.template_in(&mut scope, template)
    }

    fn template_in(
        &self,
        scope: &mut Scope<'static>,
        template: &Template,
    ) -> Result<Dynamic, EvaluationError> {
        if let Some(expression) = template.sole_expression() {
            return self.expression_in(scope, &expression.value);
        }
        let mut text = String::new();
        for part in &template.parts {
            match part {
                Part::Text(literal) => text.push_str(literal),
                Part::Expression(expression) => {
                    text.push_str(&value::display(&self.expression_in(scope, &expression.value)?));
                }
            }
        }
        Ok(Dynamic::from(text))
    }

    pub fn condition(&self, expression: &str) -> Result<bool, EvaluationError> {
        let result = self.expression_in(&mut self.lock(), expression)?;
        result.as_bool().map_err(|type_name| EvaluationError::NotACondition {
            expression: expression.to_string(),
            type_name: type_name.to_string(),
        })
    }

    fn expression_in(
        &self,
        scope: &mut Scope<'static>,
        expression: &str,
    ) -> Result<Dynamic, EvaluationError> {
        self.engine.eval_expression_with_scope::<Dynamic>(scope, expression).map_err(|error| {
            EvaluationError::Failed { expression: expression.to_string(), error: error.to_string() }
        })
    }

    /// The items of a `for_each`: a list written out, or a `${...}` that gives one.
    pub fn items(&self, items: &ArgumentValue) -> Result<Vec<Value>, EvaluationError> {
        let value = self.value_in(&mut self.lock(), items)?;
        match value {
            Value::Array(items) => Ok(items),
            other => Err(EvaluationError::NotAList(crate::ops::describe(&other))),
        }
    }

    /// The arguments of a step, with `item` in scope when it runs for each item of a list.
    pub fn arguments(
        &self,
        arguments: &[Argument],
        item: Option<&Value>,
    ) -> Result<ArgumentValues, EvaluationError> {
        let mut scope = self.lock();
        let before = scope.len();
        if let Some(item) = item {
            scope.push_dynamic(FOR_EACH_ITEM, value::to_dynamic(item));
        }
        let values = arguments
            .iter()
            .map(|argument| {
                let value = self.value_in(&mut scope, &argument.value)?;
                Ok((argument.name.value.clone(), value))
            })
            .collect::<Result<Vec<_>, EvaluationError>>();
        scope.rewind(before);
        values.map(ArgumentValues)
    }

    /// The value of an argument as written: templates evaluated, mappings entry by entry.
    fn value_in(
        &self,
        scope: &mut Scope<'static>,
        value: &ArgumentValue,
    ) -> Result<Value, EvaluationError> {
        Ok(match value {
            ArgumentValue::Literal(literal) => literal.clone(),
            ArgumentValue::Template(template) => {
                value::to_json(&self.template_in(scope, template)?)
            }
            ArgumentValue::Mapping(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(key, item)| Ok((key.clone(), self.value_in(scope, item)?)))
                    .collect::<Result<_, EvaluationError>>()?,
            ),
        })
    }

    /// Runs a `script:` step, ended by its timeout or by Ctrl-C.
    pub fn script(&self, code: &str, timeout: Option<Duration>) -> Result<Dynamic, StepFailure> {
        *self.deadline.lock().unwrap_or_else(PoisonError::into_inner) =
            timeout.and_then(|limit| crate::clock::now().checked_add(limit));
        let result = self.engine.eval_with_scope::<Dynamic>(&mut self.lock(), code);
        *self.deadline.lock().unwrap_or_else(PoisonError::into_inner) = None;
        result.map_err(|error| script_failure(&error, timeout))
    }

    fn lock(&self) -> MutexGuard<'_, Scope<'static>> {
        self.scope.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A script's error as a step failure: Ctrl-C and timeouts by name, others with Rhai's message.
pub fn script_failure(error: &EvalAltResult, timeout: Option<Duration>) -> StepFailure {
    match error {
        EvalAltResult::ErrorTerminated(token, _) if token.to_string() == INTERRUPTED => {
            StepFailure::Interrupted
        }
        EvalAltResult::ErrorTerminated(token, _)
            if Budget::explain(&token.to_string()).is_some() =>
        {
            StepFailure::failed(Budget::explain(&token.to_string()).unwrap_or_default())
        }
        EvalAltResult::ErrorTerminated(..) => StepFailure::failed(format!(
            "timed out after {}",
            humantime::format_duration(timeout.unwrap_or_default())
        )),
        other => {
            StepFailure::failed(format!("script: {}", super::script_error::script_error(other)))
        }
    }
}
