//! Static checks of a Rhai runbook's calls: every `heroku::` function exists and gets its arguments.

use std::path::Path;
use std::sync::Arc;

use rhai::{AST, ASTNode, Expr, Stmt};

use super::diagnostic::Diagnostic;
use super::rhai_header::position_span;
use super::source::SourceFile;
use crate::ops;

/// Host functions a Rhai runbook may call without a namespace, with their accepted arities.
const HOST_FUNCTIONS: &[(&str, &[usize])] = &[("step", &[2]), ("confirm", &[1])];

/// A call found in a script: its namespace, name, arguments and position.
struct Call<'a> {
    namespace: String,
    name: &'a str,
    arguments: &'a [Expr],
    position: rhai::Position,
}

/// Visits every function call of the script, statements and expressions alike, in source order.
fn each_call(ast: &AST, mut visit: impl FnMut(Call<'_>)) {
    ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, position))) => Some((call, *position)),
            Some(ASTNode::Stmt(Stmt::FnCall(call, position))) => Some((call, *position)),
            _ => None,
        };
        if let Some((call, position)) = call {
            visit(Call {
                namespace: call.namespace.to_string(),
                name: call.name.as_str(),
                arguments: &call.args,
                position,
            });
        }
        true
    });
}

/// A YAML `script:` step: its imports checked like a Rhai runbook's (reported at the step), and
/// no `heroku::` call, which belongs in a `do:` step where the gate sees it.
pub fn check_script_step(
    source: &Arc<SourceFile>,
    span: super::source::Span,
    ast: &AST,
    engine: &rhai::Engine,
    problems: &mut Vec<Diagnostic>,
) {
    let mut found = Vec::new();
    check_imports(source, ast, engine, &mut found);
    for problem in found {
        problems.push(if Arc::ptr_eq(&problem.source, source) {
            Diagnostic::new(source, span, problem.message)
                .label("in this script")
                .hint(problem.hint.unwrap_or_default())
        } else {
            problem
        });
    }
    let mut calls_operation = false;
    each_call(ast, |call| {
        calls_operation |= call.namespace.trim_end_matches("::") == "heroku"
    });
    if calls_operation {
        problems.push(
            Diagnostic::new(source, span, "a `script:` step cannot call operations")
                .label("calls `heroku::`")
                .hint(
                    "call the operation in a `do:` step, where its confirmation and dry-run apply",
                ),
        );
    }
}

/// How deep imports may nest before the check stops following them.
const MOST_NESTED_IMPORTS: usize = 8;

/// Every `import` names a module whose real path is inside the runbooks folder, and every module
/// is checked like the runbook: its syntax, and its `heroku::` calls against the catalogue.
pub fn check_imports(
    source: &Arc<SourceFile>,
    ast: &AST,
    engine: &rhai::Engine,
    problems: &mut Vec<Diagnostic>,
) {
    let root = source
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let mut visited = Vec::new();
    check_imports_of(source, ast, &root, engine, &mut visited, problems);
}

fn check_imports_of(
    source: &Arc<SourceFile>,
    ast: &AST,
    root: &Path,
    engine: &rhai::Engine,
    visited: &mut Vec<std::path::PathBuf>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut imports = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Import(import, position))) = path.last() {
            imports.push((import.0.clone(), *position));
        }
        true
    });
    for (path, position) in imports {
        let span = position_span(source, position);
        let Expr::StringConstant(path, _) = path else {
            problems.push(
                Diagnostic::new(source, span, "an import path must be a plain string")
                    .label("computed path")
                    .hint("write `import \"lib/helpers\" as helpers;`"),
            );
            continue;
        };
        match crate::script::module_file(root, &path) {
            Err(reason) => problems.push(
                Diagnostic::new(source, span, reason)
                    .label("not allowed here")
                    .hint("modules live inside the runbooks folder, for example `runbooks/lib/helpers.rhai`"),
            ),
            Ok(file) if !visited.contains(&file) && visited.len() < MOST_NESTED_IMPORTS * 8 => {
                visited.push(file.clone());
                check_module(&file, root, engine, visited, problems);
            }
            Ok(_) => {}
        }
    }
}

/// A module checked as a runbook is: it compiles, and its calls are known.
fn check_module(
    file: &Path,
    root: &Path,
    engine: &rhai::Engine,
    visited: &mut Vec<std::path::PathBuf>,
    problems: &mut Vec<Diagnostic>,
) {
    let source = match SourceFile::read(file) {
        Ok(source) => source,
        Err(_) => return,
    };
    match engine.compile(&source.text) {
        Err(error) => problems.push(
            Diagnostic::new(
                &source,
                position_span(&source, error.position()),
                format!("invalid Rhai in module: {}", error.err_type()),
            )
            .label("here")
            .hint("a module is checked like a runbook before anything runs"),
        ),
        Ok(ast) => {
            check_calls(&source, &ast, problems);
            check_imports_of(&source, &ast, root, engine, visited, problems);
        }
    }
}

