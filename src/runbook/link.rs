//! `run: other-runbook`: linking each step that runs another runbook to it, after checking that it
//! exists, does not run its caller again, takes the params given, and runs where its caller does.

use std::sync::Arc;

use super::diagnostic::Diagnostic;
use super::library::Library;
use super::model::{Action, Argument, Body, Runbook, Step};
use super::source::Located;

/// Links every `run:` step of `runbook`; the problems found. `running` holds the callers so far.
pub fn link(library: &Library, runbook: &Runbook, running: &mut Vec<String>) -> Vec<Diagnostic> {
    let Body::Steps(steps) = &runbook.body else {
        return Vec::new();
    };
    let mut problems = Vec::new();
    for step in all_steps(steps.iter().chain(&runbook.finally)) {
        if let Action::Run {
            runbook: name,
            arguments,
            callee,
        } = &step.action
        {
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
        Diagnostic::new(&caller.source, name.span, message)
            .label(label.to_string())
            .hint(hint)
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
    let declared: Vec<&str> = callee
        .environments
        .iter()
        .map(|environment| environment.value.as_str())
        .collect();
    let Some(missing) = caller
        .environments
        .iter()
        .find(|environment| !declared.contains(&environment.value.as_str()))
    else {
        return Ok(());
    };
    let runs_against = if declared.is_empty() {
        "none".to_string()
    } else {
        declared.join(", ")
    };
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
    let names: Vec<&str> = callee
        .params
        .iter()
        .map(|param| param.name.value.as_str())
        .collect();
    if let Some(unknown) = arguments
        .iter()
        .find(|argument| !names.contains(&argument.name.value.as_str()))
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
            format!("its params are: {}", names.join(", "))
        }));
    }
    let missing = callee.params.iter().find(|param| {
        param.required
            && param.default.is_none()
            && !arguments
                .iter()
                .any(|argument| argument.name.value == param.name.value)
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
