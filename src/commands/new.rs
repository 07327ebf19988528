//! `runbook new NAME`: a new runbook from a template; what the flags leave open is asked on a
//! terminal, and defaulted (or refused, for the description) off one.

use super::failure::Failure;
use crate::authoring::Template;
use crate::authoring::{self, NewRunbook};
use crate::cli::{FormatChoice, NewArguments};
use crate::runbook::Format;
use crate::runbook::display_path;
use crate::runbook::{Library, LibraryError};
use crate::settings::Settings;

pub fn execute(settings: &Settings, arguments: &NewArguments) -> Result<(), Failure> {
    authoring::check_name(&arguments.name)
        .map_err(|message| Failure::usage(message, "for example `runbook new clear-cache`"))?;
    let library = Library::open(settings.directory.as_deref())?;
    let new = answers(settings, &library, arguments)?;
    let path = authoring::write_runbook(&library.directory, &new)
        .map_err(|message| Failure::usage(message, "choose another name"))?;
    let library = Library::open(Some(&library.directory))?;
    let file = library
        .file(&new.name)
        .ok_or(Failure::Library(LibraryError::NotFound))?;
    library.load(file).map_err(Failure::Invalid)?;
    let printer = &settings.printer;
    printer.out_line(&format!("created {}", display_path(&path)));
    let first = new
        .environments
        .first()
        .map(|environment| format!("{}-{environment}", new.name))
        .unwrap_or(new.name.clone());
    printer.out_line(&format!("rehearse it: runbook run {first} --sim"));
    Ok(())
}

fn answers(
    settings: &Settings,
    library: &Library,
    arguments: &NewArguments,
) -> Result<NewRunbook, Failure> {
    let ask = settings.interactive;
    let printer = &settings.printer;
    let asked = |error: std::io::Error| {
        Failure::usage(
            format!("cannot ask: {error}"),
            "give the answers as flags: see `runbook new --help`",
        )
    };
    let format = match (arguments.format, ask) {
        (Some(FormatChoice::Yaml), _) | (None, false) => Format::Yaml,
        (Some(FormatChoice::Rhai), _) => Format::Rhai,
        (None, true) => [Format::Yaml, Format::Rhai][printer
            .ask_choice(
                "Format",
                &["YAML: steps as data".into(), "Rhai: a script".into()],
            )
            .map_err(asked)?],
    };
    let description = match (&arguments.description, ask) {
        (Some(description), _) => description.clone(),
        (None, true) => printer
            .ask_text("What does it do? (one sentence)")
            .map_err(asked)?,
        (None, false) => {
            return Err(Failure::usage(
                "a new runbook needs a description",
                "pass --description \"What it does.\"",
            ));
        }
    };
    let known: Vec<String> = library
        .environments
        .names()
        .iter()
        .map(ToString::to_string)
        .collect();
    if known.is_empty() {
        return Err(Failure::usage(
            "the runbooks folder declares no environments",
            "declare them in runbooks/environments.yaml first",
        ));
    }
    let environments = match (&arguments.environments, ask) {
        (Some(chosen), _) => chosen.clone(),
        (None, true) if !known.is_empty() => printer
            .ask_many("Environments", &known)
            .map_err(asked)?
            .into_iter()
            .map(|index| known[index].clone())
            .collect(),
        (None, _) => known.clone(),
    };
    if let Some(unknown) = environments
        .iter()
        .find(|environment| !known.contains(environment))
    {
        return Err(Failure::usage(
            format!("no environment `{unknown}`"),
            format!("environments.yaml declares: {}", known.join(", ")),
        ));
    }
    let template = match (arguments.template, ask) {
        (Some(template), _) => template_of(template),
        (None, true) => {
            let items: Vec<String> = Template::ALL
                .iter()
                .map(|template| template.describe().to_string())
                .collect();
            Template::ALL[printer.ask_choice("Start from", &items).map_err(asked)?]
        }
        (None, false) => Template::ReadOnly,
    };
    Ok(NewRunbook {
        name: arguments.name.clone(),
        format,
        description,
        environments,
        template,
    })
}

fn template_of(choice: crate::cli::TemplateChoice) -> Template {
    match choice {
        crate::cli::TemplateChoice::ReadOnly => Template::ReadOnly,
        crate::cli::TemplateChoice::Restart => Template::Restart,
        crate::cli::TemplateChoice::Deploy => Template::Deploy,
    }
}
