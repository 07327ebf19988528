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

/// Every `import` names a module inside the runbooks folder that exists.
pub fn check_imports(source: &Arc<SourceFile>, ast: &AST, problems: &mut Vec<Diagnostic>) {
    let folder = source
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Import(import, position))) = path.last()
            && let Some(problem) = check_import(source, &folder, &import.0, *position)
        {
            problems.push(problem);
        }
        true
    });
}

fn check_import(
    source: &Arc<SourceFile>,
    folder: &Path,
    path: &Expr,
    position: rhai::Position,
) -> Option<Diagnostic> {
    let span = position_span(source, position);
    let Expr::StringConstant(path, _) = path else {
        return Some(
            Diagnostic::new(source, span, "an import path must be a plain string")
                .label("computed path")
                .hint("write `import \"lib/helpers\" as helpers;`"),
        );
    };
    if !crate::script::modules::stays_inside(path) {
        return Some(
            Diagnostic::new(
                source,
                span,
                format!("`{path}` is outside the runbooks folder"),
            )
            .label("not allowed")
            .hint("imports come only from inside the runbooks folder, such as `lib/helpers`"),
        );
    }
    let file = folder.join(format!("{path}.rhai"));
    (!file.is_file()).then(|| {
        Diagnostic::new(
            source,
            span,
            format!("no module `{path}`: `{}` does not exist", file.display()),
        )
        .label("not found")
        .hint("modules live in the runbooks folder, for example `runbooks/lib/helpers.rhai`")
    })
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
        }
    });
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
        if arity < least || arity > most {
            let names: Vec<&str> = operation
                .arguments
                .iter()
                .map(|argument| argument.name)
                .collect();
            return Some(
                Diagnostic::new(
                    source,
                    span,
                    format!("`heroku::{name}` takes {least} to {most} arguments, not {arity}"),
                )
                .label("wrong number of arguments")
                .hint(format!("its arguments, in order: {}", names.join(", "))),
            );
        }
        return None;
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
