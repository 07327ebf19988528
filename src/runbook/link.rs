//! `run: other-runbook`: linking each step that runs another runbook to it, after checking that it
//! exists, does not run its caller again, takes the params given, and runs where its caller does.

use std::sync::Arc;

use super::diagnostic::Diagnostic;
use super::library::Library;
use super::model::{Action, Argument, ArgumentValue, Body, Param, ParamKind, Runbook, Step};
use super::source::{Located, Span};
use super::template::Template;

/// Links every `run:` step of `runbook`; the problems found. `running` holds the callers so far.
pub fn link(library: &Library, runbook: &Runbook, running: &mut Vec<String>) -> Vec<Diagnostic> {
    let Body::Steps(steps) = &runbook.body else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for step in all_steps(steps.iter().chain(&runbook.finally)) {
        if let Action::Run { runbook: name, arguments, callee } = &step.action {
            match resolve(library, runbook, name, arguments, running) {
                Ok(linked) => {
                    let _ = callee.set(Arc::new(linked));
                }
                Err(problem) => problems.push(problem),
            }
        }
    }
    problems
}

/// Every step, those of `on_failure` included.
fn all_steps<'a>(steps: impl Iterator<Item = &'a Step>) -> Vec<&'a Step> {
    let mut all = Vec::new();
    for step in steps {
        all.push(step);
        all.extend(all_steps(step.control.on_failure.iter()));
    }
    all
}

fn resolve(
    library: &Library,
    caller: &Runbook,
    name: &Located<String>,
    arguments: &[Argument],
    running: &mut Vec<String>,
) -> Result<Runbook, Diagnostic> {
    let problem = |message: String, label: &str, hint: String| {
        Diagnostic::new(&caller.source, name.span, message).label(label.to_string()).hint(hint)
    };
    if running.contains(&name.value) {
        let chain = running
            .iter()
            .chain(std::iter::once(&name.value))
            .map(|step| format!("`{step}`"))
            .collect::<Vec<_>>()
            .join(" runs ");
        return Err(problem(
            format!("a cycle: {chain}"),
            "runs a runbook already running",
            "a runbook cannot run itself, directly or through others".into(),
        ));
    }
    let Some(file) = library.file(&name.value) else {
        return Err(problem(
            format!("no runbook named `{}`", name.value),
            "not in the runbooks folder",
            "`runbook list` shows the runbooks; `run:` takes the name without an environment"
                .into(),
        ));
    };
    let callee = library.load_callee(file, running).map_err(|inner| {
        problem(
            format!("`{}` has {} problem(s) of its own", name.value, inner.len()),
            "invalid runbook",
            format!("run `runbook check {}`", name.value),
        )
    })?;
    check_environments(caller, &callee, name)?;
    check_params(caller, &callee, name, arguments)?;
    Ok(callee)
}

/// The callee runs against every environment the caller does.
fn check_environments(
    caller: &Runbook,
    callee: &Runbook,
    name: &Located<String>,
) -> Result<(), Diagnostic> {
    let declared: Vec<&str> =
        callee.environments.iter().map(|environment| environment.value.as_str()).collect();
    let Some(missing) = caller
        .environments
        .iter()
        .find(|environment| !declared.contains(&environment.value.as_str()))
    else {
        return Ok(());
    };
    let runs_against = if declared.is_empty() { "none".to_string() } else { declared.join(", ") };
    Err(Diagnostic::new(
        &caller.source,
        name.span,
        format!(
            "`{}` does not run against `{}`, which this runbook does",
            name.value, missing.value
        ),
    )
    .label("environments differ")
    .hint(format!("`{}` runs against: {runs_against}", name.value)))
}

fn check_params(
    caller: &Runbook,
    callee: &Runbook,
    name: &Located<String>,
    arguments: &[Argument],
) -> Result<(), Diagnostic> {
    let names: Vec<&str> = callee.params.iter().map(|param| param.name.value.as_str()).collect();
    if let Some(unknown) =
        arguments.iter().find(|argument| !names.contains(&argument.name.value.as_str()))
    {
        return Err(Diagnostic::new(
            &caller.source,
            unknown.name.span,
            format!("`{}` takes no param `{}`", callee.name, unknown.name.value),
        )
        .label("unknown param")
        .hint(if names.is_empty() {
            format!("`{}` takes no params", callee.name)
        } else {
            super::suggest::hint(
                &unknown.name.value,
                &names,
                &format!("its params are: {}", names.join(", ")),
            )
        }));
    }
    for argument in arguments {
        if let Some(problem) = argument_type_problem(caller, callee, argument) {
            return Err(problem);
        }
    }
    let missing = callee.params.iter().find(|param| {
        param.required
            && param.default.is_none()
            && !arguments.iter().any(|argument| argument.name.value == param.name.value)
    });
    match missing {
        Some(param) => Err(Diagnostic::new(
            &caller.source,
            name.span,
            format!("`{}` needs the param `{}`", callee.name, param.name.value),
        )
        .label("missing param")
        .hint(format!("add `with: {{ {}: ... }}`", param.name.value))),
        None => Ok(()),
    }
}

/// A value given to a callee's param whose type is known here (a literal, or a whole `${param}`
/// of the caller) must be of the callee param's type, as the run would require.
fn argument_type_problem(
    caller: &Runbook,
    callee: &Runbook,
    argument: &Argument,
) -> Option<Diagnostic> {
    let param = callee.params.iter().find(|param| param.name.value == argument.name.value)?;
    let problem = |span, message: String, hint: String| {
        Diagnostic::new(&caller.source, span, message)
            .label(format!("`{}` takes {}", param.name.value, param.kind.name()))
            .hint(hint)
    };
    match &argument.value {
        ArgumentValue::Literal(value) => {
            let wrong = super::validate::param_value_matches(param, value).err()?;
            Some(problem(
                argument.span,
                format!("param `{}` of `{}` {wrong}", param.name.value, callee.name),
                format!("give `{}` a value of type {}", param.name.value, param.kind.name()),
            ))
        }
        ArgumentValue::Template(template) => {
            let (span, message, hint) = param_mismatch(caller, callee, param, template)?;
            Some(problem(span, message, hint))
        }
        ArgumentValue::Mapping(_) => Some(problem(
            argument.span,
            format!(
                "param `{}` of `{}` takes {}, not a mapping",
                param.name.value,
                callee.name,
                param.kind.name()
            ),
            "params are single values".to_string(),
        )),
    }
}

/// A whole `${param}` of the caller given to a callee param of another type: where, what, and
/// what to declare.
fn param_mismatch(
    caller: &Runbook,
    callee: &Runbook,
    param: &Param,
    template: &Template,
) -> Option<(Span, String, String)> {
    let expression = template.sole_expression()?;
    let given = caller.params.iter().find(|own| own.name.value == expression.value.trim())?;
    let fits = given.kind == param.kind
        || (given.kind == ParamKind::Duration && param.kind == ParamKind::String);
    if fits {
        return None;
    }
    let message = format!(
        "param `{}` is {}, but `{}` of `{}` is {}",
        given.name.value,
        super::param_types::with_article(given.kind.name()),
        param.name.value,
        callee.name,
        super::param_types::with_article(param.kind.name())
    );
    let hint = format!("declare `{}` as `type: {}` here too", given.name.value, param.kind.name());
    Some((expression.span, message, hint))
}
