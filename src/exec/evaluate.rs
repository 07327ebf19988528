//! Evaluates `${...}`, `when:` and `script:` with params, `app`, `env` and earlier results in scope.

use std::sync::Mutex;

use rhai::{Dynamic, Engine, Scope};
use serde_json::Value;

use crate::runbook::template::{Part, Template};
use crate::script::value;

/// The Rhai scope of a YAML run, growing as steps with an `id` finish.
pub struct Evaluator {
    engine: Engine,
    scope: Mutex<Scope<'static>>,
}

impl Evaluator {
    pub fn new(engine: Engine, names: &[(String, Value)]) -> Self {
        let mut scope = Scope::new();
        for (name, json) in names {
            scope.push_dynamic(name.clone(), value::to_dynamic(json));
        }
        Self {
            engine,
            scope: Mutex::new(scope),
        }
    }

    pub fn define(&self, name: &str, json: &Value) {
        self.lock()
            .set_or_push(name.to_string(), value::to_dynamic(json));
    }

    /// A template's value: typed when it is one `${...}`, a string otherwise.
    pub fn template(&self, template: &Template) -> Result<Dynamic, String> {
        if let Some(expression) = template.sole_expression() {
            return self.expression(&expression.value);
        }
        let mut text = String::new();
        for part in &template.parts {
            match part {
                Part::Text(literal) => text.push_str(literal),
                Part::Expression(expression) => {
                    text.push_str(&value::display(&self.expression(&expression.value)?))
                }
            }
        }
        Ok(Dynamic::from(text))
    }

    pub fn condition(&self, expression: &str) -> Result<bool, String> {
        let result = self.expression(expression)?;
        result.as_bool().map_err(|type_name| {
            format!("`when: {expression}` gave a {type_name}, not true or false")
        })
    }

    pub fn expression(&self, expression: &str) -> Result<Dynamic, String> {
        let mut scope = self.lock();
        self.engine
            .eval_expression_with_scope::<Dynamic>(&mut scope, expression)
            .map_err(|error| format!("`{expression}`: {error}"))
    }

    pub fn script(&self, code: &str) -> Result<Dynamic, String> {
        let mut scope = self.lock();
        self.engine
            .eval_with_scope::<Dynamic>(&mut scope, code)
            .map_err(|error| format!("script: {error}"))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Scope<'static>> {
        self.scope
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
