//! A command on this machine as an effect: run live in a process group of its own, its output
//! streamed; recorded in a dry-run. However its step ends (done, failed, timed out, Ctrl-C), the
//! whole group is killed and reaped before the step goes on, so a retry never overlaps it.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncRead, AsyncReadExt};

use super::guard::{ProcessGroup, Unrecorded};
use super::plan::PlannedCommand;
use super::process_group::{Group, MARK_VARIABLE, become_subreaper};
use crate::identifiers::AppName;
use crate::lines::LineBuffer;

#[derive(Debug, Clone)]
pub struct LocalCommand {
    /// The app it changes, when it changes one (`git push` to its remote).
    pub app: Option<AppName>,
    pub program: String,
    pub arguments: Vec<String>,
    pub directory: PathBuf,
}

#[derive(Debug)]
pub enum LocalOutcome {
    /// The exit status, or `None` when a signal ended it.
    Ran(Option<i32>),
    Recorded,
}

impl LocalCommand {
    pub fn describe(&self) -> String {
        if let [flag, script] = self.arguments.as_slice()
            && self.program == "sh"
            && flag == "-c"
        {
            return script.clone();
        }
        std::iter::once(self.program.as_str())
            .chain(self.arguments.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }

    pub fn planned(&self) -> PlannedCommand {
        PlannedCommand {
            app: self.app.clone(),
            command: self.describe(),
            directory: self.directory.display().to_string(),
        }
    }

    /// Runs it, passing every line it prints (both streams) to `line`. `running` is told of its
    /// process group as soon as it started; when it cannot record it, the group is stopped at
    /// once and the command counts as not run.
    pub async fn run(
        &self,
        marked: &ProcessGroup,
        line: &(dyn Fn(String) + Send + Sync),
        running: impl FnOnce(Option<ProcessGroup>) -> Result<(), Unrecorded>,
    ) -> Result<Option<i32>, LocalError> {
        become_subreaper();
        // A local command takes real time: the simulated clock of `runbook test` stands still.
        let _running = crate::clock::busy();
        let mark = marked.mark.clone();
        let mut child = tokio::process::Command::new(&self.program)
            .args(&self.arguments)
            .env(MARK_VARIABLE, &mark)
            .current_dir(&self.directory)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .kill_on_drop(true)
            .spawn()
            .map_err(|error| {
                LocalError::Failed(format!("cannot run `{}`: {error}", self.describe()))
            })?;
        let group = Group::led_by(child.id(), mark);
        running(group.recorded()).map_err(LocalError::Unrecorded)?;
        let stdout = child.stdout.take().expect("piped");
        let stderr = child.stderr.take().expect("piped");
        read_both(stdout, stderr, line).await;
        let status = child.wait().await.map_err(|error| {
            LocalError::Failed(format!("`{}` did not finish: {error}", self.describe()))
        })?;
        drop(group);
        Ok(status.code())
    }
}

/// Why a local command did not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("{0}")]
    Failed(String),
    /// Its start could not be recorded: it was stopped at once.
    #[error(transparent)]
    Unrecorded(Unrecorded),
}

/// Reads both streams of a command to their ends, as bytes: every line to `line`, whatever its
/// bytes or length (`lines::LineBuffer`), so that no output can stop the reading and leave the
/// command blocked on a full pipe.
async fn read_both(
    stdout: impl AsyncRead + Unpin,
    stderr: impl AsyncRead + Unpin,
    line: &(dyn Fn(String) + Send + Sync),
) {
    let (mut out, mut err) = (Stream::new(stdout), Stream::new(stderr));
    while out.open || err.open {
        tokio::select! {
            () = out.read(line), if out.open => {}
            () = err.read(line), if err.open => {}
        }
    }
}

/// One output stream of a command and the line it is in the middle of.
struct Stream<R> {
    reader: R,
    lines: LineBuffer,
    chunk: Box<[u8; 8192]>,
    open: bool,
}

impl<R: AsyncRead + Unpin> Stream<R> {
    fn new(reader: R) -> Self {
        Self { reader, lines: LineBuffer::default(), chunk: Box::new([0; 8192]), open: true }
    }

    /// Reads what is there and hands on the lines it completes; at the end, the last line.
    async fn read(&mut self, line: &(dyn Fn(String) + Send + Sync)) {
        let mut line = |text: std::borrow::Cow<'_, str>| {
            line(text.into_owned());
            true
        };
        let line = &mut line;
        match self.reader.read(&mut self.chunk[..]).await {
            Ok(0) | Err(_) => {
                self.lines.finish(line);
                self.open = false;
            }
            Ok(read) => {
                self.lines.push(&self.chunk[..read], line);
            }
        }
    }
}
