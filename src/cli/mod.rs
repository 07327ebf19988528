//! The command line, as clap types; `settings` turns it into what the program acts on.

mod complete;

use std::path::PathBuf;

use clap::{Args, CommandFactory, Parser, Subcommand};

pub use clap::Error as CommandLineError;
use clap_complete::ArgValueCompleter;

use complete::runbook_names;
pub use complete::{COMPLETE_VARIABLE, Shell};

#[derive(Debug, Parser)]
#[command(
    name = "runbook",
    version,
    about = "Runbooks as code for Heroku apps: dry-run, rehearse on a simulator, confirm, record."
)]
pub struct Arguments {
    /// The runbooks folder (default: `runbooks/` here or in a parent folder).
    #[arg(long, global = true, env = "RUNBOOK_DIR", value_name = "DIR")]
    pub dir: Option<PathBuf>,
    /// The team's PostgreSQL (`postgres://...`; `?sslmode=require` for TLS, as Heroku Postgres
    /// needs): the shared journal, app locks and approvals. Without it, runbook works alone.
    #[arg(
        long,
        global = true,
        env = "RUNBOOK_DATABASE_URL",
        hide_env_values = true,
        value_name = "URL"
    )]
    pub database_url: Option<String>,
    /// How to show output (default: human); also after the commands that take it.
    #[arg(long, value_enum)]
    pub output: Option<OutputChoice>,
    /// Never prompt: confirmations need --yes or --confirm; also after `run` and `new`.
    #[arg(long)]
    pub no_input: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the runbooks you can run here.
    List {
        #[command(flatten)]
        output: OutputFlag,
    },
    /// Show a runbook: params, steps, gates and what it touches.
    Show {
        /// A runbook name, or NAME-ENV.
        #[arg(add = ArgValueCompleter::new(runbook_names))]
        name: String,
        #[arg(long)]
        env: Option<String>,
    },
    /// Validate runbooks without touching the network; warnings too.
    Check {
        /// Runbooks to check (default: all).
        #[arg(add = ArgValueCompleter::new(runbook_names))]
        names: Vec<String>,
        /// Fail (exit 2) on warnings as well as errors.
        #[arg(long)]
        deny_warnings: bool,
        /// A runbook that no test in runbooks/tests/ runs is an error.
        #[arg(long)]
        require_tests: bool,
        #[command(flatten)]
        output: OutputFlag,
    },
    /// The operations guide, in Markdown, generated from the runbooks.
    Docs,
    /// The JSON Schema of the YAML runbook format, for editors (yaml-language-server) and CI.
    Schema {
        /// The schema of test files (runbooks/tests/*.yaml) instead.
        #[arg(long)]
        tests: bool,
    },
    /// Shell completions, runbook names included: `source <(runbook completions bash)`.
    Completions {
        #[arg(value_enum)]
        shell: Shell,
    },
    /// The reference of every operation usable in runbooks, in Markdown.
    Functions,
    /// Write a new runbook from a template (asks on a terminal, or takes flags).
    New(NewArguments),
    /// Run a runbook.
    Run(RunArguments),
    /// Run the runbooks' tests (runbooks/tests/*.yaml), each rehearsed in a world of its own on
    /// simulated time.
    Test(TestArguments),
    /// Who ran what, when, with what result (from the journal).
    History(HistoryArguments),
    /// Add a timestamped line to the incident's record (and the team's, in team mode).
    Note(NoteArguments),
    /// The incident timeline as Markdown, ready for the postmortem (or --output json).
    Report(ReportArguments),
    /// Approve (or reject) another operator's run that waits for an approval (team mode).
    Approve(ApproveArguments),
    /// The apps locked now by a run, by whom, since when (team mode).
    Locks {
        #[command(flatten)]
        output: OutputFlag,
    },
    /// The runs waiting for a second operator's approval: who, runbook, app, since, time left
    /// (team mode).
    Approvals {
        #[command(flatten)]
        output: OutputFlag,
    },
    /// Team mode's own commands.
    Team {
        #[command(subcommand)]
        command: TeamCommand,
    },
    /// The built-in Heroku simulator.
    Sim {
        #[command(subcommand)]
        command: SimCommand,
    },
}

