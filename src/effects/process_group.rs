//! The process group a local command runs in: killed and reaped whole when its step ends, and
//! recognised later (`--resume`, on the same machine) while any of its processes still runs.

use std::time::{Duration, Instant};

use rustix::process::{Pid, Signal, WaitOptions};

use super::guard::ProcessGroup;

/// How long the end of a command waits for its group to be gone.
const REAP_WAIT: Duration = Duration::from_secs(2);

/// The environment variable that marks every process a command starts.
pub const MARK_VARIABLE: &str = "RUNBOOK_COMMAND";

/// A command's process group while it runs: killed and reaped when dropped, whether the command
/// finished or its future was dropped (a timeout, Ctrl-C, SIGTERM).
pub struct Group {
    leader: Option<Pid>,
    mark: String,
}

impl Group {
    /// The group whose first process is `leader` (started with `process_group(0)`), its
    /// processes marked with `mark`.
    pub fn led_by(leader: Option<u32>, mark: String) -> Self {
        let leader = leader.and_then(|id| Pid::from_raw(id as i32));
        if let Some(leader) = leader {
            crate::interrupt::register_group(leader.as_raw_nonzero().get());
        }
        Self { leader, mark }
    }

    /// The group as the journal records it.
    pub fn recorded(&self) -> Option<ProcessGroup> {
        let id = self.leader?;
        Some(ProcessGroup {
            id: id.as_raw_nonzero().get(),
            boot: boot_id(),
            mark: self.mark.clone(),
        })
    }
}

/// A new mark for a command's processes.
fn new_mark() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Drop for Group {
    fn drop(&mut self) {
        let Some(group) = self.leader else { return };
        reap_group(group);
        reap_escaped();
        crate::interrupt::unregister_group(group.as_raw_nonzero().get());
    }
}

impl ProcessGroup {
    /// The group of a command about to start: its mark chosen, its id not known yet. Recorded
    /// before the command starts, so that a run killed before it records the id still leaves
    /// what `--resume` needs to find the command's processes.
    pub fn to_start() -> Self {
        Self { id: 0, boot: boot_id(), mark: new_mark() }
    }

    /// Whether any process of this group may still be running: on the same boot of this
    /// machine, a process of the group is alive (a group id is not given to another group while
    /// any process of the first one lives). A process that has ended but that nobody reaped yet
    /// (a zombie) runs nothing, and does not count.
    pub fn may_still_run(&self) -> bool {
        if self.boot != boot_id() {
            return false;
        }
        let group_lives = Pid::from_raw(self.id).is_some_and(|group| {
            let known = match rustix::process::test_kill_process_group(group) {
                Ok(()) => true,
                Err(error) => error == rustix::io::Errno::PERM,
            };
            known && living_members(self.id).unwrap_or(true)
        });
        group_lives || self.marked_process_lives()
    }

    /// Whether a living process carries this command's mark in its environment: one that left
    /// the group (`setsid`) on purpose to outlive it.
    fn marked_process_lives(&self) -> bool {
        if self.mark.is_empty() {
            return false;
        }
        let wanted = format!("{MARK_VARIABLE}={}", self.mark);
        processes().any(|(pid, stat)| {
            !stat_state_is_zombie(&stat)
                && std::fs::read(format!("/proc/{pid}/environ")).is_ok_and(|environ| {
                    environ.split(|byte| *byte == 0).any(|entry| entry == wanted.as_bytes())
                })
        })
    }
}

/// Every process of this machine, as its id and `/proc/ID/stat`.
fn processes() -> impl Iterator<Item = (String, String)> {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let name = entry.file_name().to_str()?.to_string();
            name.bytes().all(|byte| byte.is_ascii_digit()).then_some(name)
        })
        .filter_map(|pid| {
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
            Some((pid, stat))
        })
}

fn stat_state_is_zombie(stat: &str) -> bool {
    stat.rsplit_once(')').and_then(|(_, after)| after.split_whitespace().next()) == Some("Z")
}

/// Whether a process of group `id` is alive and not a zombie, read from `/proc`; `None` where
/// `/proc` cannot be read (then the group is taken to be alive).
fn living_members(id: i32) -> Option<bool> {
    std::fs::read_dir("/proc").ok()?;
    Some(processes().any(|(_, stat)| {
        let group = stat
            .rsplit_once(')')
            .and_then(|(_, after)| after.split_whitespace().nth(2))
            .and_then(|field| field.parse::<i32>().ok());
        group == Some(id) && !stat_state_is_zombie(&stat)
    }))
}

/// This boot of this machine, as Linux names it; empty where there is no such file.
fn boot_id() -> String {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .map(|text| text.trim().to_string())
        .unwrap_or_default()
}

/// Kills every member of `group` and reaps those that are our children.
fn reap_group(group: Pid) {
    let _ = rustix::process::kill_process_group(group, Signal::KILL);
    let started = Instant::now();
    while started.elapsed() < REAP_WAIT {
        let reaped = rustix::process::waitpgid(group, WaitOptions::NOHANG);
        if matches!(reaped, Ok(Some(_))) {
            continue;
        }
        let alive = rustix::process::test_kill_process_group(group).is_ok();
        if reaped.is_err() && !alive {
            return;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A command's process that left its group (`setsid`) becomes our child when its parent dies
/// (we are the subreaper of our commands): every child of ours still running once the command
/// ended is one of those, and is killed and reaped too.
fn reap_escaped() {
    for _ in 0..3 {
        let escaped = children();
        if escaped.is_empty() {
            return;
        }
        for child in escaped {
            let _ = rustix::process::kill_process(child, Signal::KILL);
            let _ = rustix::process::waitpid(Some(child), WaitOptions::empty());
        }
    }
}

/// This process's children, as Linux lists them for each of its threads.
fn children() -> Vec<Pid> {
    let Ok(threads) = std::fs::read_dir("/proc/self/task") else {
        return Vec::new();
    };
    threads
        .flatten()
        .filter_map(|thread| std::fs::read_to_string(thread.path().join("children")).ok())
        .flat_map(|listed| {
            listed
                .split_whitespace()
                .filter_map(|id| id.parse().ok().and_then(Pid::from_raw))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Orphaned grandchildren of our commands become our children, so that they can be found and
/// reaped when their command's group is killed.
pub fn become_subreaper() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = rustix::process::set_child_subreaper(Some(rustix::process::getpid()));
    });
}
