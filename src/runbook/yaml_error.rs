//! Turns serde-saphyr's parse results and locations into our spans and diagnostics.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::diagnostic::Diagnostic;
use super::source::{self, Located, SourceFile, Span, Unreadable};

/// A runbook has a few hundred nodes; aliases (`*name`) that expand past this are refused.
const MAX_NODES: usize = 50_000;

/// Parses a whole YAML document, with duplicate keys refused, into `T`.
pub fn parse<T: DeserializeOwned>(source: &Arc<SourceFile>) -> Result<T, Vec<Diagnostic>> {
    let only_comments = source
        .text
        .lines()
        .all(|line| line.trim().is_empty() || line.trim_start().starts_with('#'));
    if only_comments {
        return Err(vec![
            Diagnostic::new(source, Span::new(0, 0), "the file is empty")
                .label("nothing but blank lines and comments")
                .hint("a runbook needs `description:` and `steps:`; environments.yaml needs one environment with its `app:`"),
        ]);
    }
    let options = serde_saphyr::options! {
        with_snippet: false,
        budget: serde_saphyr::budget! { max_nodes: MAX_NODES },
    };
    serde_saphyr::from_str_with_options(&source.text, options)
        .map_err(|error| vec![from_error(source, &error)])
}

fn from_error(source: &Arc<SourceFile>, error: &serde_saphyr::Error) -> Diagnostic {
    let span = error
        .location()
        .filter(|location| location.line() > 0)
        .map_or(Span::new(0, 0), |location| {
            source.span_at(location.line() as usize, location.column() as usize)
        });
    let message = clean_message(&error.without_snippet().to_string());
    if message.contains("mapping values are not allowed") {
        return indentation(source, span);
    }
    let hint = hint_for(&message);
    Diagnostic::new(source, span, message).label("here").hint(hint)
}

/// YAML's `mapping values are not allowed in this context` almost always means a key indented
/// deeper than the line above it, whose value is already given: said so, at that line.
fn indentation(source: &Arc<SourceFile>, at: Span) -> Diagnostic {
    let line_start = source.text[..at.offset].rfind('\n').map_or(0, |index| index + 1);
    let line_end =
        source.text[line_start..].find('\n').map_or(source.text.len(), |index| line_start + index);
    let line = &source.text[line_start..line_end];
    let indent = line.len() - line.trim_start().len();
    let key = line.trim_start().split(':').next().unwrap_or_default().trim();
    let above = source.text[..line_start]
        .lines()
        .rev()
        .find(|earlier| !earlier.trim().is_empty() && !earlier.trim_start().starts_with('#'));
    let span = Span::new(line_start + indent, line.trim().len().max(1));
    let message = match above {
        Some(above) if above.len() - above.trim_start().len() < indent => format!(
            "invalid YAML: `{key}:` is indented deeper than the line above it (`{}`), so YAML reads it as part of that value",
            above.trim()
        ),
        _ => format!("invalid YAML: `{key}:` starts a mapping where a plain value was expected"),
    };
    Diagnostic::new(source, span, message)
        .label("probably indented wrong")
        .hint(format!(
            "line up `{key}:` with the keys of the same mapping (spaces, not tabs), or quote a value that holds `: `"
        ))
}

/// serde-saphyr appends the position to its messages; we show it ourselves.
fn clean_message(message: &str) -> String {
    let message = message.lines().next().unwrap_or(message);
    let message = match message.find(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    // Advice meant for programs using the library, not for the author of the file.
    let message = match message.find(", set DuplicateKeyPolicy") {
        Some(index) => &message[..index],
        None => message,
    };
    if message.contains("budget breached") {
        return "invalid YAML: the document is too large once its aliases are expanded".to_string();
    }
    format!("invalid YAML: {}", message.trim())
}

fn hint_for(message: &str) -> String {
    if message.contains("unknown field") || message.contains("unknown variant") {
        unknown_field_hint(message)
    } else if message.contains("aliases are expanded") {
        format!(
            "aliases (`*name`) repeat what their anchor holds, and this document grows past {MAX_NODES} values; write the values out"
        )
    } else if message.contains("duplicate") {
        "each key may appear once in a mapping".into()
    } else {
        "docs/runbook-format.md describes the format, with examples".into()
    }
}

/// serde says `unknown field `confrim`, expected one of `id`, `name`, ...`: the closest of those.
fn unknown_field_hint(message: &str) -> String {
    let rest = "docs/runbook-format.md lists the keys each part accepts";
    let mut quoted = message.split('`').skip(1).step_by(2);
    let Some(typed) = quoted.next() else {
        return format!("check the spelling; {rest}");
    };
    let expected: Vec<&str> = match message.split_once("expected one of ") {
        Some((_, list)) => list.split(',').map(|name| name.trim().trim_matches('`')).collect(),
        None => quoted.collect(),
    };
    super::suggest::hint(typed, &expected, rest)
}

/// Reads `path` as a source, or says where and why it cannot be.
pub fn read(path: &Path) -> Result<Arc<SourceFile>, Vec<Diagnostic>> {
    SourceFile::read(path).map_err(|unreadable| vec![unreadable_file(path, unreadable)])
}

fn unreadable_file(path: &Path, unreadable: Unreadable) -> Diagnostic {
    let empty = || Arc::new(SourceFile { path: path.to_path_buf(), text: String::new() });
    match unreadable {
        Unreadable::Io(error) => {
            Diagnostic::new(&empty(), Span::new(0, 0), format!("cannot read the file: {error}"))
                .hint("check that the file exists and that you may read it")
        }
        Unreadable::TooLarge { bytes } => Diagnostic::new(
            &empty(),
            Span::new(0, 0),
            format!(
                "the file is {bytes} bytes; runbook files are limited to {} bytes",
                source::MAX_BYTES
            ),
        )
        .hint("split it into smaller runbooks that call each other with `run:`"),
        Unreadable::NotUtf8 { source, offset } => {
            Diagnostic::new(&source, Span::new(offset, 1), "the file is not UTF-8")
                .label("this byte is not UTF-8")
                .hint("save the file as UTF-8")
        }
    }
}

/// The span of a spanned YAML node, covering its first token.
pub fn span<T>(source: &SourceFile, spanned: &Spanned<T>) -> Span {
    let location = spanned.referenced;
    if location.line() == 0 {
        return Span::new(0, 0);
    }
    source.span_at(location.line() as usize, location.column() as usize)
}

/// A spanned string scalar as our `Located`, spanning the whole scalar on its line.
pub fn located(source: &SourceFile, spanned: Spanned<String>) -> Located<String> {
    let mut span = span(source, &spanned);
    let rest = &source.text[span.offset..];
    if let Some(index) = rest.find(spanned.value.as_str()) {
        let first_line = rest.find('\n').unwrap_or(rest.len());
        if index <= 1 && index + spanned.value.len() <= first_line {
            span = Span::new(span.offset + index, spanned.value.len().max(1));
        }
    }
    Located { value: spanned.value, span }
}
