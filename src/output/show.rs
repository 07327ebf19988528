//! A runbook as `runbook show` presents it: its targets, params, steps with what each does and
//! sends, its gates and controls.

use crate::runbook::{Action, ArgumentValue, Body, Environments, Runbook, Step, StepControl};

/// Every line of `show` for `runbook`, its targets limited to `chosen` when one is named.
pub fn runbook_lines(
    runbook: &Runbook,
    environments: &Environments,
    chosen: Option<&str>,
) -> Vec<String> {
    let mut lines = vec![format!("{} ({})", runbook.name, runbook.format().name())];
    if !runbook.description.is_empty() {
        lines.push(format!("  {}", runbook.description));
    }
    lines.push(String::new());
    lines.extend(targets(environments, runbook, chosen));
    lines.extend(params(runbook));
    lines.extend(body(runbook));
    lines
}

fn targets(environments: &Environments, runbook: &Runbook, chosen: Option<&str>) -> Vec<String> {
    if runbook.environments.is_empty() {
        return vec!["targets: none (the runbook takes its app as a param)".into()];
    }
    let mut lines = vec!["targets:".to_string()];
    for environment in &runbook.environments {
        if chosen.is_some_and(|chosen| chosen != environment.value) {
            continue;
        }
        if let Some(target) = environments.get(&environment.value) {
            let protection = if target.protected {
                ", protected: gates need the app name typed or --confirm"
            } else {
                ""
            };
            lines.push(format!(
                "  {}-{}  {} ({}{protection})",
                runbook.name, environment.value, target.app, environment.value
            ));
        }
    }
    lines
}

fn params(runbook: &Runbook) -> Vec<String> {
    if runbook.params.is_empty() {
        return vec!["params: none".into()];
    }
    let mut lines = vec!["params:".to_string()];
    for param in &runbook.params {
        let mut details = vec![param.kind.name().to_string()];
        details.push(if param.required { "required".into() } else { "optional".into() });
        if !param.choices.is_empty() {
            details.push(format!("one of {}", param.choices.join(", ")));
        }
        if let Some(default) = &param.default {
            details.push(format!("default {default}"));
        }
        lines.push(format!("  -p {}=...  {}  {}", param.name.value, details.join(", "), param.doc));
    }
    lines
}

fn body(runbook: &Runbook) -> Vec<String> {
    let steps = match &runbook.body {
        Body::Steps(steps) => steps,
        Body::Script(ast) => return script_outline(ast, ""),
    };
    let mut lines = vec!["steps:".to_string()];
    lines.extend(step_lines(steps, "  "));
    if !runbook.finally.is_empty() {
        lines.push("finally (always, even after a failure or Ctrl-C):".to_string());
        lines.extend(step_lines(&runbook.finally, "  "));
    }
    lines
}

fn step_lines(steps: &[Step], indent: &str) -> Vec<String> {
    let mut lines = Vec::new();
    for (position, step) in steps.iter().enumerate() {
        lines.push(format!("{indent}{}. {}  {}", position + 1, step.name, action(step)));
        let detail = format!("{indent}     ");
        if let Some(when) = &step.when {
            lines.push(format!("{detail}when: {}", when.value));
        }
        if let Some(confirm) = &step.confirm {
            lines.push(format!("{detail}gate: asks \"{}\"", confirm.source_text()));
        }
        if writes(step) {
            lines.push(format!("{detail}gate: {PROTECTED_GATE}"));
        }
        lines.extend(control_lines(&step.control, &detail));
        lines.extend(callee_lines(step, &detail));
    }
    lines
}

/// Whether the step sends a write of its own (a `run:` step's callee shows its own).
fn writes(step: &Step) -> bool {
    matches!(
        &step.action,
        Action::Operation { resolved: Some(operation), .. }
            if matches!(operation.behaviour, crate::ops::Behaviour::Write(_))
    )
}

