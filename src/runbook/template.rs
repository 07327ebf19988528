//! Strings with `${...}` Rhai expressions in them, split once at load time.

use super::source::{Located, Span};

/// A string as written in a runbook, cut into text and expressions.
#[derive(Debug, Clone)]
pub struct Template {
    pub parts: Vec<Part>,
    /// Where the whole string is.
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum Part {
    Text(String),
    Expression(Located<String>),
}

/// Why a template could not be split.
#[derive(Debug)]
pub struct TemplateError {
    pub offset_in_text: usize,
    pub message: String,
}

impl Template {
    /// Splits `text`; `locate` maps an offset inside `text` to a span in the source file.
    pub fn parse(
        text: &str,
        span: Span,
        locate: impl Fn(usize, usize) -> Span,
    ) -> Result<Self, TemplateError> {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut consumed = 0;
        while let Some(start) = rest.find("${") {
            if start > 0 {
                parts.push(Part::Text(rest[..start].to_string()));
            }
            let body_start = start + 2;
            let Some(length) = closing_brace(&rest[body_start..]) else {
                return Err(TemplateError {
                    offset_in_text: consumed + start,
                    message: "`${` is never closed with `}`".to_string(),
                });
            };
            let expression = rest[body_start..body_start + length].trim();
            if expression.is_empty() {
                return Err(TemplateError {
                    offset_in_text: consumed + start,
                    message: "`${}` holds no expression".to_string(),
                });
            }
            parts.push(Part::Expression(Located {
                value: expression.to_string(),
                span: locate(consumed + start, length + 3),
            }));
            let end = body_start + length + 1;
            consumed += end;
            rest = &rest[end..];
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_string()));
        }
        Ok(Self { parts, span })
    }

    /// The expression when the whole string is one `${...}`: its value keeps its type.
    pub fn sole_expression(&self) -> Option<&Located<String>> {
        match self.parts.as_slice() {
            [Part::Expression(expression)] => Some(expression),
            _ => None,
        }
    }

    pub fn expressions(&self) -> impl Iterator<Item = &Located<String>> {
        self.parts.iter().filter_map(|part| match part {
            Part::Expression(expression) => Some(expression),
            Part::Text(_) => None,
        })
    }

    /// The template as written, for display.
    pub fn source_text(&self) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Expression(expression) => format!("${{{}}}", expression.value),
            })
            .collect()
    }
}

/// Length up to the `}` that closes an expression, skipping nested braces and quoted strings.
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (index, character) in text.char_indices() {
        match (quote, character) {
            (Some(open), close) if open == close => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(character),
            (None, '{') => depth += 1,
            (None, '}') if depth == 0 => return Some(index),
            (None, '}') => depth -= 1,
            _ => {}
        }
    }
    None
}
