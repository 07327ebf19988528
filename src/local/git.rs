//! Reading a git work tree: the commit a branch points at, and its committed tree as a tarball.

use std::path::Path;
use std::process::Command;

/// A branch's committed tree, packed as Heroku's Build API wants it (`tar.gz`).
pub struct Archive {
    pub commit: String,
    pub bytes: Vec<u8>,
}

/// Packs `branch` of the repository at `directory`; uncommitted changes are never included.
pub fn archive(directory: &Path, branch: &str) -> Result<Archive, String> {
    let commit = git(
        directory,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{branch}^{{commit}}"),
        ],
    )
    .map_err(|error| {
        format!(
            "no branch `{branch}` to deploy in {}: {error}",
            directory.display()
        )
    })?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();
    let bytes = git(directory, &["archive", "--format=tar.gz", &commit])?;
    Ok(Archive { commit, bytes })
}

/// `main @ 84f71be: Fix the currency rounding`, for the confirmation of a deploy.
pub fn describe(directory: &Path, branch: &str) -> Result<String, String> {
    let line = git(directory, &["log", "-1", "--format=%h: %s", branch])?;
    Ok(format!(
        "{branch} @ {}",
        String::from_utf8_lossy(&line).trim()
    ))
}

fn git(directory: &Path, arguments: &[&str]) -> Result<Vec<u8>, String> {
    let output = Command::new("git")
        .arg("-C")
        .arg(directory)
        .args(arguments)
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        Ok(output.stdout)
    } else {
        let reason = String::from_utf8_lossy(&output.stderr).trim().to_string();
        Err(if reason.is_empty() {
            format!("git {} failed", arguments.join(" "))
        } else {
            reason
        })
    }
}