/// An answer `runbook test` gives at a question of the run it rehearses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TestAnswer {
    /// Yes, at a yes-or-no question.
    Confirm,
    /// The app's name, typed where it must be.
    Type,
    /// No, or Enter alone.
    Decline,
    /// Ctrl-C.
    Interrupt,
}

#[derive(Debug, Args)]
pub struct TestArguments {
    /// Tests to run: a runbook's name (its tests), or a test file's name (default: all).
    pub names: Vec<String>,
    /// Also write the results as JUnit XML to FILE, for CI systems.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<std::path::PathBuf>,
    /// List, per runbook, the steps the tests reached, and the runbooks no test runs.
    #[arg(long)]
    pub coverage: bool,
    /// How many tests run at once (default: one per core).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=64))]
    pub jobs: Option<u32>,
}

#[derive(Debug, Args)]
pub struct RunArguments {
    /// A runbook name, or NAME-ENV such as `restart-production`.
    #[arg(add = ArgValueCompleter::new(runbook_names))]
    pub name: String,
    /// A param, as `name=value`; repeat for more.
    #[arg(short = 'p', long = "param", value_name = "NAME=VALUE")]
    pub params: Vec<String>,
    /// The environment to target (instead of NAME-ENV).
    #[arg(long)]
    pub env: Option<String>,
    /// Run reads for real; show writes without sending them.
    #[arg(long)]
    pub dry_run: bool,
    /// Rehearse against the built-in Heroku simulator.
    #[arg(long)]
    pub sim: bool,
    /// With --sim: set up an incident first (`crashed-web`, `slow-requests`, `bad-release`,
    /// `api-flaky`, or a scenario file).
    #[arg(long, requires = "sim", value_name = "NAME|FILE")]
    pub scenario: Option<String>,
    /// Confirm every gate of an unprotected environment.
    #[arg(short = 'y', long)]
    pub yes: bool,
    /// Confirm gates that affect APP, protected environments included.
    #[arg(long, value_name = "APP")]
    pub confirm: Option<String>,
    /// Ask before every step.
    #[arg(long)]
    pub step: bool,
    /// Resume an earlier run that failed or was interrupted: skip the steps it finished.
    #[arg(long, value_name = "RUN_ID")]
    pub resume: Option<String>,
    /// With --resume: resume even though the runbook changed since that run.
    #[arg(long, requires = "resume")]
    pub force: bool,
    /// Team mode: wait up to DURATION for an app's lock held by another run, instead of stopping.
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub wait_lock: Option<std::time::Duration>,
    /// Team mode: how long to wait for a second operator's approval.
    #[arg(long, value_name = "DURATION", default_value = "15m", value_parser = duration)]
    pub approval_timeout: std::time::Duration,
    /// Run without the team's database (it is down, or you mean to): journaled here only, and
    /// pushed to the shared journal the next time it is reachable.
    #[arg(long)]
    pub no_team: bool,
    /// Deploys and promotions still watch health after their release, but never roll back.
    #[arg(long)]
    pub no_rollback: bool,
    /// The Heroku API base URL.
    #[arg(long, env = "HEROKU_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    /// Show everything: the raw lines of every read, each request a rehearsal sent.
    #[arg(short = 'v', long)]
    pub verbose: bool,
    /// `runbook test` only: the answers given at the run's questions, in order; needs --sim.
    #[arg(
        long = "test-answer",
        hide = true,
        requires = "test_world",
        value_enum,
        value_name = "ANSWER"
    )]
    pub test_answers: Vec<TestAnswer>,
    /// `runbook test` only: the rehearsal runs on a simulated clock and writes the world as it
    /// leaves it to FILE; needs --sim.
    #[arg(long, hide = true, requires = "sim", value_name = "FILE")]
    pub test_world: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub output: OutputFlag,
    #[command(flatten)]
    pub input: InputFlag,
}

/// `--output`, on the commands whose output has a JSON form.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct OutputFlag {
    /// How to show output (default: human).
    #[arg(long, value_enum)]
    pub output: Option<OutputChoice>,
}

/// `--no-input`, on the commands that may ask.
#[derive(Debug, Clone, Copy, Default, Args)]
pub struct InputFlag {
    /// Never prompt: confirmations need --yes or --confirm.
    #[arg(long)]
    pub no_input: bool,
}

