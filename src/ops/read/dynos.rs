//! `heroku.dynos`: the app's dynos with their state, perhaps of one process type.

use super::one_get::{Answered, OneGet};
use crate::heroku::types::Dyno;
use crate::heroku::{Client, dynos};
use crate::ops::argument_sets::AppAndProcessType;
use crate::ops::dyno_list::{describe, of_type};

pub struct Dynos;

impl OneGet for Dynos {
    type Arguments = AppAndProcessType;
    type Answer = Vec<Dyno>;

    async fn get(&self, reader: &Client, arguments: &AppAndProcessType) -> Answered<Self> {
        let all = dynos::list(reader, &arguments.app).await?;
        Ok(of_type(all, arguments.process_type.as_ref()))
    }

    fn summary(&self, dynos: &Vec<Dyno>) -> String {
        describe(dynos)
    }
}
