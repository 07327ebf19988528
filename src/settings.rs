//! Arguments and environment resolved into the settings the commands act on.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::cli::{Arguments, RunArguments};
use crate::output::Printer;
use crate::output::printer::color_wanted;

/// What every command needs.
pub struct Settings {
    pub directory: Option<PathBuf>,
    pub printer: Arc<Printer>,
    pub interactive: bool,
}

/// How confirmations may be given in this run.
#[derive(Debug, Clone, Default)]
pub struct ConfirmPolicy {
    /// `--yes`: confirms gates of unprotected apps.
    pub yes: bool,
    /// `--confirm APP`: confirms gates that affect APP, protected or not.
    pub confirm_app: Option<String>,
    /// stdin and stderr are terminals, `--no-input` absent and `CI` unset.
    pub interactive: bool,
    /// `--step`: ask before every step.
    pub step: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Live,
    DryRun,
}

#[derive(Debug, Clone)]
pub enum Target {
    Heroku {
        api_url: String,
    },
    Sim {
        boot_delay: Duration,
        scenario: Option<String>,
    },
}

/// What `run` needs beyond the common settings.
pub struct RunSettings {
    pub name: String,
    pub environment: Option<String>,
    pub params: Vec<String>,
    pub mode: Mode,
    pub target: Target,
    pub policy: ConfirmPolicy,
    /// `--resume RUN_ID`, and `--force` to resume a changed runbook.
    pub resume: Option<String>,
    pub force: bool,
}

/// `RUNBOOK_SIM_BOOT_DELAY` sets how long simulated dynos take to boot under `--sim`.
const SIM_BOOT_DELAY_VARIABLE: &str = "RUNBOOK_SIM_BOOT_DELAY";
const SIM_BOOT_DELAY: Duration = Duration::from_millis(1500);

impl Settings {
    pub fn resolve(arguments: &Arguments) -> Self {
        let interactive = !arguments.no_input
            && std::env::var_os("CI").is_none()
            && std::io::stdin().is_terminal()
            && std::io::stderr().is_terminal();
        let printer = Arc::new(Printer::new(arguments.output, color_wanted()));
        crate::crash::mask_with(printer.redactor());
        Self {
            directory: arguments.dir.clone(),
            printer,
            interactive,
        }
    }
}

impl RunSettings {
    pub fn resolve(arguments: &RunArguments, interactive: bool) -> Result<Self, String> {
        let target = if arguments.sim {
            Target::Sim {
                boot_delay: sim_boot_delay()?,
                scenario: arguments.scenario.clone(),
            }
        } else {
            let api_url = arguments
                .api_url
                .clone()
                .unwrap_or_else(|| crate::heroku::client::DEFAULT_API_URL.to_string());
            Target::Heroku { api_url }
        };
        Ok(Self {
            name: arguments.name.clone(),
            environment: arguments.env.clone(),
            params: arguments.params.clone(),
            mode: if arguments.dry_run {
                Mode::DryRun
            } else {
                Mode::Live
            },
            target,
            resume: arguments.resume.clone(),
            force: arguments.force,
            policy: ConfirmPolicy {
                yes: arguments.yes,
                confirm_app: arguments.confirm.clone(),
                interactive,
                step: arguments.step,
            },
        })
    }
}

fn sim_boot_delay() -> Result<Duration, String> {
    match std::env::var(SIM_BOOT_DELAY_VARIABLE) {
        Ok(text) => crate::duration::parse_duration(&text)
            .map_err(|error| format!("{SIM_BOOT_DELAY_VARIABLE}: {error}")),
        Err(_) => Ok(SIM_BOOT_DELAY),
    }
}
