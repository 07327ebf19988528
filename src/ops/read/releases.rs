//! `heroku.releases`: the newest releases, newest first, with which one is current.

use super::one_get::{Answered, OneGet};
use crate::heroku::types::Release;
use crate::heroku::{Client, releases};
use crate::ops::argument_sets::ReleasesArguments;

pub struct Releases;

impl OneGet for Releases {
    type Arguments = ReleasesArguments;
    type Answer = Vec<Release>;

    async fn get(&self, reader: &Client, arguments: &ReleasesArguments) -> Answered<Self> {
        let limit = arguments.limit.unwrap_or(10).clamp(1, 1000) as usize;
        let mut all = releases::list(reader, &arguments.app).await?;
        all.truncate(limit);
        Ok(all)
    }

    fn summary(&self, all: &Vec<Release>) -> String {
        all.iter()
            .take(3)
            .map(|release| {
                format!(
                    "v{}{} {}",
                    release.version,
                    if release.current { " (current)" } else { "" },
                    release.description
                )
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}
