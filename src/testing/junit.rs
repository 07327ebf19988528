//! `runbook test --junit FILE`: the results as JUnit XML, which CI systems read.

use std::fmt::Write as _;

/// One test's result, as JUnit needs it.
pub struct JunitCase<'a> {
    pub suite: &'a str,
    pub name: &'a str,
    pub seconds: f64,
    /// The failure's text, when it failed.
    pub failure: Option<String>,
}

/// The XML document of `cases`, one `<testsuite>` per test file.
pub fn document(cases: &[JunitCase<'_>]) -> String {
    let mut suites: Vec<&str> = cases.iter().map(|case| case.suite).collect();
    suites.dedup();
    let failures = cases.iter().filter(|case| case.failure.is_some()).count();
    let mut xml = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"runbook test\" tests=\"{}\" failures=\"{failures}\">\n",
        cases.len()
    );
    for suite in suites {
        let members: Vec<&JunitCase<'_>> =
            cases.iter().filter(|case| case.suite == suite).collect();
        let failed = members.iter().filter(|case| case.failure.is_some()).count();
        let _ = writeln!(
            xml,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\">",
            escape(suite),
            members.len()
        );
        for case in members {
            xml.push_str(&testcase(case));
        }
        xml.push_str("  </testsuite>\n");
    }
    xml.push_str("</testsuites>\n");
    xml
}

fn testcase(case: &JunitCase<'_>) -> String {
    let head = format!(
        "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
        escape(case.suite),
        escape(case.name),
        case.seconds
    );
    match &case.failure {
        None => format!("{head}/>\n"),
        Some(text) => format!(
            "{head}>\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
            escape(text.lines().next().unwrap_or_default()),
            escape(text)
        ),
    }
}

/// Text made safe for XML and for whoever reads it: control characters and bidi overrides
/// written out as `visible` writes them for the terminal, then the five special characters
/// escaped; newlines and tabs kept (in attributes, as character references).
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    let lines: Vec<String> = text
        .split('\n')
        .map(|line| crate::visible::visible(line, crate::visible::Layout::Line).into_owned())
        .collect();
    for character in lines.join("\n").chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            '\n' | '\t' => escaped.push(character),
            control if control.is_control() => {
                let _ = write!(escaped, "\\u{{{:x}}}", control as u32);
            }
            other => escaped.push(other),
        }
    }
    escaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_xml_cannot_hold() {
        assert_eq!(escape("a<b & \"c\"\u{1b}[31m"), "a&lt;b &amp; &quot;c&quot;");
        let bidi = escape("pay\u{202e}lmth.exe");
        assert!(!bidi.contains('\u{202e}') && bidi.starts_with("pay"), "{bidi}");
    }

    #[test]
    fn a_failure_carries_its_text() {
        let xml = document(&[
            JunitCase { suite: "restart", name: "ok one", seconds: 0.1, failure: None },
            JunitCase {
                suite: "restart",
                name: "bad one",
                seconds: 0.2,
                failure: Some("status\nexpected succeeded".into()),
            },
        ]);
        assert!(xml.contains("<testsuite name=\"restart\" tests=\"2\" failures=\"1\">"));
        assert!(xml.contains("<failure message=\"status\">status\nexpected succeeded</failure>"));
        assert!(xml.contains("name=\"ok one\" time=\"0.100\"/>"));
    }
}