pub fn check_calls(source: &Arc<SourceFile>, ast: &AST, problems: &mut Vec<Diagnostic>) {
    let imported = import_aliases(ast);
    each_call(ast, |call| {
        if imported.contains(&call.namespace) {
            return;
        }
        let arity = call.arguments.len();
        if let Some(problem) = check_call(source, &call.namespace, call.name, arity, call.position)
        {
            problems.push(problem);
            return;
        }
        if call.namespace.trim_end_matches("::") == "heroku" {
            check_literals(source, &call, problems);
        }
    });
}

/// A `heroku::NAME(...)` call: the operation exists, and gets as many arguments as it takes.
fn check_operation_call(
    source: &Arc<SourceFile>,
    span: super::source::Span,
    name: &str,
    arity: usize,
) -> Option<Diagnostic> {
    let Some(operation) = ops::find(name).filter(|operation| operation.function_name() == name)
    else {
        let hint = match ops::closest(&format!("heroku.{name}")) {
            Some(close) => format!("did you mean `{}`?", close.replace('.', "::")),
            None => "`runbook functions` lists every operation".to_string(),
        };
        return Some(
            Diagnostic::new(source, span, format!("unknown operation `heroku::{name}`"))
                .label("not in the catalogue")
                .hint(hint),
        );
    };
    let (least, most) = (operation.required_count(), operation.arguments.len());
    if (least..=most).contains(&arity) {
        return None;
    }
    let names: Vec<&str> = operation
        .arguments
        .iter()
        .map(|argument| argument.name)
        .collect();
    Some(
        Diagnostic::new(
            source,
            span,
            format!("`heroku::{name}` takes {least} to {most} arguments, not {arity}"),
        )
        .label("wrong number of arguments")
        .hint(format!("its arguments, in order: {}", names.join(", "))),
    )
}

/// Literal arguments of a `heroku::` call are checked as the YAML loader checks them: an app name
/// or a dyno that cannot be one is an error here, not a failed run.
fn check_literals(source: &Arc<SourceFile>, call: &Call<'_>, problems: &mut Vec<Diagnostic>) {
    let Some(operation) = ops::find(call.name) else {
        return;
    };
    for (spec, argument) in operation.arguments.iter().zip(call.arguments) {
        let (value, position) = match argument {
            Expr::StringConstant(text, position) => {
                (serde_json::Value::String(text.to_string()), *position)
            }
            Expr::IntegerConstant(number, position) => (serde_json::json!(number), *position),
            Expr::BoolConstant(flag, position) => (serde_json::json!(flag), *position),
            _ => continue,
        };
        if let Err(expected) = spec.kind.check(&value) {
            problems.push(
                Diagnostic::new(
                    source,
                    position_span(source, position),
                    format!(
                        "wrong value for `{}` of `heroku::{}`: {expected}",
                        spec.name, call.name
                    ),
                )
                .label(format!("expected a {}", spec.kind.name()))
                .hint(spec.doc),
            );
        }
    }
}

/// The names modules are imported as (`import "lib/helpers" as helpers;` gives `helpers`).
fn import_aliases(ast: &AST) -> Vec<String> {
    let mut aliases = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Import(import, _))) = path.last() {
            aliases.push(import.1.name.to_string());
        }
        true
    });
    aliases
}

/// What `show` says of a script: its `step("name", ...)` names and the operations it calls.
pub fn outline(ast: &AST) -> (Vec<String>, Vec<&'static ops::Operation>) {
    let mut steps = Vec::new();
    let mut operations: Vec<&'static ops::Operation> = Vec::new();
    each_call(ast, |call| {
        if call.namespace.is_empty() && call.name == "step" {
            if let Some(Expr::StringConstant(name, _)) = call.arguments.first() {
                steps.push(name.to_string());
            }
        } else if let Some(operation) = ops::find(call.name).filter(|_| call.namespace == "heroku")
            && !operations.iter().any(|known| known.name == operation.name)
        {
            operations.push(operation);
        }
    });
    (steps, operations)
}

fn check_call(
    source: &Arc<SourceFile>,
    namespace: &str,
    name: &str,
    arity: usize,
    position: rhai::Position,
) -> Option<Diagnostic> {
    let span = position_span(source, position);
    if namespace.trim_end_matches("::") == "heroku" {
        return check_operation_call(source, span, name, arity);
    }
    if !namespace.is_empty() {
        return Some(
            Diagnostic::new(
                source,
                span,
                format!("unknown namespace `{}`", namespace.trim_end_matches("::")),
            )
            .label("not available to runbooks")
            .hint("operations live in `heroku::`"),
        );
    }
    let (_, arities) = HOST_FUNCTIONS.iter().find(|(host, _)| *host == name)?;
    (!arities.contains(&arity)).then(|| {
        Diagnostic::new(
            source,
            span,
            format!("`{name}` takes {} arguments, not {arity}", arities[0]),
        )
        .label("wrong number of arguments")
        .hint("`step(\"name\", || ...)` and `confirm(\"message\")`")
    })
}
