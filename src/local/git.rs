//! A branch's committed tree and its commit, read with git's plumbing only (`rev-parse`,
//! `cat-file`, `ls-tree`) and packed here as the `tar.gz` Heroku's Build API takes: no
//! `git archive`, so no filter, `export-subst` or `tar.*.command` of the repository ever runs.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};

use super::refs::{NotABranchName, check_branch};

/// Why a branch could not be read from a work tree; `hint` says what to do about it.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(transparent)]
    NotABranchName(#[from] NotABranchName),
    #[error("{} is not a git checkout ({reason})", directory.display())]
    NotACheckout { directory: std::path::PathBuf, reason: String },
    #[error("no {}branch `{branch}` in {}", if *local_only { "local " } else { "" }, directory.display())]
    NoBranch {
        branch: String,
        directory: std::path::PathBuf,
        /// Only a local branch would do (`git push` sends `refs/heads/BRANCH`).
        local_only: bool,
    },
    #[error("cannot run git: {0}")]
    NotRun(std::io::Error),
    /// git ran and failed, or said something this code did not expect.
    #[error("{0}")]
    Failed(String),
    /// git failed without a word (`rev-parse --quiet` of a name that is not there).
    #[error("git {0} failed")]
    Silent(String),
    #[error("cannot pack the tree: {0}")]
    Pack(std::io::Error),
}

impl GitError {
    /// What to do about it, when there is something to say, naming `-p` for the arguments the
    /// runbook takes as params.
    pub fn hint(&self) -> Option<String> {
        self.hint_for(&|_| true)
    }

    /// What to do about it; `is_param` says whether the runbook takes an argument (`directory`,
    /// `branch`) as a param of the same name, to give with `-p`, or writes it in its step.
    pub fn hint_for(&self, is_param: &dyn Fn(&str) -> bool) -> Option<String> {
        let give = |argument: &str, example: &str| {
            if is_param(argument) {
                format!("with `-p {argument}={example}`")
            } else {
                format!("in the step's `{argument}:`")
            }
        };
        match self {
            GitError::NotACheckout { .. } => Some(format!(
                "run it from the app's git checkout, or give it {}",
                give("directory", "PATH")
            )),
            GitError::NoBranch { branch, .. } => Some(format!(
                "`git branch --list` shows the local branches there; make `{branch}` one (`git switch {branch}` from a remote branch), or name another {}",
                give("branch", "NAME")
            )),
            GitError::NotABranchName(_) => {
                Some(format!("name a branch {}", give("branch", "main")))
            }
            GitError::NotRun(_) => Some("install git, or put it on the PATH".into()),
            _ => None,
        }
    }
}

/// A commit of the branch to deploy.
#[derive(Debug, Clone)]
pub struct Commit {
    pub id: String,
    pub subject: String,
}

/// A branch's committed tree, packed as Heroku's Build API wants it (`tar.gz`).
pub struct Archive {
    pub commit: Commit,
    pub bytes: Vec<u8>,
}

impl Commit {
    pub fn short(&self) -> &str {
        &self.id[..self.id.len().min(7)]
    }

    /// `main @ 84f71be: Fix the currency rounding`.
    pub fn describe(&self, branch: &str) -> String {
        format!("{branch} @ {}: {}", self.short(), self.subject)
    }
}

/// The commit `branch` points at in the repository at `directory` (what a deploy packs: a local
/// branch, or any name git resolves to a commit).
pub fn commit(directory: &Path, branch: &str) -> Result<Commit, GitError> {
    resolve(directory, branch, Refs::Any)
}

/// The commit of the local branch `branch` (`refs/heads/...`): what `git push` sends.
pub fn local_branch(directory: &Path, branch: &str) -> Result<Commit, GitError> {
    resolve(directory, branch, Refs::LocalBranches)
}

/// Which names a branch may be found under.
#[derive(Clone, Copy, PartialEq)]
enum Refs {
    Any,
    LocalBranches,
}

fn resolve(directory: &Path, branch: &str, refs: Refs) -> Result<Commit, GitError> {
    let branch = check_branch(branch)?;
    let shown = directory
        .canonicalize()
        .or_else(|_| std::path::absolute(directory))
        .unwrap_or_else(|_| directory.to_path_buf());
    if !directory.is_dir() {
        let reason = if directory.exists() { "a file, not a folder" } else { "no such folder" };
        return Err(GitError::NotACheckout { directory: shown, reason: reason.into() });
    }
    let wanted = match refs {
        Refs::Any => format!("{branch}^{{commit}}"),
        Refs::LocalBranches => format!("refs/heads/{branch}^{{commit}}"),
    };
    let id =
        git(directory, &["rev-parse", "--verify", "--quiet", "--end-of-options", &wanted], None)
            .map_err(|error| match error {
                GitError::Failed(reason) if reason.contains("not a git repository") => {
                    GitError::NotACheckout { directory: shown.clone(), reason }
                }
                GitError::Silent(_) => GitError::NoBranch {
                    branch: branch.to_string(),
                    directory: shown.clone(),
                    local_only: refs == Refs::LocalBranches,
                },
                other => other,
            })?;
    let id = String::from_utf8_lossy(&id).trim().to_string();
    if id.len() < 40 || !id.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        return Err(GitError::Failed(format!("git gave `{id}` as the commit of `{branch}`")));
    }
    let body = git(directory, &["cat-file", "commit", &id], None)?;
    Ok(Commit { subject: subject(&String::from_utf8_lossy(&body)), id })
}