impl Arguments {
    /// `--output`, given before the command or after it.
    pub fn output(&self) -> Option<OutputChoice> {
        let given = match &self.command {
            Command::List { output }
            | Command::Locks { output }
            | Command::Approvals { output }
            | Command::Team { command: TeamCommand::Policy(PolicyArguments { output, .. }) }
            | Command::Report(ReportArguments { output, .. })
            | Command::Check { output, .. }
            | Command::Run(RunArguments { output, .. }) => output.output,
            Command::History(history) => history.output,
            _ => None,
        };
        given.or(self.output)
    }

    /// `--no-input`, given before the command or after it.
    pub fn no_input(&self) -> bool {
        let given = match &self.command {
            Command::Run(RunArguments { input, .. })
            | Command::New(NewArguments { input, .. })
            | Command::Approve(ApproveArguments { input, .. })
            | Command::Team { command: TeamCommand::Policy(PolicyArguments { input, .. }) } => {
                input.no_input
            }
            _ => false,
        };
        given || self.no_input
    }
}

impl Command {
    /// Its name as typed, `sim serve` for the simulator.
    pub fn name(&self) -> &'static str {
        match self {
            Command::List { .. } => "list",
            Command::Show { .. } => "show",
            Command::Check { .. } => "check",
            Command::Docs => "docs",
            Command::Schema { .. } => "schema",
            Command::Completions { .. } => "completions",
            Command::Functions => "functions",
            Command::New(_) => "new",
            Command::Run(_) => "run",
            Command::Test(_) => "test",
            Command::History(_) => "history",
            Command::Approve(_) => "approve",
            Command::Note(_) => "note",
            Command::Report(_) => "report",
            Command::Locks { .. } => "locks",
            Command::Approvals { .. } => "approvals",
            Command::Team { command: TeamCommand::Sync } => "team sync",
            Command::Team { command: TeamCommand::Policy(_) } => "team policy",
            Command::Sim { command: SimCommand::Serve(_) } => "sim serve",
            Command::Sim { command: SimCommand::Reset } => "sim reset",
        }
    }

    /// Whether `--output json` changes what it prints.
    pub fn has_json_output(&self) -> bool {
        matches!(
            self,
            Command::List { .. }
                | Command::Check { .. }
                | Command::Run(_)
                | Command::History(_)
                | Command::Locks { .. }
                | Command::Approvals { .. }
                | Command::Team { command: TeamCommand::Policy(_) }
                | Command::Report(_)
        )
    }

    /// Whether it may ask questions, which `--no-input` forbids.
    pub fn may_ask(&self) -> bool {
        matches!(
            self,
            Command::Run(_)
                | Command::New(_)
                | Command::Approve(_)
                | Command::Team { command: TeamCommand::Policy(_) }
        )
    }
}

/// The command line as clap knows it, for completion.
pub fn command() -> clap::Command {
    Arguments::command()
}

/// The parsed command line (clap exits with its usage error or help when it must).
/// The parsed command line, or clap's word on it (an error, the help, the version).
pub fn parse() -> Result<Arguments, clap::Error> {
    Arguments::try_parse()
}

#[derive(Debug, Subcommand)]
pub enum SimCommand {
    /// Serve the simulator on 127.0.0.1 until interrupted.
    Serve(Box<SimServeArguments>),
    /// Forget the state rehearsals keep between `--sim` runs: the next one starts fresh.
    Reset,
}

