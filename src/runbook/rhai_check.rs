//! Static checks of a Rhai runbook's calls: every `heroku::` function exists and gets its arguments.

use std::sync::Arc;

use rhai::{AST, ASTNode, Expr, Stmt};

use super::diagnostic::Diagnostic;
use super::rhai_header::position_span;
use super::source::SourceFile;
use crate::ops;

/// Host functions a Rhai runbook may call without a namespace, with their accepted arities.
const HOST_FUNCTIONS: &[(&str, &[usize])] = &[("step", &[2]), ("confirm", &[1])];

pub fn check_calls(source: &Arc<SourceFile>, ast: &AST, problems: &mut Vec<Diagnostic>) {
    ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, position))) => Some((call, *position)),
            Some(ASTNode::Stmt(Stmt::FnCall(call, position))) => Some((call, *position)),
            _ => None,
        };
        if let Some((call, position)) = call {
            let namespace = call.namespace.to_string();
            let name = call.name.as_str();
            if let Some(problem) = check_call(source, &namespace, name, call.args.len(), position) {
                problems.push(problem);
            }
        }
        true
    });
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
            let hint = match ops::catalogue::closest(&format!("heroku.{name}")) {
                Some(close) => format!("did you mean `{}`?", close.replace('.', "::")),
                None => "docs/runbook-format.md lists every operation".to_string(),
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
