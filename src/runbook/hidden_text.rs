//! `check` warns of text a terminal would act on rather than show: control characters (an escape
//! sequence can retitle the window or write the clipboard, a carriage return can overwrite a line)
//! and bidi overrides (which reorder a prompt so that it reads as naming another app). Whether
//! written raw in the file, or as an escape that a YAML or Rhai string turns into one (`"\e"`,
//! `"\u202e"`). The run shows such characters written out, never acts on them; the warning says
//! where they are, so that a review sees them.

use std::sync::Arc;

use rhai::{AST, ASTNode, Expr};

use super::diagnostic::Diagnostic;
use super::model::{Body, Runbook};
use super::rhai_header::position_span;
use super::source::{SourceFile, Span};
use crate::visible::{Layout, acted_on};

pub fn warnings(runbook: &Runbook) -> Vec<Diagnostic> {
    let source = &runbook.source;
    let mut found = raw_characters(source);
    let decoded = match &runbook.body {
        Body::Script(ast) => script_strings(source, ast),
        Body::Steps(_) => yaml_strings(source),
    };
    for (span, character) in decoded {
        if !found
            .iter()
            .any(|(known, _)| line_of(source, *known) == line_of(source, span))
        {
            found.push((span, character));
        }
    }
    found
        .into_iter()
        .map(|(span, character)| warning(source, span, character))
        .collect()
}

fn warning(source: &Arc<SourceFile>, span: Span, character: char) -> Diagnostic {
    Diagnostic::new(
        source,
        span,
        format!(
            "the text holds {}, which a terminal would act on rather than show",
            describe(character)
        ),
    )
    .label("hidden character")
    .hint("remove it: runbook shows it written out (`\\u{...}`), but a reader of the file may not see it")
    .warning()
}

fn describe(character: char) -> String {
    let code = u32::from(character);
    if crate::visible::is_invisible_format(character) {
        format!("an invisible or bidi character (U+{code:04X})")
    } else {
        format!("a control character (U+{code:04X})")
    }
}

/// Characters written raw in the file, one per line (a `\r` that ends a line is a line end).
fn raw_characters(source: &SourceFile) -> Vec<(Span, char)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let content = line.trim_end_matches('\n').trim_end_matches('\r');
        if let Some((at, character)) = content
            .char_indices()
            .find(|(_, character)| acted_on(*character, Layout::Line))
        {
            found.push((Span::new(offset + at, character.len_utf8()), character));
        }
        offset += line.len();
    }
    found
}

/// Strings of a Rhai script whose value holds such a character (`"\x1b"` in the source).
fn script_strings(source: &SourceFile, ast: &AST) -> Vec<(Span, char)> {
    let mut found = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::StringConstant(text, position))) = path.last()
            && let Some(character) = hidden(text)
        {
            found.push((position_span(source, *position), character));
        }
        true
    });
    found
}

/// Strings of a YAML runbook whose value holds such a character (`"\e"`, `"\u202e"` in a
/// double-quoted string), placed at the line where the string's text starts.
fn yaml_strings(source: &SourceFile) -> Vec<(Span, char)> {
    let Ok(document) = serde_saphyr::from_str::<serde_json::Value>(&source.text) else {
        return Vec::new();
    };
    let mut strings = Vec::new();
    collect_strings(&document, &mut strings);
    strings
        .into_iter()
        .filter_map(|text| {
            let character = hidden(&text)?;
            let visible_start: String = text
                .chars()
                .take_while(|character| !acted_on(*character, Layout::Line))
                .take(24)
                .collect();
            let offset = if visible_start.is_empty() {
                0
            } else {
                source.text.find(&visible_start).unwrap_or(0)
            };
            Some((Span::new(offset, visible_start.len().max(1)), character))
        })
        .collect()
}

fn collect_strings(value: &serde_json::Value, strings: &mut Vec<String>) {
    match value {
        serde_json::Value::String(text) => strings.push(text.clone()),
        serde_json::Value::Array(items) => {
            items.iter().for_each(|item| collect_strings(item, strings))
        }
        serde_json::Value::Object(entries) => {
            for (key, item) in entries {
                strings.push(key.clone());
                collect_strings(item, strings);
            }
        }
        _ => {}
    }
}

/// The first character of `text` a terminal would act on (a newline is a YAML string's own).
fn hidden(text: &str) -> Option<char> {
    text.chars()
        .find(|character| acted_on(*character, Layout::Lines))
}

fn line_of(source: &SourceFile, span: Span) -> usize {
    source.text[..span.offset.min(source.text.len())]
        .matches('\n')
        .count()
}
