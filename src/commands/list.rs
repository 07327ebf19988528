//! `runbook list`: what can I run here?

use super::failure::Failure;
use crate::output::{ListedRunbook, ListedTarget, list_lines, stdout_width};
use crate::runbook::{Library, RunbookFile};
use crate::settings::Settings;

pub fn execute(settings: &Settings) -> Result<(), Failure> {
    let library = Library::open(settings.directory.as_deref())?;
    let printer = &settings.printer;
    let listed: Vec<ListedRunbook> =
        library.files.iter().map(|file| listed(&library, file)).collect();
    if printer.listed_as_json(&listed) {
        return Ok(());
    }
    let width = stdout_width().or(settings.columns);
    for line in list_lines(&listed, width) {
        printer.out_line(&line);
    }
    Ok(())
}

fn listed(library: &Library, file: &RunbookFile) -> ListedRunbook {
    let runbook = match library.load(file) {
        Ok(runbook) => runbook,
        Err(problems) => {
            return ListedRunbook {
                name: file.name.clone(),
                format: file.format.name(),
                description: String::new(),
                targets: Vec::new(),
                invalid: Some(problems.len()),
            };
        }
    };
    let targets = runbook
        .environments
        .iter()
        .filter_map(|environment| library.environments.get(&environment.value))
        .map(|target| ListedTarget {
            name: format!("{}-{}", runbook.name, target.name.value),
            environment: target.name.value.clone(),
            app: target.app.to_string(),
            protected: target.protected,
        })
        .collect();
    ListedRunbook {
        name: runbook.name,
        format: file.format.name(),
        description: runbook.description,
        targets,
        invalid: None,
    }
}