/// The steps of the runbook a `run:` step runs, under it.
fn callee_lines(step: &Step, detail: &str) -> Vec<String> {
    let Action::Run { callee, .. } = &step.action else {
        return Vec::new();
    };
    let Some(callee) = callee.get() else {
        return Vec::new();
    };
    match &callee.body {
        Body::Steps(steps) => {
            let mut lines = vec![format!("{detail}its steps:")];
            lines.extend(step_lines(steps, &format!("{detail}  ")));
            if !callee.finally.is_empty() {
                lines.push(format!("{detail}its finally steps:"));
                lines.extend(step_lines(&callee.finally, &format!("{detail}  ")));
            }
            lines
        }
        Body::Script(ast) => script_outline(ast, detail),
    }
}

/// `[heroku.restart, write] DELETE ...: what it does`
fn action(step: &Step) -> String {
    match &step.action {
        Action::Operation { operation, resolved, .. } => match resolved {
            Some(spec) => format!(
                "[{}, {}] {}: {}",
                spec.name,
                spec.effect.name(),
                spec.endpoint,
                spec.summary
            ),
            None => format!("[{}]", operation.value),
        },
        Action::Script(_) => "[script, read] (Rhai, no network)".to_string(),
        Action::Run { runbook, .. } => {
            format!("[run] the runbook `{}`, with the same target and gates", runbook.value)
        }
        Action::Shell { dry_run, .. } => match dry_run {
            Some(form) => format!(
                "[sh, local] on this machine; a dry-run runs `{}` instead",
                form.source_text()
            ),
            None => "[sh, local] on this machine; a dry-run only lists it".to_string(),
        },
    }
}

fn control_lines(control: &StepControl, detail: &str) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(for_each) = &control.for_each {
        let items = match &for_each.items {
            ArgumentValue::Literal(list) => list.to_string(),
            ArgumentValue::Template(template) => template.source_text(),
            ArgumentValue::Mapping(_) => "a mapping".to_string(),
        };
        lines.push(format!("{detail}for each item of {items}, {} at a time", for_each.concurrency));
    }
    if let Some(retry) = &control.retry {
        lines.push(format!(
            "{detail}retry: {} tries, {} apart, x{} each time",
            retry.attempts,
            humantime::format_duration(retry.delay),
            retry.backoff
        ));
    }
    if let Some(timeout) = control.timeout {
        lines.push(format!("{detail}timeout: {}", humantime::format_duration(timeout)));
    }
    if control.continue_on_failure {
        lines.push(format!("{detail}the run goes on if it fails"));
    }
    if !control.on_failure.is_empty() {
        lines.push(format!("{detail}on failure:"));
        lines.extend(step_lines(&control.on_failure, &format!("{detail}  ")));
    }
    lines
}

fn script_outline(ast: &rhai::AST, indent: &str) -> Vec<String> {
    let outline = crate::runbook::outline(ast);
    let mut lines = vec![format!("{indent}steps (the script's `step(...)` calls):")];
    for (position, step) in outline.steps.iter().enumerate() {
        lines.push(format!("{indent}  {}. {step}", position + 1));
    }
    lines.push(format!("{indent}operations it calls:"));
    for operation in &outline.operations {
        lines.push(format!(
            "{indent}  heroku::{}  [{}] {}",
            operation.function_name(),
            operation.effect.name(),
            operation.endpoint
        ));
    }
    lines.push(format!("{indent}gates:"));
    for message in &outline.confirmations {
        let message = message.as_deref().map_or_else(
            || "a message the script computes".to_string(),
            |text| format!("\"{text}\""),
        );
        lines.push(format!(
            "{indent}  confirm({message}): asked with the next write, showing its request"
        ));
    }
    let writes: Vec<String> = outline
        .operations
        .iter()
        .filter(|operation| matches!(operation.behaviour, crate::ops::Behaviour::Write(_)))
        .map(|operation| format!("heroku::{}", operation.function_name()))
        .collect();
    if !writes.is_empty() {
        lines.push(format!("{indent}  {}: {PROTECTED_GATE}", writes.join(", ")));
    }
    lines
}

/// The gate every write has, whatever the runbook says.
const PROTECTED_GATE: &str =
    "on a protected app, sent only once its name is typed at the prompt or given with --confirm";
