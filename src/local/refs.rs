//! Branch names as git accepts them (`git check-ref-format --branch`), so that a name given as a
//! param can never be taken for an option (`--output=FILE`) or a revision range.

/// The branch name if it is one, else why not.
pub fn check_branch(name: &str) -> Result<&str, String> {
    let refuse = |why: &str| Err(format!("`{}` is not a branch name: {why}", shown(name)));
    if name.is_empty() {
        return refuse("it is empty");
    }
    if name.starts_with('-') {
        return refuse("it starts with `-`");
    }
    if name.len() > 255 {
        return refuse("it is longer than 255 bytes");
    }
    if let Some(character) = name
        .chars()
        .find(|character| character.is_control() || " ~^:?*[\\".contains(*character))
    {
        return refuse(&format!("it contains {character:?}"));
    }
    if name.contains("..") || name.contains("@{") || name.contains("//") || name == "@" {
        return refuse("it contains `..`, `@{` or `//`");
    }
    if name.starts_with('/') || name.ends_with('/') || name.ends_with('.') {
        return refuse("it starts or ends with `/`, or ends with `.`");
    }
    if name
        .split('/')
        .any(|part| part.starts_with('.') || part.ends_with(".lock"))
    {
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
            assert_eq!(check_branch(good), Ok(good));
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
