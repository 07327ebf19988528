//! Static checks of a Rhai runbook's calls: every `heroku::` function exists and gets its arguments.

use std::path::Path;
use std::sync::Arc;

use rhai::{AST, ASTNode, Expr, Stmt};

use super::diagnostic::Diagnostic;
use super::model::Param;
use super::rhai_header::position_span;
use super::source::{SourceFile, Span};
use crate::ops;
use crate::script::{CheckedModules, MAX_MODULES};

use super::rhai_functions::HOST_FUNCTIONS;

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
    span: Span,
    ast: &AST,
    engine: &rhai::Engine,
    modules: &mut CheckedModules,
    problems: &mut Vec<Diagnostic>,
) {
    let mut found = Vec::new();
    check_imports(source, ast, engine, modules, &mut found);
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
    each_call(ast, |call| calls_operation |= call.namespace.trim_end_matches("::") == "heroku");
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

/// Every `import` names a module whose real path is inside the runbooks folder, and every module
/// is checked like the runbook: its syntax, its imports and its `heroku::` calls against the
/// catalogue. The text checked is kept in `modules`: it is what the run imports.
pub fn check_imports(
    source: &Arc<SourceFile>,
    ast: &AST,
    engine: &rhai::Engine,
    modules: &mut CheckedModules,
    problems: &mut Vec<Diagnostic>,
) {
    let root = source.path.parent().map(Path::to_path_buf).unwrap_or_default();
    let mut imports = Imports { root: &root, engine, modules, problems };
    imports.check(source, ast);
}

/// The walk over a runbook's imports, and the imports of its modules.
struct Imports<'a> {
    root: &'a Path,
    engine: &'a rhai::Engine,
    modules: &'a mut CheckedModules,
    problems: &'a mut Vec<Diagnostic>,
}

impl Imports<'_> {
    fn check(&mut self, source: &Arc<SourceFile>, ast: &AST) {
        for (path, position) in imports_of(ast) {
            let span = position_span(source, position);
            let Expr::StringConstant(path, _) = path else {
                self.problems.push(
                    Diagnostic::new(source, span, "an import path must be a plain string")
                        .label("computed path")
                        .hint("write `import \"lib/helpers\" as helpers;`"),
                );
                continue;
            };
            if self.modules.contains(&path) {
                continue;
            }
            match crate::script::module_file(self.root, &path) {
                Err(refused) => self.problems.push(
                    Diagnostic::new(source, span, refused.to_string())
                        .label("not allowed here")
                        .hint("modules live inside the runbooks folder, for example `runbooks/lib/helpers.rhai`"),
                ),
                Ok(_) if self.modules.count() >= MAX_MODULES => self.problems.push(
                    Diagnostic::new(source, span, format!("more than {MAX_MODULES} modules imported"))
                        .label("one too many")
                        .hint("a runbook and its modules import at most that many modules in all"),
                ),
                Ok(file) => self.check_module(source, span, &path, &file),
            }
        }
    }

    /// A module checked as a runbook is: it reads, it compiles, and its calls are known.
    fn check_module(&mut self, importer: &Arc<SourceFile>, span: Span, path: &str, file: &Path) {
        let source = match SourceFile::read(file) {
            Ok(source) => source,
            Err(unreadable) => {
                self.problems.push(
                    Diagnostic::new(
                        importer,
                        span,
                        format!("cannot read module `{path}`: {unreadable}"),
                    )
                    .label("imported here"),
                );
                return;
            }
        };
        self.modules.insert(path, file, &source.text);
        match self.engine.compile(&source.text) {
            Err(error) => self.problems.push(
                Diagnostic::new(
                    &source,
                    position_span(&source, error.position()),
                    format!("invalid Rhai in module: {}", error.err_type()),
                )
                .label("here")
                .hint("a module is checked like a runbook before anything runs"),
            ),
            Ok(ast) => {
                check_calls(&source, &ast, &[], self.problems);
                super::rhai_functions::check_functions(&source, &ast, self.engine, self.problems);
                self.check(&source, &ast);
            }
        }
    }
}

