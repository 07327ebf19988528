//! Loads a YAML runbook into the model, keeping the place of every node for later diagnostics.

use std::sync::Arc;

use indexmap::IndexMap;
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::diagnostic::Diagnostic;
use super::model::{
    Action, Argument, ArgumentValue, Body, Param, ParamKind, Runbook, Step, StepControl,
};
use super::source::{Located, SourceFile, Span};
use super::template::Template;
use super::yaml_control::{self, ControlSpec, holds_template};
use super::yaml_error;

/// A runbook: what it does, where it runs, its params and its steps.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "runbook")]
struct RunbookSpec {
    description: Option<String>,
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    environments: Vec<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "indexmap::IndexMap<String, ParamSpec>")]
    params: IndexMap<Spanned<String>, Spanned<ParamSpec>>,
    #[schemars(with = "Vec<StepSpec>")]
    steps: Vec<Spanned<StepSpec>>,
    #[serde(default)]
    #[schemars(with = "Vec<StepSpec>")]
    finally: Vec<Spanned<StepSpec>>,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct ParamSpec {
    /// The type of the value; `string` when omitted.
    #[serde(rename = "type")]
    #[schemars(with = "Option<super::model::ParamKind>")]
    kind: Option<Spanned<String>>,
    #[serde(default)]
    required: bool,
    default: Option<serde_json::Value>,
    #[serde(rename = "enum", default)]
    choices: Vec<String>,
    #[serde(default)]
    doc: String,
    #[serde(default)]
    secret: bool,
}

#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    #[schemars(with = "Option<String>")]
    id: Option<Spanned<String>>,
    name: Option<String>,
    #[serde(rename = "do")]
    #[schemars(with = "Option<String>")]
    operation: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "indexmap::IndexMap<String, serde_json::Value>")]
    with: IndexMap<Spanned<String>, Spanned<serde_json::Value>>,
    #[schemars(with = "Option<String>")]
    script: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    run: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    sh: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    dry_run: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    when: Option<Spanned<String>>,
    #[schemars(with = "Option<String>")]
    confirm: Option<Spanned<String>>,
    #[schemars(with = "Option<yaml_control::RetrySpec>")]
    retry: Option<Spanned<yaml_control::RetrySpec>>,
    #[schemars(with = "Option<String>")]
    timeout: Option<Spanned<String>>,
    #[serde(default)]
    #[schemars(with = "Vec<StepSpec>")]
    on_failure: Vec<Spanned<StepSpec>>,
    #[serde(default)]
    continue_on_failure: bool,
    #[schemars(with = "Option<serde_json::Value>")]
    for_each: Option<Spanned<serde_json::Value>>,
    #[schemars(with = "Option<u64>")]
    concurrency: Option<Spanned<u64>>,
}

/// The JSON Schema of the YAML format, from the types above; `do:` lists the catalogue's names and
/// `with:` the arguments of the operation named.
pub fn json_schema() -> serde_json::Value {
    let mut schema = serde_json::to_value(schemars::schema_for!(RunbookSpec)).unwrap_or_default();
    let names: Vec<&str> = crate::ops::CATALOGUE.iter().map(|operation| operation.name).collect();
    if let Some(operation) = schema.pointer_mut("/$defs/StepSpec/properties/do") {
        operation["enum"] = serde_json::json!(names);
        operation["type"] = serde_json::json!("string");
    }
    if let Some(step) = schema.pointer_mut("/$defs/StepSpec") {
        step["allOf"] = serde_json::json!(super::schema_operations::with_rules());
    }
    schema
}

/// Reads the YAML text of `source` into a runbook named `name`.
pub fn load(name: &str, source: &Arc<SourceFile>) -> Result<Runbook, Vec<Diagnostic>> {
    let spec: RunbookSpec = yaml_error::parse(source)?;
    let mut problems = Vec::new();
    let params = spec
        .params
        .into_iter()
        .filter_map(|(name, param)| collect(&mut problems, load_param(source, name, param)))
        .collect();
    let steps = load_steps(source, spec.steps, &mut problems);
    let finally = load_steps(source, spec.finally, &mut problems);
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Runbook {
        name: name.to_string(),
        source: Arc::clone(source),
        description: spec.description.unwrap_or_default(),
        environments: spec
            .environments
            .into_iter()
            .map(|environment| yaml_error::located(source, environment))
            .collect(),
        params,
        body: Body::Steps(steps),
        finally,
        modules: Arc::default(),
    })
}

