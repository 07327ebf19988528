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

/// Length up to the `}` that closes an expression, skipping nested braces and quoted strings
/// (and the characters escaped in them).
fn closing_brace(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (index, character) in text.char_indices() {
        if std::mem::take(&mut escaped) {
            continue;
        }
        match (quote, character) {
            (Some(_), '\\') => escaped = true,
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

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Template, TemplateError> {
        Template::parse(text, Span::default(), |_, _| Span::default())
    }

    fn expressions(text: &str) -> Vec<String> {
        parse(text).unwrap().expressions().map(|expression| expression.value.clone()).collect()
    }

    #[test]
    fn text_and_expressions_are_split_where_written() {
        let template = parse("Restart ${app} (${dynos.len()} dynos)?").unwrap();
        assert_eq!(template.parts.len(), 5);
        assert_eq!(expressions("Restart ${app} (${dynos.len()} dynos)?"), ["app", "dynos.len()"]);
        assert_eq!(template.source_text(), "Restart ${app} (${dynos.len()} dynos)?");
        assert!(template.sole_expression().is_none());
        assert!(parse("${before}").unwrap().sole_expression().is_some());
        assert!(parse("no expression at all").unwrap().expressions().next().is_none());
    }

    #[test]
    fn braces_and_quotes_inside_an_expression_do_not_end_it() {
        assert_eq!(expressions("${ #{a: 1}.a }"), ["#{a: 1}.a"]);
        assert_eq!(expressions("${ \"}\" + x }"), ["\"}\" + x"]);
        assert_eq!(expressions("${ \"a\\\"}\" }"), ["\"a\\\"}\""]);
        assert_eq!(expressions("${ `x ${y}` }"), ["`x ${y}`"]);
    }

    #[test]
    fn an_unclosed_or_empty_expression_is_refused_where_it_starts() {
        let unclosed = parse("abc ${app").unwrap_err();
        assert_eq!(unclosed.offset_in_text, 4);
        assert!(unclosed.message.contains("never closed"));
        let empty = parse("x${ }").unwrap_err();
        assert_eq!(empty.offset_in_text, 1);
        assert!(empty.message.contains("no expression"));
    }
}
