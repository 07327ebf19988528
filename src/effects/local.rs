//! A command on this machine as an effect: run live, its output streamed; recorded in a dry-run.

use std::path::PathBuf;
use std::process::Stdio;

use tokio::io::{AsyncBufReadExt, BufReader};

use super::plan::PlannedCommand;

#[derive(Debug, Clone)]
pub struct LocalCommand {
    pub app: String,
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

    /// Runs it, passing every line it prints (both streams) to `line`.
    pub async fn run(&self, line: &(dyn Fn(String) + Send + Sync)) -> Result<Option<i32>, String> {
        let mut child = tokio::process::Command::new(&self.program)
            .args(&self.arguments)
            .current_dir(&self.directory)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|error| format!("cannot run `{}`: {error}", self.describe()))?;
        let mut stdout = BufReader::new(child.stdout.take().expect("piped")).lines();
        let mut stderr = BufReader::new(child.stderr.take().expect("piped")).lines();
        let (mut out_open, mut err_open) = (true, true);
        while out_open || err_open {
            tokio::select! {
                next = stdout.next_line(), if out_open => match next {
                    Ok(Some(text)) => line(text),
                    _ => out_open = false,
                },
                next = stderr.next_line(), if err_open => match next {
                    Ok(Some(text)) => line(text),
                    _ => err_open = false,
                },
            }
        }
        let status = child
            .wait()
            .await
            .map_err(|error| format!("`{}` did not finish: {error}", self.describe()))?;
        Ok(status.code())
    }
}
