//! "Did you mean ...?": the closest of the names that would have been right, for misspelled
//! keys, arguments, operations and variables alike.

/// The candidate closest to `typed`, when it is close enough to be what was meant.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let most = (typed.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .filter(|candidate| *candidate != typed)
        .map(|candidate| (strsim::damerau_levenshtein(typed, candidate), candidate))
        .filter(|(distance, _)| *distance <= most)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// `did you mean `confirm`? ` before `rest`, or `rest` alone.
pub fn hint(typed: &str, candidates: &[&str], rest: &str) -> String {
    match closest(typed, candidates.iter().copied()) {
        Some(close) => format!("did you mean `{close}`? {rest}"),
        None => rest.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_near_misses_and_not_strangers() {
        assert_eq!(closest("confrim", ["confirm", "when"]), Some("confirm"));
        assert_eq!(closest("procss_type", ["process_type", "app"]), Some("process_type"));
        assert_eq!(closest("lgos", ["logs", "app", "env"]), Some("logs"));
        assert_eq!(closest("zzz", ["confirm", "when"]), None);
        assert_eq!(closest("ap", ["app"]), Some("app"));
    }
}
