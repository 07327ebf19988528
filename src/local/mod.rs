//! Reading a git work tree on this machine: the only code that reads one with git (`git push` runs
//! as a step's command, through `Effects::local`). A fixed set of read-only plumbing commands, with refs checked and options ruled out, so that a dry-run can read a branch
//! without running anything a repository configures (filters, hooks, `tar.*.command`).

mod git;
mod refs;

pub use git::{Archive, GitError, archive, commit, local_branch};
pub use refs::check_branch;