/// The first line of the message of a raw commit object.
fn subject(raw: &str) -> String {
    raw.split_once("\n\n")
        .and_then(|(_, message)| message.lines().next())
        .unwrap_or_default()
        .trim()
        .to_string()
}

/// Packs the committed tree of `branch`; uncommitted changes are never included.
pub fn archive(directory: &Path, branch: &str) -> Result<Archive, GitError> {
    let commit = commit(directory, branch)?;
    let listing = git(directory, &["ls-tree", "-r", "-z", "--full-tree", &commit.id], None)?;
    let entries = tree_entries(&listing)?;
    let contents = blobs(directory, &entries)?;
    let bytes = pack(&entries, contents).map_err(GitError::Pack)?;
    Ok(Archive { commit, bytes })
}

/// One file of the tree: its mode, object id and path.
struct Entry {
    mode: u32,
    object: String,
    path: String,
}

fn tree_entries(listing: &[u8]) -> Result<Vec<Entry>, GitError> {
    let unexpected =
        |record: &str| GitError::Failed(format!("unexpected line from git ls-tree: {record}"));
    let mut entries = Vec::new();
    for record in listing.split(|byte| *byte == 0).filter(|record| !record.is_empty()) {
        let record = String::from_utf8_lossy(record);
        let (meta, path) = record.split_once('\t').ok_or_else(|| unexpected(&record))?;
        let mut fields = meta.split(' ');
        let (Some(mode), Some(kind), Some(object)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(unexpected(&record));
        };
        if kind != "blob" {
            continue;
        }
        let mode = u32::from_str_radix(mode, 8).map_err(|_| unexpected(&record))?;
        entries.push(Entry { mode, object: object.to_string(), path: path.to_string() });
    }
    Ok(entries)
}

/// The contents of every entry, in order, through one `git cat-file --batch`.
fn blobs(directory: &Path, entries: &[Entry]) -> Result<Vec<Vec<u8>>, GitError> {
    let cut_short =
        |error: std::io::Error| GitError::Failed(format!("git cat-file ended early: {error}"));
    let wanted: String = entries.iter().map(|entry| format!("{}\n", entry.object)).collect();
    let output = git(directory, &["cat-file", "--batch"], Some(wanted.into_bytes()))?;
    let mut reader = BufReader::new(output.as_slice());
    let mut contents = Vec::with_capacity(entries.len());
    for entry in entries {
        let mut header = String::new();
        reader.read_line(&mut header).map_err(cut_short)?;
        let size: usize = header
            .split(' ')
            .nth(2)
            .and_then(|size| size.trim().parse().ok())
            .ok_or_else(|| {
                GitError::Failed(format!("git cat-file gave no blob for {}: {header}", entry.path))
            })?;
        let mut content = vec![0; size];
        reader
            .read_exact(&mut content)
            .and_then(|()| reader.read_exact(&mut [0]))
            .map_err(cut_short)?;
        contents.push(content);
    }
    Ok(contents)
}

fn pack(entries: &[Entry], contents: Vec<Vec<u8>>) -> std::io::Result<Vec<u8>> {
    let encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let mut tar = tar::Builder::new(encoder);
    for (entry, content) in entries.iter().zip(contents) {
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        if entry.mode == 0o120000 {
            header.set_entry_type(tar::EntryType::Symlink);
            header.set_size(0);
            header.set_mode(0o777);
            let target = String::from_utf8_lossy(&content).into_owned();
            tar.append_link(&mut header, &entry.path, target)?;
            continue;
        }
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(if entry.mode & 0o111 != 0 { 0o755 } else { 0o644 });
        header.set_size(content.len() as u64);
        tar.append_data(&mut header, &entry.path, content.as_slice())?;
    }
    tar.into_inner()?.finish()
}

/// Runs one plumbing command of git in `directory`, with `input` on its standard input.
fn git(directory: &Path, arguments: &[&str], input: Option<Vec<u8>>) -> Result<Vec<u8>, GitError> {
    let mut child = Command::new("git")
        .args([
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "-c",
            "protocol.allow=never",
            "-c",
            "core.sshCommand=false",
        ])
        .arg("-C")
        .arg(directory)
        .args(arguments)
        .env("GIT_PAGER", "cat")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env("GIT_NO_REPLACE_OBJECTS", "1")
        .env("GIT_NO_LAZY_FETCH", "1")
        .env_remove("GIT_SSH")
        .env_remove("GIT_SSH_COMMAND")
        .env_remove("GIT_ASKPASS")
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(GitError::NotRun)?;
    let writer = input.and_then(|bytes| {
        let mut stdin = child.stdin.take()?;
        Some(std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        }))
    });
    let output = child
        .wait_with_output()
        .map_err(|error| GitError::Failed(format!("git did not finish: {error}")))?;
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    if output.status.success() {
        return Ok(output.stdout);
    }
    let reason = String::from_utf8_lossy(&output.stderr).trim().to_string();
    Err(if reason.is_empty() {
        GitError::Silent(arguments.join(" "))
    } else {
        GitError::Failed(reason)
    })
}
