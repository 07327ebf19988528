//! Turns serde-saphyr's parse results and locations into our spans and diagnostics.

use std::path::Path;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde_saphyr::Spanned;

use super::diagnostic::Diagnostic;
use super::source::{Located, SourceFile, Span};

/// Parses a whole YAML document, with duplicate keys refused, into `T`.
pub fn parse<T: DeserializeOwned>(source: &Arc<SourceFile>) -> Result<T, Vec<Diagnostic>> {
    if source.text.trim().is_empty() {
        return Err(vec![
            Diagnostic::new(source, Span::new(0, 0), "the file is empty")
                .hint("a runbook needs at least `steps:`"),
        ]);
    }
    let options = serde_saphyr::options! { with_snippet: false };
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
    let hint = hint_for(&message);
    Diagnostic::new(source, span, message)
        .label("here")
        .hint(hint)
}

/// serde-saphyr appends the position to its messages; we show it ourselves.
fn clean_message(message: &str) -> String {
    let message = message.lines().next().unwrap_or(message);
    let message = match message.find(" at line ") {
        Some(index) => &message[..index],
        None => message,
    };
    format!("invalid YAML: {}", message.trim())
}

fn hint_for(message: &str) -> String {
    if message.contains("unknown field") {
        "check the spelling; docs/runbook-format.md lists the keys each part accepts".into()
    } else if message.contains("duplicate") {
        "each key may appear once in a mapping".into()
    } else {
        "docs/runbook-format.md describes the format, with examples".into()
    }
}

pub fn unreadable(path: &Path, error: &std::io::Error) -> Diagnostic {
    let source = Arc::new(SourceFile {
        path: path.to_path_buf(),
        text: String::new(),
    });
    Diagnostic::new(
        &source,
        Span::new(0, 0),
        format!("cannot read the file: {error}"),
    )
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
    Located {
        value: spanned.value,
        span,
    }
}
