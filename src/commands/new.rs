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
    if let Some(error) = library.naming_error(&arguments.name) {
        return Err(Failure::from(error));
    }
    warn_of_environment_suffix(settings, &library, &arguments.name);
    let new = answers(settings, &library, arguments)?;
    let path = authoring::write_runbook(&library.directory, &new)
        .map_err(|message| Failure::usage(message, "choose another name"))?;
    let library = Library::open(Some(&library.directory))?;
    let file = library.file(&new.name).ok_or(Failure::Library(LibraryError::NotFound))?;
    library.load(file).map_err(Failure::Invalid)?;
    let printer = &settings.printer;
    printer.out_line(&format!("created {}", display_path(&path)));
    let first = new
        .environments
        .first()
        .map(|environment| format!("{}-{environment}", new.name))
        .unwrap_or(new.name.clone());
    let protected = new.environments.first().is_some_and(|name| {
        library
            .environments
            .entries
            .iter()
            .any(|environment| environment.name.value == *name && environment.protected)
    });
    let test =
        authoring::write_first_test(&library.directory, &new, protected).map_err(|message| {
            Failure::usage(message, "the runbook is written; write its test by hand")
        })?;
    if let Some(test) = &test {
        printer.out_line(&format!("created {}", display_path(test)));
    }
    printer.out_line(&format!("rehearse it: runbook run {first} --sim"));
    if test.is_some() {
        printer.out_line(&format!("test it: runbook test {}", new.name));
    }
    Ok(())
}

/// `runbook new db-staging` would be run as `db-staging-staging`: said before it is written.
fn warn_of_environment_suffix(settings: &Settings, library: &Library, name: &str) {
    let Some(environment) = library
        .environments
        .names()
        .into_iter()
        .find(|environment| name.ends_with(&format!("-{environment}")))
    else {
        return;
    };
    let stem = &name[..name.len() - environment.len() - 1];
    settings.printer.warning(
        &format!(
            "`{name}` ends with the environment `{environment}`: it would run as `{name}-{environment}`"
        ),
        Some(&format!(
            "name a runbook for what it does (`runbook new {stem}`); the environment is chosen when it runs (`runbook run {stem}-{environment}`)"
        )),
    );
}

fn answers(
    settings: &Settings,
    library: &Library,
    arguments: &NewArguments,
) -> Result<NewRunbook, Failure> {
    let wizard = Wizard { printer: &settings.printer, ask: settings.interactive };
    Ok(NewRunbook {
        name: arguments.name.clone(),
        format: wizard.format(arguments.format)?,
        description: wizard.description(arguments.description.as_deref())?,
        environments: wizard.environments(library, arguments.environments.as_deref())?,
        template: wizard.template(arguments.template)?,
    })
}

/// What the flags leave open, asked on a terminal (or its default off one).
struct Wizard<'a> {
    printer: &'a crate::output::Printer,
    ask: bool,
}

fn asked(error: std::io::Error) -> Failure {
    Failure::usage(
        format!("cannot ask: {error}"),
        "give the answers as flags: see `runbook new --help`",
    )
}

impl Wizard<'_> {
    fn format(&self, given: Option<FormatChoice>) -> Result<Format, Failure> {
        Ok(match (given, self.ask) {
            (Some(FormatChoice::Yaml), _) | (None, false) => Format::Yaml,
            (Some(FormatChoice::Rhai), _) => Format::Rhai,
            (None, true) => {
                let choices = ["YAML: steps as data".into(), "Rhai: a script".into()];
                let chosen = self.printer.ask_choice("Format", &choices).map_err(asked)?;
                [Format::Yaml, Format::Rhai][chosen]
            }
        })
    }

    fn description(&self, given: Option<&str>) -> Result<String, Failure> {
        match (given, self.ask) {
            (Some(description), _) => Ok(description.to_string()),
            (None, true) => self.printer.ask_text("What does it do? (one sentence)").map_err(asked),
            (None, false) => Err(Failure::usage(
                "a new runbook needs a description",
                "pass --description \"What it does.\"",
            )),
        }
    }

    fn environments(
        &self,
        library: &Library,
        given: Option<&[String]>,
    ) -> Result<Vec<String>, Failure> {
        let known: Vec<String> =
            library.environments.names().iter().map(ToString::to_string).collect();
        if known.is_empty() {
            return Err(Failure::usage(
                "the runbooks folder declares no environments",
                "declare them in runbooks/environments.yaml first",
            ));
        }
        let environments = match (given, self.ask) {
            (Some(chosen), _) => chosen.to_vec(),
            (None, true) => self
                .printer
                .ask_many("Environments", &known)
                .map_err(asked)?
                .into_iter()
                .map(|index| known[index].clone())
                .collect(),
            (None, false) => known.clone(),
        };
        match environments.iter().find(|environment| !known.contains(environment)) {
            Some(unknown) => Err(Failure::usage(
                format!("no environment `{unknown}`"),
                format!("environments.yaml declares: {}", known.join(", ")),
            )),
            None => Ok(environments),
        }
    }

    fn template(&self, given: Option<crate::cli::TemplateChoice>) -> Result<Template, Failure> {
        Ok(match (given, self.ask) {
            (Some(template), _) => template_of(template),
            (None, true) => {
                let items: Vec<String> =
                    Template::ALL.iter().map(|template| template.describe().to_string()).collect();
                Template::ALL[self.printer.ask_choice("Start from", &items).map_err(asked)?]
            }
            (None, false) => Template::ReadOnly,
        })
    }
}

fn template_of(choice: crate::cli::TemplateChoice) -> Template {
    match choice {
        crate::cli::TemplateChoice::ReadOnly => Template::ReadOnly,
        crate::cli::TemplateChoice::Restart => Template::Restart,
        crate::cli::TemplateChoice::Deploy => Template::Deploy,
    }
}
