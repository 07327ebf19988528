//! `runbook note TEXT [--app APP]`: a timestamped line by the operator in the journal, and in the
//! team's shared record in team mode, for the incident's timeline.

use super::failure::Failure;
use crate::cli::NoteArguments;
use crate::journal::Event;
use crate::journal::{Record, RunId, Timestamp};
use crate::settings::Settings;
use crate::team::Note;

/// The run id notes are journaled under: they belong to no run.
const NOTE_KIND: &str = "note";

/// A note is a line of the timeline, not a document.
const LONGEST_NOTE: usize = 2000;

pub fn execute(settings: &Settings, arguments: &NoteArguments) -> Result<(), Failure> {
    let text = note_text(&arguments.text)?;
    let app = arguments
        .app
        .as_deref()
        .map(|given| super::app_names::resolve(settings, given))
        .transpose()?;
    let team_mode = settings.database_url.is_some();
    let operator = if team_mode {
        super::identity::account_email(
            settings,
            &super::identity::api_url(arguments.api_url.as_ref()),
            "a team note",
        )?
    } else {
        settings.login()
    };
    let note = Note { time: Timestamp::now().to_string(), operator, app, text };
    journal(settings, &note)?;
    if team_mode {
        let shared = super::team::required(settings, "note").and_then(|session| {
            session
                .run(session.team.note(&note))
                .map_err(|message| Failure::Access { message: message.to_string(), hint: None })
        });
        if let Err(failure) = shared {
            return Err(Failure::Access {
                message: format!("the note is in the local journal, not in the team's: {failure}"),
                hint: Some(
                    "`runbook report` on this machine shows it; tell the team where you are".into(),
                ),
            });
        }
    }
    settings.printer.out_line(&format!(
        "noted at {} by {}",
        crate::output::people_time(&note.time),
        note.operator
    ));
    Ok(())
}

/// The words as one line: control characters (escapes, bells, newlines) become spaces, so that
/// nothing a note says can move a terminal's cursor or break the report's table.
fn note_text(words: &[String]) -> Result<String, Failure> {
    let text: String = words
        .join(" ")
        .chars()
        .map(|letter| if letter.is_control() { ' ' } else { letter })
        .collect();
    let text = text.trim().to_string();
    if text.is_empty() {
        return Err(Failure::usage(
            "the note is empty",
            "write what happened: runbook note \"web back up after restart\"",
        ));
    }
    let length = text.chars().count();
    if length > LONGEST_NOTE {
        return Err(Failure::usage(
            format!("the note has {length} characters; a note is at most {LONGEST_NOTE}"),
            "a note is one line of the timeline: put the details in the postmortem",
        ));
    }
    Ok(text)
}

fn journal(settings: &Settings, note: &Note) -> Result<(), Failure> {
    let record = Record {
        run_id: RunId::of_kind(NOTE_KIND),
        time: Timestamp::from_stored(note.time.clone()),
        event: Event::Note {
            text: note.text.clone(),
            app: note.app.clone(),
            operator: note.operator.clone(),
        },
    };
    super::local_journal::append(settings, &record)
}
