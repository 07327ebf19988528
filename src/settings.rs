//! Arguments and environment resolved into the settings the commands act on. Every environment
//! variable the program reads (but clap's own `env =` flags) is read here, once.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::cli::{Arguments, Command, OutputChoice, RunArguments, TestAnswer};
use crate::duration::parse_duration;
use crate::output::{OutputFormat, Printer, ScriptedAnswer};

/// How long an approval may wait for its first use before it lapses.
const APPROVAL_VALIDITY: Duration = Duration::from_secs(10 * 60);

/// What every command needs.
pub struct Settings {
    pub directory: Option<PathBuf>,
    pub printer: Arc<Printer>,
    /// stdin and stderr are terminals, `--no-input` absent and `CI` unset.
    pub interactive: bool,
    /// Where the journal lives: `RUNBOOK_STATE_DIR`, else `$XDG_STATE_HOME/runbook`, else
    /// `~/.local/state/runbook`; `None` without any of them.
    pub state_folder: Option<PathBuf>,
    /// `COLUMNS`: the width to wrap to when standard output is not a terminal.
    pub columns: Option<usize>,
    /// The team's database (`--database-url`, `RUNBOOK_DATABASE_URL`); empty is unset. A secret:
    /// the URL and its password are masked everywhere.
    pub database_url: Option<SecretString>,
    /// Debug builds only: `RUNBOOK_DEBUG_PEAK_MEMORY=FILE` writes the process's peak memory
    /// (KiB, since its program started) there as it ends, for the tests that bound it.
    pub peak_memory_file: Option<PathBuf>,
}

/// Live, or reads real and writes only planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Live,
    DryRun,
}

/// Where the run's requests go.
#[derive(Debug, Clone)]
pub enum Target {
    Heroku {
        api_url: String,
    },
    Sim {
        boot_delay: Duration,
        scenario: Option<String>,
        /// `runbook test`'s rehearsal: only ever inside the simulator's target, so that no
        /// answer is scripted and no clock simulated for a run that reaches Heroku.
        under_test: Option<UnderTest>,
    },
}

/// A rehearsal run by `runbook test`: on a simulated clock, its questions answered in order,
/// and the world it leaves written to `world_file`.
#[derive(Debug, Clone)]
pub struct UnderTest {
    pub answers: Vec<crate::output::ScriptedAnswer>,
    pub world_file: PathBuf,
}

/// How confirmations may be given, as the flags said.
#[derive(Debug, Clone, Default)]
pub struct Confirmations {
    /// `--yes`: confirms gates of unprotected apps.
    pub yes: bool,
    /// `--confirm APP`: confirms gates that affect APP, protected or not.
    pub confirm_app: Option<String>,
    /// `--step`: ask before every step.
    pub step: bool,
}

/// What `run` needs beyond the common settings.
pub struct RunSettings {
    pub name: String,
    pub environment: Option<String>,
    pub params: Vec<String>,
    pub mode: Mode,
    pub target: Target,
    pub confirmations: Confirmations,
    pub interactive: bool,
    /// `--resume RUN_ID`, and `--force` to resume a changed runbook.
    pub resume: Option<String>,
    pub force: bool,
    /// `RUNBOOK_HTTP_TIMEOUT`: how long one API request may take.
    pub http_timeout: Duration,
    /// The API token (`HEROKU_API_KEY`, else `~/.netrc`), when there is one.
    pub token: Option<SecretString>,
    /// `TERM`, for attached dynos.
    pub terminal_kind: String,
    /// Debug builds only: `RUNBOOK_DEBUG_PANIC=STEP` panics as that step starts.
    pub panic_at_step: Option<String>,
    /// Team mode: `--wait-lock`, `--approval-timeout`, `--no-team`.
    pub wait_lock: Option<Duration>,
    pub approval_timeout: Duration,
    /// How long an approval may wait for its first use before it lapses (10 minutes; debug
    /// builds read `RUNBOOK_DEBUG_APPROVAL_VALIDITY`, for the tests of lapsing).
    pub approval_validity: Duration,
    pub no_team: bool,
    /// `--no-rollback`: no operation rolls back by itself.
    pub no_rollback: bool,
}