/// The `import` statements anywhere in `ast`, with where each is.
fn imports_of(ast: &AST) -> Vec<(Expr, rhai::Position)> {
    let mut imports = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Import(import, position))) = path.last() {
            imports.push((import.0.clone(), *position));
        }
        true
    });
    imports
}

/// Every call of `ast` names a known function with the right number of arguments; a `heroku::`
/// call's literal arguments, and the params of `params` passed whole, fit their types.
pub fn check_calls(
    source: &Arc<SourceFile>,
    ast: &AST,
    params: &[Param],
    problems: &mut Vec<Diagnostic>,
) {
    let imported = import_aliases(ast);
    let typed = unshadowed(ast, params);
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
            check_param_arguments(source, &call, &typed, problems);
        }
    });
}

/// The params no `let` of the script, nor any function's parameter, redeclares: their type is
/// known wherever they are used.
fn unshadowed<'a>(ast: &AST, params: &'a [Param]) -> Vec<&'a Param> {
    let mut declared = Vec::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Stmt(Stmt::Var(variable, ..))) = path.last() {
            declared.push(variable.0.name.to_string());
        }
        true
    });
    for function in ast.iter_functions() {
        declared.extend(function.params.iter().map(|name| name.to_string()));
    }
    params.iter().filter(|param| !declared.contains(&param.name.value)).collect()
}

/// A param passed whole to a `heroku::` call must be of a type its argument takes.
fn check_param_arguments(
    source: &Arc<SourceFile>,
    call: &Call<'_>,
    params: &[&Param],
    problems: &mut Vec<Diagnostic>,
) {
    let Some(operation) = ops::find(call.name) else {
        return;
    };
    for (spec, argument) in operation.arguments.iter().zip(call.arguments) {
        let Expr::Variable(variable, _, position) = argument else {
            continue;
        };
        let Some(param) = params.iter().find(|param| param.name.value == variable.1.as_str())
        else {
            continue;
        };
        let Err(wanted) = super::param_types::fits(param.kind, spec.kind) else {
            continue;
        };
        let declared_as = |kind: &str| format!("it `//! param {}: {kind}`", param.name.value);
        let hint = super::param_types::misfit_hint(wanted, declared_as, spec.doc);
        problems.push(
            Diagnostic::new(
                source,
                position_span(source, *position),
                format!(
                    "param `{}` is {}, but `{}` of `heroku::{}` takes {}",
                    param.name.value,
                    super::param_types::with_article(param.kind.name()),
                    spec.name,
                    call.name,
                    super::param_types::with_article(spec.kind.name())
                ),
            )
            .label(format!("{} param", super::param_types::with_article(param.kind.name())))
            .hint(hint),
        );
    }
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
    let names: Vec<&str> = operation.arguments.iter().map(|argument| argument.name).collect();
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
/// What a Rhai runbook does, read from its syntax tree: its steps, its `confirm()` gates and the
/// operations it calls.
#[derive(Debug, Default)]
pub struct Outline {
    pub steps: Vec<String>,
    /// The message of each `confirm(...)`, or `None` when it is computed.
    pub confirmations: Vec<Option<String>>,
    pub operations: Vec<&'static ops::Operation>,
}

pub fn outline(ast: &AST) -> Outline {
    let mut outline = Outline::default();
    each_call(ast, |call| {
        let literal = match call.arguments.first() {
            Some(Expr::StringConstant(text, _)) => Some(text.to_string()),
            _ => None,
        };
        if call.namespace.is_empty() && call.name == "step" {
            if let Some(name) = literal {
                outline.steps.push(name);
            }
        } else if call.namespace.is_empty() && call.name == "confirm" {
            outline.confirmations.push(literal);
        } else if let Some(operation) = ops::find(call.name).filter(|_| call.namespace == "heroku")
            && !outline.operations.iter().any(|known| known.name == operation.name)
        {
            outline.operations.push(operation);
        }
    });
    outline
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
        .hint(
            "`step(\"name\", || ...)`, `confirm(\"message\")`, `retry(attempts, \"delay\", || ...)`, `with_timeout(\"limit\", || ...)`, `for_each(items, concurrency, |item| ...)`",
        )
    })
}
