//! Loads a Rhai runbook: metadata from its `//!` header (readable without running it), code compiled.

use std::sync::Arc;

use super::diagnostic::Diagnostic;
use super::model::{Body, Param, ParamKind, Runbook};
use super::source::{Located, SourceFile, Span};

/// Metadata read from the header comment block.
#[derive(Default)]
struct Header {
    description: Vec<String>,
    environments: Vec<Located<String>>,
    params: Vec<Param>,
}

/// Reads the header of `source` and compiles its code with `engine`.
pub fn load(
    name: &str,
    source: &Arc<SourceFile>,
    engine: &rhai::Engine,
) -> Result<Runbook, Vec<Diagnostic>> {
    let header = read_header(source)?;
    let mut scope = rhai::Scope::new();
    scope.push_dynamic("app", rhai::Dynamic::UNIT);
    scope.push_dynamic("env", rhai::Dynamic::UNIT);
    scope.push_dynamic(super::model::REHEARSAL, rhai::Dynamic::UNIT);
    for param in &header.params {
        scope.push_dynamic(param.name.value.as_str(), rhai::Dynamic::UNIT);
    }
    let ast = engine
        .compile_with_scope(&scope, &source.text)
        .map_err(|error| vec![syntax_error(source, &error, &header.params)])?;
    Ok(Runbook {
        name: name.to_string(),
        source: Arc::clone(source),
        description: header.description.join(" "),
        environments: header.environments,
        params: header.params,
        body: Body::Script(Arc::new(ast)),
        finally: Vec::new(),
        modules: Arc::default(),
    })
}

fn syntax_error(
    source: &Arc<SourceFile>,
    error: &rhai::ParseError,
    params: &[Param],
) -> Diagnostic {
    let span = position_span(source, error.position());
    let hint = match error.err_type() {
        rhai::ParseErrorType::VariableUndefined(name) => {
            let mut known =
                vec!["app".to_string(), "env".to_string(), super::model::REHEARSAL.to_string()];
            known.extend(params.iter().map(|param| param.name.value.clone()));
            known.extend(declared_names(&source.text));
            let names: Vec<&str> = known.iter().map(String::as_str).collect();
            super::suggest::hint(
                name,
                &names,
                "in scope are `app`, `env`, the params declared in the `//! param` header, and your own `let`s",
            )
        }
        _ => "see docs/ for the Rhai runbook format".to_string(),
    };
    Diagnostic::new(source, span, format!("invalid Rhai: {}", error.err_type()))
        .label("here")
        .hint(hint)
}

/// The names a script declares (`let logs = ...`, `const LIMIT = ...`), read from its text: the
/// script did not compile, so there is no syntax tree to ask.
fn declared_names(text: &str) -> Vec<String> {
    text.split(|character: char| !(character.is_alphanumeric() || character == '_'))
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|pair| matches!(pair[0], "let" | "const") && !pair[1].is_empty())
        .map(|pair| pair[1].to_string())
        .collect()
}

/// The span of a Rhai position in the source.
pub fn position_span(source: &SourceFile, position: rhai::Position) -> Span {
    match (position.line(), position.position()) {
        (Some(line), column) => source.span_at(line, column.unwrap_or(1)),
        _ => Span::new(0, 0),
    }
}

fn read_header(source: &Arc<SourceFile>) -> Result<Header, Vec<Diagnostic>> {
    let mut header = Header::default();
    let mut problems = Vec::new();
    let mut offset = 0;
    for line in source.text.split_inclusive('\n') {
        let Some(content) = line.trim_end().strip_prefix("//!") else {
            break;
        };
        let content_offset = offset + 3 + (content.len() - content.trim_start().len());
        let result = header.read_line(source, content.trim(), content_offset);
        if let Err(problem) = result {
            problems.push(problem);
        }
        offset += line.len();
    }
    if problems.is_empty() { Ok(header) } else { Err(problems) }
}

impl Header {
    fn read_line(
        &mut self,
        source: &Arc<SourceFile>,
        content: &str,
        offset: usize,
    ) -> Result<(), Diagnostic> {
        if let Some(list) = content.strip_prefix("environments:") {
            let list_offset = offset + "environments:".len();
            let mut position = 0;
            for name in list.split(',') {
                let start = list_offset + position + (name.len() - name.trim_start().len());
                position += name.len() + 1;
                if !name.trim().is_empty() {
                    self.environments.push(Located {
                        value: name.trim().to_string(),
                        span: Span::new(start, name.trim().len()),
                    });
                }
            }
        } else if let Some(declaration) = content.strip_prefix("param ") {
            let param = parse_param(source, declaration, offset + "param ".len())?;
            self.params.push(param);
        } else if !content.is_empty() {
            self.description.push(content.to_string());
        }
        Ok(())
    }
}

/// `NAME: TYPE[?] [secret] [in A|B|C] [= DEFAULT] [-- doc]`
fn parse_param(source: &Arc<SourceFile>, text: &str, offset: usize) -> Result<Param, Diagnostic> {
    let invalid = |message: &str| {
        Diagnostic::new(source, Span::new(offset, text.len().max(1)), message.to_string())
            .label("in this header line")
            .hint("write `//! param NAME: TYPE` with TYPE string, int, bool, duration or list; `TYPE?` for optional, `secret`, `in a|b|c` for the allowed values, `= value` for a default, `-- text` for its doc")
    };
    let (declaration, doc) = match text.split_once("--") {
        Some((declaration, doc)) => (declaration, doc.trim().to_string()),
        None => (text, String::new()),
    };
    let (declaration, default) = match declaration.split_once('=') {
        Some((declaration, default)) => (declaration, parse_default(default.trim())),
        None => (declaration, None),
    };
    let (name, kind) =
        declaration.split_once(':').ok_or_else(|| invalid("a param declaration needs a type"))?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
        return Err(invalid("a param name is letters, digits and `_`"));
    }
    let mut words = kind.split_whitespace();
    let kind = words.next().unwrap_or_default();
    let mut secret = false;
    let mut choices = Vec::new();
    while let Some(word) = words.next() {
        match word {
            "secret" => secret = true,
            "in" => {
                let list = words.next().unwrap_or_default();
                choices =
                    list.split('|').filter(|choice| !choice.is_empty()).map(String::from).collect();
                if choices.is_empty() {
                    return Err(invalid("`in` needs the allowed values, as `in web|worker`"));
                }
            }
            other => return Err(invalid(&format!("unexpected `{other}` after the type"))),
        }
    }
    let optional = kind.ends_with('?');
    let kind = ParamKind::parse(kind.trim_end_matches('?'))
        .ok_or_else(|| invalid(&format!("unknown param type `{kind}`")))?;
    Ok(Param {
        name: Located { value: name.to_string(), span: Span::new(offset, name.len()) },
        kind,
        required: !optional && default.is_none(),
        default,
        choices,
        secret,
        doc,
    })
}

fn parse_default(text: &str) -> Option<serde_json::Value> {
    if text == "()" || text.is_empty() {
        return None;
    }
    serde_json::from_str(text).ok().or_else(|| Some(serde_json::Value::String(text.to_string())))
}
