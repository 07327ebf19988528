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

/// Whether `name` works as a runbook name: lowercase letters, digits and dashes.
pub fn check_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name.chars().all(|character| {
            character.is_ascii_lowercase() || character.is_ascii_digit() || character == '-'
        })
        && !name.starts_with('-')
        && !name.ends_with('-');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "`{name}` is not a runbook name: use lowercase letters, digits and dashes, such as `clear-cache`"
        ))
    }
}

/// Writes the runbook into `folder`; its path.
pub fn write(folder: &Path, new: &NewRunbook) -> Result<PathBuf, String> {
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
        return Err(format!("`{}` already exists", existing.display()));
    }
    let text = new
        .template
        .render(new.format, &new.description, &new.environments);
    std::fs::write(&path, text)
        .map_err(|error| format!("cannot write `{}`: {error}", path.display()))?;
    Ok(path)
}
