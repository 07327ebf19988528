//! What `runbook check` warns about in a runbook that would run: writes to a protected
//! environment without a confirmation, params nobody uses, steps that can never be reached, results
//! of steps that never run, and a Rhai header that says more than the code does.

use std::collections::HashSet;
use std::sync::Arc;

use rhai::{AST, ASTNode, Expr, Stmt};

use super::diagnostic::Diagnostic;
use super::environments::Environments;
use super::model::{Action, Body, Runbook, Step};
use super::source::{Located, SourceFile, Span};
use crate::ops::{self, Effect};

pub fn lint(runbook: &Runbook, environments: &Environments) -> Vec<Diagnostic> {
    let protected: Vec<String> = runbook
        .environments
        .iter()
        .filter_map(|name| environments.get(&name.value))
        .filter(|environment| environment.protected)
        .map(|environment| environment.name.value.clone())
        .collect();
    let mut warnings = super::hidden_text::warnings(runbook);
    match &runbook.body {
        Body::Steps(steps) => {
            for list in [steps.as_slice(), runbook.finally.as_slice()] {
                unconfirmed_writes(&runbook.source, list, &protected, &mut warnings);
                unreachable_steps(&runbook.source, list, &mut warnings);
                results_that_never_exist(&runbook.source, list, &mut warnings);
            }
            let used = names_in_steps(steps.iter().chain(&runbook.finally));
            unused_params(runbook, &used, &mut warnings);
        }
        Body::Script(ast) => {
            let used = names_in_script(ast);
            unused_params(runbook, &used, &mut warnings);
            unused_environment(runbook, &used, &mut warnings);
            unconfirmed_script_writes(&runbook.source, ast, &protected, &mut warnings);
        }
    }
    warnings
}

fn unconfirmed_writes(
    source: &Arc<SourceFile>,
    steps: &[Step],
    protected: &[String],
    warnings: &mut Vec<Diagnostic>,
) {
    for step in steps {
        unconfirmed_writes(source, &step.control.on_failure, protected, warnings);
        let Action::Operation { operation, .. } = &step.action else {
            continue;
        };
        let Some(spec) = ops::find(&operation.value) else {
            continue;
        };
        if spec.effect == Effect::Read || step.confirm.is_some() || protected.is_empty() {
            continue;
        }
        warnings.push(
            Diagnostic::new(
                source,
                operation.span,
                format!("`{}` changes {} without asking first", spec.name, protected.join(", ")),
            )
            .label("a write with no `confirm:`")
            .hint("protected environments should ask: add `confirm: \"...\"` to this step")
            .warning(),
        );
    }
}

/// A `script:` that always throws ends the run: the steps after it cannot run.
fn unreachable_steps(source: &Arc<SourceFile>, steps: &[Step], warnings: &mut Vec<Diagnostic>) {
    let Some(position) = steps.iter().position(always_fails) else {
        return;
    };
    let Some(next) = steps.get(position + 1) else {
        return;
    };
    warnings.push(
        Diagnostic::new(source, step_span(next), format!("step `{}` can never run", next.name))
            .label("unreachable")
            .hint(format!("step `{}` always fails before it; remove it, or give that step `when:` or `continue_on_failure: true`", steps[position].name))
            .warning(),
    );
}

fn always_fails(step: &Step) -> bool {
    matches!(&step.action, Action::Script(code) if code.value.trim_start().starts_with("throw"))
        && step.when.is_none()
        && !step.control.continue_on_failure
}

fn step_span(step: &Step) -> Span {
    match &step.action {
        Action::Operation { operation, .. } => operation.span,
        Action::Script(code) => code.span,
        Action::Run { runbook, .. } => runbook.span,
        Action::Shell { command, .. } => command.span,
    }
}

fn unused_params(runbook: &Runbook, used: &HashSet<String>, warnings: &mut Vec<Diagnostic>) {
    for param in runbook.params.iter().filter(|param| !used.contains(&param.name.value)) {
        warnings.push(
            Diagnostic::new(
                &runbook.source,
                param.name.span,
                format!("param `{}` is never used", param.name.value),
            )
            .label("declared here")
            .hint("remove it, or use it in a `${...}`")
            .warning(),
        );
    }
}

fn unused_environment(runbook: &Runbook, used: &HashSet<String>, warnings: &mut Vec<Diagnostic>) {
    let Some(first) = runbook.environments.first() else {
        return;
    };
    if !used.contains("app") && !used.contains("env") {
        warnings.push(
            Diagnostic::new(
                &runbook.source,
                first.span,
                "the header lists environments but the code never uses `app` or `env`",
            )
            .label("environments declared here")
            .hint("use `app` in the calls, or drop the `environments:` line")
            .warning(),
        );
    }
}