#[derive(Debug, Args)]
pub struct SimServeArguments {
    /// The port; 0 picks a free one.
    #[arg(long, default_value_t = 5000)]
    pub port: u16,
    /// How long a restarted dyno stays `starting`.
    #[arg(long, default_value = "3s", value_name = "DURATION", value_parser = duration)]
    pub boot_delay: std::time::Duration,
    /// Accept only this API key (default: any non-empty one).
    #[arg(long, value_name = "KEY")]
    pub api_key: Option<String>,
    /// The most items a list returns before paging with 206 and Next-Range.
    #[arg(long, default_value_t = 1000, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub page_size: u32,
    /// Added to every API request, such as `50ms`.
    #[arg(long, default_value = "0s", value_name = "DURATION", value_parser = duration)]
    pub latency: std::time::Duration,
    /// Inject a fault: `METHOD PATH EFFECT[xN]`, EFFECT a status (503, 429), `delay=DURATION`, `reset` or `hang`; `{app}` in PATH matches any app; repeatable.
    #[arg(long, value_name = "FAULT", value_parser = crate::sim::Fault::parse)]
    pub fault: Vec<crate::sim::Fault>,
    /// Where each app gets a bare git repository to push to (default: a folder in the temp dir).
    #[arg(long, value_name = "DIR")]
    pub git_root: Option<std::path::PathBuf>,
    /// Set up an incident: a scenario name from runbooks/scenarios, or a file.
    #[arg(long, value_name = "NAME|FILE")]
    pub scenario: Option<String>,
    /// Make every log stream this many generated lines long (for load tests).
    #[arg(long, value_name = "N")]
    pub synthetic_log_lines: Option<u64>,
    /// Simulate another app besides those of environments.yaml; repeatable.
    #[arg(long, value_name = "NAME")]
    pub app: Vec<String>,
    /// How many requests each token may make at once (Heroku's rate limit).
    #[arg(long, default_value_t = 4500, value_name = "N")]
    pub rate_limit: u64,
    /// How many requests come back to each token a minute.
    #[arg(long, default_value_t = 75, value_name = "N")]
    pub rate_refill: u64,
    /// The account a token belongs to, as `GET /account` answers (`TOKEN=EMAIL`); repeatable.
    #[arg(long, value_name = "TOKEN=EMAIL", value_parser = token_account)]
    pub account: Vec<(String, String)>,
}

/// An `--account` that is not `TOKEN=EMAIL`.
#[derive(Debug, thiserror::Error)]
#[error("write it as TOKEN=EMAIL, for example `--account key-1=ada@example.com`")]
pub struct NotTokenAndEmail;

/// `TOKEN=EMAIL` as `--account` takes it.
fn token_account(text: &str) -> Result<(String, String), NotTokenAndEmail> {
    match text.split_once('=') {
        Some((token, email)) if !token.is_empty() && email.contains('@') => {
            Ok((token.to_string(), email.to_string()))
        }
        _ => Err(NotTokenAndEmail),
    }
}

/// A duration as `--boot-delay 3s` takes it.
fn duration(text: &str) -> Result<std::time::Duration, crate::duration::DurationError> {
    crate::duration::parse_duration(text)
}

#[derive(Debug, Args)]
pub struct NewArguments {
    /// The runbook's name: lowercase letters, digits and dashes.
    pub name: String,
    /// YAML or Rhai.
    #[arg(long, value_enum)]
    pub format: Option<FormatChoice>,
    /// One sentence on what it does.
    #[arg(long)]
    pub description: Option<String>,
    /// The environments it runs against, comma-separated (default: all of environments.yaml).
    #[arg(long, value_delimiter = ',')]
    pub environments: Option<Vec<String>>,
    /// What to start from.
    #[arg(long, value_enum)]
    pub template: Option<TemplateChoice>,
    #[command(flatten)]
    pub input: InputFlag,
}

/// How output is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputChoice {
    /// Lines for people; progress spinners on a terminal.
    Human,
    /// One JSON event per line on standard output.
    Json,
}

/// What `runbook new` starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TemplateChoice {
    /// Look at the app, its formation and its dynos; changes nothing.
    ReadOnly,
    /// Restart the dynos (after a confirmation) and wait until they are up.
    Restart,
    /// Deploy a branch from the local git tree, then check the app answers.
    Deploy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum FormatChoice {
    Yaml,
    Rhai,
}

