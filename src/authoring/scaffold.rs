//! What `runbook new` writes: a runbook from a template, never over an existing file.

use std::path::{Path, PathBuf};

use super::templates::Template;
use crate::runbook::Format;

/// Everything a new runbook needs.
#[derive(Debug, Clone)]
pub struct NewRunbook {
    pub name: String,
    pub format: Format,
    pub description: String,
    pub environments: Vec<String>,
    pub template: Template,
}

/// Why `runbook new` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum NotWritten {
    #[error(
        "`{0}` is not a runbook name: use lowercase letters, digits and dashes, such as `clear-cache`"
    )]
    BadName(String),
    #[error("`{}` already exists", .0.display())]
    Exists(PathBuf),
    #[error("cannot write `{}`: {error}", path.display())]
    Unwritable { path: PathBuf, error: std::io::Error },
}

/// Whether `name` works as a runbook name: lowercase letters, digits and dashes.
pub fn check_name(name: &str) -> Result<(), NotWritten> {
    let valid = !name.is_empty()
        && name.chars().all(|character| {
            character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-'
        })
        && !name.starts_with('-')
        && !name.ends_with('-');
    if valid { Ok(()) } else { Err(NotWritten::BadName(name.to_string())) }
}

/// Writes the runbook into `folder`; its path.
pub fn write(folder: &Path, new: &NewRunbook) -> Result<PathBuf, NotWritten> {
    check_name(&new.name)?;
    let extension = match new.format {
        Format::Yaml => "yaml",
        Format::Rhai => "rhai",
    };
    let path = folder.join(format!("{}.{extension}", new.name));
    let taken = ["yaml", "yml", "rhai"]
        .iter()
        .map(|extension| folder.join(format!("{}.{extension}", new.name)))
        .find(|path| path.exists());
    if let Some(existing) = taken {
        return Err(NotWritten::Exists(existing));
    }
    let text = new.template.render(new.format, &new.description, &new.environments);
    std::fs::write(&path, text)
        .map_err(|error| NotWritten::Unwritable { path: path.clone(), error })?;
    Ok(path)
}

/// Writes the first test of a new runbook into `folder/tests/NAME.yaml` (never over a file):
/// what its template does, rehearsed on its first environment; its path.
pub fn write_first_test(
    folder: &Path,
    new: &NewRunbook,
    protected: bool,
) -> Result<Option<PathBuf>, NotWritten> {
    let Some(environment) = new.environments.first() else {
        return Ok(None);
    };
    let tests = folder.join("tests");
    let path = tests.join(format!("{}.yaml", new.name));
    if path.exists() {
        return Ok(None);
    }
    let text = first_test(new, environment, protected);
    std::fs::create_dir_all(&tests)
        .and_then(|()| std::fs::write(&path, text))
        .map_err(|error| NotWritten::Unwritable { path: path.clone(), error })?;
    Ok(Some(path))
}

fn first_test(new: &NewRunbook, environment: &str, protected: bool) -> String {
    let answer = if protected { "type" } else { "confirm" };
    let head = format!(
        "# Tests of {name}: `runbook test {name}` rehearses each in a world of its own.\n# docs/runbook-format.md (Tests) lists what a test can give and expect.\nrunbook: {name}-{environment}\ntests:\n",
        name = new.name
    );
    let body = match new.template {
        Template::ReadOnly => "  - name: shows the app and changes nothing\n    expect:\n      exit: 0\n      status: succeeded\n      writes: []\n".to_string(),
        Template::Restart => format!(
            "  - name: crashed web dynos are restarted and are up again\n    world: {{ dynos: {{ web: crashed }} }}\n    answers: [{answer}]\n    expect:\n      exit: 0\n      status: succeeded\n      writes: [\"DELETE /apps/{{app}}/dynos\"]\n      after: {{ dynos: up }}\n\n  - name: refused at the prompt, nothing is sent\n    answers: [decline]\n    expect:\n      exit: 3\n      writes: []\n"
        ),
        // A YAML runbook is checked before its first step (exit 2); a Rhai one at its deploy.
        Template::Deploy if new.format == Format::Yaml => "  - name: outside a git checkout, the deploy stops before its first step\n    expect:\n      exit: 2\n      writes: []\n      output: [\"is not a git checkout\"]\n".to_string(),
        Template::Deploy => "  - name: outside a git checkout, the deploy stops before anything is sent\n    expect:\n      exit: 1\n      status: failed\n      writes: []\n      output: [\"is not a git checkout\"]\n".to_string(),
    };
    head + body.as_str()
}
