//! Branch names as git accepts them (`git check-ref-format --branch`), so that a name given as a
//! param can never be taken for an option (`--output=FILE`) or a revision range.

/// A name git would not take as a branch, and why (`` `--output=x` is not a branch name: it
/// starts with `-` ``).
#[derive(Debug, Clone, thiserror::Error)]
#[error("`{name}` is not a branch name: {why}")]
pub struct NotABranchName {
    /// The name as given, escaped and cut to 80 characters.
    pub name: String,
    pub why: String,
}

/// The branch name if it is one, else why not.
pub fn check_branch(name: &str) -> Result<&str, NotABranchName> {
    let refuse = |why: &str| Err(NotABranchName { name: shown(name), why: why.to_string() });
    if name.is_empty() {
        return refuse("it is empty");
    }
    if name.starts_with('-') {
        return refuse("it starts with `-`");
    }
    if name.len() > 255 {
        return refuse("it is longer than 255 bytes");
    }
    if let Some(character) =
        name.chars().find(|character| character.is_control() || " ~^:?*[\\".contains(*character))
    {
        return refuse(&format!("it contains {character:?}"));
    }
    if name.contains("..") || name.contains("@{") || name.contains("//") || name == "@" {
        return refuse("it contains `..`, `@{` or `//`");
    }
    if name.starts_with('/') || name.ends_with('/') || name.ends_with('.') {
        return refuse("it starts or ends with `/`, or ends with `.`");
    }
    if name.split('/').any(|part| part.starts_with('.') || part.ends_with(".lock")) {
        return refuse("a part starts with `.` or ends with `.lock`");
    }
    Ok(name)
}

fn shown(name: &str) -> String {
    name.chars().flat_map(char::escape_debug).take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::check_branch;

    #[test]
    fn branches_that_git_takes_and_tricks_it_does_not() {
        for good in ["main", "feature/x-1", "release-2026.11", "v1.2"] {
            assert_eq!(check_branch(good).ok(), Some(good));
        }
        for bad in [
            "--output=/tmp/x",
            "-b",
            "a..b",
            "main^",
            "HEAD~1",
            "a b",
            "x\n",
            "@{-1}",
            "/main",
            "main/",
            ".hidden",
            "x.lock",
            "",
            "a:b",
        ] {
            assert!(check_branch(bad).is_err(), "{bad:?}");
        }
    }
}