#[derive(Debug, Clone, Args)]
pub struct HistoryArguments {
    #[command(subcommand)]
    pub command: Option<HistoryCommand>,
    /// Only runs of this runbook (`restart`, or `restart-production`).
    #[arg(long)]
    pub runbook: Option<String>,
    /// Only runs that ended so: succeeded, failed, not_confirmed, locked, rejected,
    /// approval_expired, aborted, interrupted, crashed, unfinished.
    #[arg(long)]
    pub status: Option<String>,
    /// How many runs to show, newest first.
    #[arg(long, default_value_t = 20)]
    pub limit: usize,
    /// Every operator's runs, from the team's database (team mode).
    #[arg(long)]
    pub team: bool,
    /// Only the runs on APP (an environment's name stands for its app).
    #[arg(long, value_name = "APP")]
    pub app: Option<String>,
    /// Only the runs of OPERATOR (the Heroku account's email).
    #[arg(long, value_name = "EMAIL")]
    pub operator: Option<String>,
    /// How to show output (default: human).
    #[arg(long, global = true, value_enum)]
    pub output: Option<OutputChoice>,
}

#[derive(Debug, Args)]
pub struct ApproveArguments {
    /// The run waiting for an approval (a prefix of its id is enough).
    pub run_id: String,
    /// Off a terminal: approve a run on APP (the typed app name, given ahead).
    #[arg(long, value_name = "APP")]
    pub confirm: Option<String>,
    /// Reject the run instead: it stops before its first write.
    #[arg(long)]
    pub reject: bool,
    /// Why it is rejected: shown on the requester's screen, journaled, in the report.
    #[arg(long, requires = "reject", value_name = "TEXT")]
    pub reason: Option<String>,
    /// The API the waiting run writes to, which says who you are (`GET /account`): Heroku's
    /// unless the run writes elsewhere.
    #[arg(long, env = "HEROKU_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    #[command(flatten)]
    pub input: InputFlag,
}

#[derive(Debug, Args)]
pub struct NoteArguments {
    /// What to note ("web back up after restart"); several words are one note.
    #[arg(required = true, num_args = 1..)]
    pub text: Vec<String>,
    /// The app the note is about.
    #[arg(long, value_name = "APP")]
    pub app: Option<String>,
    /// The Heroku API that says who you are, in team mode (`GET /account`).
    #[arg(long, env = "HEROKU_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ReportArguments {
    /// One run's timeline (a prefix of its id is enough).
    #[arg(conflicts_with = "since")]
    pub run_id: Option<String>,
    /// Everything from DURATION ago until now (`2h`, `45m`).
    #[arg(long, value_name = "DURATION", value_parser = duration)]
    pub since: Option<std::time::Duration>,
    /// Only the runs that targeted or wrote to APP, and the notes about it (or about no app).
    #[arg(long, value_name = "APP")]
    pub app: Option<String>,
    /// The Heroku API the add-ons' dashboards are read from.
    #[arg(long, env = "HEROKU_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    #[command(flatten)]
    pub output: OutputFlag,
}

#[derive(Debug, Subcommand)]
pub enum TeamCommand {
    /// Push the runs journaled here while the team's database was out of reach.
    Sync,
    /// The team's policy: which apps are protected and need approvals, for every checkout;
    /// with APP and a flag, changes it (a protected action: the app's name is typed).
    Policy(PolicyArguments),
}

#[derive(Debug, Args)]
pub struct PolicyArguments {
    /// The app to change (an environment's name stands for its app).
    pub app: Option<String>,
    /// Protect the app: no write without its name typed, in every checkout.
    #[arg(long, requires = "app", conflicts_with = "unprotected")]
    pub protected: bool,
    /// Let the checkouts decide whether the app is protected.
    #[arg(long, requires = "app")]
    pub unprotected: bool,
    /// Second operators whose approval its writes need (0 or 1).
    #[arg(long, requires = "app", value_name = "N", value_parser = clap::value_parser!(i32).range(0..=1))]
    pub approvals: Option<i32>,
    /// Off a terminal: the app's name, given ahead (the change is a protected action).
    #[arg(long, value_name = "APP")]
    pub confirm: Option<String>,
    /// The Heroku API that says who you are (`GET /account`).
    #[arg(long, env = "HEROKU_API_URL", value_name = "URL")]
    pub api_url: Option<String>,
    #[command(flatten)]
    pub output: OutputFlag,
    #[command(flatten)]
    pub input: InputFlag,
}

#[derive(Debug, Clone, Subcommand)]
pub enum HistoryCommand {
    /// One run, step by step.
    Show {
        /// The run id, or enough of its start to be unique.
        run_id: String,
    },
}
