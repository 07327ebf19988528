//! What the catalogue says of one operation: its names, arguments, effect, documentation, and the
//! type that carries it out.

use super::arguments::ArgumentSpec;
use super::behaviour::Behaviour;
use super::effect::Effect;

/// One operation of the catalogue.
#[derive(Debug)]
pub struct Operation {
    /// The YAML name, `heroku.restart`; in Rhai it is `heroku::restart`.
    pub name: &'static str,
    pub behaviour: Behaviour,
    pub effect: Effect,
    pub summary: &'static str,
    /// The Heroku endpoint(s), as in the Platform API reference.
    pub endpoint: &'static str,
    pub arguments: &'static [ArgumentSpec],
    /// Its result holds secrets: they are masked in all output and in the journal.
    pub secret_result: bool,
    /// This argument's values are secrets (config var values being set).
    pub secret_argument: Option<&'static str>,
}

impl Operation {
    /// The name inside the `heroku` namespace: `restart` for `heroku.restart`.
    pub fn function_name(&self) -> &'static str {
        self.name.split_once('.').map_or(self.name, |(_, name)| name)
    }

    pub fn argument(&self, name: &str) -> Option<&ArgumentSpec> {
        self.arguments.iter().find(|argument| argument.name == name)
    }

    pub fn required_count(&self) -> usize {
        self.arguments.iter().filter(|argument| argument.required).count()
    }
}
