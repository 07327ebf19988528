//! Finds the runbooks folder and the runbooks in it, and resolves `NAME-ENV` to a runbook and target.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use super::diagnostic::Diagnostic;
use super::environments::{self, Environment, Environments};
use super::model::{Format, Runbook};
use super::{rhai_header, validate, yaml};
use crate::script::CheckedModules;

pub const FOLDER_NAME: &str = "runbooks";

/// The runbooks folder with its environments and the runbook files in it.
pub struct Library {
    pub directory: PathBuf,
    pub environments: Environments,
    pub files: Vec<RunbookFile>,
    /// The Rhai engine that validates scripts and expressions, built once: building one costs
    /// more than checking a runbook.
    validation_engine: OnceLock<rhai::Engine>,
}

/// A runbook file, not yet read.
#[derive(Debug, Clone)]
pub struct RunbookFile {
    pub name: String,
    pub path: PathBuf,
    pub format: Format,
}

/// Why the library could not be opened or a name not resolved.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    #[error("no `runbooks/` folder here or in any parent folder")]
    NotFound,
    #[error("cannot read `{path}`: {source}")]
    Unreadable { path: String, source: std::io::Error },
    #[error("invalid `{}`", environments::FILE_NAME)]
    InvalidEnvironments(Vec<Diagnostic>),
    #[error("no runbook named `{name}`")]
    UnknownRunbook { name: String, hint: String },
    #[error("{message}")]
    Environment { message: String, hint: String },
}

/// A runbook chosen for a run, with the environment it targets.
pub struct Resolved {
    pub file: RunbookFile,
    pub environment: Option<Environment>,
}

impl Library {
    /// Opens `directory`, or finds `runbooks/` walking up from the current folder.
    pub fn open(directory: Option<&Path>) -> Result<Self, LibraryError> {
        let directory = match directory {
            Some(directory) => directory.to_path_buf(),
            None => find_folder().ok_or(LibraryError::NotFound)?,
        };
        let files = list_files(&directory)?;
        let environments =
            Environments::load(&directory).map_err(LibraryError::InvalidEnvironments)?;
        Ok(Self { directory, environments, files, validation_engine: OnceLock::new() })
    }

    /// Reads, parses and validates one runbook, and the runbooks it runs.
    pub fn load(&self, file: &RunbookFile) -> Result<Runbook, Vec<Diagnostic>> {
        self.load_within(file, &mut Vec::new())
    }

    fn load_within(
        &self,
        file: &RunbookFile,
        running: &mut Vec<String>,
    ) -> Result<Runbook, Vec<Diagnostic>> {
        let source = super::yaml_error::read(&file.path)?;
        let engine = self.validation_engine.get_or_init(crate::script::for_validation);
        let mut runbook = match file.format {
            Format::Yaml => yaml::load(&file.name, &source)?,
            Format::Rhai => rhai_header::load(&file.name, &source, engine)?,
        };
        let mut modules = CheckedModules::default();
        let mut problems = validate::validate(&runbook, &self.environments, engine, &mut modules);
        runbook.modules = Arc::new(modules);
        if problems.is_empty() {
            running.push(runbook.name.clone());
            problems = super::link::link(self, &runbook, running);
            running.pop();
        }
        if problems.is_empty() { Ok(runbook) } else { Err(problems) }
    }

    /// Loads a runbook that another one runs, `running` being the chain of runbooks calling it.
    pub fn load_callee(
        &self,
        file: &RunbookFile,
        running: &mut Vec<String>,
    ) -> Result<Runbook, Vec<Diagnostic>> {
        self.load_within(file, running)
    }