const SIM_BOOT_DELAY_VARIABLE: &str = "RUNBOOK_SIM_BOOT_DELAY";
const SIM_BOOT_DELAY: Duration = Duration::from_millis(1500);
const HTTP_TIMEOUT_VARIABLE: &str = "RUNBOOK_HTTP_TIMEOUT";
const HTTP_TIMEOUT: Duration = Duration::from_secs(60);

impl Settings {
    pub fn resolve(arguments: &Arguments) -> Self {
        let interactive = !arguments.no_input()
            && std::env::var_os("CI").is_none()
            && std::io::stdin().is_terminal()
            && crate::output::stderr_is_terminal();
        let format = match arguments.output().unwrap_or(OutputChoice::Human) {
            OutputChoice::Human => OutputFormat::Human,
            OutputChoice::Json => OutputFormat::Json,
        };
        let verbose = matches!(&arguments.command, Command::Run(run) if run.verbose);
        let printer = Arc::new(Printer::new(format, color_wanted(), verbose));
        crate::crash::mask_with(printer.redactor());
        let database_url =
            arguments.database_url.as_deref().map(str::trim).filter(|url| !url.is_empty());
        if let Some(url) = database_url {
            mask_database_url(&printer, url);
        }
        Self {
            database_url: database_url.map(|url| SecretString::from(url.to_string())),
            peak_memory_file: cfg!(debug_assertions)
                .then(|| std::env::var_os("RUNBOOK_DEBUG_PEAK_MEMORY").map(PathBuf::from))
                .flatten(),
            directory: arguments.dir.clone(),
            printer,
            interactive,
            state_folder: state_folder(),
            columns: std::env::var("COLUMNS")
                .ok()
                .and_then(|columns| columns.trim().parse().ok())
                .filter(|columns| *columns > 0),
        }
    }

    /// Who runs this, as the system says (`USER`, `LOGNAME`, `USERNAME`, or `id -un`).
    pub fn login(&self) -> String {
        login()
    }
}

impl RunSettings {
    pub fn resolve(arguments: &RunArguments, interactive: bool) -> Result<Self, BadVariable> {
        let target = if arguments.sim {
            Target::Sim {
                boot_delay: duration_variable(SIM_BOOT_DELAY_VARIABLE, SIM_BOOT_DELAY)?,
                scenario: arguments.scenario.clone(),
                under_test: under_test(arguments),
            }
        } else {
            let api_url = arguments
                .api_url
                .clone()
                .unwrap_or_else(|| crate::heroku::DEFAULT_API_URL.to_string());
            Target::Heroku { api_url }
        };
        Ok(Self {
            name: arguments.name.clone(),
            environment: arguments.env.clone(),
            params: arguments.params.clone(),
            mode: if arguments.dry_run { Mode::DryRun } else { Mode::Live },
            target,
            confirmations: Confirmations {
                yes: arguments.yes,
                confirm_app: arguments.confirm.clone(),
                step: arguments.step,
            },
            interactive: interactive || arguments.test_world.is_some(),
            resume: arguments.resume.clone(),
            force: arguments.force,
            http_timeout: duration_variable(HTTP_TIMEOUT_VARIABLE, HTTP_TIMEOUT)?,
            token: token(),
            terminal_kind: non_empty("TERM")
                .map_or_else(|| "xterm".to_string(), |term| term.to_string_lossy().into()),
            wait_lock: arguments.wait_lock,
            approval_timeout: arguments.approval_timeout,
            approval_validity: cfg!(debug_assertions)
                .then(|| std::env::var("RUNBOOK_DEBUG_APPROVAL_VALIDITY").ok())
                .flatten()
                .and_then(|text| crate::duration::parse_duration(&text).ok())
                .unwrap_or(APPROVAL_VALIDITY),
            no_team: arguments.no_team,
            no_rollback: arguments.no_rollback,
            panic_at_step: cfg!(debug_assertions)
                .then(|| std::env::var("RUNBOOK_DEBUG_PANIC").ok())
                .flatten(),
        })
    }
}

