//! `heroku.formation`: how many dynos of each process type, and their size.

use super::one_get::{Answered, OneGet};
use crate::heroku::types::Formation as FormationEntry;
use crate::heroku::{Client, formation};
use crate::ops::argument_sets::AppOnly;

pub struct Formation;

impl OneGet for Formation {
    type Arguments = AppOnly;
    type Answer = Vec<FormationEntry>;

    async fn get(&self, reader: &Client, arguments: &AppOnly) -> Answered<Self> {
        Ok(formation::list(reader, &arguments.app).await?)
    }

    fn summary(&self, entries: &Vec<FormationEntry>) -> String {
        entries
            .iter()
            .map(|entry| format!("{} x{} ({})", entry.process_type, entry.quantity, entry.size))
            .collect::<Vec<_>>()
            .join(", ")
    }
}
