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
        if !found.iter().any(|(known, _)| line_of(source, *known) == line_of(source, span)) {
            found.push((span, character));
        }
    }
    found.into_iter().map(|(span, character)| warning(source, span, character)).collect()
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
            .filter(|(at, character)| !(offset + at == 0 && *character == '\u{feff}'))
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

/// Escapes in a YAML runbook's double-quoted strings that stand for such a character (`"\e"`,
/// `"\x1b"`, `"\u202e"`), each at its place in the file.
fn yaml_strings(source: &SourceFile) -> Vec<(Span, char)> {
    let mut found = Vec::new();
    let mut quote: Option<char> = None;
    // The last character outside quotes that is not a space: a quote opens a quoted string only
    // where a value or an item starts (`key: "`, `- '`, `[`, `{`, `,`, or a line's start).
    let mut last = '\n';
    let mut characters = source.text.char_indices().peekable();
    while let Some((at, character)) = characters.next() {
        match (quote, character) {
            (None, '#') if last == '\n' || last.is_whitespace() => {
                while characters.next_if(|(_, next)| *next != '\n').is_some() {}
            }
            (None, '"' | '\'') if matches!(last, '\n' | ':' | '-' | '[' | '{' | ',' | '?') => {
                quote = Some(character);
            }
            (None, _) if character == '\n' || !character.is_whitespace() => last = character,
            (Some(open), _) if character == open => {
                quote = None;
                last = character;
            }
            (Some('"'), '\\') => {
                let Some((_, escape)) = characters.next() else {
                    break;
                };
                let digits = match escape {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => 0,
                };
                let hex: String = (0..digits)
                    .filter_map(|_| characters.next_if(|(_, next)| next.is_ascii_hexdigit()))
                    .map(|(_, next)| next)
                    .collect();
                if let Some(decoded) = yaml_escape(escape, &hex)
                    && acted_on(decoded, Layout::Lines)
                {
                    found.push((Span::new(at, 2 + hex.len()), decoded));
                }
            }
            _ => {}
        }
    }
    found
}

/// The character a YAML double-quoted escape stands for (`e` is ESC, `x1b` is ESC...).
fn yaml_escape(escape: char, hex: &str) -> Option<char> {
    match escape {
        '0' => Some('\u{0}'),
        'a' => Some('\u{7}'),
        'b' => Some('\u{8}'),
        'v' => Some('\u{b}'),
        'f' => Some('\u{c}'),
        'r' => Some('\r'),
        'e' => Some('\u{1b}'),
        'N' => Some('\u{85}'),
        'L' => Some('\u{2028}'),
        'P' => Some('\u{2029}'),
        'x' | 'u' | 'U' => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
        _ => None,
    }
}

/// The first character of `text` a terminal would act on (a newline is a YAML string's own).
fn hidden(text: &str) -> Option<char> {
    text.chars().find(|character| acted_on(*character, Layout::Lines))
}

fn line_of(source: &SourceFile, span: Span) -> usize {
    source.text[..span.offset.min(source.text.len())].matches('\n').count()
}
