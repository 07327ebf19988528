//! Every function a Rhai script calls must exist before anything runs: a misspelt call
//! (`chek_dynos(app)`) is a `check` error at its place with a did-you-mean, not a failure after the
//! run's first write. Known are the script's own functions, the host's (`step`, `confirm`,
//! `retry`, `with_timeout`, `for_each`), what the sandboxed engine registers (its packages and
//! helpers such as `ago`), and Rhai's own keywords.

use std::collections::BTreeSet;
use std::sync::Arc;

use rhai::{AST, ASTNode, Engine, Expr, Stmt};

use super::diagnostic::Diagnostic;
use super::rhai_header::position_span;
use super::source::SourceFile;

/// Host functions a Rhai runbook may call without a namespace, with their accepted arities: the
/// run registers each of them (`exec::Host`), and a unit test there holds the two lists equal.
pub const HOST_FUNCTIONS: &[(&str, &[usize])] = &[
    ("step", &[2]),
    ("confirm", &[1]),
    ("retry", &[3]),
    ("with_timeout", &[2]),
    ("for_each", &[3]),
    ("sleep", &[1]),
];

/// Names Rhai itself answers to as functions.
const KEYWORD_FUNCTIONS: &[&str] =
    &["print", "debug", "type_of", "Fn", "call", "curry", "is_shared", "is_def_fn", "is_def_var"];

/// A call of a plain function, or a method, found in a script.
struct PlainCall {
    name: String,
    position: rhai::Position,
    method: bool,
}

/// Checks that every plain function and method `ast` calls is known to `engine`, the host or
/// the script itself. (A variable holding a function pointer is called with `.call(...)`:
/// Rhai does not call it by its name.)
pub fn check_functions(
    source: &Arc<SourceFile>,
    ast: &AST,
    engine: &Engine,
    problems: &mut Vec<Diagnostic>,
) {
    for (call, hint) in unknown_calls(ast, engine) {
        problems.push(unknown(source, position_span(source, call.position), &call, hint));
    }
}

/// The same for a YAML expression (`${...}`, `when:`, `script:`), reported at `span`: the
/// expression's own positions do not count from the file's start.
pub fn check_expression_functions(
    source: &Arc<SourceFile>,
    span: super::source::Span,
    ast: &AST,
    engine: &Engine,
    problems: &mut Vec<Diagnostic>,
) {
    for (call, hint) in unknown_calls(ast, engine) {
        problems.push(unknown(source, span, &call, hint));
    }
}

fn unknown(
    source: &Arc<SourceFile>,
    span: super::source::Span,
    call: &PlainCall,
    hint: String,
) -> Diagnostic {
    let kind = if call.method { "method" } else { "function" };
    Diagnostic::new(source, span, format!("unknown {kind} `{}`", call.name))
        .label("no such function")
        .hint(hint)
}

/// The calls of `ast` that name no known function, each with its did-you-mean. Every known
/// name is gathered only when a call names none: most expressions call what exists.
fn unknown_calls(ast: &AST, engine: &Engine) -> Vec<(PlainCall, String)> {
    let unknown: Vec<PlainCall> =
        plain_calls(ast).into_iter().filter(|call| !is_known(&call.name, ast, engine)).collect();
    if unknown.is_empty() {
        return Vec::new();
    }
    let known = known_functions(ast, engine);
    unknown
        .into_iter()
        .map(|call| {
            let hint = suggestion(&call.name, &known);
            (call, hint)
        })
        .collect()
}

/// Whether a call may use `name`: one of `known_functions`, without gathering them all.
fn is_known(name: &str, ast: &AST, engine: &Engine) -> bool {
    HOST_FUNCTIONS.iter().any(|(host, _)| *host == name)
        || KEYWORD_FUNCTIONS.contains(&name)
        || ast.iter_functions().any(|function| function.name == name)
        || !engine
            .collect_fn_metadata(None, |info| (info.metadata.name == name).then_some(()), true)
            .is_empty()
}

/// The nearest known name, or the nearest operation (`heroku::dynos` for `dyno`), as a hint.
fn suggestion(typed: &str, known: &BTreeSet<String>) -> String {
    const REST: &str =
        "`runbook functions` lists the operations; the Rhai book lists the built-in functions";
    let operations: Vec<String> = crate::ops::CATALOGUE
        .iter()
        .map(|operation| format!("heroku::{}", operation.function_name()))
        .collect();
    let candidates = known
        .iter()
        .map(String::as_str)
        .chain(operations.iter().map(|name| &name["heroku::".len()..]));
    match super::suggest::closest(typed, candidates) {
        Some(close) if !known.contains(close) => format!("did you mean `heroku::{close}`? {REST}"),
        Some(close) => format!("did you mean `{close}`? {REST}"),
        None => match named_operation(typed) {
            Some(operation) => format!("did you mean `heroku::{operation}`? {REST}"),
            None => REST.to_string(),
        },
    }
}

/// The operation a misspelt name is about, when one of its words is an operation's name
/// (`chek_dynos` is about `heroku::dynos`).
fn named_operation(typed: &str) -> Option<&'static str> {
    crate::ops::CATALOGUE
        .iter()
        .map(|operation| operation.function_name())
        .filter(|name| name.len() > 3)
        .find(|name| {
            typed.split('_').any(|word| word == *name) || typed.ends_with(&format!("_{name}"))
        })
}

/// Every name a call may use: the engine's (its packages and registered helpers), the host's,
/// Rhai's keywords, and the script's own functions.
fn known_functions(ast: &AST, engine: &Engine) -> BTreeSet<String> {
    let mut known: BTreeSet<String> = engine
        .collect_fn_metadata(None, |info| Some(info.metadata.name.to_string()), true)
        .into_iter()
        .collect();
    known.extend(HOST_FUNCTIONS.iter().map(|(name, _)| name.to_string()));
    known.extend(KEYWORD_FUNCTIONS.iter().map(|name| name.to_string()));
    known.extend(ast.iter_functions().map(|function| function.name.to_string()));
    known
}

/// The calls of plain functions (no namespace) and methods, operators left out.
fn plain_calls(ast: &AST) -> Vec<PlainCall> {
    let mut calls = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        let found = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, position)))
            | Some(ASTNode::Stmt(Stmt::FnCall(call, position))) => {
                call.namespace.is_empty().then_some((call, *position, false))
            }
            Some(ASTNode::Expr(Expr::MethodCall(call, position))) => Some((call, *position, true)),
            _ => None,
        };
        if let Some((call, position, method)) = found
            && is_identifier(call.name.as_str())
        {
            calls.push(PlainCall { name: call.name.to_string(), position, method });
        }
        true
    });
    calls
}

/// A name a person wrote (`restart`), not an operator (`+`, `==`) or an internal name.
fn is_identifier(name: &str) -> bool {
    name.chars().next().is_some_and(|first| first.is_alphabetic() || first == '_')
        && name.chars().all(|character| character.is_alphanumeric() || character == '_')
}