/// What `runbook test` asked of this rehearsal (`--test-world`, `--test-answer`: clap lets them
/// through only with `--sim`).
fn under_test(arguments: &RunArguments) -> Option<UnderTest> {
    let world_file = arguments.test_world.clone()?;
    let answers = arguments
        .test_answers
        .iter()
        .map(|answer| match answer {
            TestAnswer::Confirm => ScriptedAnswer::Confirm,
            TestAnswer::Type => ScriptedAnswer::Type,
            TestAnswer::Decline => ScriptedAnswer::Decline,
            TestAnswer::Interrupt => ScriptedAnswer::Interrupt,
        })
        .collect();
    Some(UnderTest { answers, world_file })
}

/// The URL and the password in it are never shown or journaled.
fn mask_database_url(printer: &Printer, url: &str) {
    printer.redactor().add(url);
    if let Some(password) = reqwest::Url::parse(url)
        .ok()
        .and_then(|parsed| parsed.password().map(str::to_string))
        .filter(|password| password.len() >= 3)
    {
        printer.redactor().add(&password);
        if let Ok(decoded) = percent_encoding::percent_decode_str(&password).decode_utf8() {
            printer.redactor().add(&decoded);
        }
    }
}

/// An environment variable whose value cannot be used, and why.
#[derive(Debug, thiserror::Error)]
pub enum BadVariable {
    #[error("{variable}=`{text}` is not a duration (write it like `30s` or `2m`)")]
    NotADuration { variable: &'static str, text: String },
    #[error("{variable}=`{text}` is longer than a day: give a wait of at most 24h")]
    TooLong { variable: &'static str, text: String },
}

/// A duration from `variable`, else `default`; zero or unreadable is an error naming it.
fn duration_variable(variable: &'static str, default: Duration) -> Result<Duration, BadVariable> {
    let Ok(text) = std::env::var(variable) else {
        return Ok(default);
    };
    let Some(duration) = parse_duration(&text)
        .ok()
        .filter(|duration| !duration.is_zero() || variable == SIM_BOOT_DELAY_VARIABLE)
    else {
        return Err(BadVariable::NotADuration { variable, text });
    };
    if duration > crate::duration::LONGEST_WAIT {
        return Err(BadVariable::TooLong { variable, text });
    }
    Ok(duration)
}

/// `RUNBOOK_STATE_DIR`, else `$XDG_STATE_HOME/runbook`, else `~/.local/state/runbook`.
fn state_folder() -> Option<PathBuf> {
    if let Some(folder) = non_empty("RUNBOOK_STATE_DIR") {
        return Some(PathBuf::from(folder));
    }
    if let Some(state) = non_empty("XDG_STATE_HOME") {
        return Some(PathBuf::from(state).join("runbook"));
    }
    non_empty("HOME").map(|home| PathBuf::from(home).join(".local/state/runbook"))
}

/// A variable that `environments.yaml` names (`notify: { slack: VARIABLE }`); empty is unset.
/// The one read of the environment outside this file's fixed list, since its name is data.
pub fn variable(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|value| value.trim().to_string()).filter(|value| !value.is_empty())
}

/// `HEROKU_API_KEY`, else the password of `machine api.heroku.com` in `$NETRC` or `~/.netrc`.
pub fn token() -> Option<SecretString> {
    let key = std::env::var("HEROKU_API_KEY").ok();
    let netrc = non_empty("NETRC")
        .map(PathBuf::from)
        .or_else(|| non_empty("HOME").map(|home| PathBuf::from(home).join(".netrc")));
    crate::heroku::find_token(key.as_deref(), netrc.as_deref())
}

fn login() -> String {
    ["USER", "LOGNAME", "USERNAME"]
        .iter()
        .find_map(|variable| std::env::var(variable).ok().filter(|user| !user.is_empty()))
        .or_else(account_name)
        .unwrap_or_else(|| "unknown".to_string())
}

/// The login name of the account, as `id -un` prints it, when no variable says.
fn account_name() -> Option<String> {
    let output = std::process::Command::new("id").arg("-un").output().ok()?;
    let name = String::from_utf8(output.stdout).ok()?.trim().to_string();
    (output.status.success() && !name.is_empty()).then_some(name)
}

/// Colour unless `NO_COLOR` is set or standard error is not a terminal.
fn color_wanted() -> bool {
    non_empty("NO_COLOR").is_none() && crate::output::stderr_is_terminal()
}

fn non_empty(variable: &str) -> Option<std::ffi::OsString> {
    std::env::var_os(variable).filter(|value| !value.is_empty())
}
