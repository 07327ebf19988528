//! Runs one test: the real `runbook run --sim` of this very binary, in a folder of its own (its
//! own journal, its own simulated world, nothing carried from or to the operator's rehearsals),
//! on a simulated clock, with the test's answers at its questions.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use super::case::{TestCase, World};
use super::outcome::Outcome;

/// Variables a rehearsal under test never sees: it needs no credentials, and must not find a
/// team database or a live API.
const WITHHELD: &[&str] = &[
    "HEROKU_API_KEY",
    "HEROKU_API_URL",
    "RUNBOOK_DATABASE_URL",
    "RUNBOOK_DIR",
    "RUNBOOK_SIM_BOOT_DELAY",
    "RUNBOOK_STATE_DIR",
    "XDG_STATE_HOME",
];

/// A folder for one test's runs, kept when the test fails (its journal is named in the report).
pub struct Workspace {
    pub folder: PathBuf,
}

impl Workspace {
    pub fn create(case: &TestCase, index: usize) -> std::io::Result<Self> {
        let stem: String = format!("{}-{}", case.file, index)
            .chars()
            .map(|character| {
                if character.is_ascii_alphanumeric() || character == '-' {
                    character
                } else {
                    '_'
                }
            })
            .collect();
        let folder = std::env::temp_dir().join(format!(
            "runbook-test-{}-{stem}",
            uuid::Uuid::new_v4().simple()
        ));
        std::fs::create_dir_all(&folder)?;
        Ok(Self { folder })
    }

    pub fn remove(self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// Runs `case` once, as a dry-run when `dry_run`, in `workspace/NAME`.
pub fn rehearse(
    case: &TestCase,
    library: &Path,
    workspace: &Workspace,
    dry_run: bool,
) -> std::io::Result<Outcome> {
    let name = if dry_run { "dry-run" } else { "run" };
    let folder = workspace.folder.join(name);
    let state = folder.join("state");
    std::fs::create_dir_all(&state)?;
    let world_file = folder.join("world.json");
    let mut command = Command::new(std::env::current_exe()?);
    command
        .arg("--dir")
        .arg(library)
        .args(arguments(case, &folder, dry_run)?)
        .arg("--test-world")
        .arg(&world_file);
    for variable in WITHHELD {
        command.env_remove(variable);
    }
    let boot = case.boot.unwrap_or(Duration::from_millis(1500));
    let output = command
        .env("RUNBOOK_STATE_DIR", &state)
        .env("RUNBOOK_SIM_BOOT_DELAY", format!("{}ms", boot.as_millis()))
        .env("NO_COLOR", "1")
        .env("COLUMNS", "120")
        .current_dir(&folder)
        .stdin(Stdio::null())
        .output()?;
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    Ok(Outcome::read(
        output.status.code(),
        text,
        state.join("journal.jsonl"),
        &world_file,
    ))
}

/// `run NAME [--env ENV] --sim [--scenario ...] [-p ...] [--dry-run] [--test-answer ...]`.
fn arguments(case: &TestCase, folder: &Path, dry_run: bool) -> std::io::Result<Vec<String>> {
    let mut arguments = vec!["run".to_string(), case.runbook.clone(), "--sim".into()];
    if let Some(environment) = &case.environment {
        arguments.extend(["--env".into(), environment.clone()]);
    }
    match &case.world {
        World::Default => {}
        World::Scenario(name) => arguments.extend(["--scenario".into(), name.clone()]),
        World::Inline(text) => {
            let file = folder.join("world.yaml");
            std::fs::write(&file, text)?;
            arguments.extend(["--scenario".into(), file.to_string_lossy().into_owned()]);
        }
    }
    for (name, value) in &case.params {
        arguments.extend(["-p".into(), format!("{name}={value}")]);
    }
    if dry_run {
        arguments.push("--dry-run".into());
    }
    for answer in &case.answers {
        arguments.extend(["--test-answer".into(), answer.flag().into()]);
    }
    Ok(arguments)
}
