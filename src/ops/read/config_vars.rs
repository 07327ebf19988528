//! `heroku.config_vars`: the app's config vars, whose values are secrets (masked everywhere unless
//! `reveal`, and never journaled).

use std::collections::BTreeMap;

use super::one_get::{Answered, OneGet};
use crate::heroku::{Client, config_vars};
use crate::ops::argument_sets::ConfigVarsArguments;

pub struct ConfigVars;

impl OneGet for ConfigVars {
    type Arguments = ConfigVarsArguments;
    type Answer = BTreeMap<String, Option<String>>;

    async fn get(&self, reader: &Client, arguments: &ConfigVarsArguments) -> Answered<Self> {
        Ok(config_vars::get(reader, &arguments.app).await?)
    }

    fn summary(&self, vars: &Self::Answer) -> String {
        let names: Vec<&str> = vars.keys().map(String::as_str).collect();
        format!("{} config vars: {} (values masked)", names.len(), names.join(", "))
    }
}
