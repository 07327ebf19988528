//! A command on this machine as an effect: run live in a process group of its own, its output
//! streamed; recorded in a dry-run. However its step ends (done, failed, timed out, Ctrl-C), the
//! whole group is killed and reaped before the step goes on, so a retry never overlaps it.

use std::path::PathBuf;
use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, BufReader};

use super::plan::PlannedCommand;
use crate::identifiers::AppName;

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

/// How long the end of a command waits for its group to be gone.
const REAP_WAIT: Duration = Duration::from_secs(2);

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
        become_subreaper();
        let mut child = tokio::process::Command::new(&self.program)
            .args(&self.arguments)
            .current_dir(&self.directory)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .process_group(0)
            .spawn()
            .map_err(|error| format!("cannot run `{}`: {error}", self.describe()))?;
        let group = Group(child.id().map(|pid| pid as i32));
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
        drop(group);
        Ok(status.code())
    }
}

/// A command's process group: killed and reaped when dropped, whether the command finished or
/// its future was dropped (a timeout, Ctrl-C).
struct Group(Option<i32>);

impl Drop for Group {
    fn drop(&mut self) {
        let Some(group) = self.0 else { return };
        reap_group(group);
        reap_escaped();
    }
}

/// Kills every member of `group` and reaps those that are our children.
fn reap_group(group: i32) {
    // SAFETY: plain system calls on a process group this process created.
    unsafe {
        libc::killpg(group, libc::SIGKILL);
    }
    let started = Instant::now();
    while started.elapsed() < REAP_WAIT {
        let mut status = 0;
        // SAFETY: reaps members of our own group without blocking.
        let reaped = unsafe { libc::waitpid(-group, &mut status, libc::WNOHANG) };
        if reaped > 0 {
            continue;
        }
        // SAFETY: signal 0 only asks whether any member is left.
        let alive = unsafe { libc::killpg(group, 0) } == 0;
        if reaped < 0 && !alive {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A command's process that left its group (`setsid`) becomes our child when its parent dies
/// (we are the subreaper of our commands): every child of ours still running once the command
/// ended is one of those, and is killed and reaped too.
fn reap_escaped() {
    #[cfg(target_os = "linux")]
    for _ in 0..3 {
        let escaped = children_of(std::process::id());
        if escaped.is_empty() {
            return;
        }
        for pid in escaped {
            // SAFETY: a signal to, and the reaping of, a child of this process.
            unsafe {
                libc::kill(pid, libc::SIGKILL);
                let mut status = 0;
                libc::waitpid(pid, &mut status, 0);
            }
        }
    }
}

/// The processes whose parent is `parent`, read from `/proc`.
#[cfg(target_os = "linux")]
fn children_of(parent: u32) -> Vec<i32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<i32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|stat| {
                    let after_name = stat.rsplit_once(')')?.1;
                    after_name.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect()
}

/// On Linux, orphaned grandchildren of our commands become our children, so that their group can
/// be reaped when it is killed.
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: sets a flag on this process only.
            unsafe {
                libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
            }
        });
    }
}
