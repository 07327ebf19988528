//! `heroku.config_vars`: the app's environment; its values are secrets.

use super::outcome;
use crate::effects::Effects;
use crate::heroku::config_vars;
use crate::ops::argument_sets::ConfigVarsArguments;
use crate::ops::arguments::{ArgumentValues, Arguments};
use crate::ops::behaviour::{OperationFuture, ReadOperation};
use crate::ops::outcome::{OperationOutput, Outcome};

pub struct ConfigVars;

impl ReadOperation for ConfigVars {
    fn read<'a>(
        &'a self,
        arguments: &'a ArgumentValues,
        effects: &'a Effects,
        _output: &'a OperationOutput<'a>,
    ) -> OperationFuture<'a, Outcome> {
        Box::pin(async move {
            let vars = config_vars::get(
                effects.reader(),
                &ConfigVarsArguments::parse(arguments)?.app,
            )
            .await?;
            let names: Vec<&str> = vars.keys().map(String::as_str).collect();
            let summary = format!(
                "{} config vars: {} (values masked)",
                names.len(),
                names.join(", ")
            );
            Ok(outcome(&vars, summary))
        })
    }
}