    /// Loads a runbook and lints it: the errors that stop it from running, or its warnings.
    pub fn check(&self, file: &RunbookFile) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
        let runbook = self.load(file)?;
        Ok(super::lints::lint(&runbook, &self.environments))
    }

    pub fn file(&self, name: &str) -> Option<&RunbookFile> {
        self.files.iter().find(|file| file.name == name)
    }

    /// The runbook (and environment) that a file named `name` shadows: `restart-staging` when
    /// `restart` and the environment `staging` exist. `runbook run restart-staging` must never
    /// mean two things.
    pub fn would_shadow(&self, name: &str) -> Option<(String, String)> {
        self.environments.entries.iter().find_map(|candidate| {
            let base = name.strip_suffix(&format!("-{}", candidate.name.value))?;
            self.file(base).map(|_| (base.to_string(), candidate.name.value.clone()))
        })
    }

    /// The refusal of a runbook whose name is another's `NAME-ENV`, or that two files share
    /// (`dup.yaml` and `dup.rhai`): `runbook run` must never pick one silently.
    pub fn shadowing_error(&self, name: &str) -> Option<LibraryError> {
        self.file(name)?;
        let same: Vec<String> = self
            .files
            .iter()
            .filter(|file| file.name == name)
            .filter_map(|file| file.path.file_name()?.to_str().map(str::to_string))
            .collect();
        if same.len() > 1 {
            return Some(LibraryError::Environment {
                message: format!("`{name}` is the name of {}", same.join(" and ")),
                hint: "rename one of them: a runbook's name must mean one file".into(),
            });
        }
        self.naming_error(name)
    }

    /// The refusal of a name (of a file that exists or is about to) that is another's `NAME-ENV`.
    pub fn naming_error(&self, name: &str) -> Option<LibraryError> {
        let (base, environment) = self.would_shadow(name)?;
        Some(LibraryError::Environment {
            message: format!(
                "`{name}` names both a runbook file and `{base}` on the environment `{environment}`"
            ),
            hint: format!(
                "rename {name}.yaml (or .rhai): `runbook run {name}` must mean one thing; `{base} --env {environment}` runs the other"
            ),
        })
    }

    /// Resolves `restart-production`, or `restart` with `--env production`.
    pub fn resolve(
        &self,
        requested: &str,
        environment: Option<&str>,
    ) -> Result<Resolved, LibraryError> {
        if let Some(error) = self.shadowing_error(requested) {
            return Err(error);
        }
        if let Some(file) = self.file(requested) {
            let environment = environment.map(|name| self.environment(name)).transpose()?;
            return Ok(Resolved { file: file.clone(), environment });
        }
        for candidate in &self.environments.entries {
            let suffix = format!("-{}", candidate.name.value);
            let Some(base) = requested.strip_suffix(&suffix) else {
                continue;
            };
            let Some(file) = self.file(base) else {
                continue;
            };
            if let Some(error) = self.shadowing_error(base) {
                return Err(error);
            }
            if let Some(other) = environment.filter(|other| *other != candidate.name.value) {
                return Err(LibraryError::Environment {
                    message: format!(
                        "`{requested}` targets `{}` but --env says `{other}`",
                        candidate.name.value
                    ),
                    hint: format!("run `{base} --env {other}` or drop --env"),
                });
            }
            return Ok(Resolved { file: file.clone(), environment: Some(candidate.clone()) });
        }
        Err(self.unknown(requested))
    }

    fn environment(&self, name: &str) -> Result<Environment, LibraryError> {
        self.environments.get(name).cloned().ok_or_else(|| LibraryError::Environment {
            message: format!("no environment named `{name}`"),
            hint: format!("environments.yaml declares: {}", self.environments.names().join(", ")),
        })
    }

    fn unknown(&self, requested: &str) -> LibraryError {
        let names = self.runnable_names();
        // A name cut short (`troubleshoot-prod`) is a prefix of what was meant; else the
        // nearest by edits, as far as a third of its length.
        let mut prefixed: Vec<&String> =
            names.iter().filter(|name| name.starts_with(requested)).collect();
        prefixed.sort_by_key(|name| name.len());
        let nearest = names
            .iter()
            .map(|name| (strsim::levenshtein(requested, name), name))
            .filter(|(distance, _)| *distance <= (requested.chars().count() / 3).max(3))
            .min_by_key(|(distance, _)| *distance)
            .map(|(_, name)| name);
        let hint = match (prefixed.as_slice(), nearest) {
            ([only], _) => format!("did you mean `{only}`? `runbook list` shows them all"),
            ([first, second, ..], _) => {
                format!("did you mean `{first}` or `{second}`? `runbook list` shows them all")
            }
            ([], Some(name)) => format!("did you mean `{name}`? `runbook list` shows them all"),
            ([], None) => "`runbook list` shows the runbooks you can run".to_string(),
        };
        LibraryError::UnknownRunbook { name: requested.to_string(), hint }
    }

    /// Every name `run` accepts: bare names and `NAME-ENV` for every declared environment.
    pub fn runnable_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.files.iter().map(|file| file.name.clone()).collect();
        for file in &self.files {
            for environment in self.environments.names() {
                names.push(format!("{}-{environment}", file.name));
            }
        }
        names
    }
}

fn find_folder() -> Option<PathBuf> {
    let current = std::env::current_dir().ok()?;
    current.ancestors().map(|folder| folder.join(FOLDER_NAME)).find(|candidate| candidate.is_dir())
}

fn list_files(directory: &Path) -> Result<Vec<RunbookFile>, LibraryError> {
    let unreadable =
        |source| LibraryError::Unreadable { path: directory.display().to_string(), source };
    let mut files = Vec::new();
    for entry in std::fs::read_dir(directory).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if let Some(file) = runbook_file(&path) {
            files.push(file);
        }
    }
    files.sort_by(|left, right| left.name.cmp(&right.name));
    Ok(files)
}

fn runbook_file(path: &Path) -> Option<RunbookFile> {
    let name = path.file_stem()?.to_str()?.to_string();
    let format = match path.extension()?.to_str()? {
        "yaml" | "yml" => Format::Yaml,
        "rhai" => Format::Rhai,
        _ => return None,
    };
    let is_environments = path.file_name()? == environments::FILE_NAME;
    (!is_environments && path.is_file()).then(|| RunbookFile {
        name,
        path: path.to_path_buf(),
        format,
    })
}