fn unconfirmed_script_writes(
    source: &Arc<SourceFile>,
    ast: &AST,
    protected: &[String],
    warnings: &mut Vec<Diagnostic>,
) {
    if protected.is_empty() {
        return;
    }
    let mut confirms = false;
    let mut first_write = None;
    ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, position)))
            | Some(ASTNode::Stmt(Stmt::FnCall(call, position))) => Some((call, *position)),
            _ => None,
        };
        if let Some((call, position)) = call {
            let name = call.name.as_str();
            confirms |= call.namespace.is_empty() && name == "confirm";
            let writes = call.namespace.to_string() == "heroku"
                && ops::find(name).is_some_and(|spec| spec.effect != Effect::Read);
            if writes && first_write.is_none() {
                first_write = Some((name.to_string(), position));
            }
        }
        true
    });
    let (false, Some((name, position))) = (confirms, first_write) else {
        return;
    };
    warnings.push(
        Diagnostic::new(
            source,
            super::rhai_header::position_span(source, position),
            format!(
                "`heroku::{name}` changes {} and the script never calls `confirm`",
                protected.join(", ")
            ),
        )
        .label("a write with no confirmation")
        .hint("call `confirm(\"...\")` before the first write")
        .warning(),
    );
}

/// Every identifier the expressions, conditions and scripts of `steps` mention.
fn names_in_steps<'a>(steps: impl Iterator<Item = &'a Step>) -> HashSet<String> {
    let mut texts = Vec::new();
    collect_texts(steps, &mut texts);
    texts.iter().flat_map(|text| identifiers(&text.value)).collect()
}

/// The `${...}` expressions, conditions and scripts of `steps` (and their recovery steps), where
/// they are written.
fn collect_texts<'a>(steps: impl Iterator<Item = &'a Step>, texts: &mut Vec<&'a Located<String>>) {
    for step in steps {
        texts.extend(texts_of(step));
        collect_texts(step.control.on_failure.iter(), texts);
    }
}

/// The texts of one step alone, without its recovery steps.
fn texts_of(step: &Step) -> Vec<&Located<String>> {
    let mut texts: Vec<&Located<String>> = Vec::new();
    texts.extend(&step.when);
    if let Some(confirm) = &step.confirm {
        texts.extend(confirm.expressions());
    }
    if let Some(for_each) = &step.control.for_each {
        for items in for_each.items.templates() {
            texts.extend(items.expressions());
        }
    }
    match &step.action {
        Action::Operation { arguments, .. } | Action::Run { arguments, .. } => {
            for argument in arguments {
                for template in argument.value.templates() {
                    texts.extend(template.expressions());
                }
            }
        }
        Action::Script(code) => texts.push(code),
        Action::Shell { command, dry_run } => {
            texts.extend(command.expressions());
            if let Some(form) = dry_run {
                texts.extend(form.expressions());
            }
        }
    }
    texts
}

/// A step that is never reached, or whose `when:` is plainly false, leaves no result: a later
/// step that uses it fails when it runs.
fn results_that_never_exist(
    source: &Arc<SourceFile>,
    steps: &[Step],
    warnings: &mut Vec<Diagnostic>,
) {
    let mut never: Vec<(&str, &str)> = Vec::new();
    let mut unreachable = false;
    for step in steps {
        let mut texts = Vec::new();
        collect_texts(std::iter::once(step), &mut texts);
        for text in texts {
            let names = identifiers(&text.value);
            if let Some((id, why)) =
                never.iter().find(|(id, _)| names.iter().any(|name| name == id))
            {
                warnings.push(
                    Diagnostic::new(
                        source,
                        text.span,
                        format!("`{id}` is the result of a step that never runs"),
                    )
                    .label(format!("step `{id}` {why}"))
                    .hint("this fails when it runs: remove the use, or make that step run")
                    .warning(),
                );
            }
        }
        let plainly_false = step.when.as_ref().is_some_and(|when| when.value.trim() == "false");
        if let Some(id) = &step.id
            && (unreachable || plainly_false)
        {
            let why = if unreachable {
                "comes after a step that always fails"
            } else {
                "has `when: false`"
            };
            never.push((&id.value, why));
        }
        unreachable |= always_fails(step);
    }
}

fn names_in_script(ast: &AST) -> HashSet<String> {
    let mut names = HashSet::new();
    ast.walk(&mut |path: &[ASTNode]| {
        if let Some(ASTNode::Expr(Expr::Variable(variable, ..))) = path.last() {
            names.insert(variable.1.to_string());
        }
        true
    });
    names
}

fn identifiers(text: &str) -> Vec<String> {
    text.split(|character: char| !(character.is_ascii_alphanumeric() || character == '_'))
        .filter(|word| !word.is_empty())
        .map(String::from)
        .collect()
}