fn collect<T>(problems: &mut Vec<Diagnostic>, result: Result<T, Diagnostic>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

fn load_param(
    source: &Arc<SourceFile>,
    name: Spanned<String>,
    spec: Spanned<ParamSpec>,
) -> Result<Param, Diagnostic> {
    let name = yaml_error::located(source, name);
    let spec = spec.value;
    let kind = match &spec.kind {
        None => ParamKind::String,
        Some(kind) => ParamKind::parse(&kind.value).ok_or_else(|| {
            let located = yaml_error::located(source, kind.clone());
            Diagnostic::new(
                source,
                located.span,
                format!("unknown param type `{}`", kind.value),
            )
            .label("not a param type")
            .hint("use one of: string, int, bool, duration, list (with `enum: [...]` for a fixed set)")
        })?,
    };
    Ok(Param {
        name,
        kind,
        required: spec.required,
        default: spec.default,
        choices: spec.choices,
        doc: spec.doc,
        secret: spec.secret,
    })
}

fn load_steps(
    source: &Arc<SourceFile>,
    specs: Vec<Spanned<StepSpec>>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Step> {
    specs.into_iter().filter_map(|step| collect(problems, load_step(source, step))).collect()
}

fn load_step(source: &Arc<SourceFile>, spec: Spanned<StepSpec>) -> Result<Step, Diagnostic> {
    let span = yaml_error::span(source, &spec);
    let spec = spec.value;
    let control = ControlSpec {
        retry: spec.retry,
        timeout: spec.timeout,
        on_failure: spec.on_failure,
        continue_on_failure: spec.continue_on_failure,
        for_each: spec.for_each,
        concurrency: spec.concurrency,
    };
    let action = match (spec.sh, spec.dry_run) {
        (Some(command), dry_run) => {
            load_shell(source, (spec.operation, spec.script, spec.run), command, dry_run)?
        }
        (None, Some(dry_run)) => {
            return Err(Diagnostic::new(
                source,
                yaml_error::span(source, &dry_run),
                "`dry_run:` goes with `sh:`",
            )
            .label("no `sh:` in this step")
            .hint("`dry_run:` is the command a dry-run runs instead of an `sh:` command"));
        }
        (None, None) => {
            load_action(source, span, (spec.operation, spec.script, spec.run), spec.with)?
        }
    };
    let name = spec.name.unwrap_or_else(|| match &action {
        Action::Operation { operation, .. } => operation.value.clone(),
        Action::Script(_) => "script".to_string(),
        Action::Run { runbook, .. } => format!("run {}", runbook.value),
        Action::Shell { command, .. } => command.source_text(),
    });
    let confirm = spec.confirm.map(|confirm| template(source, confirm)).transpose()?;
    Ok(Step {
        id: spec.id.map(|id| yaml_error::located(source, id)),
        name,
        action,
        when: spec.when.map(|when| yaml_error::located(source, when)),
        confirm,
        control: load_control(source, control)?,
    })
}

fn load_control(
    source: &Arc<SourceFile>,
    control: ControlSpec<Spanned<StepSpec>>,
) -> Result<StepControl, Diagnostic> {
    let mut problems = Vec::new();
    let on_failure = load_steps(source, control.on_failure, &mut problems);
    if let Some(problem) = problems.into_iter().next() {
        return Err(problem);
    }
    let for_each = control
        .for_each
        .map(|items| {
            let items_span = yaml_error::span(source, &items);
            let value = argument_value(source, items)?;
            Ok::<_, Diagnostic>((value, items_span))
        })
        .transpose()?;
    yaml_control::load(
        source,
        yaml_control::Controls {
            retry: control.retry,
            timeout: control.timeout,
            continue_on_failure: control.continue_on_failure,
            for_each,
            concurrency: control.concurrency,
        },
        on_failure,
    )
}

/// `sh:` (and its `dry_run:` form), alone in its step.
fn load_shell(
    source: &Arc<SourceFile>,
    others: ActionKeys,
    command: Spanned<String>,
    dry_run: Option<Spanned<String>>,
) -> Result<Action, Diagnostic> {
    if let Some(other) = [others.0, others.1, others.2].into_iter().flatten().next() {
        return Err(Diagnostic::new(
            source,
            yaml_error::span(source, &other),
            "a step does one thing: `do:`, `script:`, `run:` or `sh:`",
        )
        .label("with `sh:` too")
        .hint("split it into several steps"));
    }
    for text in std::iter::once(&command).chain(&dry_run) {
        if text.value.trim().is_empty() {
            return Err(Diagnostic::new(
                source,
                yaml_error::span(source, text),
                "an empty command",
            )
            .label("nothing to run")
            .hint("write the command, for example `sh: \"git fetch origin\"`"));
        }
    }
    Ok(Action::Shell {
        command: template(source, command)?,
        dry_run: dry_run.map(|form| template(source, form)).transpose()?,
    })
}

/// A step's `do:`, `script:` and `run:`, of which exactly one may be set.
type ActionKeys = (Option<Spanned<String>>, Option<Spanned<String>>, Option<Spanned<String>>);

/// What a step does: exactly one of `do:`, `script:` and `run:`.
fn load_action(
    source: &Arc<SourceFile>,
    step_span: Span,
    kinds: ActionKeys,
    with: IndexMap<Spanned<String>, Spanned<serde_json::Value>>,
) -> Result<Action, Diagnostic> {
    let arguments = |with: IndexMap<Spanned<String>, Spanned<serde_json::Value>>| {
        with.into_iter()
            .map(|(name, value)| load_argument(source, name, value))
            .collect::<Result<Vec<_>, _>>()
    };
    match kinds {
        (Some(operation), None, None) => {
            let operation = yaml_error::located(source, operation);
            let resolved = crate::ops::find(&operation.value).filter(|found| found.name == operation.value);
            Ok(Action::Operation { operation, resolved, arguments: arguments(with)? })
        }
        (None, Some(script), None) => Ok(Action::Script(yaml_error::located(source, script))),
        (None, None, Some(runbook)) => Ok(Action::Run {
            runbook: yaml_error::located(source, runbook),
            arguments: arguments(with)?,
            callee: std::sync::OnceLock::new(),
        }),
        (None, None, None) => Err(Diagnostic::new(source, step_span, "a step needs `do:`, `script:`, `run:` or `sh:`")
            .label("this step does nothing")
            .hint("add `do: heroku.dynos` (`runbook functions` lists them), `script: |` with Rhai code, or `run: another-runbook`")),
        (operation, script, runbook) => {
            let first = [operation, script, runbook].into_iter().flatten().next().expect("two of them are set");
            Err(Diagnostic::new(source, yaml_error::span(source, &first), "a step does one thing: `do:`, `script:`, `run:` or `sh:`")
                .label("more than one of these")
                .hint("split it into several steps"))
        }
    }
}

fn load_argument(
    source: &Arc<SourceFile>,
    name: Spanned<String>,
    value: Spanned<serde_json::Value>,
) -> Result<Argument, Diagnostic> {
    let span = yaml_error::span(source, &value);
    let value = argument_value(source, value)?;
    Ok(Argument { name: yaml_error::located(source, name), value, span })
}

/// A value as written: a template when it is a string with `${...}`, a literal otherwise.
fn argument_value(
    source: &Arc<SourceFile>,
    value: Spanned<serde_json::Value>,
) -> Result<ArgumentValue, Diagnostic> {
    let referenced = value.referenced;
    let defined = value.defined;
    let nested = |text: String| Spanned::new(text, referenced, defined);
    let not_evaluated = |message: &str, hint: &str| {
        let span = yaml_error::span(source, &value_span(referenced, defined));
        Diagnostic::new(source, span, message).label("here").hint(hint)
    };
    Ok(match value.value {
        serde_json::Value::String(text) if text.contains("${") => {
            ArgumentValue::Template(template(source, nested(text))?)
        }
        serde_json::Value::Object(entries)
            if holds_template(&serde_json::Value::Object(entries.clone())) =>
        {
            let mut mapped = Vec::new();
            for (key, item) in entries {
                let item = match item {
                    serde_json::Value::String(text) if text.contains("${") => {
                        ArgumentValue::Template(template(source, nested(text))?)
                    }
                    other if holds_template(&other) => {
                        return Err(not_evaluated(
                            "`${...}` nested deeper than one mapping is not evaluated",
                            "give the value a `${...}` of its own at the first level",
                        ));
                    }
                    other => ArgumentValue::Literal(other),
                };
                mapped.push((key, item));
            }
            ArgumentValue::Mapping(mapped)
        }
        other if holds_template(&other) => {
            return Err(not_evaluated(
                "`${...}` inside a list is not evaluated",
                "make the whole list one expression: `\"${[a, b]}\"`",
            ));
        }
        other => ArgumentValue::Literal(other),
    })
}

fn value_span(referenced: serde_saphyr::Location, defined: serde_saphyr::Location) -> Spanned<()> {
    Spanned::new((), referenced, defined)
}

/// Splits a YAML string into a template, pointing each `${...}` at its place in the file.
fn template(source: &Arc<SourceFile>, text: Spanned<String>) -> Result<Template, Diagnostic> {
    let node = yaml_error::span(source, &text);
    let located = Located { value: text.value.clone(), span: node };
    let locate = |offset: usize, length: usize| {
        let needle = &text.value[offset..(offset + length).min(text.value.len())];
        locate_within(source, node.offset, needle).unwrap_or(node)
    };
    Template::parse(&located.value, node, locate).map_err(|error| {
        let span = locate(error.offset_in_text, 2);
        Diagnostic::new(source, span, error.message)
            .label("here")
            .hint("write expressions as `${name}`, for example `${app}`")
    })
}

/// Finds `needle` in the source near `offset` (a scalar may start with a quote or a block marker).
fn locate_within(source: &SourceFile, offset: usize, needle: &str) -> Option<Span> {
    let window_end = (offset + needle.len() + 4096).min(source.text.len());
    let window = source.text.get(offset..window_end)?;
    window.find(needle).map(|index| Span::new(offset + index, needle.len()))
}
