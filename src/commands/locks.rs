//! `runbook locks`: which apps a run holds locked now, by whom, running what, since when and for
//! how long (team mode). A lock behind an API that is not Heroku's is a drill's (a team rehearsing
//! on a shared `sim serve`), and is marked so, with its API.

use super::failure::Failure;
use crate::output::{OutputFormat, age, aligned, people_time};
use crate::settings::Settings;
use crate::team::{Holder, is_drill};

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let session = super::team::required(settings, "locks")?;
    let holders = session.read("the locks", session.team.holders())?;
    let printer = &settings.printer;
    if printer.format() == OutputFormat::Json {
        for holder in &holders {
            let mut value = serde_json::to_value(holder).unwrap_or_default();
            value["drill"] = is_drill(&holder.api_url).into();
            printer.out_json(&value);
        }
        return Ok(());
    }
    if holders.is_empty() {
        printer.out_line("no app is locked");
        return Ok(());
    }
    let header = ["APP", "HELD BY", "RUNNING", "SINCE", "FOR", "RUN", "API"].map(String::from);
    let rows: Vec<[String; 7]> = holders.iter().map(row).collect();
    for line in aligned(&header, &rows) {
        printer.out_line(&line);
    }
    Ok(())
}

fn row(holder: &Holder) -> [String; 7] {
    let api = if is_drill(&holder.api_url) {
        format!("DRILL on {}", holder.api_url)
    } else {
        "Heroku".to_string()
    };
    [
        holder.app.clone(),
        holder.operator.clone(),
        holder.runbook.clone(),
        people_time(&holder.since),
        age(&holder.since),
        holder.run_id.clone(),
        api,
    ]
}
